package dev.herald.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The history of a {@link Broadcaster}: events in one total order, so a client that reconnects with
 * its {@code Last-Event-ID} gets every later event. Bounded by count, age and bytes.
 *
 * <p>A resuming client is caught up page by page: the broadcaster looks up the position of its last
 * event ID once ({@link #positionOf}), then reads {@link #read pages} after it, each one only once
 * the previous page has been written to the client's socket, so that a backlog of any size reaches
 * a reader that keeps reading while a server holds at most a page per client.
 *
 * <p>Implementations must be thread-safe. The broadcaster calls {@link #append} under its own lock,
 * in publish order; it calls {@link #positionOf} on the thread that subscribes and {@link #read} on
 * its {@linkplain Broadcaster.Builder#readHistoryOn history reader}, so a log whose reads block
 * must be given a reader that is not an event loop.
 *
 * @since 0.1
 */
public interface EventLog {
  /** The position the next appended event gets. */
  long nextPosition();

  /** Appends {@code event}, which has the position {@link #nextPosition()} returned. */
  void append(LoggedEvent event);

  /**
   * The position of the event with {@code id} (of the earliest one, if several bear it); empty if
   * the log does not hold that ID (never appended, or evicted by a bound) — the caller must then
   * say so rather than pretend there is no gap.
   */
  OptionalLong positionOf(String id);

  /**
   * A page of the events after {@code position}, oldest first: at most {@code maxEvents} of them,
   * and no more once their encoded size reaches {@code maxBytes} (a page holds at least one event
   * when the log holds any after {@code position}). An empty list when there is no later event yet.
   * Empty (no list) if the log no longer holds every event after {@code position}: some were
   * evicted by a bound, and a reader resuming there would miss them.
   *
   * @throws IllegalArgumentException if {@code maxEvents} or {@code maxBytes} is not positive
   */
  Optional<List<LoggedEvent>> read(long position, int maxEvents, long maxBytes);

  /**
   * Every event after the one with {@code id}, oldest first; empty if the log does not hold that ID
   * or no longer holds every later event. Reads the whole backlog into memory: for tests and small
   * logs; a broadcaster reads {@link #read pages} instead.
   */
  default Optional<List<LoggedEvent>> after(String id) {
    OptionalLong from = positionOf(id);
    if (from.isEmpty()) {
      return Optional.empty();
    }
    List<LoggedEvent> later = new ArrayList<>();
    long position = from.getAsLong();
    for (; ; ) {
      Optional<List<LoggedEvent>> page = read(position, 1024, Long.MAX_VALUE);
      if (page.isEmpty()) {
        return Optional.empty();
      }
      if (page.get().isEmpty()) {
        return Optional.of(later);
      }
      later.addAll(page.get());
      position = later.get(later.size() - 1).position();
    }
  }

  /** Checks the limits of a {@link #read}; for implementations. */
  static void checkPage(int maxEvents, long maxBytes) {
    if (maxEvents <= 0) {
      throw new IllegalArgumentException("maxEvents must be positive: " + maxEvents);
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
  }
}
