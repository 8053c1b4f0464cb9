package dev.herald.server;

import dev.herald.core.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link SseStream} of no server at all, as another transport would make: it records what it is
 * sent, refuses events past a budget of {@code maxQueued} unwritten ones (then closes, as a slow
 * consumer), and "writes" them on a thread of its own, running {@link #whenWritten} actions once
 * what came before them has been written.
 */
final class RecordingStream implements SseStream, AutoCloseable {
  private final String lastEventId;
  private final int maxQueued;
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "recording-stream-writer");
            t.setDaemon(true);
            return t;
          });
  private final List<SseEvent> received = new ArrayList<>(); // guarded by this
  private final List<Runnable> closeCallbacks = new ArrayList<>(); // guarded by this
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger pacings = new AtomicInteger();
  private volatile boolean open = true;
  private volatile Thread caller; // the last thread that sent

  RecordingStream(String lastEventId, int maxQueued) {
    this.lastEventId = lastEventId;
    this.maxQueued = maxQueued;
  }

  @Override
  public boolean send(SseEvent event) {
    caller = Thread.currentThread();
    if (!open) {
      return false;
    }
    if (queued.incrementAndGet() > maxQueued) {
      close(); // a slow consumer: this stream's policy
      return false;
    }
    synchronized (this) {
      received.add(event);
    }
    try {
      writer.execute(queued::decrementAndGet);
    } catch (RejectedExecutionException closed) {
      return false;
    }
    return true;
  }

  @Override
  public void whenWritten(Runnable action) {
    pacings.incrementAndGet();
    try {
      writer.execute(action);
    } catch (RejectedExecutionException closed) {
      action.run(); // the stream has ended
    }
  }

  /** The events received so far. */
  synchronized List<SseEvent> received() {
    return List.copyOf(received);
  }

  /** The IDs received so far. */
  List<String> ids() {
    return received().stream().map(SseEvent::id).toList();
  }

  /** How many times the stream was asked to run something once written. */
  int pacings() {
    return pacings.get();
  }

  /** The thread that last sent an event. */
  Thread caller() {
    return caller;
  }

  @Override
  public void close() {
    List<Runnable> callbacks;
    synchronized (this) {
      if (!open) {
        return;
      }
      open = false;
      callbacks = List.copyOf(closeCallbacks);
      closeCallbacks.clear();
    }
    callbacks.forEach(Runnable::run);
    writer.shutdown();
  }

  /** Waits for the writer to stop after {@link #close}. */
  void awaitClosed() throws InterruptedException {
    writer.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Override
  public void onClose(Runnable callback) {
    synchronized (this) {
      if (open) {
        closeCallbacks.add(callback);
        return;
      }
    }
    callback.run();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public Request request() {
    return Request.builder("GET", "/recorded").build();
  }

  @Override
  public String lastEventId() {
    return lastEventId;
  }

  @Override
  public void reject(int status, String message) {
    throw new IllegalStateException("the headers have already been sent");
  }

  @Override
  public void reject(Response response) {
    throw new IllegalStateException("the headers have already been sent");
  }

  @Override
  public void header(String name, String value) {
    throw new IllegalStateException("the headers have already been sent");
  }

  @Override
  public void holdHeaders() {
    throw new IllegalStateException("holdHeaders is only possible within SseHandler.handle");
  }

  @Override
  public void sendHeaders() {}
}
