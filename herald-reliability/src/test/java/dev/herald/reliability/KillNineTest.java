package dev.herald.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost through kill -9: publishers on several connections publish while the
 * hub is killed with SIGKILL at a random moment, several rounds on the same SQLite file; then a
 * subscriber resuming from before the first round receives every acknowledged update, each once,
 * each publisher's in the order it was acknowledged.
 */
class KillNineTest {
  private static final int ROUNDS = 4;
  private static final int PUBLISHERS = 4;
  private static final String PATH = "/.well-known/mercure";

  @TempDir Path dir;
  private HubProcess hub;

  @AfterEach
  void kill() throws InterruptedException {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  @DisplayName(
      "kill -9 during concurrent publishing, 4 rounds: acknowledged ⊆ replayed, once, in order")
  void killNineDuringConcurrentPublishing() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    hub =
        HubProcess.builder(dir)
            .option("--sqlite=" + dir.resolve("herald.db"))
            .option("--anonymous-publishers")
            .option("--anonymous-subscribers")
            .start();
    String marker = publish(client(), "marker");
    // publisher -> its acknowledged updates (data -> ID), in acknowledgement order
    List<Map<String, String>> acked = new ArrayList<>();
    for (int p = 0; p < PUBLISHERS; p++) {
      acked.add(new LinkedHashMap<>());
    }
    for (int round = 1; round <= ROUNDS; round++) {
      if (round > 1) {
        hub.restart();
      }
      HttpClient http = client();
      AtomicBoolean killed = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < PUBLISHERS; p++) {
        Map<String, String> mine = acked.get(p);
        String prefix = "p" + p + "-r" + round + "-";
        Thread thread =
            new Thread(
                () -> {
                  for (int i = 0; !killed.get(); i++) {
                    String data = prefix + i;
                    String id;
                    try {
                      id = publish(http, data);
                    } catch (Exception connectionLost) {
                      return; // the kill: this one may or may not be stored; it was not acked
                    }
                    synchronized (mine) {
                      mine.put(data, id);
                    }
                  }
                },
                "publisher-" + p);
        thread.start();
        threads.add(thread);
      }
      Thread.sleep(500 + random.nextInt(1000));
      hub.kill9();
      killed.set(true);
      for (Thread t : threads) {
        t.join(15_000);
        assertThat(t.isAlive()).as("publisher stopped").isFalse();
      }
    }
    int acknowledged = acked.stream().mapToInt(Map::size).sum();
    assertThat(acknowledged).as("publishes acknowledged").isGreaterThan(ROUNDS * 20);

    hub.restart();
    HttpClient http = client();
    String end = publish(http, "end");
    List<SseEvent> replayed = new ArrayList<>();
    try (Subscription sub =
        Subscription.open(http, hub.base() + PATH + "?match=load", "Last-Event-ID", marker)) {
      assertThat(sub.status()).isEqualTo(200);
      assertThat(sub.header("Mercure-Last-Event-ID")).as("the marker is known").isEqualTo(marker);
      for (SseEvent e = sub.next(Duration.ofSeconds(30)); ; e = sub.next(Duration.ofSeconds(30))) {
        assertThat(e).as("replay stalled after %d events", replayed.size()).isNotNull();
        replayed.add(e);
        if (end.equals(e.id())) {
          break;
        }
      }
    }

    Map<String, String> idOf = new HashMap<>(); // data -> replayed ID
    Set<String> ids = new HashSet<>();
    int duplicates = 0;
    for (SseEvent e : replayed) {
      if (!ids.add(e.id()) | idOf.put(e.data(), e.id()) != null) {
        duplicates++;
      }
    }
    int missing = 0;
    int reordered = 0;
    for (Map<String, String> mine : acked) {
      List<String> order = new ArrayList<>();
      for (SseEvent e : replayed) {
        if (mine.containsKey(e.data())) {
          order.add(e.data());
        }
      }
      for (Map.Entry<String, String> a : mine.entrySet()) {
        if (!a.getValue().equals(idOf.get(a.getKey()))) {
          missing++;
        }
      }
      List<String> expected = new ArrayList<>(mine.keySet());
      for (int i = 0; i < Math.min(order.size(), expected.size()); i++) {
        if (!order.get(i).equals(expected.get(i))) {
          reordered++;
        }
      }
    }
    int unacknowledged = replayed.size() - 1 - acknowledged + missing - duplicates;
    Figures.print(
        "kill-9",
        "%d rounds x %d publishers, %,d acknowledged, %,d replayed (%,d stored but not"
            + " acknowledged when killed), %d lost, %d duplicates, %d reordered (seed %d)",
        ROUNDS,
        PUBLISHERS,
        acknowledged,
        acknowledged - missing,
        unacknowledged,
        missing,
        duplicates,
        reordered,
        seed);
    assertThat(missing).as("acknowledged but not replayed").isZero();
    assertThat(duplicates).as("replayed twice").isZero();
    assertThat(reordered).as("out of a publisher's order").isZero();
    assertThat(hub.output()).doesNotContain("Exception in thread");
  }

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private String publish(HttpClient http, String data) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(hub.base() + PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("topic=load&data=" + data))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("publish answered " + response.statusCode());
    }
    return response.body();
  }
}
