package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The outbound budget of slow clients, and graceful shutdown. */
class BackpressureAndShutdownTest {
  private HeraldServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close(Duration.ZERO);
    }
  }

  @Test
  @DisplayName("a client that stops reading is closed at its budget; others are unaffected")
  void slowConsumerClosed() throws Exception {
    List<SseStream> streams = new CopyOnWriteArrayList<>();
    CountDownLatch slowClosed = new CountDownLatch(1);
    server =
        HeraldServer.builder()
            .port(0)
            .maxPendingBytes(64 * 1024)
            .sse(
                "/events",
                (req, stream) -> {
                  streams.add(stream);
                  if ("slow".equals(req.query("who"))) {
                    stream.onClose(slowClosed::countDown);
                  }
                })
            .build()
            .start();
    int port = server.port();
    try (RawHttp slow = new RawHttp(port, 4096);
        RawHttp fast = RawHttp.get(port, "/events?who=fast")) {
      slow.send("GET /events?who=slow HTTP/1.1\r\nHost: x\r\n\r\n");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (streams.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      String payload = "x".repeat(1000);
      int sent = 0;
      boolean refused = false;
      // The slow client never reads: its socket buffers fill, then the budget, then it is closed.
      for (int i = 0; i < 20_000 && !refused; i++) {
        for (SseStream s : streams) {
          boolean accepted =
              s.send(SseEvent.builder().id(Integer.toString(i)).data(payload).build());
          if (!accepted && "slow".equals(s.request().query("who"))) {
            refused = true;
          }
        }
        sent = i;
        if (i % 50 == 0) {
          fast.readUntil("id: " + i + "\n", 5000); // the fast client keeps up
        }
      }
      assertThat(refused).as("send reports backpressure").isTrue();
      assertThat(slowClosed.await(5, TimeUnit.SECONDS)).as("slow client closed").isTrue();
      assertThat(server.slowConsumers()).isPositive();
      String last = "id: " + sent + "\n";
      assertThat(fast.readUntil(last, 10_000)).contains(last);
      SseStream fastStream =
          streams.stream()
              .filter(s -> s.request().query("who").equals("fast"))
              .findFirst()
              .orElseThrow();
      assertThat(fastStream.isOpen()).isTrue();
    }
  }

  @Test
  @DisplayName("with the DROP policy a slow client stays open and loses what does not fit")
  void dropPolicy() throws Exception {
    List<SseStream> streams = new CopyOnWriteArrayList<>();
    server =
        HeraldServer.builder()
            .port(0)
            .maxPendingBytes(32 * 1024)
            .slowConsumerPolicy(SlowConsumerPolicy.DROP, Duration.ofSeconds(1))
            .sse("/events", (req, stream) -> streams.add(stream))
            .build()
            .start();
    try (RawHttp slow = new RawHttp(server.port(), 4096)) {
      slow.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (streams.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      int refused = 0;
      for (int i = 0; i < 5000; i++) {
        if (!streams.get(0).send(SseEvent.of("y".repeat(1000)))) {
          refused++;
        }
      }
      assertThat(refused).isPositive();
      Thread.sleep(200);
      assertThat(streams.get(0).isOpen()).isTrue();
    }
  }

  @Test
  @DisplayName("graceful shutdown sends a retry hint with jitter, then ends each stream")
  void gracefulShutdown() throws Exception {
    server =
        HeraldServer.builder()
            .port(0)
            .drain(Duration.ofMillis(300))
            .sse("/events", (req, stream) -> stream.send(SseEvent.of("hello")))
            .build()
            .start();
    int port = server.port();
    try (RawHttp a = RawHttp.get(port, "/events");
        RawHttp b = RawHttp.get(port, "/events")) {
      a.readUntil("hello", 5000);
      b.readUntil("hello", 5000);
      Thread closer = new Thread(() -> server.close());
      closer.start();
      for (RawHttp client : List.of(a, b)) {
        String body = client.readToEnd();
        assertThat(body).matches("(?s)data: hello\n\nretry: \\d+\n\n");
        long retry = Long.parseLong(body.replaceAll("(?s).*retry: (\\d+).*", "$1"));
        assertThat(retry).isBetween(1000L, 2300L);
      }
      closer.join(5000);
      assertThat(server.openStreams()).isZero();
    }
    server = null;
  }
}
