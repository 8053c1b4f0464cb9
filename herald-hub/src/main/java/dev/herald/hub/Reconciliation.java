package dev.herald.hub;

import dev.herald.server.Cursor;
import java.util.Optional;

/**
 * Mercure's reconciliation: where a subscriber that sends a last event ID ({@code Last-Event-ID}
 * header, else the {@code last_event_id} query parameter) resumes, and the {@code
 * Mercure-Last-Event-ID} the hub answers with. The one place that knows the reserved ID {@code
 * earliest}:
 *
 * <ul>
 *   <li>{@code earliest}: every update the history holds, answered {@code earliest};
 *   <li>an ID the history holds: the updates after the earliest one bearing it, answered with the
 *       ID itself;
 *   <li>any other ID (never published, or evicted): live updates only, answered {@code earliest},
 *       so the subscriber knows it may have missed some (and, opted in, told in-band too).
 * </ul>
 *
 * <p>Resolving an ID may read the update log (blocking): called on the hub's replay threads.
 */
final class Reconciliation {
  /** The reserved last event ID asking for all history, and the answer when it cannot resume. */
  static final String EARLIEST = "earliest";

  /**
   * Where a subscriber resumes.
   *
   * @param after the position to replay after; empty: live updates only
   * @param answer the {@code Mercure-Last-Event-ID} to send
   */
  record Resumption(Optional<Cursor> after, String answer) {
    /** Whether the requested ID could not be resumed from: updates may have been missed. */
    boolean gap() {
      return after.isEmpty();
    }
  }

  private Reconciliation() {}

  /** Where a subscriber with last event ID {@code requested} resumes in {@code log}. */
  static Resumption resolve(String requested, HubLog log) {
    if (requested.equals(EARLIEST)) {
      return new Resumption(Optional.of(log.beforeOldest()), EARLIEST);
    }
    Optional<Cursor> after = log.positionOf(requested);
    return new Resumption(after, after.isPresent() ? requested : EARLIEST);
  }
}
