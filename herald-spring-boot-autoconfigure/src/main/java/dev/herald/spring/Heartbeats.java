package dev.herald.spring;

import dev.herald.server.SseStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a comment to each stream it is given every heartbeat interval, for as long as the stream is
 * open: it keeps proxies from closing an idle connection, and a write to a connection the client
 * left fails, which ends the stream. One daemon thread serves every stream. Thread-safe.
 *
 * @since 0.2
 */
public final class Heartbeats implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ScheduledExecutorService timer;

  /** A heartbeat timer with a daemon thread of its own. */
  public Heartbeats() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "herald-heartbeat-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    this.timer = Executors.unconfigurableScheduledExecutorService(executor);
  }

  /** Sends {@code stream} a comment every {@code interval} until it closes; zero: none. */
  public void keepAlive(SseStream stream, Duration interval) {
    if (interval.isZero()) {
      return;
    }
    long nanos = interval.toNanos();
    ScheduledFuture<?> beat =
        timer.scheduleAtFixedRate(() -> stream.comment(""), nanos, nanos, TimeUnit.NANOSECONDS);
    stream.onClose(() -> beat.cancel(false));
  }

  /** Stops the timer. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
