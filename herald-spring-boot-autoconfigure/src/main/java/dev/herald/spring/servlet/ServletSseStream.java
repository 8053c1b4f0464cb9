package dev.herald.spring.servlet;

import dev.herald.server.Request;
import dev.herald.server.Response;
import dev.herald.server.SseStream;
import dev.herald.spring.StreamSettings;
import dev.herald.spring.internal.QueuedSseStream;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link SseStream} over a servlet response in asynchronous, non-blocking mode: events are
 * encoded at once and queued ({@link QueuedSseStream}); one thread at a time writes the queue while
 * the container says the connection can take more ({@link ServletOutputStream#isReady}), and the
 * container's {@link WriteListener#onWritePossible} resumes it. So no caller ever blocks on a slow
 * client, what a stream holds is bounded by its budget ({@link #send} answers {@code false} and the
 * stream closes past it), and {@link #whenWritten} runs once the queue has reached the socket.
 *
 * <p>The stream never dispatches back into the servlet container (it completes its {@link
 * AsyncContext} itself): no {@code ASYNC} dispatch reaches the application's filters, so Spring
 * Security has nothing to authorize again, and a connection the client closed, or one that broke,
 * ends the stream quietly (at debug), its subscription gone with it.
 *
 * <p>Thread-safe.
 */
final class ServletSseStream extends QueuedSseStream implements WriteListener, AsyncListener {
  private static final Logger LOG = LoggerFactory.getLogger(ServletSseStream.class);

  private final HttpServletRequest servletRequest;
  private final HttpServletResponse response;

  private volatile AsyncContext async;
  private volatile ServletOutputStream out; // set once the head may leave
  private boolean headSent; // by the draining thread only
  private volatile boolean failed; // a write failed: the container completes through onError

  ServletSseStream(HttpServletRequest request, HttpServletResponse response, StreamSettings s) {
    super(LOG, requestOf(request), s, request.getHeader("Last-Event-ID"), request::getParameter);
    this.servletRequest = request;
    this.response = response;
  }

  /** Starts the asynchronous response: no container timeout, the stream's own listeners. */
  void start() {
    AsyncContext context = servletRequest.startAsync(servletRequest, response);
    context.setTimeout(0); // the heartbeat finds dead connections; nothing times a live stream out
    context.addListener(this);
    async = context;
    response.setStatus(200);
    response.setContentType("text/event-stream");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
  }

  /** Lets the head and the queued events go, unless the headers are held. */
  void begin() {
    if (!holding()) {
      openOutput();
    }
  }

  private void openOutput() {
    if (out != null || !isOpen()) {
      return;
    }
    try {
      ServletOutputStream stream = response.getOutputStream();
      out = stream;
      stream.setWriteListener(this); // the container calls onWritePossible: the head then leaves
    } catch (IOException | RuntimeException e) {
      end("could not open the response", e);
    }
  }

  @Override
  public void reject(Response rejection) {
    if (out != null || response.isCommitted()) {
      throw new IllegalStateException("the response headers have already been sent");
    }
    try {
      response.resetBuffer();
      response.setStatus(rejection.status());
      response.setContentType(null);
      for (Map.Entry<String, String> header : rejection.headers().entrySet()) {
        response.setHeader(header.getKey(), header.getValue());
      }
      byte[] body = rejection.body();
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    } catch (IOException | RuntimeException e) {
      LOG.debug("{}: rejecting failed", request().path(), e);
    }
    end(null, null);
  }

  @Override
  public void header(String name, String value) {
    if (out != null) {
      throw new IllegalStateException("the response headers have already been sent");
    }
    checkHeader(name, value);
    response.setHeader(name, value);
  }

  @Override
  protected void release() {
    openOutput();
  }

  @Override
  protected void finishWriting() {
    openOutput(); // if the head has not left yet
    drain(); // completes once the queue is written
  }

  // --- Writing: one thread at a time, while the container says the connection takes more.

  @Override
  protected void writeQueued() {
    ServletOutputStream o = out;
    if (o == null) {
      return;
    }
    try {
      boolean wrote = false;
      byte[] next;
      while (o.isReady() && (next = poll()) != null) {
        o.write(next);
        wrote = true;
      }
      if (!o.isReady()) {
        return; // onWritePossible drains again
      }
      if (wrote || !headSent || hasWrittenActions()) {
        headSent = true; // the head leaves at once, before any event: the client sees it open
        o.flush();
        if (!o.isReady()) {
          return;
        }
      }
      if (checkFinished()) {
        end(null, null);
      }
    } catch (IOException | RuntimeException e) {
      // A broken pipe, the client gone: not an error of the application. The container calls
      // onError next, on its own thread, where the response is completed.
      failed = true;
      end("write failed", e);
    }
  }

  @Override
  protected void completeResponse() {
    if (!failed) {
      completeAsync();
    }
  }

  private void completeAsync() {
    AsyncContext context = async;
    if (context != null) {
      try {
        context.complete();
      } catch (RuntimeException e) {
        LOG.debug("{}: completing the response failed", request().path(), e);
      }
    }
  }

  // --- WriteListener and AsyncListener: the container's calls, on its threads.

  @Override
  public void onWritePossible() {
    drain();
  }

  @Override
  public void onError(Throwable t) {
    end("connection failed", t);
    completeAsync();
  }

  @Override
  public void onComplete(AsyncEvent event) {
    end(null, null);
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    end("timed out", null);
  }

  @Override
  public void onError(AsyncEvent event) {
    end("connection failed", event.getThrowable());
    completeAsync();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {}

  // --- The Request value handlers know.

  private static Request requestOf(HttpServletRequest r) {
    String uri = r.getRequestURI() + (r.getQueryString() == null ? "" : "?" + r.getQueryString());
    Request.Builder b = Request.builder(r.getMethod(), uri).protocol(r.getProtocol());
    for (String name : Collections.list(r.getHeaderNames())) {
      for (String value : Collections.list(r.getHeaders(name))) {
        b.header(name, value);
      }
    }
    b.remoteAddress(InetSocketAddress.createUnresolved(r.getRemoteAddr(), r.getRemotePort()));
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      return Request.builder(r.getMethod(), r.getRequestURI()).path(r.getRequestURI()).build();
    }
  }
}
