package dev.herald.spring.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not API: the threads that write the Spring transports' queued events to their connections, one
 * per core ({@code herald-spring-writer-N}, daemons, gone after ten idle seconds). A stream hands
 * its queue here instead of writing on the thread that sent (a broadcaster's single delivery
 * thread), so that the streams of one publish are written on every core at once, and the events
 * that arrive while a stream waits for its turn leave in one write and one flush.
 *
 * <p>Each stream has at most one task waiting or running here ({@link QueuedSseStream#drain}'s
 * rule), so the queue holds at most one task per open stream.
 */
final class StreamWriters {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ThreadPoolExecutor POOL = pool(Runtime.getRuntime().availableProcessors());

  private StreamWriters() {}

  private static ThreadPoolExecutor pool(int threads) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            10,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "herald-spring-writer-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Runs {@code write} on a writer thread, or here if the pool refuses it. */
  static void execute(Runnable write) {
    Executor pool = POOL;
    try {
      pool.execute(write);
    } catch (RejectedExecutionException refused) {
      write.run();
    }
  }
}
