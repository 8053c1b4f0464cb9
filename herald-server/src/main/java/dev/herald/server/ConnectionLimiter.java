package dev.herald.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open connections and keeps them, for closing at shutdown. One past the limit is marked
 * refused: its request is still read, so that closing it sends a FIN rather than a reset, and the
 * router answers 503 with {@code Retry-After}. The first handler of every connection, which leaves
 * the pipeline once it has counted the connection; shared.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private final int maxConnections;
  private final ServerMetrics metrics;
  private final Set<Channel> open = ConcurrentHashMap.newKeySet();
  // One listener for all: a close future with a single listener holds no listener array.
  private final ChannelFutureListener closed = f -> open.remove(f.channel());

  ConnectionLimiter(int maxConnections, ServerMetrics metrics) {
    this.maxConnections = maxConnections;
    this.metrics = metrics;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    open.add(ch);
    ch.closeFuture().addListener(closed);
    if (open.size() > maxConnections) {
      metrics.refused();
      ch.attr(RequestRouter.REFUSED).set(Boolean.TRUE);
      ctx.pipeline().addAfter(ctx.name(), "refusal-timeout", new ReadTimeoutHandler(5));
    }
    ctx.fireChannelActive();
    ctx.pipeline().remove(this);
  }

  int open() {
    return open.size();
  }

  /** Closes every open connection; returns when all are closed. */
  void closeAll() {
    List<ChannelFuture> closing = new ArrayList<>();
    for (Channel ch : open) {
      closing.add(ch.close());
    }
    closing.forEach(ChannelFuture::awaitUninterruptibly);
  }
}
