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
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>The container recycles a response — its objects, then the connection's processor — for the
 * next request once the response is complete or its error handled; and a write that fails on a
 * writer thread has the container handle the error on its own thread while the writer is still
 * inside the container's write path. So every use of the response ({@link #io}) excludes the
 * container's error callbacks, and stops for good once the response is {@code released}: an error
 * callback waits for a write in progress to return, and nothing touches a response that may serve
 * another request. Without this, a connection that broke could mark a newer connection's response
 * with its broken pipe, and that stream ended at its first flush.
 *
 * <p>Thread-safe.
 */
final class ServletSseStream extends QueuedSseStream implements WriteListener, AsyncListener {
  private static final Logger LOG = LoggerFactory.getLogger(ServletSseStream.class);

  private final HttpServletRequest servletRequest;
  private final HttpServletResponse response;

  /** Held while using the response; its error callbacks take it to wait for a write to return. */
  private final ReentrantLock io = new ReentrantLock();

  private volatile AsyncContext async;
  private volatile ServletOutputStream out; // set once the head may leave
  private boolean headSent; // by the draining thread only
  private volatile boolean released; // the response is the container's again: never touch it
  private boolean opening; // with io: the output is being opened, or is open
  private boolean completed; // with io: AsyncContext.complete was called

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
    ServletOutputStream stream = null;
    Exception failure = null;
    io.lock();
    try {
      if (opening || released || !isOpen()) {
        return;
      }
      opening = true;
      stream = response.getOutputStream();
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      io.unlock();
    }
    if (failure != null) {
      end("could not open the response", failure);
      return;
    }
    try {
      // Not with io: on a thread other than the request's, Tomcat takes the connection's lock
      // here, which the request thread holds while it may wait for io (begin).
      stream.setWriteListener(this); // the container calls onWritePossible
    } catch (RuntimeException e) {
      end("could not open the response", e);
      return;
    }
    io.lock();
    try {
      if (!released) {
        out = stream;
      }
    } finally {
      io.unlock();
    }
    drain(); // the head leaves, had onWritePossible come before out was set
  }

  @Override
  public void reject(Response rejection) {
    io.lock();
    try {
      if (released) {
        return; // the client is gone: there is no one to answer
      }
      if (opening || response.isCommitted()) {
        throw new IllegalStateException("the response headers have already been sent");
      }
      writeRejection(rejection);
    } finally {
      io.unlock();
    }
    end(null, null);
  }

  private void writeRejection(Response rejection) {
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
  }

  @Override
  public void header(String name, String value) {
    checkHeader(name, value);
    io.lock();
    try {
      if (opening) {
        throw new IllegalStateException("the response headers have already been sent");
      }
      if (!released) {
        response.setHeader(name, value);
      }
    } finally {
      io.unlock();
    }
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
    boolean allWritten = false;
    Exception failure = null;
    io.lock();
    try {
      allWritten = writeWhileReady();
    } catch (IOException e) {
      // A broken pipe, the client gone: not an error of the application. The container handles
      // it on its own thread (onError, where the response is completed) once this one lets go.
      released = true;
      failure = e;
    } catch (RuntimeException e) {
      failure = e; // not the container's error: the stream completes the response itself
    } finally {
      io.unlock();
    }
    if (failure != null) {
      end("write failed", failure);
    } else if (allWritten && checkFinished()) {
      end(null, null);
    }
  }

  /** Writes and flushes what the connection takes now: whether it took all (with {@link #io}). */
  private boolean writeWhileReady() throws IOException {
    ServletOutputStream o = out;
    if (o == null || released) {
      return false;
    }
    boolean wrote = false;
    byte[] next;
    while (o.isReady() && (next = poll()) != null) {
      o.write(next);
      wrote = true;
    }
    if (!o.isReady()) {
      return false; // onWritePossible drains again
    }
    if (wrote || !headSent || hasWrittenActions()) {
      headSent = true; // the head leaves at once, before any event: the client sees it open
      o.flush();
      return o.isReady();
    }
    return true;
  }

  @Override
  protected void completeResponse() {
    io.lock();
    try {
      if (released) {
        return; // the container completes it, or has
      }
      released = true;
      complete();
    } finally {
      io.unlock();
    }
  }

  /** Completes the asynchronous response, once; with {@link #io}. */
  private void complete() {
    AsyncContext context = async;
    if (context != null && !completed) {
      completed = true;
      try {
        context.complete();
      } catch (RuntimeException e) {
        LOG.debug("{}: completing the response failed", request().path(), e);
      }
    }
  }

  /**
   * The container handles an error or a timeout: once a write in progress has returned, the
   * response is its own. Completed here, on the container's thread, as the servlet specification
   * asks.
   */
  private void failedInContainer(String why, Throwable t) {
    io.lock(); // waits for a writer thread still inside the container's write path
    try {
      released = true;
      complete();
    } finally {
      io.unlock();
    }
    end(why, t);
  }

  // --- WriteListener and AsyncListener: the container's calls, on its threads.

  @Override
  public void onWritePossible() {
    drain();
  }

  @Override
  public void onError(Throwable t) {
    failedInContainer("connection failed", t);
  }

  @Override
  public void onComplete(AsyncEvent event) {
    // Not io: the container holds its async state's monitor here, which a failing write takes.
    released = true;
    end(null, null);
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    // No timeout is set, but Tomcat still times requests out when it stops: like an error, the
    // container then completes and recycles the response on its own thread.
    failedInContainer("timed out", null);
  }

  @Override
  public void onError(AsyncEvent event) {
    failedInContainer("connection failed", event.getThrowable());
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
