package dev.herald.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AttributeKey;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an HTTP/1.1 connection: finds the route of each request and runs it — an SSE
 * stream, or a plain response. One instance per connection.
 *
 * <pre>
 * HTTP/1.1: [connection limit] → [TLS] → HttpServerCodec → RequestTimeoutHandler
 *     → RequestLimitsHandler → HttpObjectAggregator → [CORS] → RequestRouter
 *   once an SSE stream's head has left (see NettySseStream):
 *           [connection limit] → [TLS] → NettySseStream
 * HTTP/2:   [connection limit] → [TLS] → Http2FrameCodec → Http2MultiplexHandler → per stream:
 *     Http2StreamFrameToHttpObjectCodec → RequestTimeoutHandler → HttpObjectAggregator → [CORS]
 *     → RequestRouter
 * (HTTP/2 also ends the connection's pipeline with an Http2IdleHandler)
 * </pre>
 */
final class RequestRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
  /** Set on connections accepted past the connection limit: they get a 503. */
  static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("herald.refused");

  private static final Logger LOG = LoggerFactory.getLogger(HeraldServer.class);

  /**
   * The access log, at DEBUG level: remote address, method, path (never the query), protocol, and
   * the status, or {@code stream} (or {@code stream rejected} when the handler refused it at once).
   * No header and no query parameter is ever logged: they may carry tokens.
   */
  static final Logger ACCESS = LoggerFactory.getLogger("dev.herald.server.access");

  private final Routes routes;
  private final StreamSettings settings;
  private final boolean http2;
  private NettySseStream stream;
  private boolean answering; // an async response is pending: later requests wait, in order
  private boolean draining; // answered() is running the requests that waited
  private java.util.ArrayDeque<FullHttpRequest> waiting; // created by the first one to wait

  /** A router for one HTTP/1.1 connection, or for one HTTP/2 stream if {@code http2}. */
  RequestRouter(Routes routes, StreamSettings settings, boolean http2) {
    this.routes = routes;
    this.settings = settings;
    this.http2 = http2;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
    if (answering) {
      if (waiting == null) {
        waiting = new java.util.ArrayDeque<>(4);
      }
      waiting.add(msg.retain());
      // Answer in order: read no more until the pending answer left. Only a pipelining client
      // gets here, so the usual one-request-at-a-time connection never pays for toggling. (What
      // one read brought may still queue here: HttpServerCodec refuses past 128 requests.)
      ctx.channel().config().setAutoRead(false);
      return;
    }
    if (msg.decoderResult().isFailure()) {
      refuseMalformed(ctx, msg);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(msg);
    if (connection(ctx).hasAttr(REFUSED)) {
      if (!routes.isProbe(msg.method().name(), msg.uri())) {
        Response refusal =
            Response.builder(503)
                .header("Retry-After", "5")
                .body("text/plain; charset=utf-8", "server at its connection limit; retry later")
                .build();
        ACCESS.debug("{} {} {} {}: refused", remoteAddress(ctx), msg.method(), path(msg), 503);
        Responses.send(ctx, refusal, false);
        return;
      }
      keepAlive = false; // a probe past the limit: answered, then its slot is freed
    }
    if (stream != null) {
      if (ctx.isRemoved()) { // the stream has taken over the connection: no HTTP codec is left
        ctx.channel().close();
        return;
      }
      // A request pipelined behind an open stream can never be answered in order.
      Responses.send(ctx, Response.text(400, "the connection carries an event stream"), false);
      return;
    }
    Request request;
    try {
      request = NettyRequests.of(msg, remoteAddress(ctx), http2 ? "HTTP/2" : "HTTP/1.1");
    } catch (IllegalArgumentException malformed) { // a bad escape in the path or query
      Responses.send(
          ctx, Response.text(400, "malformed percent-escape in the request target"), false);
      return;
    }
    Routes.Route route = routes.match(request.method(), request.path());
    if (route == null) {
      String allowed = routes.allowedMethods(request.path());
      Response response =
          allowed.isEmpty()
              ? Response.text(404, "no route for " + request.path())
              : Response.builder(405)
                  .header("Allow", allowed)
                  .body("text/plain; charset=utf-8", request.method() + " not allowed")
                  .build();
      send(ctx, request, response, keepAlive);
    } else if (route.sse() != null) {
      serveStream(ctx, request, route);
    } else if (route.async() != null) {
      respondLater(ctx, route.async(), request, keepAlive);
    } else {
      send(ctx, request, respond(route.http(), request), keepAlive);
    }
  }

  /**
   * A request the decoder failed on, head or body, reaches no handler: its framing is in doubt, so
   * it gets 400 and the connection closes. On HTTP/1.1 the {@link RequestLimitsHandler} answers
   * these before they are aggregated; this is the guarantee for any pipeline without one.
   */
  private void refuseMalformed(ChannelHandlerContext ctx, FullHttpRequest msg) {
    String reason = String.valueOf(msg.decoderResult().cause().getMessage());
    ACCESS.debug("{} {} {} {}: malformed", remoteAddress(ctx), msg.method(), path(msg), 400);
    Responses.send(ctx, Response.text(400, "malformed request: " + reason), false);
  }

  /** Sends a plain response, logging it as an access at DEBUG level. */
  private void send(ChannelHandlerContext ctx, Request request, Response response, boolean keep) {
    if (ACCESS.isDebugEnabled()) {
      ACCESS.debug("{} {} {}", request.remoteAddress(), request, response.status());
    }
    Responses.send(ctx, response, keep);
  }

  /** The path of a request URI, without its query: what the access log may show. */
  private static String path(FullHttpRequest msg) {
    String uri = msg.uri();
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (waiting != null) {
      for (FullHttpRequest msg = waiting.poll(); msg != null; msg = waiting.poll()) {
        msg.release();
      }
    }
    if (stream != null) {
      stream.end(); // the stream has not taken the router's place: it learns of the close here
    }
    super.channelInactive(ctx);
  }

  /** On the event loop, after an async response left: the requests that waited for it. */
  private void answered(ChannelHandlerContext ctx) {
    answering = false;
    if (draining) {
      return; // an answer ready at once, inside the loop below: it goes on with the next one
    }
    draining = true;
    try {
      while (!answering && waiting != null && !waiting.isEmpty()) {
        FullHttpRequest msg = waiting.poll();
        try {
          channelRead0(ctx, msg);
        } finally {
          msg.release();
        }
      }
    } finally {
      draining = false;
    }
    if (waiting == null || waiting.isEmpty()) {
      ctx.channel().config().setAutoRead(true); // a no-op unless a request had to wait
    }
  }

  private void respondLater(
      ChannelHandlerContext ctx, AsyncHttpHandler handler, Request request, boolean keepAlive) {
    java.util.concurrent.CompletionStage<Response> stage;
    try {
      stage = handler.handle(request);
      if (stage == null) {
        throw new IllegalStateException("handler returned no response");
      }
    } catch (RuntimeException e) {
      LOG.error("handler for {} failed", request, e);
      send(ctx, request, Response.text(500, "internal error"), keepAlive);
      return;
    }
    answering = true;
    stage.whenComplete(
        (response, failure) -> {
          Response answer = response;
          if (failure != null || response == null) {
            LOG.error("handler for {} failed", request, failure);
            answer = Response.text(500, "internal error");
          }
          Response sent = answer;
          Runnable respond =
              () -> {
                if (!ctx.channel().isActive()) {
                  return;
                }
                try {
                  send(ctx, request, sent, keepAlive);
                  answered(ctx);
                } catch (RuntimeException e) { // not lost in the future whenComplete returns
                  ctx.fireExceptionCaught(e);
                }
              };
          // A store that answers on this connection's own event loop (a Redis connection bound
          // to it) is answered at once: no task, no wake-up.
          if (ctx.executor().inEventLoop()) {
            respond.run();
          } else {
            ctx.executor().execute(respond);
          }
        });
  }

  private void serveStream(ChannelHandlerContext ctx, Request request, Routes.Route route) {
    String lastEventId = utf8(request.header("Last-Event-ID"));
    if (lastEventId == null && route.lastEventIdParam() != null) {
      lastEventId = request.query(route.lastEventIdParam());
    }
    // A stream has heartbeats: from here no request or idle timeout applies to it.
    ChannelHandlerContext timeouts = ctx.pipeline().context(RequestTimeoutHandler.class);
    if (timeouts != null) {
      ctx.pipeline().remove(timeouts.handler());
    }
    stream = new NettySseStream(ctx, !http2, request, lastEventId, settings);
    try {
      route.sse().handle(request, stream);
    } catch (RuntimeException e) {
      LOG.error("SSE handler for {} failed", request, e);
      if (stream.isOpen()) {
        stream.reject(500, "internal error");
      }
      return;
    }
    if (ACCESS.isDebugEnabled()) {
      String outcome = stream.isOpen() ? "stream" : "stream rejected";
      ACCESS.debug("{} {} {}", request.remoteAddress(), request, outcome);
    }
    stream.handlerReturned();
  }

  /** The TCP connection: the channel itself on HTTP/1.1, the parent of an HTTP/2 stream. */
  private Channel connection(ChannelHandlerContext ctx) {
    return http2 ? ctx.channel().parent() : ctx.channel();
  }

  private java.net.SocketAddress remoteAddress(ChannelHandlerContext ctx) {
    return connection(ctx).remoteAddress();
  }

  /**
   * A header value as UTF-8. Clients send {@code Last-Event-ID} UTF-8 encoded (S-47), but header
   * bytes reach us one char per byte (ISO-8859-1); a value that is not valid UTF-8 stays as it was.
   */
  static String utf8(String latin1) {
    if (latin1 == null) {
      return null;
    }
    byte[] bytes = new byte[latin1.length()];
    boolean ascii = true;
    for (int i = 0; i < bytes.length; i++) {
      char c = latin1.charAt(i);
      if (c > 0xFF) {
        return latin1;
      }
      ascii &= c < 0x80;
      bytes[i] = (byte) c;
    }
    if (ascii) {
      return latin1;
    }
    try {
      return java.nio.charset.StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException notUtf8) {
      return latin1;
    }
  }

  private static Response respond(HttpHandler handler, Request request) {
    try {
      Response response = handler.handle(request);
      if (response == null) {
        throw new IllegalStateException("handler returned no response");
      }
      return response;
    } catch (RuntimeException e) {
      LOG.error("handler for {} failed", request, e);
      return Response.text(500, "internal error");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException
        || cause instanceof io.netty.handler.codec.PrematureChannelClosureException) {
      // resets, and closes mid-request (a client gone, or a 408 sent), are routine
      LOG.debug("connection {} failed", ctx.channel(), cause);
    } else {
      LOG.warn("connection {} failed", ctx.channel(), cause);
    }
    ctx.close();
  }
}
