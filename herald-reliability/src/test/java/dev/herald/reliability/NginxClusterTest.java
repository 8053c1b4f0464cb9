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
 * A node killed behind the load balancer: three hub processes on one Redis behind Debian's nginx,
 * run with docs/nginx-cluster.conf (the file docs/cluster.md gives); subscribers and publishers go
 * through nginx. One node is killed with {@code kill -9} while publishing goes on; its subscribers'
 * streams end, they reconnect through nginx — to another node — with their {@code Last-Event-ID},
 * and must receive every acknowledged update once, in order, as every other subscriber does (one
 * sequence for all). {@code -Dherald.cluster.seconds=N} publishes N seconds before and after the
 * kill (default 2).
 */
class NginxClusterTest {
  private static final int SUBSCRIBERS = 30;
  private static final int PUBLISHERS = 2;
  private static final String TOPIC = "cluster";

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
  @DisplayName(
      "kill -9 of one of three nodes behind nginx: its subscribers resume on another node,"
          + " nothing lost or duplicated, one order")
  void killOneNodeBehindNginx() throws Exception {
    assumeTrue(RedisProcess.installed(), "redis-server is not installed (scripts/test.sh does)");
    assumeTrue(NginxFront.installed(), "nginx is not installed (scripts/test.sh does)");
    long seconds = Long.getLong("herald.cluster.seconds", 2);
    RedisProcess redis = keep(RedisProcess.master(dir.resolve("redis")));
    ClusterNodes nodes = keep(ClusterNodes.start(dir, 3, "redis://127.0.0.1:" + redis.port()));
    NginxFront nginx = keep(NginxFront.start(dir.resolve("nginx"), nodes.ports()));

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String url = nginx.base() + "/.well-known/mercure?match=" + TOPIC;
    List<ResumingReader> readers = new ArrayList<>();
    for (int i = 0; i < SUBSCRIBERS; i++) {
      readers.add(keep(new ResumingReader(http, url, 1, "reader-" + i)));
    }
    for (ResumingReader r : readers) {
      assertThat(r.awaitConnected(Duration.ofSeconds(20))).as("subscribed through nginx").isTrue();
    }
    Poll.until(() -> nodes.subscribers().stream().mapToLong(Long::longValue).sum() == SUBSCRIBERS);
    List<Long> spread = nodes.subscribers();
    assertThat(spread).as("nginx spreads the subscribers").allMatch(n -> n > 0);

    List<PublishLoop> publishers = new ArrayList<>();
    for (int p = 0; p < PUBLISHERS; p++) {
      publishers.add(new PublishLoop(nginx.base(), TOPIC, p));
    }
    Thread.sleep(seconds * 1000);
    int victim = spread.indexOf(spread.stream().max(Long::compare).orElseThrow());
    long before = publishers.stream().mapToLong(PublishLoop::acknowledged).sum();
    nodes.node(victim).kill9();
    long killedAt = System.nanoTime();
    Thread.sleep(seconds * 1000);
    for (PublishLoop p : publishers) {
      p.stop();
    }
    long stoppedAt = System.nanoTime();
    long after = publishers.stream().mapToLong(PublishLoop::acknowledged).sum() - before;
    new Publisher(nodes.node((victim + 1) % 3)).publish(TOPIC, IdTally.END, 1, "end");
    for (ResumingReader r : readers) {
      assertThat(r.await(Duration.ofSeconds(60))).as("the end update arrived").isTrue();
    }
    long endedAt = System.nanoTime();
    Deliveries d = Deliveries.of(readers, publishers);
    List<Long> survivors = nodes.subscribers();
    Figures.print(
        "cluster-node-kill",
        "3 nodes behind nginx, subscribers %s per node, node-%d (%d subscribers) killed -9 after"
            + " %,d acknowledged publishes, %,d more acknowledged after (%,d publishes refused or"
            + " broken by the kill); %s; publishing stopped %.1f s after the kill, every"
            + " subscriber had the end update %.1f s after that",
        spread,
        victim + 1,
        spread.get(victim),
        before,
        after,
        publishers.stream().mapToInt(p -> p.refused() + p.failed()).sum(),
        d.describe(),
        (stoppedAt - killedAt) / 1e9,
        (endedAt - stoppedAt) / 1e9);
    assertThat(d.lost()).as("acknowledged but not received").isZero();
    assertThat(d.duplicates()).as("received twice").isZero();
    assertThat(d.reordered()).as("out of a publisher's order").isZero();
    assertThat(d.gaps()).as("gaps reported on resume").isZero();
    assertThat(d.oneSequence()).as("every subscriber received the same sequence").isTrue();
    assertThat(d.reconnects())
        .as("the killed node's subscribers reconnected")
        .isGreaterThanOrEqualTo(spread.get(victim).intValue());
    assertThat(after).as("publishing went on through nginx").isPositive();
    assertThat(survivors.get(victim)).isZero();
  }
}
