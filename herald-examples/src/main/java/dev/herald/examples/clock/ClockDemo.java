package dev.herald.examples.clock;

import dev.herald.examples.Demo;
import dev.herald.examples.Demos;
import dev.herald.server.HeraldServer;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The simplest stream: {@code Hello from server}, then the time every second as plain {@code
 * message} events.
 *
 * <pre>
 * GET /clock/events  → data: Hello from server, data: 2026-07-01T12:00:01Z, …
 * GET /clock/        → the page
 * </pre>
 *
 * @since 0.1
 */
public final class ClockDemo implements Demo {
  /** The demo's name and path: {@value}. */
  public static final String NAME = "clock";

  /** The first event of every stream: {@value}. */
  public static final String GREETING = "Hello from server";

  private final Duration period;
  private final Clock clock;
  private final ScheduledExecutorService timer = Demos.timer(NAME);

  /** A clock that ticks every second. */
  public ClockDemo() {
    this(Duration.ofSeconds(1), Clock.systemUTC());
  }

  /** A clock that reads {@code clock} every {@code period}. */
  public ClockDemo(Duration period, Clock clock) {
    this.period = Objects.requireNonNull(period, "period");
    this.clock = Objects.requireNonNull(clock, "clock");
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
    return "Clock";
  }

  @Override
  public String description() {
    return "\"Hello from server\", then the server's time every second";
  }

  @Override
  public void mount(HeraldServer.Builder server) {
    server.sse("/" + NAME + "/events", new ClockHandler(timer, period, clock));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
