package dev.herald.hub;

import dev.herald.server.Cursor;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mercure's reconciliation: which last event ID a subscriber sends ({@link #requested}), where it
 * resumes, and the {@code Mercure-Last-Event-ID} the hub answers with. The one place that knows
 * where a last event ID comes from and the reserved ID {@code earliest}.
 *
 * <p>A last event ID is read from the first present of, in this order (the header wins, as both
 * generations of the protocol say):
 *
 * <ol>
 *   <li>the {@code Last-Event-ID} header (what an {@code EventSource} sends when it reconnects);
 *   <li>the {@code last_event_id} query parameter (Mercure 1.0);
 *   <li>the {@code lastEventID} query parameter (pre-1.0 clients); a strict hub refuses it.
 * </ol>
 *
 * <p>Of a query parameter given twice, the first counts. An ID resumes so:
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

  /** The query parameter of the last event ID, for a subscriber that cannot send headers. */
  static final String LAST_EVENT_ID_PARAM = "last_event_id";

  /** The pre-1.0 query parameter of the last event ID. */
  static final String LEGACY_LAST_EVENT_ID_PARAM = "lastEventID";

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

  /**
   * The last event ID a subscriber sends, by the rule above; {@code null} if none.
   *
   * @param header the {@code Last-Event-ID} header (UTF-8 decoded), or {@code null}
   * @param query the request's query parameters, in order
   * @param strict whether the pre-1.0 parameter is refused
   * @throws IllegalArgumentException saying why, if strict and the pre-1.0 parameter is given
   */
  static String requested(String header, List<Map.Entry<String, String>> query, boolean strict) {
    String current = first(query, LAST_EVENT_ID_PARAM);
    String legacy = first(query, LEGACY_LAST_EVENT_ID_PARAM);
    if (strict && legacy != null) {
      throw new IllegalArgumentException(
          LEGACY_LAST_EVENT_ID_PARAM
              + "= is the pre-1.0 Mercure parameter, which this strict hub refuses: send "
              + LAST_EVENT_ID_PARAM
              + "= or the Last-Event-ID header");
    }
    if (header != null) {
      return header;
    }
    return current != null ? current : legacy;
  }

  private static String first(List<Map.Entry<String, String>> query, String name) {
    for (Map.Entry<String, String> p : query) {
      if (p.getKey().equals(name)) {
        return p.getValue();
      }
    }
    return null;
  }

  /** Where a subscriber with last event ID {@code requested} resumes in {@code log}. */
  static Resumption resolve(String requested, HubLog log) {
    if (requested.equals(EARLIEST)) {
      return new Resumption(Optional.of(log.beforeOldest()), EARLIEST);
    }
    Optional<Cursor> after = log.positionOf(requested);
    return new Resumption(after, after.isPresent() ? requested : EARLIEST);
  }
}
