package dev.herald.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis failover under Sentinel, with hub processes on a {@code redis-sentinel://} URI: a master,
 * one replica and three sentinels (Debian's redis-server and redis-sentinel), two nodes, a
 * publisher on node 1 and subscribers on both. The replica is made to lag — frozen with SIGSTOP and
 * its link cut by the master ({@code CLIENT KILL TYPE replica}) for a second — then the master is
 * killed with {@code kill -9}, the replica thawed, and the sentinels promote it; a new replica of
 * it replaces the dead server. With {@code --redis-wait-replicas 1} a publish is acknowledged only
 * once the replica has it, so no acknowledged update is lost from the history (a subscriber that
 * had received an unacknowledged update the failover took away is told of a gap when it resumes);
 * with WAIT off, the updates acknowledged while the replica lagged are lost — measured, not
 * asserted away. A subscriber resuming after the failover from a mark published first reads what
 * Redis kept. {@code -Dherald.cluster.seconds=N} publishes N seconds after the failover (default
 * 2).
 */
class SentinelFailoverTest {
  private static final String TOPIC = "failover";
  private static final long LAG_MILLIS = 1000;

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
  @DisplayName("Sentinel failover with WAIT 1 (kill -9 of the master): no acknowledged update lost")
  void waitOneLosesNothing() throws Exception {
    Outcome o = failover(1);
    assertThat(o.lostFromRedis).as("acknowledged, then gone from Redis").isZero();
    assertThat(o.kept.lost()).as("acknowledged, missing from a replay").isZero();
    if (o.live.lost() > 0) {
      // Subscribers that had received an update the failover took away (never acknowledged: its
      // WAIT timed out) resume from an ID no longer known; they are told of the gap, not silently
      // left without what was published while they reconnected.
      assertThat(o.live.gaps()).as("live losses are reported as gaps").isPositive();
    }
    assertThat(o.live.duplicates()).isZero();
    assertThat(o.live.reordered()).isZero();
    assertThat(o.kept.duplicates()).isZero();
    assertThat(o.kept.reordered()).isZero();
    assertThat(o.refusedWhileLagging)
        .as("publishes while the replica lagged were refused (503), not acknowledged")
        .isPositive();
    assertThat(o.ackedWhileLagging)
        .as("at most the publish in flight when the lag began")
        .isLessThanOrEqualTo(1);
  }

  @Test
  @DisplayName("Sentinel failover with WAIT off: what is lost is measured (the lag's publishes)")
  void waitOffLossMeasured() throws Exception {
    Outcome o = failover(0);
    assertThat(o.kept.duplicates()).isZero();
    assertThat(o.kept.reordered()).isZero();
    assertThat(o.live.duplicates()).isZero();
    assertThat(o.live.reordered()).isZero();
    assertThat(o.ackedWhileLagging).as("acknowledged without the replica").isPositive();
    assertThat(o.lostFromRedis)
        .as("no more lost than acknowledged while the replica lagged (and the one in flight)")
        .isLessThanOrEqualTo(o.ackedWhileLagging + 1L);
    assertThat(o.ackedAfter).as("publishing went on after the failover").isPositive();
  }

  private record Outcome(
      Deliveries live,
      Deliveries kept,
      long lostFromRedis,
      int ackedWhileLagging,
      int refusedWhileLagging,
      int ackedAfter) {}

  private Outcome failover(int waitReplicas) throws Exception {
    assumeTrue(RedisProcess.installed(), "redis-server and redis-sentinel are not installed");
    long seconds = Long.getLong("herald.cluster.seconds", 2);
    Path base = dir.resolve("wait-" + waitReplicas);
    RedisProcess master = keep(RedisProcess.master(base.resolve("master")));
    RedisProcess replica = keep(RedisProcess.replica(base.resolve("replica"), master.port()));
    List<String> sentinels = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      RedisProcess s = keep(RedisProcess.sentinel(base.resolve("sentinel-" + i), master.port(), 2));
      sentinels.add("127.0.0.1:" + s.port());
    }
    String uri = "redis-sentinel://" + String.join(",", sentinels) + "#" + RedisProcess.MASTER;
    ClusterNodes nodes =
        keep(
            ClusterNodes.start(
                base,
                2,
                uri,
                "--redis-wait-replicas=" + waitReplicas,
                "--redis-wait-timeout=300ms"));
    Publisher marker = new Publisher(nodes.node(0));
    marker.publish(TOPIC, "mark", "mark");

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<ResumingReader> live = new ArrayList<>();
    for (int n = 0; n < 2; n++) {
      for (int i = 0; i < 5; i++) {
        live.add(keep(reader(http, nodes.node(n), "n" + n + "-" + i, null)));
      }
    }
    for (ResumingReader r : live) {
      assertThat(r.awaitConnected(Duration.ofSeconds(20))).isTrue();
    }
    PublishLoop publisher = new PublishLoop(nodes.node(0).base(), TOPIC, 0);
    assertThat(publisher.awaitMore(100, Duration.ofSeconds(20))).isTrue();

    // The replica lags: frozen, and cut off from the master, which goes on taking writes alone.
    replica.signal("STOP");
    RedisCli.call(master.port(), "CLIENT", "KILL", "TYPE", "replica");
    int ackedBefore = publisher.acknowledged();
    int refusedBefore = publisher.refused();
    Thread.sleep(LAG_MILLIS);
    int ackedWhileLagging = publisher.acknowledged() - ackedBefore;
    int refusedWhileLagging = publisher.refused() - refusedBefore;
    master.kill9();
    replica.signal("CONT");
    long killed = System.nanoTime();
    Poll.until(() -> role(replica).startsWith("master"));
    long promotedMillis = (System.nanoTime() - killed) / 1_000_000;
    // A new replica of the new master replaces the dead one, so that WAIT 1 can be met again. (Not
    // the old master restarted empty: until the sentinels demote it, it is an empty master that a
    // reconnecting client may reach.)
    keep(RedisProcess.replica(base.resolve("new-replica"), replica.port()));
    int ackedAtPromotion = publisher.acknowledged();
    assertThat(publisher.awaitMore(20, Duration.ofSeconds(30)))
        .as("the hubs publish to the new master")
        .isTrue();
    long firstAckMillis = (System.nanoTime() - killed) / 1_000_000;
    Thread.sleep(seconds * 1000);
    publisher.stop();
    int ackedAfter = publisher.acknowledged() - ackedAtPromotion;
    Publisher end = new Publisher(nodes.node(1));
    end.awaitReady(Duration.ofSeconds(30)); // node 1 has reconnected to Redis by itself too
    end.publish(TOPIC, IdTally.END, 1, "end");
    for (ResumingReader r : live) {
      assertThat(r.await(Duration.ofSeconds(60)))
          .as("the end update arrived live: %s", diagnosis(nodes, r))
          .isTrue();
    }
    ResumingReader replay = keep(reader(http, nodes.node(1), "replay", "mark"));
    assertThat(replay.await(Duration.ofSeconds(60)))
        .as("the replay reached the end: %s", diagnosis(nodes, replay))
        .isTrue();
    Deliveries liveD = Deliveries.of(live, List.of(publisher));
    Deliveries kept = Deliveries.of(List.of(replay), List.of(publisher));
    // What the new primary's stream holds, read from Redis itself: a node's memory tail may still
    // hold updates the failover took from Redis, and serve them to a resume it covers.
    Set<String> inRedis = streamIds(replica.port());
    BitSet acked = publisher.acked();
    long lostFromRedis =
        acked.stream().filter(i -> !inRedis.contains(publisher.publisher() + "-" + i)).count();
    Figures.print(
        "cluster-failover-wait-" + waitReplicas,
        "WAIT %d: replica frozen and cut off %,d ms, then master killed -9: %,d publishes acknowledged and %,d"
            + " refused (503) while the replica lagged; replica promoted %,d ms after the kill,"
            + " first acknowledged publish after it at %,d ms; %,d acknowledged after; the new"
            + " primary's stream lacks %,d acknowledged; a replay from before through node-2 lacks"
            + " %,d (%,d duplicates, %,d reordered); live: %s",
        waitReplicas,
        LAG_MILLIS,
        ackedWhileLagging,
        refusedWhileLagging,
        promotedMillis,
        firstAckMillis,
        ackedAfter,
        lostFromRedis,
        kept.lost(),
        kept.duplicates(),
        kept.reordered(),
        liveD.describe());
    return new Outcome(
        liveD, kept, lostFromRedis, ackedWhileLagging, refusedWhileLagging, ackedAfter);
  }

  /** The update IDs in the stream of the Redis on {@code port} ({@code XRANGE}, all of it). */
  private static Set<String> streamIds(int port) throws IOException {
    Set<String> ids = new HashSet<>();
    String[] lines = RedisCli.call(port, "XRANGE", "herald:updates", "-", "+").split("\n");
    for (int i = 0; i + 1 < lines.length; i++) {
      if (lines[i].equals("id")) { // the field, then its value (data values are digits)
        ids.add(lines[++i]);
      }
    }
    return ids;
  }

  /** A server's role ({@code master}, {@code slave}), or "" while it does not answer. */
  private static String role(RedisProcess redis) {
    try {
      String role = RedisCli.call(redis.port(), "ROLE");
      return role == null ? "" : role;
    } catch (IOException e) {
      return ""; // restarting, or closing clients while it changes role
    }
  }

  /** What a reader got and what the nodes logged at WARN and above, for a failure's message. */
  private static String diagnosis(ClusterNodes nodes, ResumingReader r) {
    StringBuilder out =
        new StringBuilder(
            String.format(
                "reader had %d events, %d reconnections, %d gaps; nodes logged:",
                r.tally.events(), r.reconnects(), r.gaps()));
    for (HubProcess node : nodes.all()) {
      try {
        node.output()
            .lines()
            .filter(l -> l.contains("WARN") || l.contains("ERROR"))
            .limit(20)
            .forEach(l -> out.append("\n  ").append(l));
      } catch (IOException e) {
        out.append("\n  (no output: ").append(e).append(')');
      }
    }
    return out.toString();
  }

  private ResumingReader reader(HttpClient http, HubProcess hub, String name, String from) {
    return new ResumingReader(
        http, hub.base() + "/.well-known/mercure?match=" + TOPIC, 1, name, from);
  }
}
