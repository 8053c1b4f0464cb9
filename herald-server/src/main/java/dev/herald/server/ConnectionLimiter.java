package dev.herald.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections. One past the limit is marked refused: its request is still read, so that
 * closing it sends a FIN rather than a reset, and the router answers 503 with {@code Retry-After}.
 * The first handler of every connection; shared.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private final int maxConnections;
  private final ServerMetrics metrics;
  private final AtomicInteger open = new AtomicInteger();

  ConnectionLimiter(int maxConnections, ServerMetrics metrics) {
    this.maxConnections = maxConnections;
    this.metrics = metrics;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
    if (open.incrementAndGet() > maxConnections) {
      metrics.refused();
      ctx.channel().attr(RequestRouter.REFUSED).set(Boolean.TRUE);
      ctx.pipeline().addAfter(ctx.name(), "refusal-timeout", new ReadTimeoutHandler(5));
    }
    ctx.fireChannelActive();
  }

  int open() {
    return open.get();
  }
}
