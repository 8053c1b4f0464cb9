package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.SqliteUpdateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscriber resuming with {@code Last-Event-ID} (Mercure §Reconnection and state reconciliation)
 * receives every later update the history holds — from memory and from the SQLite store, beyond the
 * per-subscriber budget of 512 KiB — each one authorized again, in order.
 */
class CatchUpHubTest {
  private static final String KIB_10 = "d".repeat(10 * 1024);
  @TempDir Path dir;
  private Hub hub;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  private Hub sqliteHub(int historyWindow) {
    return TestHubs.open(
        0,
        b ->
            b.store(SqliteUpdateStore.builder().path(dir.resolve("hub.db")).build())
                .historyWindow(historyWindow)
                .dashboard(false));
  }

  private List<String> publish(int count, String data, boolean everyThirdPrivate) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean restricted = everyThirdPrivate && i % 3 == 2;
      Update update =
          new Update(List.of("https://example.com/t"), data, restricted, null, null, null);
      ids.add(hub.publish(update).join());
    }
    return ids;
  }

  private static List<SseEvent> readAll(HubClient.Subscription s, int count)
      throws InterruptedException {
    List<SseEvent> got = new ArrayList<>();
    while (got.size() < count) {
      SseEvent e = s.events.poll(20, TimeUnit.SECONDS);
      if (e == null) {
        break;
      }
      got.add(e);
    }
    return got;
  }

  @Test
  @DisplayName(
      "101 updates of 10 KiB, 81 of them only in the store: all 100 after the first arrive")
  void overTheBudgetFromTheStore() throws Exception {
    hub = sqliteHub(20);
    List<String> ids = publish(101, KIB_10, false);
    try (HubClient.Subscription s =
        new HubClient(hub).subscribe("match=https://example.com/t", "Last-Event-ID", ids.get(0))) {
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.header("Mercure-Last-Event-ID")).isEqualTo(ids.get(0));
      List<SseEvent> got = readAll(s, 100);
      assertThat(got).extracting(SseEvent::id).containsExactlyElementsOf(ids.subList(1, 101));
    }
  }

  @Test
  @DisplayName(
      "1,000 updates of 1 KiB from earliest, private ones left out for a token-less reader")
  void earliestWithPrivateUpdates() throws Exception {
    hub = sqliteHub(100);
    List<String> ids = publish(1000, "p".repeat(1024), true);
    List<String> publicIds = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      if (i % 3 != 2) {
        publicIds.add(ids.get(i));
      }
    }
    try (HubClient.Subscription s =
        new HubClient(hub).subscribe("match=https://example.com/t", "Last-Event-ID", "earliest")) {
      assertThat(s.header("Mercure-Last-Event-ID")).isEqualTo("earliest");
      List<SseEvent> got = readAll(s, publicIds.size());
      assertThat(got).extracting(SseEvent::id).containsExactlyElementsOf(publicIds);
      assertThat(s.drain(200)).as("no private update").isEmpty();
    }
  }

  @Test
  @DisplayName("updates published during a catch-up from the store follow it, once each, in order")
  void liveDuringCatchUp() throws Exception {
    hub = sqliteHub(50);
    List<String> ids = publish(500, KIB_10, false);
    try (HubClient.Subscription s =
        new HubClient(hub).subscribe("match=https://example.com/t", "Last-Event-ID", ids.get(0))) {
      ids.addAll(publish(300, "live", false));
      List<SseEvent> got = readAll(s, 799);
      assertThat(got).extracting(SseEvent::id).containsExactlyElementsOf(ids.subList(1, 800));
      assertThat(s.drain(200)).isEmpty();
    }
  }
}
