package dev.herald.spring.boot;

import dev.herald.hub.Hub;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the embedded hub with the application context and stops it gracefully with it: before the
 * web server starts and after it stops ({@link #PHASE}), the hub's subscribers given a {@code
 * retry:} hint and the drain time to leave, on a thread of its own so that other beans stop
 * meanwhile.
 *
 * <p>A stop is for good: the hub's history and connections close with it, so it does not take part
 * in a context's pause ({@link #isPauseable}; Spring's test context cache pauses the contexts it is
 * not using), and a start after a stop fails with a message saying so.
 */
final class EmbeddedHubLifecycle implements SmartLifecycle {
  /** Ahead of the web server's phases (Spring Boot's start-stop and graceful shutdown). */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private final Hub hub;
  private final Duration drain;
  private volatile boolean running;
  private volatile boolean stopped;

  EmbeddedHubLifecycle(Hub hub, Duration drain) {
    this.hub = hub;
    this.drain = drain;
  }

  @Override
  public void start() {
    if (stopped) {
      throw new IllegalStateException(
          "the embedded Herald hub stopped for good with its application context; it cannot start"
              + " again (close the context and make a new one)");
    }
    hub.start();
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    stopped = true;
    hub.close(drain);
  }

  @Override
  public void stop(Runnable callback) {
    running = false;
    stopped = true;
    Thread stopping =
        new Thread(
            () -> {
              try {
                hub.close(drain);
              } finally {
                callback.run();
              }
            },
            "herald-hub-stop");
    stopping.start();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * Not paused with its context: a pause stops lifecycle beans and starts them again, and the hub
   * cannot start again. (Spring Framework 7's {@code SmartLifecycle.isPauseable}; unused before.)
   */
  public boolean isPauseable() {
    return false;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
