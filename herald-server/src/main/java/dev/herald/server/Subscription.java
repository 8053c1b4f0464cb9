package dev.herald.server;

import java.util.Optional;
import java.util.Set;

/**
 * One stream's subscription as every delivery keeps it: the events it takes (its {@link Interest}),
 * and, while it catches up, where it is in the history. The rules of both live here, so that a
 * Netty loop and any other delivery decide the same way.
 *
 * <p>A catch-up works alike everywhere. A delivery hands out publishes in the order the
 * broadcaster's lock gave them and remembers the position of the last one it handed out ({@code
 * lastSeen}). A subscription catching up takes no live event: it reads pages of the history after
 * its {@link #cursor}, takes their events up to {@code lastSeen}, and goes live once its cursor has
 * reached {@code lastSeen}; every later event reaches it live. So nothing is missed or sent twice,
 * however many publishes race the catch-up.
 *
 * <p>Not thread-safe: used on its delivery's thread.
 *
 * @param <P> the type of the events' payload
 */
abstract class Subscription<P> {
  Interest<? super P> interest;
  boolean catchingUp; // takes no live event until it has read the history up to lastSeen
  Cursor cursor; // while catching up: the position of the last event it has been given

  Subscription(Interest<? super P> interest, Optional<Cursor> resumeAfter) {
    this.interest = interest;
    this.catchingUp = resumeAfter.isPresent();
    this.cursor = resumeAfter.orElse(null);
  }

  /** The stream it delivers to. */
  abstract SseStream stream();

  /** Whether a candidate (an event of an indexed topic, or any event if every topic) is sent. */
  final boolean accepts(LoggedEvent<P> e) {
    return !interest.filters() || interest.wants(e);
  }

  /**
   * Whether a live candidate is sent: as {@link #accepts}, unless it need not be asked (an event
   * not {@code restricted}, to an interest that asks about restricted events only).
   */
  final boolean acceptsLive(LoggedEvent<P> e, boolean restricted) {
    return !interest.filters()
        || (!restricted && interest.asksRestrictedOnly())
        || interest.wants(e);
  }

  /** Whether it takes {@code e}, an event of any topic: for a page of history. */
  final boolean wants(LoggedEvent<P> e) {
    if (interest.everyTopic()) {
      return accepts(e);
    }
    Set<String> topics = interest.topics();
    for (String topic : e.topics()) {
      if (topics.contains(topic)) {
        return accepts(e);
      }
    }
    return false;
  }

  /** Whether, listed in one topic, it takes all of its events (unless restricted). */
  final boolean takesWholeTopic() {
    return !interest.filters() || interest.asksRestrictedOnly();
  }

  /**
   * Whether it has been given every event up to {@code lastSeen}, the last one its delivery handed
   * out: later ones reach it live.
   */
  final boolean caughtUp(Cursor lastSeen) {
    return !lastSeen.isAfter(cursor);
  }

  /**
   * Whether its cursor is past {@code lastSeen}: it resumes from an event its delivery has yet to
   * hand out (a log shared with other nodes, or read just before the event's publish reached this
   * delivery). It must wait, taking nothing, until its delivery has handed that event out: going
   * live now would send it again the events up to its cursor.
   */
  final boolean ahead(Cursor lastSeen) {
    return cursor.isAfter(lastSeen);
  }

  /**
   * The indexes of the events of {@code page} it takes, and moves its cursor past what it read: the
   * events after its cursor that it wants, up to {@code lastSeen}. Later ones are left out: they
   * may still be on their way to the delivery (a read can see an event appended before its publish
   * arrived), and will reach the subscription live or in a later page.
   */
  final int[] take(HistoryPages.Page<P> page, Cursor lastSeen) {
    int[] wanted = new int[page.events().size()];
    int n = 0;
    for (int i = 0; i < wanted.length; i++) {
      LoggedEvent<P> e = page.events().get(i);
      if (e.position().isAfter(lastSeen)) {
        break;
      }
      if (e.position().isAfter(cursor) && wants(e)) {
        wanted[n++] = i;
      }
    }
    Cursor reached = page.last().isAfter(lastSeen) ? lastSeen : page.last();
    if (reached.isAfter(cursor)) {
      cursor = reached;
    }
    return n == wanted.length ? wanted : java.util.Arrays.copyOf(wanted, n);
  }
}
