package dev.herald.hub;

import dev.herald.hub.store.SqliteUpdateStore;
import java.nio.file.Path;

/**
 * A hub in a process of its own, for the crash test: {@code HubProcess PORT DATABASE} serves with
 * anonymous publishers and subscribers on a SQLite store, prints {@code READY} and runs until
 * killed.
 */
public final class HubProcess {
  private HubProcess() {}

  /** Starts the hub. */
  public static void main(String[] args) throws Exception {
    Hub hub =
        Hub.builder()
            .port(Integer.parseInt(args[0]))
            .store(SqliteUpdateStore.builder().path(Path.of(args[1])).build())
            .anonymousPublishers(true)
            .anonymousSubscribers(true)
            .dashboard(false)
            .build()
            .start();
    System.out.println("READY " + hub.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
