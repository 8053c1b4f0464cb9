package dev.herald.examples.many;

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
 * Counts for one of the page's event sources, named by the query parameter {@code stream}, and says
 * which protocol carries it; resumes after the client's {@code Last-Event-ID}.
 */
final class ManyHandler implements SseHandler {
  private final ScheduledExecutorService timer;
  private final long periodNanos;

  ManyHandler(ScheduledExecutorService timer, Duration period) {
    this.timer = timer;
    this.periodNanos = period.toNanos();
  }

  @Override
  public void handle(Request request, SseStream stream) {
    int source = sourceOf(request.query("stream"));
    if (source < 0) {
      stream.reject(400, "stream must be 0.." + (ManyDemo.SOURCES - 1));
      return;
    }
    AtomicLong count = new AtomicLong(countOf(stream.lastEventId()));
    String prefix = "{\"stream\":" + source + ",\"protocol\":\"" + request.protocol() + "\"";
    ScheduledFuture<?> tick =
        timer.scheduleAtFixedRate(
            () -> {
              long n = count.incrementAndGet();
              String id = Long.toString(n);
              stream.send(SseEvent.builder().id(id).data(prefix + ",\"count\":" + n + "}").build());
            },
            0,
            periodNanos,
            TimeUnit.NANOSECONDS);
    stream.onClose(() -> tick.cancel(false));
  }

  private static int sourceOf(String parameter) {
    try {
      int n = Integer.parseInt(parameter);
      return n >= 0 && n < ManyDemo.SOURCES ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long countOf(String lastEventId) {
    try {
      return lastEventId == null ? 0 : Math.max(0, Long.parseLong(lastEventId));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
