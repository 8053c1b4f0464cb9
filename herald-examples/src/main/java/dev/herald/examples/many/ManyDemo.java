package dev.herald.examples.many;

import dev.herald.examples.Demo;
import dev.herald.examples.Demos;
import dev.herald.server.HeraldServer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A page with {@value #SOURCES} {@code EventSource}s on one origin, each showing its own count.
 *
 * <pre>
 * GET /many/events?stream=3  → id: 1 data: {"stream":3,"count":1,"protocol":"HTTP/1.1"}, …
 * GET /many/                 → the page
 * </pre>
 *
 * <p>Over HTTP/1.1 each {@code EventSource} holds a connection of its own, and browsers open at
 * most six per origin: the seventh and later ones wait, forever, for a connection to free up. Over
 * HTTP/2 they are streams of one connection, and all ten run; browsers speak HTTP/2 only over TLS
 * (ALPN).
 *
 * @since 0.1
 */
public final class ManyDemo implements Demo {
  /** The demo's name and path: {@value}. */
  public static final String NAME = "many";

  /** How many {@code EventSource}s the page opens: {@value}. */
  public static final int SOURCES = 10;

  private final Duration period;
  private final ScheduledExecutorService timer = Demos.timer(NAME);

  /** Streams that count every second. */
  public ManyDemo() {
    this(Duration.ofSeconds(1));
  }

  /** Streams that count every {@code period}. */
  public ManyDemo(Duration period) {
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
    return "Many";
  }

  @Override
  public String description() {
    return "ten EventSources on one page: over HTTP/1.1 the browser stalls the seventh, over"
        + " HTTP/2 all run";
  }

  @Override
  public void mount(HeraldServer.Builder server) {
    server.sse("/" + NAME + "/events", new ManyHandler(timer, period));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
