package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A {@link Broadcaster} delivers its topics to a stream of another transport, through {@link
 * SseStream} alone, with the semantics a {@link HeraldServer}'s streams get.
 */
class SecondTransportTest {
  private final Broadcaster<Void> broadcaster =
      Broadcaster.create(RingEventLog.builder().maxEvents(100_000).maxBytes(64L << 20).build());
  private final List<RecordingStream> streams = new ArrayList<>();
  private HeraldServer server;

  @AfterEach
  void stop() {
    streams.forEach(RecordingStream::close);
    if (server != null) {
      server.close(Duration.ZERO);
    }
  }

  private RecordingStream stream(String lastEventId) {
    RecordingStream stream = new RecordingStream(lastEventId, 100_000);
    streams.add(stream);
    return stream;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline).as(what).isTrue();
      Thread.sleep(2);
    }
  }

  private static List<String> numbers(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).toList();
  }

  @Test
  @DisplayName("a stream of another transport receives the live events of its topics, in order")
  void live() throws Exception {
    RecordingStream news = stream(null);
    RecordingStream other = stream(null);
    assertThat(broadcaster.subscribe(news, Set.of("news"), null)).isEqualTo(Replay.LIVE);
    broadcaster.subscribe(other, Set.of("other", "news"), null);
    await("both subscribed", () -> broadcaster.subscribers() == 2);
    broadcaster.publish("news", SseEvent.of("a"));
    broadcaster.publish("other", SseEvent.of("b"));
    broadcaster.publish(Set.of("news", "other"), SseEvent.of("c"));
    await("news has a and c", () -> news.received().size() == 2);
    await("other has a, b and c", () -> other.received().size() == 3);
    assertThat(news.received()).extracting(SseEvent::data).containsExactly("a", "c");
    assertThat(other.ids()).containsExactly("1", "2", "3");
    assertThat(news.caller().getName()).startsWith("herald-broadcast-");
  }

  @Test
  @DisplayName(
      "a stream that resumes while publishes race gets every later event once, in order, the"
          + " backlog page by page")
  void resumeDuringPublishes() throws Exception {
    for (int i = 0; i < 5000; i++) {
      broadcaster.publish("t", SseEvent.of("old"));
    }
    Thread publisher =
        new Thread(
            () -> {
              for (int i = 0; i < 5000; i++) {
                broadcaster.publish("t", SseEvent.of("new"));
              }
            });
    RecordingStream resumed = stream("100");
    publisher.start();
    assertThat(broadcaster.subscribe(resumed, Set.of("t"), "100")).isEqualTo(Replay.RESUMED);
    publisher.join(10_000);
    await("the last event", () -> resumed.ids().contains("10000"));
    assertThat(resumed.ids()).isEqualTo(numbers(101, 10_000));
    assertThat(resumed.pacings())
        .as("pages, each sent once the last had been written")
        .isGreaterThan(1);
  }

  @Test
  @DisplayName("a stream that closes is no longer subscribed and gets nothing more")
  void removedWhenClosed() throws Exception {
    RecordingStream gone = stream(null);
    RecordingStream staying = stream(null);
    broadcaster.subscribe(gone, Set.of("t"), null);
    broadcaster.subscribe(staying, Set.of("t"), null);
    await("both subscribed", () -> broadcaster.subscribers() == 2);
    broadcaster.publish("t", SseEvent.of("before"));
    await("before", () -> gone.received().size() == 1);
    gone.close();
    await("one left", () -> broadcaster.subscribers() == 1);
    broadcaster.publish("t", SseEvent.of("after"));
    await("after", () -> staying.received().size() == 2);
    assertThat(gone.received()).extracting(SseEvent::data).containsExactly("before");
  }

  @Test
  @DisplayName(
      "a HeraldServer stream and a stream of another transport on one topic get every event")
  void bothTransports() throws Exception {
    server =
        HeraldServer.builder()
            .port(0)
            .sse("/t", (request, stream) -> broadcaster.subscribe(stream, Set.of("t"), null))
            .build()
            .start();
    RecordingStream recorded = stream(null);
    try (RawHttp netty = RawHttp.get(server.port(), "/t")) {
      broadcaster.subscribe(recorded, Set.of("t"), null);
      await("both subscribed", () -> broadcaster.subscribers() == 2);
      StringBuilder expected = new StringBuilder();
      for (int i = 1; i <= 200; i++) {
        broadcaster.publish("t", SseEvent.of("e" + i));
        expected.append("id: ").append(i).append("\ndata: e").append(i).append("\n\n");
      }
      assertThat(netty.readUntil("data: e200\n\n", 10_000)).isEqualTo(expected.toString());
      await("the recorded stream has all", () -> recorded.received().size() == 200);
      assertThat(recorded.ids()).isEqualTo(numbers(1, 200));
    }
  }

  @Test
  @DisplayName("the streams of another transport are called on the executor given to deliverOn")
  void deliverOn() throws Exception {
    ExecutorService executor =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "the-transports-own"));
    try {
      Broadcaster<Void> own =
          Broadcaster.builder(RingEventLog.builder().<Void>build()).deliverOn(executor).build();
      RecordingStream stream = stream(null);
      own.subscribe(stream, Set.of("t"), null);
      own.publish("t", SseEvent.of("x"));
      await("the event", () -> stream.received().size() == 1);
      assertThat(stream.caller().getName()).isEqualTo("the-transports-own");
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  @DisplayName(
      "when the delivery executor refuses work, the streams of another transport are closed (their"
          + " clients resume), never left open missing events")
  void refusedExecutorClosesStreams() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    Broadcaster<Void> own =
        Broadcaster.builder(RingEventLog.builder().<Void>build()).deliverOn(executor).build();
    RecordingStream listed = stream(null);
    own.subscribe(listed, Set.of("t"), null);
    own.publish("t", SseEvent.of("before"));
    await("the first event", () -> listed.received().size() == 1);
    executor.shutdown();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    own.publish("t", SseEvent.of("refused")); // its pass is refused
    assertThat(listed.isOpen()).as("a stream that would miss events").isFalse();
    RecordingStream later = stream(null);
    own.subscribe(later, Set.of("t"), null);
    assertThat(later.isOpen()).as("a stream subscribed after the refusal").isFalse();
  }
}
