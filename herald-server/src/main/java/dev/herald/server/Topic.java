package dev.herald.server;

import java.util.Arrays;
import java.util.Set;

/**
 * The subscribers of one topic on one event loop, in an array: a subscriber costs a slot, and
 * leaves by swapping the last one into its place. On the loop.
 *
 * @param <P> the type of the events' payload
 */
final class Topic<P> {
  final String name;
  final Interest<Object> shared; // the plain interest in this topic, shared by its subscribers
  LoopSubscription<P>[] subscribers = newArray(2);
  int size;
  int complex; // subscribers that are not plain: served event by event
  long batch; // during a run: its events, a bit each

  Topic(String name) {
    this.name = name;
    this.shared = Interest.of(Set.of(name));
  }

  // The one generic array: created here, it only ever holds the LoopSubscription<P>s added below.
  @SuppressWarnings("unchecked")
  private static <P> LoopSubscription<P>[] newArray(int size) {
    return (LoopSubscription<P>[]) new LoopSubscription<?>[size];
  }

  void add(LoopSubscription<P> s) {
    if (size == subscribers.length) {
      subscribers = Arrays.copyOf(subscribers, size * 2);
    }
    s.slot(this, size);
    subscribers[size++] = s;
    if (!s.plain) {
      complex++;
    }
  }

  /** Returns whether the topic has no subscriber left. */
  boolean remove(LoopSubscription<P> s) {
    if (!s.plain) {
      complex--;
    }
    int at = s.slot(this);
    LoopSubscription<P> last = subscribers[--size];
    subscribers[size] = null;
    if (last != s) {
      subscribers[at] = last;
      last.slot(this, at);
    }
    return size == 0;
  }
}
