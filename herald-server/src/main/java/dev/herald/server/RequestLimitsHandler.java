package dev.herald.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers requests the decoder could not read: 414 for a request line past the URL limit, 431 for
 * headers (or trailers) past theirs, 400 for anything malformed; then closes the connection. Sits
 * right after {@code HttpServerCodec}; body limits (413) are the aggregator's.
 *
 * <p>A failure may come with the head or with the body: a chunked body whose framing breaks (a
 * chunk size that is not hex or overflows, a chunk longer than its size, a bad trailer) ends in a
 * failed {@code LastHttpContent}, after any good chunks. Such a request is never passed on, not
 * even the part before the bad chunk: where the message ends is in doubt, so the connection cannot
 * be trusted with another one (RFC 9112 §7.1, §11.2). The aggregator releases the part it holds
 * when the connection closes.
 */
final class RequestLimitsHandler extends ChannelInboundHandlerAdapter {
  private boolean failed;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (failed) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpObject && ((HttpObject) msg).decoderResult().isFailure()) {
      failed = true;
      Throwable cause = ((HttpObject) msg).decoderResult().cause();
      boolean head = msg instanceof HttpRequest;
      ReferenceCountUtil.release(msg);
      Responses.send(ctx, responseFor(cause, head), false);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private static Response responseFor(Throwable cause, boolean head) {
    if (cause instanceof TooLongHttpLineException) {
      return Response.text(414, "request line too long: " + cause.getMessage());
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return Response.text(431, "request headers too large: " + cause.getMessage());
    }
    String part = head ? "malformed request: " : "malformed request body: ";
    return Response.text(400, part + cause.getMessage());
  }
}
