package dev.herald.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow node catches up from the stream: two hub processes on one Redis; node 2 is frozen with
 * SIGSTOP for 10 s ({@code -Dherald.cluster.stopSeconds=N}) while node 1 takes publishes; after
 * SIGCONT, node 2's subscribers — still connected, never reconnecting — receive everything, once,
 * in order, the same sequence as node 1's.
 */
class SlowNodeTest {
  private static final int SUBSCRIBERS_PER_NODE = 10;
  private static final String TOPIC = "slow";

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T keep(T resource) {
    open.add(resource);
    return resource;
  }

  @Test
  @DisplayName("a node stopped with SIGSTOP for 10 s catches up: no loss, no reorder, no reconnect")
  void stoppedNodeCatchesUp() throws Exception {
    assumeTrue(RedisProcess.installed(), "redis-server is not installed (scripts/test.sh does)");
    long stopSeconds = Long.getLong("herald.cluster.stopSeconds", 10);
    RedisProcess redis = keep(RedisProcess.master(dir.resolve("redis")));
    ClusterNodes nodes = keep(ClusterNodes.start(dir, 2, "redis://127.0.0.1:" + redis.port()));
    HubProcess live = nodes.node(0);
    HubProcess slow = nodes.node(1);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<ResumingReader> onLive = new ArrayList<>();
    List<ResumingReader> onSlow = new ArrayList<>();
    for (int i = 0; i < SUBSCRIBERS_PER_NODE; i++) {
      onLive.add(keep(reader(http, live, "live-" + i)));
      onSlow.add(keep(reader(http, slow, "slow-" + i)));
    }
    List<ResumingReader> all = new ArrayList<>(onLive);
    all.addAll(onSlow);
    for (ResumingReader r : all) {
      assertThat(r.awaitConnected(Duration.ofSeconds(20))).isTrue();
    }
    Poll.until(() -> nodes.subscribers().equals(List.of(10L, 10L)));

    PublishLoop publisher = new PublishLoop(live.base(), TOPIC, 0);
    assertThat(publisher.awaitMore(50, Duration.ofSeconds(20))).isTrue();
    slow.signal("STOP");
    int beforeStop = publisher.acknowledged();
    Thread.sleep(stopSeconds * 1000);
    int duringStop = publisher.acknowledged() - beforeStop;
    int owed = publisher.acknowledged();
    slow.signal("CONT");
    long continued = System.nanoTime();
    Poll.until(() -> onSlow.stream().allMatch(r -> r.tally.events() >= owed));
    long caughtUpMillis = (System.nanoTime() - continued) / 1_000_000;
    assertThat(publisher.awaitMore(50, Duration.ofSeconds(20))).isTrue();
    publisher.stop();
    new Publisher(live).publish(TOPIC, IdTally.END, 1, "end");
    for (ResumingReader r : all) {
      assertThat(r.await(Duration.ofSeconds(60))).as("the end update arrived").isTrue();
    }
    Deliveries d = Deliveries.of(all, List.of(publisher));
    Deliveries slowOnes = Deliveries.of(onSlow, List.of(publisher));
    Figures.print(
        "cluster-slow-node",
        "node-2 stopped (SIGSTOP) %d s while node-1 acknowledged %,d publishes; its %d subscribers"
            + " had all %,d owed within %,d ms of SIGCONT, %d reconnections; overall %s",
        stopSeconds,
        duringStop,
        SUBSCRIBERS_PER_NODE,
        owed,
        caughtUpMillis,
        slowOnes.reconnects(),
        d.describe());
    assertThat(duringStop).as("publishing went on while a node was stopped").isPositive();
    assertThat(d.lost()).as("acknowledged but not received").isZero();
    assertThat(d.duplicates()).as("received twice").isZero();
    assertThat(d.reordered()).as("out of order").isZero();
    assertThat(d.oneSequence()).as("the same sequence on both nodes").isTrue();
    assertThat(slowOnes.reconnects()).as("the slow node's subscribers stayed connected").isZero();
  }

  private static ResumingReader reader(HttpClient http, HubProcess hub, String name) {
    return new ResumingReader(http, hub.base() + "/.well-known/mercure?match=" + TOPIC, 1, name);
  }
}
