package dev.herald.server;

import java.util.Optional;

/**
 * A subscription of a stream that is not a {@link HeraldServer}'s, delivered by a {@link
 * StreamFanout}. On the fan-out's thread.
 *
 * @param <P> the type of the events' payload
 */
final class StreamSubscription<P> extends Subscription<P> {
  final SseStream stream;
  boolean listed; // in the fan-out's index: from its subscription until its stream ends

  StreamSubscription(SseStream stream, Interest<? super P> interest, Optional<Cursor> resumeAfter) {
    super(interest, resumeAfter);
    this.stream = stream;
  }

  @Override
  SseStream stream() {
    return stream;
  }
}
