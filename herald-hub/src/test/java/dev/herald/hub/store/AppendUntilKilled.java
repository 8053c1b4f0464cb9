package dev.herald.hub.store;

import dev.herald.hub.mercure.Update;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * The child process of {@link SqliteCrashTest}: appends from four threads as fast as it can and
 * prints {@code <sequence> <id>} for each acknowledged update, until it is killed.
 */
final class AppendUntilKilled {
  private AppendUntilKilled() {}

  public static void main(String[] args) {
    SqliteUpdateStore store = SqliteUpdateStore.builder().path(Path.of(args[0])).build();
    Semaphore inFlight = new Semaphore(2048);
    for (int t = 0; t < 4; t++) {
      int thread = t;
      Thread appender =
          new Thread(
              () -> {
                for (long i = 0; ; i++) {
                  inFlight.acquireUninterruptibly();
                  String id = thread + "-" + i;
                  store
                      .append(Update.of("t", "data " + id).withId(id))
                      .whenComplete(
                          (stored, failure) -> {
                            inFlight.release();
                            if (stored != null) {
                              System.out.println(stored.cursor().major() + " " + id);
                            }
                          });
                }
              },
              "appender-" + t);
      appender.start();
    }
  }
}
