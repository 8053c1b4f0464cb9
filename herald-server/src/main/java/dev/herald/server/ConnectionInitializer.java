package dev.herald.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.cors.CorsConfig;
import io.netty.handler.codec.http.cors.CorsHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds each connection's pipeline: the connection limit first; then TLS with ALPN choosing HTTP/2
 * or HTTP/1.1, or in cleartext either HTTP/1.1 or, when enabled, HTTP/2 with prior knowledge (told
 * apart by the connection preface); then the protocol's handlers, ending in a {@link RequestRouter}
 * per HTTP/1.1 connection or per HTTP/2 stream. The connection limiter leaves once it has counted
 * the connection, and an HTTP/1.1 connection that becomes an SSE stream sheds its HTTP handlers and
 * its {@link RequestTimeoutHandler} (see {@link NettySseStream}): idle streams are most of what a
 * server holds.
 *
 * <p>Every connection is timed until it carries a stream: the TLS handshake by {@link SslHandler},
 * then requests and keep-alive waits by a {@link RequestTimeoutHandler} (HTTP/1.1, and from the
 * start of a cleartext connection whose protocol is not yet known) or an {@link Http2IdleHandler}
 * (HTTP/2).
 */
final class ConnectionInitializer extends ChannelInitializer<Channel> {
  private static final Logger LOG = LoggerFactory.getLogger(HeraldServer.class);

  /** The limits and switches the pipeline needs. */
  record Settings(
      int maxRequestLineBytes,
      int maxHeaderBytes,
      int maxBodyBytes,
      int maxPendingBytes,
      int maxConcurrentStreams,
      CorsConfig cors,
      SslContext tls,
      boolean h2c,
      Timeouts timeouts) {}

  /** The name of the handler that tells HTTP/2 with prior knowledge from HTTP/1.1. */
  static final String PREFACE = "preface";

  private static final String TIMEOUTS = "timeouts";

  private final Settings config;
  private final ConnectionLimiter limiter;
  private final Routes routes;
  private final StreamSettings streams;
  private final HttpDecoderConfig decoder;

  ConnectionInitializer(
      Settings config, ConnectionLimiter limiter, Routes routes, StreamSettings streams) {
    this.config = config;
    this.limiter = limiter;
    this.routes = routes;
    this.streams = streams;
    this.decoder =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(config.maxRequestLineBytes())
            .setMaxHeaderSize(config.maxHeaderBytes());
  }

  @Override
  protected void initChannel(Channel ch) {
    ChannelPipeline p = ch.pipeline();
    p.addLast("limit", limiter);
    if (config.tls() != null) {
      SslHandler tls = config.tls().newHandler(ch.alloc());
      tls.setHandshakeTimeoutMillis(config.timeouts().tlsHandshakeMillis());
      p.addLast("tls", tls);
      p.addLast("alpn", new Alpn());
    } else if (config.h2c()) {
      p.addLast(PREFACE, new PrefaceDetector());
      // Times the connection from its start, before the protocol is known; HTTP/1.1 keeps it.
      p.addLast(TIMEOUTS, new RequestTimeoutHandler(config.timeouts(), true, false));
    } else {
      http1(p, false);
    }
  }

  private void http1(ChannelPipeline p, boolean afterTls) {
    if (p.get(TIMEOUTS) != null) {
      p.addBefore(TIMEOUTS, "codec", new HttpServerCodec(decoder));
    } else {
      p.addLast("codec", new HttpServerCodec(decoder));
      p.addLast(TIMEOUTS, new RequestTimeoutHandler(config.timeouts(), true, afterTls));
    }
    p.addLast("limits", new RequestLimitsHandler());
    p.addLast("aggregator", new ClosingAggregator(config.maxBodyBytes()));
    if (config.cors() != null) {
      p.addLast("cors", new CorsHandler(config.cors()));
    }
    p.addLast("router", new RequestRouter(routes, streams, false));
  }

  private void http2(ChannelPipeline p) {
    Http2Settings settings =
        Http2Settings.defaultSettings()
            .maxConcurrentStreams(config.maxConcurrentStreams())
            .maxHeaderListSize(config.maxHeaderBytes());
    p.addLast("h2", Http2FrameCodecBuilder.forServer().initialSettings(settings).build());
    p.addLast("h2-streams", new Http2MultiplexHandler(new StreamInitializer()));
    if (p.get(TIMEOUTS) != null) {
      p.remove(TIMEOUTS);
    }
    p.addLast("h2-idle", new Http2IdleHandler(config.timeouts()));
  }

  /** The pipeline of one HTTP/2 stream: HTTP objects in and out, as on HTTP/1.1. */
  private final class StreamInitializer extends ChannelInitializer<Http2StreamChannel> {
    @Override
    protected void initChannel(Http2StreamChannel ch) {
      ch.config()
          .setWriteBufferWaterMark(
              new WriteBufferWaterMark(config.maxPendingBytes() / 2, config.maxPendingBytes()));
      Http2IdleHandler idle = ch.parent().pipeline().get(Http2IdleHandler.class);
      if (idle != null) {
        idle.streamOpened(ch);
      }
      ChannelPipeline p = ch.pipeline();
      p.addLast("codec", new Http2StreamFrameToHttpObjectCodec(true));
      p.addLast(TIMEOUTS, new RequestTimeoutHandler(config.timeouts(), false, false));
      p.addLast("aggregator", new HttpObjectAggregator(config.maxBodyBytes(), true));
      if (config.cors() != null) {
        p.addLast("cors", new CorsHandler(config.cors()));
      }
      p.addLast("router", new RequestRouter(routes, streams, true));
    }
  }

  /**
   * An aggregator that closes the connection after answering {@code 413} to a request whose body is
   * over the limit: Netty's would keep a keep-alive connection open and discard the body, and the
   * request it answered early would then never count as answered for the request timeouts.
   *
   * <p>It closes once the rest of the body has come (dropped unread), not at once: a client is
   * usually still sending its body when the {@code 413} leaves, and closing a socket with unread
   * bytes makes the kernel reset the connection, which can destroy the answer before the client
   * reads it. The wait is bounded: at most {@link #LINGER_MILLIS} ms and {@link #LINGER_FACTOR}
   * times the body limit; past either the connection closes anyway.
   */
  static final class ClosingAggregator extends HttpObjectAggregator {
    /** The longest wait for the rest of a refused body: {@value} ms. */
    static final long LINGER_MILLIS = 2_000;

    /** The most bytes of a refused body read and dropped: {@value} times the body limit. */
    static final int LINGER_FACTOR = 4;

    private final long maxDroppedBytes;
    private long dropped = -1; // -1: no refused body; else its bytes dropped so far

    ClosingAggregator(int maxBodyBytes) {
      super(maxBodyBytes, true);
      this.maxDroppedBytes = (long) LINGER_FACTOR * maxBodyBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized)
        throws Exception {
      if (!(oversized instanceof HttpRequest)) {
        super.handleOversizedMessage(ctx, oversized);
        return;
      }
      FullHttpResponse tooLarge =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
      tooLarge.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
      tooLarge.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      dropped = 0;
      ctx.writeAndFlush(tooLarge);
      ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (dropped < 0) {
        super.channelRead(ctx, msg);
        return;
      }
      // The refused body's rest, or whatever follows it: dropped until the body's end, then close.
      boolean last = msg instanceof LastHttpContent;
      if (msg instanceof HttpContent) {
        dropped += ((HttpContent) msg).content().readableBytes();
      }
      ReferenceCountUtil.release(msg);
      if (last || !(msg instanceof HttpContent) || dropped > maxDroppedBytes) {
        ctx.close();
      }
    }
  }

  /** After the TLS handshake: HTTP/2 if the client offered it through ALPN, else HTTP/1.1. */
  private final class Alpn extends ApplicationProtocolNegotiationHandler {
    Alpn() {
      super(ApplicationProtocolNames.HTTP_1_1);
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
      // Plain HTTP to a TLS port, scanners, expired client trust: routine, not the server's fault.
      LOG.debug("TLS handshake with {} failed", ctx.channel().remoteAddress(), cause);
      ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("connection {} failed before its protocol was chosen", ctx.channel(), cause);
      ctx.close();
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
      if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        http2(ctx.pipeline());
      } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
        http1(ctx.pipeline(), true);
      } else {
        throw new IllegalStateException("unexpected protocol: " + protocol);
      }
    }
  }

  /**
   * In cleartext with h2c enabled: reads just enough of the first bytes to tell the HTTP/2
   * connection preface from an HTTP/1.1 request line, sets up that protocol, and hands it the
   * bytes.
   */
  private final class PrefaceDetector extends ByteToMessageDecoder {
    private final ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      int n = Math.min(in.readableBytes(), preface.readableBytes());
      boolean prefix = ByteBufUtil.equals(in, in.readerIndex(), preface, 0, n);
      if (prefix && n < preface.readableBytes()) {
        return; // not enough bytes yet to decide
      }
      if (prefix) {
        http2(ctx.pipeline());
      } else {
        http1(ctx.pipeline(), false);
      }
      ctx.pipeline().remove(this);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
      preface.release();
    }
  }
}
