package dev.herald.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/** Writes complete responses. */
final class Responses {
  private Responses() {}

  /** Writes {@code response}; closes the connection after it unless {@code keepAlive}. */
  static void send(ChannelHandlerContext ctx, Response response, boolean keepAlive) {
    FullHttpResponse full =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(response.status()),
            Unpooled.wrappedBuffer(response.bodyBytes()));
    for (Map.Entry<String, String> header : response.headers().entrySet()) {
      full.headers().set(header.getKey(), header.getValue());
    }
    full.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.bodyBytes().length);
    if (!keepAlive) {
      full.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    var written = ctx.writeAndFlush(full);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
