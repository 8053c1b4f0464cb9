package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Micrometer meters follow what the server does. */
class HeraldServerMetricsTest {
  private HeraldServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close(Duration.ZERO);
    }
  }

  @Test
  @DisplayName("open streams, events and bytes sent, and refused connections are measured")
  void meters() throws Exception {
    server =
        HeraldServer.builder()
            .port(0)
            .maxConnections(1)
            .sse("/events", (req, stream) -> stream.send(SseEvent.of("hello")))
            .build()
            .start();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new HeraldServerMetrics(server, List.of(Tag.of("server", "test"))).bindTo(registry);
    try (RawHttp http = RawHttp.get(server.port(), "/events")) {
      http.readUntil("hello", 5000);
      assertThat(registry.get("herald.streams.open").tag("server", "test").gauge().value())
          .isEqualTo(1);
      assertThat(registry.get("herald.connections.open").gauge().value()).isEqualTo(1);
      assertThat(registry.get("herald.events.sent").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("herald.bytes.sent").functionCounter().count())
          .isEqualTo("d\r\ndata: hello\n\n\r\n".length());
      try (RawHttp refused = RawHttp.get(server.port(), "/events")) {
        assertThat(refused.status).isEqualTo(503);
      }
      assertThat(registry.get("herald.connections.refused").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("herald.streams.slow").functionCounter().count()).isZero();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.openStreams() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(registry.get("herald.streams.open").gauge().value()).isZero();
  }

  @Test
  @DisplayName("events a broadcaster writes together are each counted, with their bytes")
  void broadcastCounts() throws Exception {
    Broadcaster<Void> news =
        Broadcaster.builder(RingEventLog.builder().maxEvents(10).<Void>build())
            .coalesce(Duration.ofMillis(300))
            .build();
    server =
        HeraldServer.builder()
            .port(0)
            .sse("/news", (req, stream) -> news.subscribe(stream, java.util.Set.of("n"), null))
            .build()
            .start();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new HeraldServerMetrics(server, List.of()).bindTo(registry);
    try (RawHttp a = RawHttp.get(server.port(), "/news");
        RawHttp b = RawHttp.get(server.port(), "/news")) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (news.subscribers() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      for (String data : new String[] {"x", "y", "z"}) {
        news.publish("n", SseEvent.of(data));
      }
      a.readUntil("data: z\n\n", 5000);
      b.readUntil("data: z\n\n", 5000);
      assertThat(registry.get("herald.events.sent").functionCounter().count()).isEqualTo(6);
      // each event is one chunk: "9\r\nid: 1\ndata: x\n\n\r\n"
      assertThat(registry.get("herald.bytes.sent").functionCounter().count())
          .isEqualTo(6 * "9\r\nid: 1\ndata: x\n\n\r\n".length());
      // Each publish is timed once per event loop that wrote it (the two streams may share one).
      Timer dispatch = registry.get("herald.dispatch.latency").timer();
      awaitCount(dispatch, 3); // timed just after the flush: the client may read before
      assertThat(dispatch.count()).isBetween(3L, 6L);
      // x left at once; y and z, published right after, waited for the 300 ms window to end.
      assertThat(dispatch.max(TimeUnit.MILLISECONDS)).isBetween(200.0, 5000.0);
    }
  }

  @Test
  @DisplayName(
      "a closed binder stops timing dispatches; another, bound to its own registry, goes on")
  void closedBinderStopsTiming() throws Exception {
    Broadcaster<Void> news = Broadcaster.builder(RingEventLog.builder().<Void>build()).build();
    server =
        HeraldServer.builder()
            .port(0)
            .sse("/news", (req, stream) -> news.subscribe(stream, java.util.Set.of("n"), null))
            .build()
            .start();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HeraldServerMetrics metrics = new HeraldServerMetrics(server, List.of());
    metrics.bindTo(registry);
    Timer dispatch = registry.get("herald.dispatch.latency").timer();
    SimpleMeterRegistry otherRegistry = new SimpleMeterRegistry();
    new HeraldServerMetrics(server, List.of()).bindTo(otherRegistry);
    Timer other = otherRegistry.get("herald.dispatch.latency").timer();
    try (RawHttp a = RawHttp.get(server.port(), "/news")) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (news.subscribers() < 1 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      news.publish("n", SseEvent.of("timed"));
      a.readUntil("data: timed\n\n", 5000);
      awaitCount(dispatch, 1);
      assertThat(dispatch.count()).isEqualTo(1);
      metrics.close();
      news.publish("n", SseEvent.of("untimed"));
      a.readUntil("data: untimed\n\n", 5000);
      news.publish("n", SseEvent.of("flushed")); // the loop's next pass follows untimed's end
      a.readUntil("data: flushed\n\n", 5000);
      awaitCount(other, 3);
      assertThat(other.count()).isEqualTo(3);
      assertThat(dispatch.count()).isEqualTo(1);
      assertThat(registry.find("herald.dispatch.latency").timer()).isNull();
    }
  }

  private static void awaitCount(Timer timer, long count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (timer.count() < count && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }
}
