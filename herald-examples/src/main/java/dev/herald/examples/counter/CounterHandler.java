package dev.herald.examples.counter;

import dev.herald.core.SseEvent;
import dev.herald.server.Request;
import dev.herald.server.SseHandler;
import dev.herald.server.SseStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts for one client: sets the reconnection time, then sends {@code id: n} {@code data: n} every
 * period, starting after the client's {@code Last-Event-ID} if it sent a count. The count lives in
 * the client, not the server, which is why a restarted server can continue it.
 */
final class CounterHandler implements SseHandler {
  private final ScheduledExecutorService timer;
  private final long periodNanos;
  private final Duration retry;

  CounterHandler(ScheduledExecutorService timer, Duration period, Duration retry) {
    this.timer = timer;
    this.periodNanos = period.toNanos();
    this.retry = retry;
  }

  @Override
  public void handle(Request request, SseStream stream) {
    AtomicLong count = new AtomicLong(resumeAfter(stream.lastEventId()));
    stream.retry(retry);
    ScheduledFuture<?> tick =
        timer.scheduleAtFixedRate(
            () -> {
              String n = Long.toString(count.incrementAndGet());
              stream.send(SseEvent.builder().id(n).data(n).build());
            },
            0,
            periodNanos,
            TimeUnit.NANOSECONDS);
    stream.onClose(() -> tick.cancel(false)); // the client left, or the server is closing
  }

  /** The count to continue after: the client's last ID if it is a count, else 0. */
  static long resumeAfter(String lastEventId) {
    if (lastEventId == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(lastEventId));
    } catch (NumberFormatException e) {
      return 0; // not one of ours: start again
    }
  }
}
