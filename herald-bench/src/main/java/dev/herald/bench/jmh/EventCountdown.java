package dev.herald.bench.jmh;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What a push client's listener does in {@link ClientHarness}: hands each event's data to the sink
 * and counts it, and lets the benchmark thread wait until the last expected event, or a failure,
 * has arrived.
 *
 * <p>{@link #event} and {@link #fail} are called by the client's one callback thread; {@link
 * #await} by the benchmark thread.
 */
final class EventCountdown {
  /** The longest wait for one connection's events, in seconds: a stuck client fails the run. */
  static final long TIMEOUT_SECONDS = 120;

  private final int expected;
  private final Consumer<String> sink;
  private final CountDownLatch done = new CountDownLatch(1);
  private int count;
  private volatile Throwable failure;

  EventCountdown(int expected, Consumer<String> sink) {
    this.expected = expected;
    this.sink = sink;
    if (expected == 0) {
      done.countDown();
    }
  }

  /** One event's data arrived. */
  void event(String data) {
    if (count < expected) {
      sink.accept(data);
      if (++count == expected) {
        done.countDown();
      }
    }
  }

  /** The connection ended or failed, before or after the last expected event. */
  void fail(Throwable error) {
    if (done.getCount() > 0) {
      failure = error == null ? new IOException("the stream ended") : error;
      done.countDown();
    }
  }

  /**
   * Waits for the last expected event.
   *
   * @return the number of events, the expected one
   * @throws IOException if the connection ended first, or nothing ended within {@value
   *     #TIMEOUT_SECONDS} s
   */
  int await() throws IOException, InterruptedException {
    if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IOException("no end of the stream within " + TIMEOUT_SECONDS + " s");
    }
    Throwable error = failure;
    if (error != null) {
      throw new IOException("received " + count + " of " + expected + " events", error);
    }
    return count;
  }
}
