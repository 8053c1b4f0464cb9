package dev.herald.server;

import io.netty.buffer.ByteBuf;

/**
 * A publish on its way to one event loop: the logged event, its bytes as one HTTP/1.1 chunk (a
 * reference of the loop's own), and whether subscriptions that ask about restricted events only
 * must be asked about it.
 *
 * @param <P> the type of the events' payload
 */
record Published<P>(LoggedEvent<P> event, ByteBuf chunk, boolean restricted)
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
