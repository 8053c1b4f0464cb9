package dev.herald.client;

import dev.herald.core.SseEvent;
import dev.herald.core.SseLimitExceededException;
import dev.herald.core.SseListener;
import dev.herald.core.SseParser;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The {@link EventSource}: one thread runs the connection loop of S-43 to S-49 — request, follow
 * redirects, check the response, announce it, feed the body to an {@link SseParser}, and on the end
 * of the stream wait and reconnect — and calls the listener. The requests go through a {@link
 * Transport}, picked once by {@link Transport#of}.
 *
 * <p>Two locks, never nested the other way round: {@code callbacks} is held while a listener method
 * runs and while the ready state changes, so that {@link #close()} can promise that no callback
 * starts after it returns; {@code signal} guards the exchange in progress and the waits, so that
 * {@code close()} and {@link #restart()} can abort and wake the loop. The body's bytes are parsed
 * holding {@code callbacks} once per read rather than once per event; {@code close()} raises {@code
 * closing} first, which each dispatch checks, so it waits for one callback at most.
 */
final class RealEventSource implements EventSource {
  private static final System.Logger LOG = System.getLogger(EventSource.class.getName());
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final List<String> BODY_HEADERS =
      List.of("Content-Encoding", "Content-Language", "Content-Location", "Content-Type");
  private static final long MAX_WAIT_NANOS = TimeUnit.DAYS.toNanos(365);

  private final URI uri;
  private final EventSourceListener listener;
  private final Transport transport;
  private final Map<String, Supplier<String>> headers;
  private final String method;
  private final byte[] body;
  private final RetryStrategy retryStrategy;
  private final ErrorStrategy errorStrategy;
  private final ThreadFactory threadFactory;
  private final SseParser parser;
  private final Delivery delivery = new Delivery();

  private final ReentrantLock callbacks = new ReentrantLock();
  private final Object signal = new Object();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile ReadyState state = ReadyState.CONNECTING;
  private volatile boolean closing;
  private volatile String lastEventId;
  private volatile long reconnectionMillis;

  // Guarded by signal.
  private boolean restartRequested;
  private Exchange current;

  RealEventSource(EventSource.Builder b, EventSourceListener listener) {
    this.uri = b.uri;
    this.listener = listener;
    this.transport = Transport.of(b);
    this.headers = Map.copyOf(b.headers);
    this.method = b.method;
    this.body = b.body;
    this.retryStrategy = b.retryStrategy;
    this.errorStrategy = b.errorStrategy;
    this.threadFactory = b.threadFactory != null ? b.threadFactory : RealEventSource::daemon;
    this.lastEventId = b.lastEventId;
    this.reconnectionMillis = b.reconnectionTime.toMillis();
    this.parser =
        SseParser.builder()
            .maxLineBytes(b.maxLineBytes)
            .maxEventBytes(b.maxEventBytes)
            .lastEventId(b.lastEventId)
            .build(new Dispatch());
  }

  @Override
  public URI uri() {
    return uri;
  }

  @Override
  public ReadyState readyState() {
    return state;
  }

  @Override
  public String lastEventId() {
    return lastEventId;
  }

  @Override
  public Duration reconnectionTime() {
    return Duration.ofMillis(reconnectionMillis);
  }

  @Override
  public void start() {
    if (state == ReadyState.CLOSED) {
      throw new IllegalStateException("the event source is closed");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the event source was already started");
    }
    Thread thread = threadFactory.newThread(this::run);
    if (thread == null) {
      throw new IllegalStateException("the thread factory made no thread");
    }
    thread.start();
  }

  @Override
  public void restart() {
    synchronized (signal) {
      if (state == ReadyState.CLOSED) {
        return;
      }
      restartRequested = true;
      abortExchange();
    }
  }

  @Override
  public void close() {
    closing = true; // stops a batch of events after the callback in progress
    callbacks.lock(); // waits for that callback, on another thread
    try {
      state = ReadyState.CLOSED;
    } finally {
      callbacks.unlock();
    }
    synchronized (signal) {
      abortExchange();
    }
  }

  @Override
  public String toString() {
    return "EventSource{" + uri + ", " + state + "}";
  }

  private void run() {
    int reconnections = 0; // since the last stable connection: drives the backoff
    int failedAttempts = 0; // in a row, without opening: judged by the error strategy
    long failingSince = 0;
    while (beginAttempt()) {
      long openedAt = 0;
      Throwable error;
      try {
        Exchange exchange = open();
        openedAt = System.nanoTime();
        failedAttempts = 0;
        if (!announce(exchange.response())) {
          finish(exchange);
          return;
        }
        error = read(exchange);
      } catch (ResponseException e) {
        fail(e);
        return;
      } catch (ListenerFailure e) {
        synchronized (signal) {
          abortExchange(); // onOpen threw with the response unread: its connection closes
        }
        fail(e.getCause());
        return;
      } catch (Aborted e) {
        error = null;
      } catch (InterruptedException e) {
        close(); // the thread's owner wants it back
        return;
      } catch (IOException | RuntimeException e) {
        error = e;
      }
      parser.end(); // a partial event is discarded (S-37); the last event ID stays (S-41)
      lastEventId = parser.lastEventId();
      if (error == null) { // restart() or close()
        toConnecting();
        continue;
      }
      if (openedAt == 0) {
        if (failedAttempts++ == 0) {
          failingSince = System.nanoTime();
        }
        Duration failingFor = Duration.ofNanos(System.nanoTime() - failingSince);
        if (!errorStrategy.shouldRetry(failedAttempts, failingFor)) {
          fail(error);
          return;
        }
      } else if (System.nanoTime() - openedAt >= retryStrategy.resetAfter().toNanos()) {
        reconnections = 0;
      }
      if (!reestablish(error)) {
        return;
      }
      waitFor(retryStrategy.delay(reconnectionTime(), ++reconnections));
    }
  }

  /** Starts an attempt, serving any restart asked so far; false once closed. */
  private boolean beginAttempt() {
    synchronized (signal) {
      restartRequested = false;
      return state != ReadyState.CLOSED;
    }
  }

  /** Requests the stream, following redirects (S-44); returns an accepted response (S-43). */
  private Exchange open() throws IOException, InterruptedException {
    Map<String, String> values = headerValues();
    URI target = uri;
    String m = method;
    byte[] b = body;
    for (int redirects = 0; ; redirects++) {
      Exchange exchange =
          send(new Request(target, m, b, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
      ResponseInfo response = exchange.response();
      int status = response.status();
      if (!Redirects.isRedirect(status)) {
        return accept(exchange);
      }
      finish(exchange);
      String location = response.header("Location");
      if (location == null) { // Fetch returns the redirect itself: not 200, so it fails
        throw new ResponseException(response, "HTTP " + status + " redirect without Location");
      }
      if (redirects == MAX_REDIRECTS) {
        throw new ProtocolException("more than " + MAX_REDIRECTS + " redirects in a row");
      }
      URI next = Redirects.resolve(target, location);
      if (Redirects.changesToGet(status, m)) {
        m = "GET";
        b = null;
        BODY_HEADERS.forEach(values::remove);
      }
      if (!Redirects.sameOrigin(target, next)) {
        values.remove("Authorization"); // as Fetch does on a cross-origin redirect
      }
      target = next;
    }
  }

  /**
   * The request's headers, each value checked by the JDK's rules for header values (characters up
   * to U+00FF, no control character but tab): the source's own, then the builder's, asked now, and
   * the last event ID as the Latin-1 string of its UTF-8 bytes, so that each byte goes out as is
   * (S-47). An ID that breaks the rules (a control character, S-51) is left out.
   */
  private Map<String, String> headerValues() {
    HttpRequest.Builder check = HttpRequest.newBuilder(uri);
    Map<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    values.put("Accept", ContentTypes.EVENT_STREAM);
    values.put("Cache-Control", "no-cache"); // S-42: what Fetch adds for cache mode no-store
    values.put("Pragma", "no-cache");
    for (Map.Entry<String, Supplier<String>> header : headers.entrySet()) {
      String value = header.getValue().get();
      if (value == null) {
        values.remove(header.getKey());
      } else {
        check.setHeader(header.getKey(), value); // throws for a bad value: this attempt fails
        values.put(header.getKey(), value);
      }
    }
    String id = parser.lastEventId();
    if (!id.isEmpty()) { // S-47: UTF-8, and no header at all for ""
      String bytes = new String(id.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
      try {
        check.setHeader("Last-Event-ID", bytes);
        values.put("Last-Event-ID", bytes);
      } catch (IllegalArgumentException e) {
        // a control character: no header value can carry it, so the ID goes without
      }
    }
    return values;
  }

  /** Sends {@code request} as the exchange in progress, which close() and restart() abort. */
  private Exchange send(Request request) throws IOException, InterruptedException {
    Exchange exchange = transport.exchange(request);
    synchronized (signal) {
      if (aborting()) {
        throw new Aborted();
      }
      current = exchange;
    }
    boolean sent = false;
    try {
      exchange.send();
      if (aborting()) {
        throw new Aborted();
      }
      sent = true;
      return exchange;
    } catch (IOException e) {
      if (aborting()) {
        throw new Aborted();
      }
      throw e;
    } finally {
      if (!sent) {
        finish(exchange);
      }
    }
  }

  /** Ends {@code exchange}: its connection closes, unless its body had ended. */
  private void finish(Exchange exchange) {
    exchange.abort();
    synchronized (signal) {
      if (current == exchange) {
        current = null;
      }
    }
  }

  private Exchange accept(Exchange exchange) {
    ResponseInfo response = exchange.response();
    String problem = null;
    List<String> types = response.headers().allValues("Content-Type");
    if (response.status() != 200) {
      problem = "HTTP " + response.status() + ": an event stream needs status 200";
    } else if (!ContentTypes.isEventStream(types)) {
      problem =
          (types.isEmpty() ? "no Content-Type" : "Content-Type " + String.join(", ", types))
              + ": an event stream needs "
              + ContentTypes.EVENT_STREAM;
    }
    if (problem == null) {
      return exchange;
    }
    finish(exchange);
    throw new ResponseException(response, problem);
  }

  /**
   * Feeds the body to the parser until it ends; returns why: an IOException or a limit exceeded, or
   * {@code null} if the exchange was aborted by {@link #close()} or {@link #restart()}.
   */
  private Throwable read(Exchange exchange) throws InterruptedException {
    try {
      boolean more;
      do {
        try {
          more = exchange.readSome(delivery);
        } finally {
          delivery.release();
        }
        lastEventId = parser.lastEventId();
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException();
        }
      } while (more);
      return new EOFException("the server ended the stream");
    } catch (IOException e) {
      return aborting() ? null : e;
    } catch (Aborted e) {
      return null;
    } catch (SseLimitExceededException e) {
      return e;
    } finally {
      finish(exchange);
    }
  }

  /** S-46: if not closed, OPEN and {@code onOpen}; false if closed. */
  private boolean announce(ResponseInfo info) {
    callbacks.lock();
    try {
      if (state == ReadyState.CLOSED) {
        return false;
      }
      state = ReadyState.OPEN;
      listener.onOpen(info);
      return true;
    } catch (RuntimeException | Error e) {
      throw new ListenerFailure(e);
    } finally {
      callbacks.unlock();
    }
  }

  /** S-47 step 1: if not closed, CONNECTING and {@code onError}; false if closed. */
  private boolean reestablish(Throwable error) {
    callbacks.lock();
    try {
      if (state == ReadyState.CLOSED) {
        return false;
      }
      state = ReadyState.CONNECTING;
      listener.onError(error, true);
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.WARNING, "EventSourceListener.onError threw; ignored", e);
    } finally {
      callbacks.unlock();
    }
    return state != ReadyState.CLOSED;
  }

  /** S-48: if not closed, CLOSED and {@code onError} for the last time. */
  private void fail(Throwable error) {
    callbacks.lock();
    try {
      if (state == ReadyState.CLOSED) {
        return;
      }
      state = ReadyState.CLOSED;
      listener.onError(error, false);
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.WARNING, "EventSourceListener.onError threw; ignored", e);
    } finally {
      callbacks.unlock();
    }
  }

  private void toConnecting() {
    callbacks.lock();
    try {
      if (state != ReadyState.CLOSED) {
        state = ReadyState.CONNECTING;
      }
    } finally {
      callbacks.unlock();
    }
  }

  /** S-47 steps 2 and 3: waits, unless closed or restarted meanwhile. */
  private void waitFor(Duration delay) {
    long nanos =
        delay.compareTo(Duration.ofNanos(MAX_WAIT_NANOS)) > 0 ? MAX_WAIT_NANOS : delay.toNanos();
    long deadline = System.nanoTime() + nanos;
    synchronized (signal) {
      while (state != ReadyState.CLOSED && !restartRequested) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(signal, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return; // the next blocking call sees the interrupt and closes
        }
      }
    }
  }

  /** Whether the exchange in progress is being abandoned. Reads state guarded by signal. */
  private boolean aborting() {
    synchronized (signal) {
      return state == ReadyState.CLOSED || restartRequested;
    }
  }

  /** Aborts the request or body in progress and wakes the loop. Called holding signal. */
  private void abortExchange() {
    if (current != null) {
      current.abort();
    }
    signal.notifyAll();
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "herald-event-source-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }

  /**
   * Hands body bytes to the parser, holding the callback lock from the first bytes of a read until
   * {@link #release()}: one lock per read, not per event.
   */
  private final class Delivery implements Exchange.BodySink {
    private boolean holding;

    @Override
    public void accept(byte[] bytes, int offset, int length) {
      if (!holding) {
        callbacks.lock();
        holding = true;
        if (closing) {
          throw new Aborted();
        }
      }
      parser.feed(bytes, offset, length);
    }

    /** Ends the read's delivery: tells a {@link Batching} listener, then lets go of the lock. */
    void release() {
      if (holding) {
        try {
          if (listener instanceof Batching && !closing) {
            ((Batching) listener).endOfBatch();
          }
        } finally {
          holding = false;
          callbacks.unlock();
        }
      }
    }
  }

  /**
   * A listener that gathers what it receives and wants to know when the events of one read have all
   * been dispatched, to pass them on at once: {@link EventStream}'s.
   */
  interface Batching {
    /** Called on the callback thread, under the callback lock, after the events of one read. */
    void endOfBatch();
  }

  /**
   * Hands the parser's output to the listener; runs under the callback lock that {@link Delivery}
   * holds, and stops at once when {@link #close()} has begun (S-36).
   */
  private final class Dispatch implements SseListener {
    @Override
    public void onEvent(SseEvent event) {
      if (closing) {
        throw new Aborted();
      }
      String id = event.id();
      if (id != lastEventId) { // the same string while the ID does not change: no write
        lastEventId = id;
      }
      try {
        listener.onEvent(event);
      } catch (RuntimeException | Error e) {
        throw new ListenerFailure(e);
      }
    }

    @Override
    public void onComment(String comment) {
      if (closing) {
        throw new Aborted();
      }
      try {
        listener.onComment(comment);
      } catch (RuntimeException | Error e) {
        throw new ListenerFailure(e);
      }
    }

    @Override
    public void onRetry(long millis) {
      reconnectionMillis = millis; // S-23, as the line is read (S-25)
      if (closing) {
        throw new Aborted();
      }
      try {
        listener.onRetry(Duration.ofMillis(millis));
      } catch (RuntimeException | Error e) {
        throw new ListenerFailure(e);
      }
    }
  }

  /** A listener callback threw: the source closes and reports it. */
  private static final class ListenerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ListenerFailure(Throwable cause) {
      super(cause);
    }
  }

  /** The exchange was abandoned by {@link #close()} or {@link #restart()}. */
  private static final class Aborted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Aborted() {
      super(null, null, false, false);
    }
  }
}
