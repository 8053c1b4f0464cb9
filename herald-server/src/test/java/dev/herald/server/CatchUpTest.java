package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Catch-up (WHATWG HTML §9.2, Last-Event-ID; S-20s in the checklist): a client that reconnects with
 * its last event ID receives every later event the history holds, however large the backlog, paced
 * by its socket and never judged against the per-subscriber budget as one write; live events
 * published meanwhile follow without gap or duplicate; a client that stops reading is still cut
 * off, and a gap the history opens during a catch-up ends the stream rather than going unseen.
 */
class CatchUpTest {
  private static final String KIB_10 = "x".repeat(10 * 1024);
  private HeraldServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close(Duration.ZERO);
    }
  }

  /**
   * A server whose {@code /t} route subscribes to topic {@code t} of {@code broadcaster}, and whose
   * {@code /held} route does the same from another thread while the head is held.
   */
  private int start(Broadcaster<Void> broadcaster, Duration heartbeat) {
    server =
        HeraldServer.builder()
            .port(0)
            .eventLoopThreads(2)
            .heartbeat(heartbeat)
            .sse(
                "/t",
                (req, stream) -> broadcaster.subscribe(stream, Set.of("t"), stream.lastEventId()))
            .sse(
                "/held", // as the hub does: the head waits until the subscription is made
                (req, stream) -> {
                  stream.holdHeaders();
                  new Thread(
                          () -> {
                            broadcaster.subscribe(stream, Set.of("t"), stream.lastEventId());
                            stream.sendHeaders();
                          })
                      .start();
                })
            .build()
            .start();
    return server.port();
  }

  private static Broadcaster<Void> broadcaster(int maxEvents, long maxBytes) {
    return Broadcaster.create(
        RingEventLog.builder().maxEvents(maxEvents).maxBytes(maxBytes).build());
  }

  private static void publish(Broadcaster<Void> b, int count, String data) {
    for (int i = 0; i < count; i++) {
      b.publish("t", SseEvent.of(data));
    }
  }

  @Test
  @DisplayName(
      "101 events of 10 KiB (over the 512 KiB budget) all reach a reader resuming at the first")
  void backlogOverTheBudget() throws Exception {
    Broadcaster<Void> b = broadcaster(10_000, 64L << 20);
    int port = start(b, Duration.ofSeconds(15));
    publish(b, 101, KIB_10);
    for (String path : new String[] {"/t", "/held"}) {
      try (SseCounter client = SseCounter.resume("127.0.0.1", port, path, 1)) {
        assertThat(client.status).isEqualTo(200);
        assertThat(client.readThrough(101, 10, TimeUnit.SECONDS)).as(path).isTrue();
        assertThat(client.events()).isEqualTo(100);
        assertThat(client.outOfOrder()).isZero();
      }
    }
    assertThat(server.slowConsumers()).isZero();
  }

  @Test
  @DisplayName("1,000 events of 1 KiB, and 4,000 of 10 KiB (40 MB), all reach a reader that reads")
  void manySmallAndManyLarge() throws Exception {
    Broadcaster<Void> b = broadcaster(100_000, 128L << 20);
    int port = start(b, Duration.ofSeconds(15));
    publish(b, 1000, "y".repeat(1024));
    publish(b, 4000, KIB_10);
    try (SseCounter client = SseCounter.resume("127.0.0.1", port, "/t", 1)) {
      assertThat(client.readThrough(5000, 60, TimeUnit.SECONDS)).isTrue();
      assertThat(client.events()).isEqualTo(4999);
      assertThat(client.outOfOrder()).isZero();
    }
    assertThat(server.slowConsumers()).isZero();
  }

  @Test
  @DisplayName("live events published during a long catch-up follow it, without gap or duplicate")
  void liveDuringCatchUp() throws Exception {
    Broadcaster<Void> b = broadcaster(100_000, 256L << 20);
    int port = start(b, Duration.ofSeconds(15));
    publish(b, 2000, KIB_10);
    int live = 20_000;
    Thread publisher =
        new Thread(
            () -> {
              for (int i = 0; i < live; i++) {
                b.publish("t", SseEvent.of("live " + i));
                if (i % 50 == 0) {
                  sleep(1);
                }
              }
            });
    List<SseCounter> clients = new ArrayList<>();
    try {
      publisher.start();
      for (long from : new long[] {1, 500, 1999}) {
        clients.add(SseCounter.resume("127.0.0.1", port, "/t", from));
      }
      publisher.join(60_000);
      for (SseCounter client : clients) {
        assertThat(client.readThrough(2000 + live, 60, TimeUnit.SECONDS)).isTrue();
        assertThat(client.outOfOrder()).as("gaps and duplicates").isZero();
        assertThat(client.lastId()).isEqualTo(2000 + live);
      }
    } finally {
      for (SseCounter client : clients) {
        client.close();
      }
    }
    assertThat(server.slowConsumers()).isZero();
  }

  @Test
  @DisplayName(
      "200 clients catching up at once from the same ID, over a 1 MB backlog, all complete")
  void manyAtOnce() throws Exception {
    Broadcaster<Void> b = broadcaster(100_000, 64L << 20);
    int port = start(b, Duration.ofSeconds(15));
    publish(b, 100, KIB_10);
    List<SseCounter> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        clients.add(SseCounter.resume("127.0.0.1", port, "/t", 1));
      }
      for (SseCounter client : clients) {
        assertThat(client.readThrough(100, 60, TimeUnit.SECONDS)).isTrue();
        assertThat(client.events()).isEqualTo(99);
        assertThat(client.outOfOrder()).isZero();
      }
    } finally {
      for (SseCounter client : clients) {
        client.close();
      }
    }
    assertThat(server.slowConsumers()).isZero();
  }

  @Test
  @DisplayName("a reader that reads in bursts through the switch to live is not cut off")
  void burstyReaderGoesLive() throws Exception {
    Broadcaster<Void> b = broadcaster(100_000, 128L << 20);
    int port = start(b, Duration.ofSeconds(15));
    publish(b, 400, KIB_10); // 4 MB: beyond the socket buffers on a small receive buffer
    int live = 1000;
    Thread publisher =
        new Thread(
            () -> {
              for (int i = 0; i < live; i++) {
                b.publish("t", SseEvent.of("y".repeat(1024)));
                if (i % 20 == 0) {
                  sleep(2);
                }
              }
            });
    try (SseCounter client = SseCounter.resume("127.0.0.1", port, "/t", 1, 16 * 1024)) {
      publisher.start();
      long last = 400 + live;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (client.lastId() < last && !client.ended() && System.nanoTime() < deadline) {
        client.readThrough(client.lastId() + 20, 5, TimeUnit.SECONDS); // a burst, then a pause
        Thread.sleep(1);
      }
      publisher.join(30_000);
      assertThat(client.lastId()).isEqualTo(last);
      assertThat(client.outOfOrder()).isZero();
    }
    assertThat(server.slowConsumers()).isZero();
  }

  @Test
  @DisplayName("a reader that stops during a catch-up is cut off as a slow consumer")
  void stoppedReaderCutOff() throws Exception {
    Broadcaster<Void> b = broadcaster(100_000, 64L << 20);
    int port = start(b, Duration.ofMillis(200));
    publish(b, 2000, KIB_10);
    try (RawHttp stopped = new RawHttp(port, 4096)) {
      stopped.send("GET /t HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 1\r\n\r\n");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.slowConsumers() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(server.slowConsumers()).isPositive();
      // The server ends the stream after a grace second even though the client never read.
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (b.subscribers() != 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(b.subscribers()).isZero();
    }
  }

  @Test
  @DisplayName("a gap opened during a catch-up (history evicted under it) ends the stream")
  void gapDuringCatchUp() throws Exception {
    Broadcaster<Void> b = broadcaster(2000, 64L << 20);
    int port = start(b, Duration.ofSeconds(15));
    publish(b, 2000, KIB_10); // IDs 1 to 2,000 (20 MB, more than socket buffers take), all held
    try (SseCounter client = SseCounter.resume("127.0.0.1", port, "/t", 1, 4096)) {
      Thread.sleep(200); // pages leave until the socket buffers are full
      publish(b, 2000, "later"); // evicts every event the client has yet to be sent
      assertThat(client.readToEnd(20, TimeUnit.SECONDS)).as("stream ended").isTrue();
      assertThat(client.outOfOrder()).as("what it got has no gap").isZero();
      assertThat(client.lastId()).isLessThan(2000);
    }
    try (SseCounter again = SseCounter.resume("127.0.0.1", port, "/t", 1)) {
      // Resuming from an ID no longer held: the route is told (Replay.UNKNOWN_ID) and starts live.
      assertThat(again.status).isEqualTo(200);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
