package dev.herald.server;

import dev.herald.core.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The history of a {@link Broadcaster}: events in one total order, so a client that reconnects with
 * its {@code Last-Event-ID} gets every later event. Bounded by count, age and bytes.
 *
 * <p>A resuming client is caught up page by page: the broadcaster looks up the position of its last
 * event ID once ({@link #positionOf}), then reads {@link #read pages} after it, each one only once
 * the previous page has been written to the client's socket, so that a backlog of any size reaches
 * a reader that keeps reading while a server holds at most a page per client.
 *
 * <p>Positions are {@link Cursor}s the log assigns: ordered, opaque to everyone but the log, and
 * not necessarily dense (a store's sequences, a Redis stream's IDs, a ring's counter).
 *
 * <p>Each event carries the publisher's payload, of type {@code P}, for the subscriptions' {@link
 * Interest#wants}: a plain log of events without one is an {@code EventLog<Void>}.
 *
 * <pre>{@code
 * EventLog<Void> history = RingEventLog.builder().maxEvents(1000).build();
 * }</pre>
 *
 * <p>Implementations must be thread-safe. The broadcaster calls {@link #append} and {@link #last}
 * under its own lock, {@link #append} in publish order; it calls {@link #positionOf} on the thread
 * that subscribes and {@link #read} on its {@linkplain Broadcaster.Builder#readHistoryOn history
 * reader}, so a log whose reads block must be given a reader that is not an event loop.
 *
 * @since 0.1
 */
public interface EventLog<P> {
  /**
   * Appends {@code event}, published to {@code topics} with {@code payload}, at a position after
   * every event appended before; returns it as logged. An event without ID gets one from its
   * position (for example the cursor's text form, {@code 1}, {@code 2}, ...).
   *
   * @throws IllegalArgumentException if the log cannot take the event (the broadcaster's publish
   *     then fails with it, and nothing is delivered)
   */
  LoggedEvent<P> append(Set<String> topics, SseEvent event, P payload);

  /**
   * The position of the last event appended (whether or not still held), or {@link Cursor#START} if
   * none: a subscription that starts live starts after it.
   */
  Cursor last();

  /**
   * The position of the event with {@code id} (of the earliest one, if several bear it); empty if
   * the log does not hold that ID (never appended, or evicted by a bound) — the caller must then
   * say so rather than pretend there is no gap.
   */
  Optional<Cursor> positionOf(String id);

  /**
   * A page of the events after {@code after}, oldest first: at most {@code maxEvents} of them, and
   * no more once their encoded size reaches {@code maxBytes} (a page holds at least one event when
   * the log holds any after {@code after}). An empty list when there is no later event yet. Empty
   * (no list) if the log no longer holds every event after {@code after}: some were evicted by a
   * bound, and a reader resuming there would miss them. Positions need not be dense, so a log tells
   * a gap by what it evicted (for example the last position it evicted), not by counting.
   *
   * @param after a position this log made ({@link LoggedEvent#position}, {@link #positionOf},
   *     {@link #last}), or {@link Cursor#START}
   * @throws IllegalArgumentException if {@code maxEvents} or {@code maxBytes} is not positive
   */
  Optional<List<LoggedEvent<P>>> read(Cursor after, int maxEvents, long maxBytes);

  /**
   * Every event after the one with {@code id}, oldest first; empty if the log does not hold that ID
   * or no longer holds every later event. Reads the whole backlog into memory: for tests and small
   * logs; a broadcaster reads {@link #read pages} instead.
   */
  default Optional<List<LoggedEvent<P>>> after(String id) {
    Optional<Cursor> from = positionOf(id);
    if (from.isEmpty()) {
      return Optional.empty();
    }
    List<LoggedEvent<P>> later = new ArrayList<>();
    Cursor position = from.get();
    for (; ; ) {
      Optional<List<LoggedEvent<P>>> page = read(position, 1024, Long.MAX_VALUE);
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
