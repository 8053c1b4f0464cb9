package dev.herald.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

/**
 * Closes an HTTP/2 connection that holds no open stream for too long: its first stream must open
 * within the request-head timeout, and once its last stream has closed, a new one within the idle
 * timeout. A connection with a stream open (an event stream, say) is never closed by it. Closing
 * goes through the HTTP/2 codec, which sends {@code GOAWAY} first.
 *
 * <pre>
 * [connection limit] → [TLS] → Http2FrameCodec → Http2MultiplexHandler → Http2IdleHandler
 * </pre>
 *
 * <p>One instance per connection; told of streams by the stream initializer, on the connection's
 * event loop (which its streams share).
 */
final class Http2IdleHandler extends DeadlineHandler {
  private final Timeouts timeouts;
  private final ChannelFutureListener closed = f -> streamClosed();
  private int open;

  Http2IdleHandler(Timeouts timeouts) {
    this.timeouts = timeouts;
  }

  @Override
  void started(ChannelHandlerContext ctx) {
    if (open == 0) {
      deadlineIn(timeouts.headNanos());
    }
  }

  /** A stream of this connection opened; it is followed until it closes. */
  void streamOpened(Channel stream) {
    open++;
    deadlineIn(NONE);
    stream.closeFuture().addListener(closed);
  }

  private void streamClosed() {
    if (--open == 0) {
      deadlineIn(timeouts.idleNanos());
      arm();
    }
  }

  @Override
  void expired(ChannelHandlerContext ctx) {
    if (open == 0) {
      ctx.channel().close();
    }
  }
}
