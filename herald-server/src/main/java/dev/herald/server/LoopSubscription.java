package dev.herald.server;

import java.util.List;
import java.util.Optional;

/**
 * A subscription of a stream of a {@link HeraldServer}, delivered by its event loop's {@link
 * LoopFanout}: in the loop's {@link TopicIndex} until the stream ends, when it runs (as the
 * stream's close callback) to take itself off. As a message in the loop's inbox, it enters the
 * index. One object per subscriber, so kept small.
 *
 * <p>On its loop only, but for {@link #run}.
 *
 * @param <P> the type of the events' payload
 */
final class LoopSubscription<P> extends Subscription<P> implements LoopMessage<P>, Runnable {
  final NettySseStream stream;
  LoopFanout<P> fanout; // once in its loop's index
  Topic<P> topic; // the one topic it is listed in, if one
  int slot; // its index in its one topic's array
  Listings<P> several; // if listed in several topics: each, and its index there
  // Listed in one topic, takes all of its events, and live: served by topic batches. A catch-up is
  // not plain until it goes live, so that the batches, which visit every subscriber of a topic,
  // need to read no other field to skip it.
  boolean plain;
  long runMask; // not plain: the events of the current run it takes, a bit each

  /** The several topics a subscription is listed in, and its index in each one's array. */
  static final class Listings<P> {
    final List<Topic<P>> topics;
    final int[] slots;

    Listings(List<Topic<P>> topics) {
      this.topics = topics;
      this.slots = new int[topics.size()];
    }
  }

  LoopSubscription(
      NettySseStream stream, Interest<? super P> interest, Optional<Cursor> resumeAfter) {
    super(interest, resumeAfter);
    this.stream = stream;
  }

  @Override
  NettySseStream stream() {
    return stream;
  }

  @Override
  public void applyOn(LoopFanout<P> fanout) {
    fanout.subscribeAfterRun(this);
  }

  /** Its index in {@code topic}'s array. */
  int slot(Topic<P> topic) {
    return several == null ? slot : several.slots[several.topics.indexOf(topic)];
  }

  void slot(Topic<P> topic, int at) {
    if (several == null) {
      slot = at;
    } else {
      several.slots[several.topics.indexOf(topic)] = at;
    }
  }

  /** The stream has ended: off the index, on the loop. */
  @Override
  public void run() {
    fanout.unsubscribe(this);
  }
}
