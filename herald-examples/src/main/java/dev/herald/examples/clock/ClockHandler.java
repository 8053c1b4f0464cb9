package dev.herald.examples.clock;

import dev.herald.core.SseEvent;
import dev.herald.server.Request;
import dev.herald.server.SseHandler;
import dev.herald.server.SseStream;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Greets one client, then sends it the time (ISO-8601, UTC, whole seconds) every period. */
final class ClockHandler implements SseHandler {
  private final ScheduledExecutorService timer;
  private final long periodNanos;
  private final Clock clock;

  ClockHandler(ScheduledExecutorService timer, Duration period, Clock clock) {
    this.timer = timer;
    this.periodNanos = period.toNanos();
    this.clock = clock;
  }

  @Override
  public void handle(Request request, SseStream stream) {
    stream.send(SseEvent.of(ClockDemo.GREETING));
    ScheduledFuture<?> tick =
        timer.scheduleAtFixedRate(
            () ->
                stream.send(
                    SseEvent.of(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString())),
            periodNanos,
            periodNanos,
            TimeUnit.NANOSECONDS);
    stream.onClose(() -> tick.cancel(false));
  }
}
