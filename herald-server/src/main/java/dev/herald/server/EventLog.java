package dev.herald.server;

import java.util.List;
import java.util.Optional;

/**
 * The history of a {@link Broadcaster}: events in one total order, so a client that reconnects with
 * its {@code Last-Event-ID} gets every later event. Bounded by count, age and bytes.
 *
 * <p>Implementations must be thread-safe. The broadcaster calls {@link #append} under its own lock,
 * in publish order.
 *
 * @since 0.1
 */
public interface EventLog {
  /** The position the next appended event gets. */
  long nextPosition();

  /** Appends {@code event}, which has the position {@link #nextPosition()} returned. */
  void append(LoggedEvent event);

  /**
   * Every event after the one with {@code id}, oldest first; empty if the log does not hold that ID
   * (never appended, or evicted by a bound) — the caller must then say so rather than pretend there
   * is no gap.
   */
  Optional<List<LoggedEvent>> after(String id);
}
