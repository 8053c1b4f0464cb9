package dev.herald.client;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body handed to the source's thread one batch of buffers at a time. It asks the client
 * for the next batch only after the previous one was taken and processed, so a slow listener slows
 * the reading of the socket instead of filling memory; and waiting for a batch has a timeout, which
 * is the read timeout.
 *
 * <p>{@link #abort()} may be called from any thread: it cancels the body (which closes the
 * connection of an unfinished HTTP/1.1 response or resets an HTTP/2 stream) and wakes the reader.
 */
final class BodyQueue implements HttpResponse.BodySubscriber<BodyQueue> {
  /** The body ended normally. */
  static final Object END = new Object();

  /** {@link #abort()} was called. */
  static final Object ABORTED = new Object();

  private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
  private final CompletableFuture<BodyQueue> body = CompletableFuture.completedFuture(this);
  private Flow.Subscription subscription;
  private boolean aborted;

  @Override
  public CompletionStage<BodyQueue> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    boolean cancel;
    synchronized (this) {
      cancel = aborted;
      this.subscription = subscription;
    }
    if (cancel) {
      subscription.cancel();
    } else {
      subscription.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    items.add(buffers);
  }

  @Override
  public void onError(Throwable error) {
    items.add(error);
  }

  @Override
  public void onComplete() {
    items.add(END);
  }

  /**
   * The next item: a {@code List<ByteBuffer>} (call {@link #request()} once it is processed),
   * {@link #END}, {@link #ABORTED} or a {@link Throwable}; {@code null} if nothing came within
   * {@code timeoutNanos} ({@code 0}: wait as long as it takes).
   */
  Object next(long timeoutNanos) throws InterruptedException {
    return timeoutNanos == 0 ? items.take() : items.poll(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  /** Asks for the next batch. */
  void request() {
    Flow.Subscription s;
    synchronized (this) {
      s = subscription;
    }
    s.request(1);
  }

  /** Cancels the body and wakes the reader with {@link #ABORTED}. Idempotent. */
  void abort() {
    Flow.Subscription s;
    synchronized (this) {
      if (aborted) {
        return;
      }
      aborted = true;
      s = subscription;
    }
    if (s != null) {
      s.cancel();
    }
    items.add(ABORTED);
  }
}
