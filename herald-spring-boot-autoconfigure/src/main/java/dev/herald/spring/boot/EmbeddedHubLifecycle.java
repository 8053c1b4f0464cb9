package dev.herald.spring.boot;

import dev.herald.hub.Hub;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the embedded hub with the application context and stops it gracefully with it: before the
 * web server starts and after it stops ({@link #PHASE}), the hub's subscribers given a {@code
 * retry:} hint and the drain time to leave, on a thread of its own so that other beans stop
 * meanwhile.
 */
final class EmbeddedHubLifecycle implements SmartLifecycle {
  /** Ahead of the web server's phases (Spring Boot's start-stop and graceful shutdown). */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private final Hub hub;
  private final Duration drain;
  private volatile boolean running;

  EmbeddedHubLifecycle(Hub hub, Duration drain) {
    this.hub = hub;
    this.drain = drain;
  }

  @Override
  public void start() {
    hub.start();
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    hub.close(drain);
  }

  @Override
  public void stop(Runnable callback) {
    running = false;
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

  @Override
  public int getPhase() {
    return PHASE;
  }
}
