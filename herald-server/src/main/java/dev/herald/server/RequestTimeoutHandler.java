package dev.herald.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Bounds the time a client takes to send a request and to send the next one: the request head must
 * be complete within the head timeout, counted from the start of the connection (or the end of the
 * TLS handshake) or, on a keep-alive connection, from the first bytes of the next request; the body
 * within the body timeout once the head is in; and a keep-alive connection may wait at most the
 * idle timeout for its next request. These are deadlines, not idle timers: a client trickling one
 * byte a second does not move them. A request cut short gets {@code 408} and the connection closes;
 * a connection that sent nothing is just closed. While the server answers, no deadline runs.
 *
 * <p>Sits right after the HTTP decoder, where it sees both the decoded request parts and the
 * responses. The router removes it when a request becomes an event stream: streams have heartbeats,
 * and an idle stream should cost no timer.
 *
 * <pre>
 * HTTP/1.1: [connection limit] → [TLS] → HttpServerCodec → RequestTimeoutHandler
 *     → RequestLimitsHandler → HttpObjectAggregator → [CORS] → RequestRouter
 * HTTP/2, per stream: Http2StreamFrameToHttpObjectCodec → RequestTimeoutHandler → …
 * </pre>
 *
 * <p>One instance per connection (or HTTP/2 stream); on its event loop.
 */
final class RequestTimeoutHandler extends DeadlineHandler {
  private enum Phase {
    HEAD,
    BODY,
    ANSWERING,
    IDLE
  }

  private final Timeouts timeouts;
  private final boolean keepAlive;
  private Phase phase = Phase.HEAD;
  private boolean bytesSeen; // some bytes of the request in HEAD arrived
  private boolean skipReadComplete;
  private boolean requestInRead; // the current read delivered request parts
  private int unanswered; // requests read whose response has not been written

  /**
   * A handler for a connection ({@code keepAlive}: it waits for further requests) or for one HTTP/2
   * stream; {@code afterTls} if added as the TLS handshake completes, whose last read is not a
   * request's.
   */
  RequestTimeoutHandler(Timeouts timeouts, boolean keepAlive, boolean afterTls) {
    this.timeouts = timeouts;
    this.keepAlive = keepAlive;
    this.skipReadComplete = afterTls;
  }

  @Override
  void started(ChannelHandlerContext ctx) {
    deadlineIn(timeouts.headNanos());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    requestInRead = true;
    if (msg instanceof HttpRequest) {
      phase = Phase.BODY;
      deadlineIn(timeouts.bodyNanos()); // armed at the end of the read, if still waiting
    }
    if (msg instanceof LastHttpContent && phase == Phase.BODY) {
      phase = Phase.ANSWERING;
      unanswered++;
      deadlineIn(NONE);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (skipReadComplete) {
      skipReadComplete = false;
    } else if (phase == Phase.IDLE && !requestInRead) { // the first bytes of the next request
      phase = Phase.HEAD;
      bytesSeen = true;
      deadlineIn(timeouts.headNanos());
    } else if (phase == Phase.HEAD) {
      bytesSeen = true;
    }
    requestInRead = false;
    arm();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof LastHttpContent && !informational(msg) && unanswered > 0) {
      if (--unanswered == 0 && phase == Phase.ANSWERING) {
        responded();
      }
    }
    ctx.write(msg, promise);
  }

  private void responded() {
    if (keepAlive) {
      phase = Phase.IDLE;
      bytesSeen = false;
      deadlineIn(timeouts.idleNanos());
      arm();
    }
  }

  private static boolean informational(Object msg) {
    return msg instanceof HttpResponse
        && ((HttpResponse) msg).status().codeClass() == HttpStatusClass.INFORMATIONAL;
  }

  @Override
  void expired(ChannelHandlerContext ctx) {
    boolean protocolChosen = ctx.pipeline().get(ConnectionInitializer.PREFACE) == null;
    if (phase == Phase.BODY || (phase == Phase.HEAD && bytesSeen && protocolChosen)) {
      String what = phase == Phase.BODY ? "body" : "head";
      Responses.send(ctx, Response.text(408, "request " + what + " not received in time"), false);
    } else if (phase != Phase.ANSWERING) {
      ctx.close();
    }
  }
}
