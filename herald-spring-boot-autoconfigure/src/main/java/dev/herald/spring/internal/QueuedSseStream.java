package dev.herald.spring.internal;

import dev.herald.core.SseEvent;
import dev.herald.core.SseWriter;
import dev.herald.server.Request;
import dev.herald.server.Response;
import dev.herald.server.SseStream;
import dev.herald.spring.StreamSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;

/**
 * Not API (see the {@linkplain dev.herald.spring.internal package}): the part of a Spring
 * transport's {@link SseStream} that does not depend on the transport. {@link #send} encodes an
 * event at once and queues its bytes, within the stream's byte budget: past it, the stream ends and
 * {@code send} answers {@code false}. One thread at a time ({@link #drain}) hands the queue to the
 * transport ({@link #writeQueued}); a caller that finds another thread draining asks it to loop
 * once more, so no wake-up is lost and no caller waits. {@code send} and {@code whenWritten} do not
 * write on the caller's thread: they hand the drain to a writer thread (one per core, shared by
 * every stream), so the streams of one publish are written on every core, and the events that queue
 * while a stream waits for its writer leave together, in one flush. It also keeps the held headers,
 * the close requested, the {@link #onClose} callbacks and the {@link #whenWritten} actions, and
 * ends the stream exactly once ({@link #end}).
 *
 * <p>A subclass says how bytes leave: {@link #writeQueued} (on the draining thread) and {@link
 * #completeResponse} (the stream ended), if need be {@link #release} (the headers may leave) and
 * {@link #finishWriting} ({@link #close} was called), plus the methods of {@link SseStream} that
 * touch the response ({@code reject}, {@code header}).
 *
 * <p>Thread-safe. The close callbacks and the {@code whenWritten} actions run on the thread that
 * ends the stream or drains it: a caller of {@link #send} or {@link #close}, or the transport's own
 * thread. An exception from one is logged at WARN and the others still run.
 */
public abstract class QueuedSseStream implements SseStream {
  private static volatile Encoded lastEncoded; // see encode

  private final Executor writers;
  private final Logger log;
  private final Request request;
  private final String lastEventId;
  private final int maxPendingBytes;

  private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong queued =
      new AtomicLong(); // bytes queued, not yet taken by the transport
  private final AtomicInteger drains = new AtomicInteger(); // one drainer; others ask it to loop
  private final Queue<Runnable> written = new ConcurrentLinkedQueue<>();
  private final List<Runnable> closeCallbacks = new ArrayList<>(); // guarded by itself
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean completing = new AtomicBoolean(); // ended; response not completed

  private volatile boolean holding;
  private volatile boolean closing;
  private volatile boolean open = true;

  /**
   * A stream of {@code request} within {@code settings}' budget, its last event ID the {@code
   * Last-Event-ID} header ({@code lastEventIdHeader}), else the settings' query parameter read by
   * {@code parameters}, logging to {@code log} (the transport's own logger), written on the shared
   * writer threads.
   */
  protected QueuedSseStream(
      Logger log,
      Request request,
      StreamSettings settings,
      String lastEventIdHeader,
      UnaryOperator<String> parameters) {
    this(log, request, settings, lastEventIdHeader, parameters, StreamWriters::execute);
  }

  /**
   * The same, written on {@code writers} (it runs each drain it is given once, on any thread;
   * {@code Runnable::run} writes on the sender's thread).
   */
  protected QueuedSseStream(
      Logger log,
      Request request,
      StreamSettings settings,
      String lastEventIdHeader,
      UnaryOperator<String> parameters,
      Executor writers) {
    this.writers = writers;
    this.log = log;
    this.request = request;
    this.maxPendingBytes = settings.maxPendingBytes();
    String id = lastEventIdHeader;
    if (id == null && settings.lastEventIdParameter() != null) {
      id = parameters.apply(settings.lastEventIdParameter());
    }
    this.lastEventId = id;
  }

  @Override
  public final boolean send(SseEvent event) {
    if (!open || closing) {
      return false;
    }
    byte[] bytes = encode(event);
    if (queued.addAndGet(bytes.length) > maxPendingBytes) {
      queued.addAndGet(-bytes.length);
      log.debug("{}: over its budget of {} bytes, closed", request.path(), maxPendingBytes);
      end("slow consumer", null);
      return false;
    }
    queue.add(bytes);
    drainOnWriter();
    return true;
  }

  /**
   * The event's bytes: the last event encoded, when it is the same object (a broadcaster sends one
   * event to each of its streams in turn, from one thread), else encoded now. The bytes are never
   * changed once made, so streams may share them.
   */
  private static byte[] encode(SseEvent event) {
    Encoded last = lastEncoded;
    if (last != null && last.event == event) {
      return last.bytes;
    }
    byte[] bytes = SseWriter.encode(event);
    lastEncoded = new Encoded(event, bytes);
    return bytes;
  }

  /** An event and its bytes. */
  private record Encoded(SseEvent event, byte[] bytes) {}

  @Override
  public final void reject(int status, String message) {
    reject(Response.text(status, message));
  }

  @Override
  public final void holdHeaders() {
    holding = true;
  }

  @Override
  public final void sendHeaders() {
    holding = false;
    release();
  }

  @Override
  public final void close() {
    closing = true;
    holding = false; // a close ends a hold, as on Netty: the response must complete
    finishWriting();
  }

  @Override
  public final void onClose(Runnable callback) {
    boolean runNow;
    synchronized (closeCallbacks) {
      runNow = ended.get();
      if (!runNow) {
        closeCallbacks.add(callback);
      }
    }
    if (runNow) {
      callback.run();
    }
  }

  @Override
  public final void whenWritten(Runnable action) {
    written.add(action);
    drainOnWriter();
  }

  @Override
  public final boolean isOpen() {
    return open;
  }

  @Override
  public final Request request() {
    return request;
  }

  @Override
  public final String lastEventId() {
    return lastEventId;
  }

  // --- For the transport.

  /**
   * Hands the queue to the transport, one thread at a time: {@link #writeQueued} while the stream
   * is open; once it has ended, {@link #completeResponse} (once) and the {@link #whenWritten}
   * actions, as nothing is pending. From any thread; it never waits for another.
   */
  protected final void drain() {
    if (drains.getAndIncrement() != 0) {
      return; // the thread draining now loops once more
    }
    drainLoop();
  }

  /** {@link #drain}, on a writer thread unless one is draining already. */
  private void drainOnWriter() {
    if (drains.getAndIncrement() != 0) {
      return; // the thread draining now, or the writer task waiting, loops once more
    }
    writers.execute(this::drainLoop);
  }

  /** The drainer's loop; entered by the one that raised {@code drains} from zero. */
  private void drainLoop() {
    try {
      do {
        if (open) {
          writeQueued();
        } else {
          if (completing.compareAndSet(true, false)) {
            completeResponse();
          }
          runWritten();
        }
      } while (drains.decrementAndGet() != 0);
    } catch (RuntimeException | Error e) {
      // What the transport did not catch: the stream ends (its response completes on the drain
      // that end starts), and no later drain waits for this one.
      drains.set(0);
      end("writing failed", e);
      throw e;
    }
  }

  /**
   * On the draining thread, one at a time, while the stream is open: hands the transport what it
   * can take now ({@link #poll}), then calls {@link #checkFinished} if it took everything it could.
   * Nothing to do while the headers are {@linkplain #holding() held}.
   */
  protected abstract void writeQueued();

  /**
   * The headers are no longer held: lets the head and the events queued meanwhile go. This one
   * drains, for a transport whose {@link #writeQueued} waits for the head by itself.
   */
  protected void release() {
    drain();
  }

  /**
   * {@link #close} was called: writes what is queued, then completes the response ({@link
   * #checkFinished} answers {@code true}). This one drains, for a transport whose {@link
   * #writeQueued} waits for the head by itself.
   */
  protected void finishWriting() {
    drain();
  }

  /**
   * Called once, when the stream has ended, on the draining thread — so never while {@link
   * #writeQueued} runs, and never before a write in progress has returned: completes the response
   * if the transport still can.
   */
  protected abstract void completeResponse();

  /** The next queued event's bytes, which leave the budget, or {@code null} if none. */
  protected final byte[] poll() {
    byte[] next = queue.poll();
    if (next != null) {
      queued.addAndGet(-next.length);
    }
    return next;
  }

  /**
   * Once the transport has written what it took: if nothing is queued any more, runs the {@link
   * #whenWritten} actions, and answers whether the stream is finished — closed and written — so
   * that the transport completes its response.
   */
  protected final boolean checkFinished() {
    if (!queue.isEmpty()) {
      return false;
    }
    runWritten();
    return closing;
  }

  /** Whether {@link #whenWritten} actions wait for the queue to be written. */
  protected final boolean hasWrittenActions() {
    return !written.isEmpty();
  }

  /** Whether the headers are held ({@link #holdHeaders}, not yet released). */
  protected final boolean holding() {
    return holding;
  }

  /**
   * Ends the stream, once: it is no longer open, the queue is dropped, the response is completed
   * ({@link #completeResponse}, on the draining thread: here if no other thread drains), then the
   * close callbacks and the {@code whenWritten} actions run. {@code why}, if not {@code null}, is
   * logged at debug with {@code cause}.
   */
  protected final void end(String why, Throwable cause) {
    open = false;
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    if (why != null) {
      log.debug(
          "{} from {}: stream ended: {}", request.path(), request.remoteAddress(), why, cause);
    }
    queue.clear();
    completing.set(true);
    drain(); // completes the response now, or once the thread writing it is done
    List<Runnable> callbacks;
    synchronized (closeCallbacks) {
      callbacks = new ArrayList<>(closeCallbacks);
      closeCallbacks.clear();
    }
    for (Runnable callback : callbacks) {
      try {
        callback.run();
      } catch (RuntimeException e) {
        log.warn("{}: a close callback failed", request.path(), e);
      }
    }
    runWritten();
  }

  private void runWritten() {
    Runnable action;
    while ((action = written.poll()) != null) {
      try {
        action.run();
      } catch (RuntimeException e) {
        log.warn("{}: a whenWritten action failed", request.path(), e);
      }
    }
  }

  /**
   * Checks a header's name and value as {@link SseStream#header} promises.
   *
   * @throws IllegalArgumentException if either holds CR, LF or NUL
   */
  protected static void checkHeader(String name, String value) {
    for (String s : new String[] {name, value}) {
      if (s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0 || s.indexOf(0) >= 0) {
        throw new IllegalArgumentException("a header holds CR, LF or NUL");
      }
    }
  }
}
