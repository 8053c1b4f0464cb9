package dev.herald.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers requests the decoder could not read: 414 for a request line past the URL limit, 431 for
 * headers past theirs, 400 for anything malformed; then closes the connection. Sits right after
 * {@code HttpServerCodec}; body limits (413) are the aggregator's.
 */
final class RequestLimitsHandler extends ChannelInboundHandlerAdapter {
  private boolean failed;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (failed) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest && ((HttpRequest) msg).decoderResult().isFailure()) {
      failed = true;
      Throwable cause = ((HttpRequest) msg).decoderResult().cause();
      ReferenceCountUtil.release(msg);
      Responses.send(ctx, responseFor(cause), false);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private static Response responseFor(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return Response.text(414, "request line too long: " + cause.getMessage());
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return Response.text(431, "request headers too large: " + cause.getMessage());
    }
    return Response.text(400, "malformed request: " + cause.getMessage());
  }
}
