package dev.herald.spring;

import dev.herald.server.SseStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;

/**
 * The controllers' streams open now, closed when the application stops: a stream is an asynchronous
 * request that never ends by itself, and the web server's graceful shutdown would otherwise wait
 * for it until its timeout. Each gets a {@code retry:} hint first, so that its client reconnects —
 * to another instance, or to this one restarted — after a second rather than its usual delay. Stops
 * in a phase ({@link #PHASE}) ahead of the web server's graceful shutdown. Thread-safe.
 *
 * @since 0.2
 */
public final class OpenStreams implements SmartLifecycle {
  /** Stops before Spring Boot's web server graceful shutdown ({@code DEFAULT_PHASE - 1024}). */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private static final Duration RETRY_HINT = Duration.ofSeconds(1);

  private final Set<SseStream> open = ConcurrentHashMap.newKeySet();
  private volatile boolean running;
  private volatile boolean stopped;

  /** An empty set. */
  public OpenStreams() {}

  /** Adds {@code stream} until it closes. */
  public void add(SseStream stream) {
    open.add(stream);
    stream.onClose(() -> open.remove(stream));
    if (stopped) {
      stream.close(); // opened while the application stops
    }
  }

  /** How many streams are open. */
  public int size() {
    return open.size();
  }

  @Override
  public void start() {
    running = true;
    stopped = false;
  }

  @Override
  public void stop() {
    running = false;
    stopped = true;
    for (SseStream stream : open) {
      stream.retry(RETRY_HINT);
      stream.close();
    }
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
