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
 * Redis stops and starts again under two hub processes: while it is down, publishes get {@code 503}
 * with {@code Retry-After} at once (well within a second) and subscribers stay connected; once it
 * is back (with its data: an append-only file), every node continues from the last stream position
 * it dispatched — every subscriber gets every acknowledged update, once, in order, without
 * reconnecting. {@code -Dherald.cluster.seconds=N} keeps Redis down N seconds (default 2).
 */
class RedisRestartTest {
  private static final String TOPIC = "restart";

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
      "Redis stopped and started: 503 + Retry-After at once, subscribers stay, then no gap or"
          + " duplicate")
  void redisStopsAndStarts() throws Exception {
    assumeTrue(RedisProcess.installed(), "redis-server is not installed (scripts/test.sh does)");
    long seconds = Long.getLong("herald.cluster.seconds", 2);
    RedisProcess redis = keep(RedisProcess.durableMaster(dir.resolve("redis")));
    ClusterNodes nodes = keep(ClusterNodes.start(dir, 2, "redis://127.0.0.1:" + redis.port()));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<ResumingReader> readers = new ArrayList<>();
    for (int n = 0; n < 2; n++) {
      for (int i = 0; i < 5; i++) {
        readers.add(
            keep(
                new ResumingReader(
                    http,
                    nodes.node(n).base() + "/.well-known/mercure?match=" + TOPIC,
                    1,
                    "n" + n + "-" + i)));
      }
    }
    for (ResumingReader r : readers) {
      assertThat(r.awaitConnected(Duration.ofSeconds(20))).isTrue();
    }
    PublishLoop publisher = new PublishLoop(nodes.node(0).base(), TOPIC, 0);
    assertThat(publisher.awaitMore(50, Duration.ofSeconds(20))).isTrue();
    int refusedBefore = publisher.refused();
    redis.stop();
    int ackedBefore = publisher.acknowledged();
    Thread.sleep(seconds * 1000);
    int ackedWhileDown = publisher.acknowledged() - ackedBefore;
    int refusedWhileDown = publisher.refused() - refusedBefore;
    long slowestRefusal = publisher.slowestRefusalMillis();
    boolean retryAfter = publisher.retryAfterOnEveryRefusal();
    redis.start();
    long back = System.nanoTime();
    assertThat(publisher.awaitMore(50, Duration.ofSeconds(30)))
        .as("publishes are acknowledged again")
        .isTrue();
    long firstAckMillis = (System.nanoTime() - back) / 1_000_000;
    publisher.stop();
    Publisher end = new Publisher(nodes.node(1));
    end.awaitReady(Duration.ofSeconds(30)); // node 1 has reconnected to Redis by itself too
    end.publish(TOPIC, IdTally.END, 1, "end");
    for (ResumingReader r : readers) {
      assertThat(r.await(Duration.ofSeconds(60))).as("the end update arrived").isTrue();
    }
    Deliveries d = Deliveries.of(readers, List.of(publisher));
    Figures.print(
        "cluster-redis-restart",
        "Redis stopped %d s under 2 nodes: %,d publishes refused (503, Retry-After on each: %s),"
            + " the slowest refusal in %,d ms, %,d acknowledged while down; acknowledged again"
            + " %,d ms after Redis started; %s",
        seconds,
        refusedWhileDown,
        retryAfter ? "yes" : "no",
        slowestRefusal,
        ackedWhileDown,
        firstAckMillis,
        d.describe());
    assertThat(ackedWhileDown).as("nothing acknowledged while Redis was down").isZero();
    assertThat(refusedWhileDown).as("publishes refused while Redis was down").isPositive();
    assertThat(retryAfter).as("every refusal carries Retry-After").isTrue();
    assertThat(slowestRefusal).as("a refusal within a second").isLessThan(1000);
    assertThat(d.lost()).as("acknowledged but not received").isZero();
    assertThat(d.duplicates()).as("received twice").isZero();
    assertThat(d.reordered()).as("out of order").isZero();
    assertThat(d.gaps()).as("gaps reported").isZero();
    assertThat(d.reconnects()).as("subscribers stayed connected").isZero();
    assertThat(d.oneSequence()).as("the same sequence on both nodes").isTrue();
  }
}
