package dev.herald.examples.counter;

import dev.herald.examples.Demo;
import dev.herald.examples.Demos;
import dev.herald.server.HeraldServer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A counter that ticks every second, with IDs and {@code retry: 10000}: each event's ID is the
 * count, so a page that reconnects, even to a restarted server, sends {@code Last-Event-ID: n} and
 * the count carries on at {@code n + 1}.
 *
 * <pre>
 * GET /counter/events  → retry: 10000, then id: 1 data: 1, id: 2 data: 2, …
 * GET /counter/        → the page
 * </pre>
 *
 * <p>Run it alone with {@code java -m dev.herald.examples/dev.herald.examples.counter.CounterDemo
 * [--port N]}, or with the others through {@code ./herald demo counter}.
 *
 * @since 0.1
 */
public final class CounterDemo implements Demo {
  /** The demo's name and path: {@value}. */
  public static final String NAME = "counter";

  /** The reconnection time the stream asks for: 10 s. */
  public static final Duration RETRY = Duration.ofSeconds(10);

  private final Duration period;
  private final ScheduledExecutorService timer = Demos.timer(NAME);

  /** A counter that ticks every second. */
  public CounterDemo() {
    this(Duration.ofSeconds(1));
  }

  /** A counter that ticks every {@code period}. */
  public CounterDemo(Duration period) {
    this.period = Objects.requireNonNull(period, "period");
  }

  /** Serves this demo alone; see {@link Demos#main} for the arguments. */
  public static void main(String[] args) throws InterruptedException {
    Demos.serve(NAME, args);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String title() {
    return "Counter";
  }

  @Override
  public String description() {
    return "a count every second with ids and retry: 10000; restart the server and the page"
        + " carries on";
  }

  @Override
  public void mount(HeraldServer.Builder server) {
    server.sse("/" + NAME + "/events", new CounterHandler(timer, period, RETRY));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
