package dev.herald.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.SseEvent;
import dev.herald.server.Request;
import dev.herald.server.Response;
import dev.herald.spring.StreamSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The transport-free part of the Spring streams, through a transport that records what leaves: the
 * byte budget, held headers, close, the close callbacks and {@code whenWritten}, as {@code
 * SseStream}'s contract describes them. The servlet and WebFlux streams over real connections are
 * MvcTest's and WebFluxTest's.
 */
class QueuedSseStreamTest {
  private static final StreamSettings SETTINGS = new StreamSettings(Duration.ZERO, 100, "lastId");

  @Test
  void aHeaderWithCrLfOrNulIsRefusedOnEveryTransport() {
    for (String bad : new String[] {"a\rb", "a\nb", "a\u0000b"}) {
      assertThatThrownBy(() -> QueuedSseStream.checkHeader(bad, "v"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a header holds CR, LF or NUL");
      assertThatThrownBy(() -> QueuedSseStream.checkHeader("X-Name", bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatCode(() -> QueuedSseStream.checkHeader("X-Name", "value")).doesNotThrowAnyException();
  }

  @Test
  void sendWritesOnAWriterThreadAndEventsQueuedMeanwhileLeaveTogether() throws Exception {
    java.util.concurrent.LinkedBlockingQueue<Runnable> writer =
        new java.util.concurrent.LinkedBlockingQueue<>();
    Recording stream =
        new Recording(new StreamSettings(Duration.ZERO, 1000, null), null, Map.of(), writer::add);
    SseEvent a = SseEvent.of("a");
    assertThat(stream.send(a)).isTrue();
    assertThat(stream.send(SseEvent.of("b"))).isTrue();
    assertThat(stream.wire()).isEmpty(); // nothing written on the sender's thread
    assertThat(writer).hasSize(1); // one drain for both events
    writer.take().run();
    assertThat(stream.wire()).isEqualTo("data: a\n\ndata: b\n\n");
    assertThat(writer).isEmpty();
  }

  @Test
  void anEventPastTheBudgetIsRefusedAndEndsTheStreamOnce() {
    Recording stream = new Recording(SETTINGS, null, Map.of());
    stream.ready = false; // the client reads nothing
    List<String> closed = new ArrayList<>();
    stream.onClose(() -> closed.add("first"));
    stream.onClose(() -> closed.add("second"));

    assertThat(stream.send(data(60))).isTrue();
    assertThat(stream.send(data(60))).isFalse(); // 60 + 60 bytes and more: past 100

    assertThat(stream.isOpen()).isFalse();
    assertThat(stream.send(data(1))).isFalse();
    assertThat(closed).containsExactly("first", "second");
    assertThat(stream.completions).isEqualTo(1);
    assertThat(stream.wire()).isEmpty();
  }

  @Test
  void bytesTakenByTheTransportLeaveTheBudget() {
    Recording stream = new Recording(SETTINGS, null, Map.of());
    for (int i = 0; i < 10; i++) {
      assertThat(stream.send(data(60))).isTrue();
    }
    assertThat(stream.isOpen()).isTrue();
  }

  @Test
  void eventsSentWhileTheHeadersAreHeldLeaveWhenTheyAreSent() {
    Recording stream = new Recording(SETTINGS, null, Map.of());
    stream.holdHeaders();
    stream.send(SseEvent.of("held"));
    assertThat(stream.wire()).isEmpty();

    stream.sendHeaders();

    assertThat(stream.wire()).isEqualTo("data: held\n\n");
  }

  @Test
  void closeCompletesOnceTheQueueIsWrittenAndEndsAHold() {
    Recording stream = new Recording(SETTINGS, null, Map.of());
    stream.holdHeaders();
    stream.send(SseEvent.of("last"));

    stream.close();

    assertThat(stream.wire()).isEqualTo("data: last\n\n");
    assertThat(stream.completions).isEqualTo(1);
    assertThat(stream.isOpen()).isFalse();
    assertThat(stream.send(SseEvent.of("late"))).isFalse();
  }

  @Test
  void whenWrittenRunsOnceTheQueueHasLeft() {
    Recording stream = new Recording(SETTINGS, null, Map.of());
    stream.ready = false;
    stream.send(SseEvent.of("pending"));
    List<String> runs = new ArrayList<>();

    stream.whenWritten(() -> runs.add("written"));
    assertThat(runs).isEmpty();

    stream.ready = true;
    stream.writable();
    assertThat(runs).containsExactly("written");
    assertThat(stream.wire()).isEqualTo("data: pending\n\n");
  }

  @Test
  void aCallbackRegisteredAfterTheEndRunsAtOnceAndWhenWrittenToo() {
    Recording stream = new Recording(SETTINGS, null, Map.of());
    stream.reject(204, "");
    List<String> runs = new ArrayList<>();

    stream.onClose(() -> runs.add("closed"));
    stream.whenWritten(() -> runs.add("written"));

    assertThat(runs).containsExactly("closed", "written");
    assertThat(stream.rejected.status()).isEqualTo(204);
  }

  @Test
  void aFailingCallbackDoesNotKeepTheOthersFromRunning() {
    Recording stream = new Recording(SETTINGS, null, Map.of());
    List<String> runs = new ArrayList<>();
    stream.onClose(
        () -> {
          throw new IllegalStateException("a failing close callback (expected by the test)");
        });
    stream.onClose(() -> runs.add("after"));

    stream.close();

    assertThat(runs).containsExactly("after");
  }

  @Test
  void theLastEventIdIsTheHeaderElseTheQueryParameter() {
    assertThat(new Recording(SETTINGS, "7", Map.of("lastId", "3")).lastEventId()).isEqualTo("7");
    assertThat(new Recording(SETTINGS, null, Map.of("lastId", "3")).lastEventId()).isEqualTo("3");
    StreamSettings noParameter = new StreamSettings(Duration.ZERO, 100, null);
    assertThat(new Recording(noParameter, null, Map.of("lastId", "3")).lastEventId()).isNull();
  }

  @Test
  void aFailureTheTransportDidNotCatchEndsTheStreamAndCompletesItsResponse() {
    Recording stream = new Recording(SETTINGS, null, Map.of());
    List<String> closed = new ArrayList<>();
    stream.onClose(() -> closed.add("closed"));
    Error boom = new AssertionError("a failure the transport does not catch");
    stream.failure = boom;
    assertThatThrownBy(() -> stream.send(SseEvent.of("a"))).isSameAs(boom);
    assertThat(stream.isOpen()).isFalse();
    assertThat(closed).containsExactly("closed");
    assertThat(stream.completions).as("the response completed").isEqualTo(1);
    // No drain is left waiting for the failed one: a later one runs (the whenWritten action).
    List<String> written = new ArrayList<>();
    stream.whenWritten(() -> written.add("ran"));
    assertThat(written).containsExactly("ran");
  }

  private static SseEvent data(int bytes) {
    return SseEvent.of("x".repeat(bytes));
  }

  /** A transport that takes everything while {@link #ready}, recording the bytes. */
  private static final class Recording extends QueuedSseStream {
    final StringBuilder wire = new StringBuilder();
    volatile boolean ready = true;
    volatile Error failure; // thrown by the next writeQueued
    int completions;
    Response rejected;

    Recording(StreamSettings settings, String header, Map<String, String> parameters) {
      this(settings, header, parameters, Runnable::run); // written on the sender's thread
    }

    Recording(
        StreamSettings settings,
        String header,
        Map<String, String> parameters,
        java.util.concurrent.Executor writers) {
      super(
          LoggerFactory.getLogger(QueuedSseStreamTest.class),
          Request.builder("GET", "/events").build(),
          settings,
          header,
          parameters::get,
          writers);
    }

    String wire() {
      return wire.toString();
    }

    void writable() {
      drain();
    }

    @Override
    public void reject(Response response) {
      rejected = response;
      end(null, null);
    }

    @Override
    public void header(String name, String value) {}

    @Override
    protected void writeQueued() {
      Error f = failure;
      if (f != null) {
        failure = null;
        throw f;
      }
      if (holding() || !ready) {
        return;
      }
      byte[] next;
      while ((next = poll()) != null) {
        wire.append(new String(next, StandardCharsets.UTF_8));
      }
      if (checkFinished()) {
        end(null, null);
      }
    }

    @Override
    protected void completeResponse() {
      completions++;
    }
  }
}
