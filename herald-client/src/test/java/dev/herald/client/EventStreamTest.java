package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.SseEvent;
import dev.herald.testing.MockResponse;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The pull API: events by iteration, across reconnections, ending with the source. */
class EventStreamTest extends ClientTestBase {
  private EventSource.Builder pulling() {
    return EventSource.builder(server.uri("/events"))
        .reconnectionTime(Duration.ZERO)
        .retryStrategy(RetryStrategy.constant());
  }

  @Test
  @DisplayName("events arrive in order across a reconnection; a 204 then ends with the failure")
  void iteratesUntilFailure() throws Exception {
    server.enqueue(MockResponse.stream().send("id: 1\ndata: a\n\ndata: b\n\n").build());
    server.enqueue(MockResponse.stream().send("data: c\n\n").build());
    server.enqueue(MockResponse.status(204));
    List<String> seen = new ArrayList<>();
    try (EventStream events = pulling().openStream()) {
      Iterator<SseEvent> it = events.iterator();
      for (int i = 0; i < 3; i++) {
        assertThat(it.hasNext()).isTrue();
        SseEvent e = it.next();
        seen.add(e.data() + "/" + e.id());
      }
      assertThatThrownBy(it::hasNext)
          .isInstanceOf(ResponseException.class)
          .hasMessageContaining("HTTP 204");
      assertThat(it.hasNext()).isFalse();
      assertThat(events.source().readyState()).isEqualTo(ReadyState.CLOSED);
      assertThatThrownBy(events::iterator).isInstanceOf(IllegalStateException.class);
    }
    assertThat(seen).containsExactly("a/1", "b/1", "c/1");
  }

  @Test
  @DisplayName("for-each works; close() from another thread ends a blocked iteration")
  void closeEndsIteration() throws Exception {
    server.enqueue(MockResponse.stream().send("data: only\n\n").hold().build());
    EventStream events = pulling().openStream();
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    CompletableFuture<Void> consumer =
        CompletableFuture.runAsync(
            () -> {
              for (SseEvent e : events) {
                seen.add(e.data());
              }
            });
    assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("only");
    assertThat(consumer).isNotDone(); // blocked, waiting for more
    events.close();
    consumer.get(10, TimeUnit.SECONDS);
    assertThat(seen).isEmpty();
  }

  @Test
  @DisplayName("when the error strategy gives up, the IOException arrives unchecked")
  void gaveUp() throws Exception {
    URI refused = URI.create("http://127.0.0.1:" + unusedPort() + "/");
    try (EventStream events =
        EventSource.builder(refused)
            .reconnectionTime(Duration.ZERO)
            .errorStrategy(ErrorStrategy.giveUpAfterAttempts(2))
            .openStream()) {
      assertThatThrownBy(() -> events.iterator().hasNext())
          .isInstanceOf(UncheckedIOException.class);
    }
  }

  @Test
  @DisplayName("a consumer that lags holds the source back instead of losing events")
  void backpressure() throws Exception {
    MockResponse.Builder many = MockResponse.stream();
    int count = EventStream.CAPACITY * 3;
    for (int i = 0; i < count; i++) {
      many.send("data: " + i + "\n\n");
    }
    server.enqueue(many.hold().build());
    try (EventStream events = pulling().openStream()) {
      server.takeRequest();
      Iterator<SseEvent> it = events.iterator();
      for (int i = 0; i < count; i++) {
        assertThat(it.next().data()).isEqualTo(Integer.toString(i));
      }
    }
  }
}
