package dev.herald.client;

import dev.herald.core.SseEvent;
import dev.herald.core.SseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The events of an {@link EventSource}, pulled instead of pushed: a blocking iteration that ends
 * when the source closes.
 *
 * <pre>{@code
 * try (EventStream events = EventSource.builder(uri).openStream()) {
 *   for (SseEvent event : events) {
 *     handle(event);
 *   }
 * }
 * }</pre>
 *
 * <p>It buffers at most {@value #CAPACITY} events; beyond, the source stops reading until the
 * consumer catches up, which pushes back on the server. Events cross from the source's thread to
 * the iterating one in batches of up to {@value #BATCH}, each handed over as soon as it is full or
 * the source has dispatched what one read of the socket brought, so that a busy stream costs one
 * hand-off per batch rather than per event, and no event waits for a later read. Reconnections
 * happen underneath and are not seen. When the source fails for good, the events received before
 * are still returned, then {@code hasNext()} throws the failure: a {@link ResponseException} as is
 * (a status other than 200, such as 204), an {@link IOException} in an {@link UncheckedIOException}
 * (the {@link ErrorStrategy} gave up). After {@link #close()}, {@code hasNext()} returns {@code
 * false}; so it does if the waiting thread is interrupted, which also closes the stream and keeps
 * the interrupt status.
 *
 * <p>Thread-safe for {@link #close()}, which any thread may call, also to end an iteration blocked
 * on another; the iteration itself belongs to one thread.
 *
 * @since 0.1
 */
public final class EventStream implements Iterable<SseEvent>, AutoCloseable {
  /** The most events buffered: {@value}. */
  public static final int CAPACITY = 256;

  /** The most events handed from the source's thread to the iterating one at once. */
  static final int BATCH = 64;

  private static final Object END = new Object();

  // Batches of events (Lists), a Failure, END.
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY / BATCH);
  private final EventSource source;
  private volatile boolean closed;
  private boolean iterating;

  EventStream(EventSource.Builder builder) {
    this.source = new RealEventSource(builder, new Feed());
    source.start();
  }

  /** The source underneath, for its state, last event ID or {@link EventSource#restart()}. */
  public EventSource source() {
    return source;
  }

  /**
   * The events, in order; {@code hasNext()} blocks until one arrives or the stream ends.
   *
   * @throws IllegalStateException if called a second time
   */
  @Override
  public synchronized Iterator<SseEvent> iterator() {
    if (iterating) {
      throw new IllegalStateException("an EventStream can be iterated once");
    }
    iterating = true;
    return new Events();
  }

  /**
   * Closes the source and ends the iteration; events buffered but not yet taken are dropped, as a
   * closed browser {@code EventSource} drops them (S-36). Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    queue.clear(); // unblocks the source if it waits for room, so that it can close
    source.close();
    queue.clear();
    queue.offer(END); // wakes an iteration waiting on another thread
  }

  @Override
  public String toString() {
    return "EventStream{" + source + "}";
  }

  /**
   * Runs on the source's thread: gathers events into a batch, and enqueues each full batch or at
   * the end of a read, waiting for room when the consumer lags.
   */
  private final class Feed implements EventSourceListener, RealEventSource.Batching {
    private List<SseEvent> batch = new ArrayList<>(BATCH);

    @Override
    public void onEvent(SseEvent event) {
      batch.add(event);
      if (batch.size() == BATCH) {
        endOfBatch();
      }
    }

    @Override
    public void endOfBatch() {
      if (!batch.isEmpty()) {
        List<SseEvent> full = batch;
        batch = new ArrayList<>(BATCH);
        put(full);
      }
    }

    @Override
    public void onError(Throwable error, boolean willRetry) {
      endOfBatch();
      if (!willRetry) {
        put(new Failure(error));
      }
    }

    private void put(Object item) {
      if (closed) {
        return;
      }
      try {
        queue.put(item);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final class Failure {
    final Throwable error;

    Failure(Throwable error) {
      this.error = error;
    }

    RuntimeException unchecked() {
      if (error instanceof RuntimeException) {
        return (RuntimeException) error;
      }
      if (error instanceof IOException) {
        return new UncheckedIOException((IOException) error);
      }
      return new SseException("the event source failed", error);
    }
  }

  private final class Events implements Iterator<SseEvent> {
    private List<?> batch = List.of();
    private int index;
    private Object next;

    @Override
    public boolean hasNext() {
      if (next == null) {
        if (closed) {
          next = END; // what the batch still holds is dropped, as the queue's is
        } else if (index < batch.size()) {
          next = batch.get(index++);
        } else {
          take();
        }
      }
      if (next instanceof Failure) {
        Failure failure = (Failure) next;
        next = END;
        throw failure.unchecked();
      }
      if (next == END) {
        return false; // and stays ended: next is kept
      }
      return true;
    }

    private void take() {
      Object item;
      try {
        item = queue.take();
      } catch (InterruptedException e) {
        close();
        Thread.currentThread().interrupt();
        item = END;
      }
      if (item instanceof List) {
        batch = (List<?>) item;
        index = 1;
        next = batch.get(0);
      } else {
        next = item;
      }
    }

    @Override
    public SseEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException("the event stream has ended");
      }
      SseEvent event = (SseEvent) next;
      next = null;
      return event;
    }
  }
}
