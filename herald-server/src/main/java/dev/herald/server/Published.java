package dev.herald.server;

import io.netty.buffer.ByteBuf;

/**
 * A publish on its way to one event loop: the logged event, its bytes as one HTTP/1.1 chunk (a
 * reference of the loop's own), whether subscriptions that ask about restricted events only must be
 * asked about it, and when {@link Broadcaster#publish} was called ({@link System#nanoTime()}), for
 * the dispatch latency.
 *
 * @param <P> the type of the events' payload
 */
record Published<P>(LoggedEvent<P> event, ByteBuf chunk, boolean restricted, long arrived)
    implements LoopMessage<P> {
  @Override
  public void applyOn(LoopFanout<P> fanout) {
    fanout.take(this);
  }

  @Override
  public void discard() {
    chunk.release();
  }
}
