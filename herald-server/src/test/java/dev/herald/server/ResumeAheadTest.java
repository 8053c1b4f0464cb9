package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A last event ID the log knows before the broadcaster has delivered it: a log shared by several
 * nodes (another node appended it, this one has not received it yet), or a store read just after a
 * commit and before the update's publish reached the delivery. The subscription must neither go
 * live at once (it would get the events up to its ID again) nor miss any later event.
 */
class ResumeAheadTest {
  private HeraldServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close(Duration.ZERO);
    }
  }

  /**
   * A ring whose IDs, "1", "2", ..., are also known ahead of their append: {@code positionOf("n")}
   * is position n even before the n-th event has been appended here, as a shared log would answer.
   */
  private static final class SharedLog implements EventLog<Void> {
    private final RingEventLog<Void> ring = RingEventLog.builder().maxEvents(10_000).build();

    @Override
    public LoggedEvent<Void> append(Set<String> topics, SseEvent event, Void payload) {
      return ring.append(topics, event, payload);
    }

    @Override
    public Cursor last() {
      return ring.last();
    }

    @Override
    public Optional<Cursor> positionOf(String id) {
      return Optional.of(Cursor.of(Long.parseLong(id)));
    }

    @Override
    public Optional<List<LoggedEvent<Void>>> read(Cursor after, int maxEvents, long maxBytes) {
      return ring.read(after, maxEvents, maxBytes);
    }
  }

  private static void publish(Broadcaster<Void> b, int from, int to) {
    for (int i = from; i <= to; i++) {
      b.publish("t", SseEvent.of("event " + i));
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline).as(what).isTrue();
      Thread.sleep(2);
    }
  }

  @Test
  @DisplayName(
      "a Netty stream resuming from an event not yet delivered gets exactly the later ones, once")
  void nettyStream() throws Exception {
    Broadcaster<Void> b = Broadcaster.create(new SharedLog());
    server =
        HeraldServer.builder()
            .port(0)
            .eventLoopThreads(1)
            .sse("/t", (req, stream) -> b.subscribe(stream, Set.of("t"), stream.lastEventId()))
            .build()
            .start();
    publish(b, 1, 3);
    try (SseCounter client = SseCounter.resume("127.0.0.1", server.port(), "/t", 50)) {
      await("subscribed", () -> b.subscribers() == 1);
      publish(b, 4, 120); // 4..50 are what the client already has
      assertThat(client.readThrough(120, 10, TimeUnit.SECONDS)).isTrue();
      assertThat(client.events()).as("51 to 120").isEqualTo(70);
      assertThat(client.outOfOrder()).as("gaps and duplicates").isZero();
    }
  }

  @Test
  @DisplayName(
      "a stream of another transport resuming from an event not yet delivered gets exactly the"
          + " later ones, once")
  void otherTransport() throws Exception {
    Broadcaster<Void> b = Broadcaster.create(new SharedLog());
    publish(b, 1, 3);
    RecordingStream stream = new RecordingStream("50", 100_000);
    try {
      b.subscribe(stream, Set.of("t"), "50");
      await("subscribed", () -> b.subscribers() == 1);
      publish(b, 4, 120);
      await("120 received", () -> stream.ids().contains("120"));
      assertThat(stream.ids())
          .containsExactlyElementsOf(
              IntStream.rangeClosed(51, 120).mapToObj(Integer::toString).toList());
    } finally {
      stream.close();
    }
  }
}
