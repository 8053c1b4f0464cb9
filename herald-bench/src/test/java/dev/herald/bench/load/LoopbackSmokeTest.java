package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.bench.server.HeraldBenchServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load generator against Herald's bench server on loopback, in one JVM: a handful of
 * subscribers receive every published event exactly once, and after a reconnection with their
 * Last-Event-ID they receive what was published while they were away, again exactly once.
 */
class LoopbackSmokeTest {
  private HeraldBenchServer server;
  private EventLoopGroup group;
  private SubscriberPool subscribers;
  private Publisher publisher;

  @BeforeEach
  void start() throws Exception {
    server = HeraldBenchServer.start("127.0.0.1", 0);
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    String base = "http://127.0.0.1:" + server.port();
    subscribers =
        new SubscriberPool(
            group,
            NioSocketChannel.class,
            List.of(UrlTemplate.of(base + "/sub/{ch}")),
            List.of(),
            8);
    publisher =
        new Publisher(
            group,
            NioSocketChannel.class,
            UrlTemplate.of(base + "/pub/{ch}"),
            "{data}",
            "text/plain",
            List.of());
    assertThat(publisher.open(2, 4).get(10, TimeUnit.SECONDS)).isEqualTo(2);
  }

  @AfterEach
  void stop() throws Exception {
    subscribers.clear();
    publisher.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    server.close();
  }

  private void awaitCaughtUp(long seq, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (subscribers.caughtUp(seq) < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(subscribers.caughtUp(seq)).isEqualTo(n);
  }

  @Test
  void everySubscriberGetsEveryEventOnceAndResumesAfterAReconnection() throws Exception {
    SubscriberPool.ConnectResult c =
        subscribers.connect(5, "smoke", 1, 2).get(20, TimeUnit.SECONDS);
    assertThat(c.established).isEqualTo(5);
    assertThat(c.refused()).isZero();

    Publisher.Result p = publisher.publish("smoke", 500, 40, 64).get(20, TimeUnit.SECONDS);
    assertThat(p.acked).isEqualTo(40);
    assertThat(p.firstSequence).isEqualTo(1);
    assertThat(p.lastSequence).isEqualTo(40);
    awaitCaughtUp(40, 5);
    SubscriberPool.Snapshot s = subscribers.snapshot();
    assertThat(s.events).isEqualTo(200);
    assertThat(s.duplicates).isZero();
    assertThat(s.latency.getTotalCount()).isEqualTo(200);
    assertThat(subscribers.missing(40)).isZero();

    subscribers.disconnect().get(10, TimeUnit.SECONDS);
    Publisher.Result away = publisher.publish("smoke", 500, 10, 64).get(20, TimeUnit.SECONDS);
    assertThat(away.firstSequence).isEqualTo(41);
    SubscriberPool.ConnectResult again = subscribers.reconnect(5).get(20, TimeUnit.SECONDS);
    assertThat(again.established).isEqualTo(5);
    awaitCaughtUp(50, 5);
    SubscriberPool.Snapshot after = subscribers.snapshot();
    assertThat(after.events).isEqualTo(250);
    assertThat(after.duplicates).isZero();
    assertThat(subscribers.missing(50)).isZero();
  }

  @Test
  void aClustersSubscribersGoToTheNodeTheirCountNames() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String base = "http://127.0.0.1:" + server.port();
    SubscriberPool twoNodes =
        new SubscriberPool(
            group,
            NioSocketChannel.class,
            List.of(
                UrlTemplate.of(base + "/sub/{ch}"),
                UrlTemplate.of("http://127.0.0.1:" + closedPort + "/sub/{ch}")),
            List.of(),
            8);
    try {
      SubscriberPool.ConnectResult c =
          twoNodes.connect(new int[] {2, 3}, "nodes", 1, 5).get(20, TimeUnit.SECONDS);
      assertThat(c.established).as("node 0: the bench server").isEqualTo(2);
      assertThat(c.failed).as("node 1: nothing listens").isEqualTo(3);
      publisher.publish("nodes", 500, 5, 64).get(20, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (twoNodes.caughtUp(5) < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(twoNodes.caughtUp(5)).isEqualTo(2);
    } finally {
      twoNodes.clear();
    }
  }

  @Test
  void aRunWithAStopTimeSendsNothingNewAfterItAndEveryEventSentArrives() throws Exception {
    subscribers.connect(2, "stop", 1, 2).get(20, TimeUnit.SECONDS);
    // 100 events over 10 s on the schedule, stopped after 300 ms: about 3 are sent
    long start = System.nanoTime();
    Publisher.Result p =
        publisher
            .publish("stop", 10, 100, 64, TimeUnit.MILLISECONDS.toNanos(300))
            .get(20, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(p.sent).isBetween(1L, 10L);
    assertThat(p.acked).isEqualTo(p.sent);
    assertThat(p.lastSequence).isEqualTo(p.sent);
    awaitCaughtUp(p.lastSequence, 2);
    assertThat(subscribers.missing(p.lastSequence)).isZero();
    // the next run on the channel goes on from the last sequence sent, not the last scheduled
    Publisher.Result next = publisher.publish("stop", 100, 1, 64).get(20, TimeUnit.SECONDS);
    assertThat(next.firstSequence).isEqualTo(p.sent + 1);
  }

  @Test
  void aScheduledRunPipelinesUpToItsDepthAndEveryEventArrivesOnceInOrder() throws Exception {
    subscribers.connect(3, "pipelined", 1, 3).get(20, TimeUnit.SECONDS);
    // a billion a second: every event is due at once, so the first pass fills every slot
    Publisher.Result p = publisher.publish("pipelined", 1e9, 300, 64).get(30, TimeUnit.SECONDS);
    assertThat(p.acked).isEqualTo(300);
    assertThat(p.failed).isZero();
    assertThat(p.maxInFlight).isEqualTo(8); // 2 connections × depth 4, never more
    assertThat(p.blockedNanos).isPositive(); // due events waited on the server's answers
    assertThat(p.answerLatency.getTotalCount()).isEqualTo(300);
    awaitCaughtUp(300, 3);
    SubscriberPool.Snapshot s = subscribers.snapshot();
    assertThat(s.events).isEqualTo(900);
    assertThat(s.duplicates).isZero();
    assertThat(s.late).isZero();
    assertThat(subscribers.missing(300)).isZero();
    // the bench server's /metrics has Herald's own part of each publish's latency
    DispatchLatency own = DispatchLatency.scrape("http://127.0.0.1:" + server.port() + "/metrics");
    assertThat(own).isNotNull();
    assertThat(own.count()).isGreaterThanOrEqualTo(300); // per publish and event loop
  }

  @Test
  void aFloodKeepsOneRequestInFlightPerConnection() throws Exception {
    Publisher.Result p =
        publisher.flood("flood", TimeUnit.MILLISECONDS.toNanos(200), 64).get(20, TimeUnit.SECONDS);
    assertThat(p.acked).isPositive();
    assertThat(p.maxInFlight).isBetween(1, 2);
  }

  @Test
  void aMissedStretchIsCountedAsGapsNotIgnored() throws Exception {
    subscribers.connect(3, "gaps", 1, 3).get(20, TimeUnit.SECONDS);
    publisher.publish("gaps", 1000, 5, 64).get(20, TimeUnit.SECONDS);
    awaitCaughtUp(5, 3);
    subscribers.disconnect().get(10, TimeUnit.SECONDS);
    // more than the server's history while they are away: a resumption cannot fill the gap
    publisher
        .publish("gaps", 20_000, HeraldBenchServer.HISTORY_EVENTS + 20, 64)
        .get(30, TimeUnit.SECONDS);
    subscribers.reconnect(3).get(20, TimeUnit.SECONDS);
    Publisher.Result last = publisher.publish("gaps", 1000, 1, 64).get(20, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (subscribers.reached(last.lastSequence) < 3 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(subscribers.reached(last.lastSequence)).isEqualTo(3);
    assertThat(subscribers.caughtUp(last.lastSequence)).isZero(); // seen the last, not all
    assertThat(subscribers.missing(last.lastSequence))
        .isEqualTo(3L * (HeraldBenchServer.HISTORY_EVENTS + 20));
  }
}
