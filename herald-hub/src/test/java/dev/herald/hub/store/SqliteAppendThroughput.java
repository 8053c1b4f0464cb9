package dev.herald.hub.store;

import dev.herald.hub.mercure.Update;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * A quick measurement, not a test: acknowledged appends per second with 8 appenders, each with
 * {@code window} appends in flight (1: each waits for its acknowledgement, like a publisher waiting
 * for its HTTP response).
 *
 * <p>Arguments: {@code FULL|NORMAL window seconds [directory]}.
 */
final class SqliteAppendThroughput {
  private SqliteAppendThroughput() {}

  public static void main(String[] args) throws Exception {
    SqliteUpdateStore.Synchronous synchronous = SqliteUpdateStore.Synchronous.valueOf(args[0]);
    int window = Integer.parseInt(args[1]);
    long seconds = Long.parseLong(args[2]);
    Path dir = Files.createTempDirectory(args.length > 3 ? Path.of(args[3]) : Path.of("."), "tp");
    LongAdder acked = new LongAdder();
    try (SqliteUpdateStore store =
        SqliteUpdateStore.builder()
            .path(dir.resolve("herald.db"))
            .synchronous(synchronous)
            .build()) {
      String data = "{\"price\":42,\"name\":\"" + "x".repeat(100) + "\"}";
      long deadline = System.nanoTime() + (seconds + 1) * 1_000_000_000L;
      List<Thread> appenders = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        Semaphore inFlight = new Semaphore(window);
        Thread appender =
            new Thread(
                () -> {
                  for (long i = 0; System.nanoTime() < deadline; i++) {
                    inFlight.acquireUninterruptibly();
                    store
                        .append(
                            Update.of("https://example.com/books/1", data).withId(thread + "-" + i))
                        .thenRun(
                            () -> {
                              acked.increment();
                              inFlight.release();
                            });
                  }
                });
        appenders.add(appender);
        appender.start();
      }
      Thread.sleep(1000); // warm-up
      long commits0 = store.commits();
      long acked0 = acked.sum();
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000);
      double elapsed = (System.nanoTime() - start) / 1e9;
      long n = acked.sum() - acked0;
      long commits = store.commits() - commits0;
      System.out.printf(
          "synchronous=%s window=%d: %.0f acknowledged appends/s, %.0f commits/s, %.1f updates/commit%n",
          synchronous, window, n / elapsed, commits / elapsed, (double) n / Math.max(1, commits));
      for (Thread appender : appenders) {
        appender.join();
      }
    }
  }
}
