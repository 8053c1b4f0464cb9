package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.MockResponse;
import dev.herald.testing.RecordedRequest;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Reestablishing the connection and what survives it: S-23, S-31, S-37, S-41, S-45, S-47. */
class ReconnectionTest extends ClientTestBase {
  @Test
  @DisplayName("S-45, S-47: a normal end of stream: error (retry), CONNECTING, reconnect, OPEN")
  void s45EndOfStreamReconnects() throws Exception {
    server.enqueue(MockResponse.stream().send("data: one\n\n").build());
    server.enqueue(MockResponse.stream().send("data: two\n\n").hold().build());
    EventSource source = start();
    listener.expect("open 200", "event message one id=", "error EOFException retry");
    listener.expect("open 200", "event message two id=");
    assertThat(source.readyState()).isEqualTo(ReadyState.OPEN);
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "S-23, S-25: onRetry reports the reconnection time a retry field sets, in stream order,"
          + " on the callback thread; none before the stream sets one")
  void s23OnRetryInStreamOrder() throws Exception {
    server.enqueue(MockResponse.stream().send("data: a\n\nretry: 25\ndata: b\n\n").hold().build());
    java.util.concurrent.BlockingQueue<String> seen =
        new java.util.concurrent.LinkedBlockingQueue<>();
    EventSource source =
        start(
            builder()
                .listener(
                    new EventSourceListener() {
                      @Override
                      public void onEvent(dev.herald.core.SseEvent event) {
                        seen.add("event " + event.data());
                      }

                      @Override
                      public void onRetry(Duration reconnectionTime) {
                        seen.add("retry " + reconnectionTime.toMillis());
                      }
                    }));
    for (String expected : new String[] {"event a", "retry 25", "event b"}) {
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(expected);
    }
    assertThat(source.reconnectionTime()).isEqualTo(Duration.ofMillis(25));
  }

  @Test
  @DisplayName("S-45: a 200 with an empty body is a normal end: reconnect")
  void s45EmptyBodyReconnects() throws Exception {
    server.enqueue(MockResponse.stream().build());
    server.enqueue(MockResponse.stream().hold().build());
    start();
    listener.expect("open 200", "error EOFException retry", "open 200");
  }

  @Test
  @DisplayName("S-43: a network error in the body (connection broken mid-chunk): reconnect")
  void s43BrokenBodyReconnects() throws Exception {
    server.enqueue(MockResponse.stream().send("data: one\n\n").abort().build());
    server.enqueue(MockResponse.stream().hold().build());
    start();
    listener.expect("open 200", "event message one id=");
    String error = listener.next();
    assertThat(error).startsWith("error ").endsWith(" retry");
    assertThat(listener.lastError()).isInstanceOf(IOException.class);
    listener.expect("open 200");
  }

  @Test
  @DisplayName("S-43: connection refused is a network error: retried, then the strategy gives up")
  void s43ConnectionRefused() throws Exception {
    int port = unusedPort();
    EventSource source =
        start(
            builder(URI.create("http://127.0.0.1:" + port + "/events"))
                .errorStrategy(ErrorStrategy.giveUpAfterAttempts(3)));
    listener.expect("error ConnectException retry", "error ConnectException retry");
    listener.expect("error ConnectException final");
    assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    listener.assertNoMoreCallbacks(Duration.ofMillis(100));
  }

  @Test
  @DisplayName("S-41, S-47: the last event ID is sent as Last-Event-ID and reported by new events")
  void s41LastEventIdPersists() throws Exception {
    server.enqueue(MockResponse.stream().send("id: 42\ndata: one\n\n").build());
    server.enqueue(MockResponse.stream().send("data: two\n\n").hold().build());
    EventSource source = start();
    listener.expect("open 200", "event message one id=42", "error EOFException retry");
    listener.expect("open 200", "event message two id=42");
    server.takeRequest();
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo("42");
    assertThat(source.lastEventId()).isEqualTo("42");
  }

  @Test
  @DisplayName("S-31: a block with only an id updates the last event ID that is sent back")
  void s31IdOnlyBlock() throws Exception {
    server.enqueue(MockResponse.stream().send("data: one\n\nid: 7\n\n").build());
    server.enqueue(MockResponse.stream().hold().build());
    start();
    listener.expect("open 200", "event message one id=", "error EOFException retry", "open 200");
    server.takeRequest();
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo("7");
  }

  @Test
  @DisplayName("S-47, S-66: an empty id resets the last event ID: no Last-Event-ID header at all")
  void s47EmptyIdSendsNoHeader() throws Exception {
    server.enqueue(MockResponse.stream().send("id: 1\ndata: a\n\nid\ndata: b\n\n").build());
    server.enqueue(MockResponse.stream().hold().build());
    start();
    listener.expect("open 200", "event message a id=1", "event message b id=");
    listener.expect("error EOFException retry", "open 200");
    server.takeRequest();
    assertThat(server.takeRequest().headers("Last-Event-ID")).isEmpty();
  }

  @Test
  @DisplayName("S-37: an unfinished event is discarded at the end of the stream, with its id")
  void s37PartialEventDiscarded() throws Exception {
    server.enqueue(MockResponse.stream().send("id: 1\ndata: a\n\nid: 2\ndata: lost").build());
    server.enqueue(MockResponse.stream().send("data: b\n\n").hold().build());
    start();
    listener.expect("open 200", "event message a id=1", "error EOFException retry");
    listener.expect("open 200", "event message b id=1");
    server.takeRequest();
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo("1");
  }

  @Test
  @DisplayName("S-51: an ID with spaces, colons and quotes goes back exactly")
  void s51PrintableIdRoundTrips() throws Exception {
    String id = "topic:a \"7\" / ~{x}";
    server.enqueue(MockResponse.stream().send("id: " + id + "\n\n").build());
    server.enqueue(MockResponse.stream().hold().build());
    start();
    listener.expect("open 200", "error EOFException retry", "open 200");
    server.takeRequest();
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo(id);
  }

  @Test
  @DisplayName("S-51: an ID with a control character, which the JDK cannot send, is left out")
  void s51UnsendableIdIsLeftOut() throws Exception {
    server.enqueue(MockResponse.stream().send("id: a\u0001b\ndata: x\n\n").build());
    server.enqueue(MockResponse.stream().hold().build());
    start();
    listener.expect("open 200", "event message x id=a\u0001b", "error EOFException retry");
    listener.expect("open 200");
    server.takeRequest();
    assertThat(server.takeRequest().headers("Last-Event-ID")).isEmpty();
  }

  @Test
  @DisplayName("S-41: an initial last event ID is sent on the first request and reported")
  void s41InitialLastEventId() throws Exception {
    server.enqueue(MockResponse.stream().send("data: a\n\n").hold().build());
    EventSource source = start(builder().lastEventId("abc"));
    assertThat(source.lastEventId()).isEqualTo("abc");
    listener.expect("open 200", "event message a id=abc");
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo("abc");
  }

  @Test
  @DisplayName("S-23: the server's retry sets the reconnection time, across reconnections")
  void s23RetryIsHonoured() throws Exception {
    server.enqueue(MockResponse.stream().send("retry: 50\ndata: a\n\n").build());
    server.enqueue(MockResponse.stream().build());
    server.enqueue(MockResponse.stream().hold().build());
    EventSource source =
        start(builder().reconnectionTime(Duration.ofMinutes(10))); // only retry can make it fast
    listener.expect("open 200", "event message a id=", "error EOFException retry");
    assertThat(source.reconnectionTime()).isEqualTo(Duration.ofMillis(50));
    listener.expect("open 200", "error EOFException retry", "open 200");
  }

  @Test
  @DisplayName("S-47: the source waits the reconnection time before reconnecting")
  void s47WaitsTheReconnectionTime() throws Exception {
    server.enqueue(MockResponse.stream().send("retry: 400\n\n").build());
    server.enqueue(MockResponse.stream().hold().build());
    start();
    server.takeRequest();
    listener.expect("open 200", "error EOFException retry");
    long ended = System.nanoTime();
    assertThat(server.takeRequest().receivedAtNanos() - ended)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
  }

  @Test
  @DisplayName("S-47 step 3: repeated failures back off; a stable connection resets the backoff")
  void backoffGrowsAndResets() throws Exception {
    RetryStrategy backoff =
        RetryStrategy.builder().jitter(false).maxDelay(Duration.ofSeconds(5)).build();
    for (int i = 0; i < 3; i++) {
      server.enqueue(MockResponse.stream().build());
    }
    server.enqueue(MockResponse.stream().hold().build());
    start(builder().reconnectionTime(Duration.ofMillis(100)).retryStrategy(backoff));
    long[] at = new long[4];
    for (int i = 0; i < 4; i++) {
      at[i] = server.takeRequest().receivedAtNanos(); // when it arrived, not when the test looked
    }
    // waits of 100, 200, 400 ms: each at least its backoff (upper bounds would be timing tests)
    assertThat(at[1] - at[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(at[2] - at[1]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(at[3] - at[2]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(400));
  }

  @Test
  @DisplayName("the end of stream reported to onError is an EOFException saying so")
  void endOfStreamError() throws Exception {
    server.enqueue(MockResponse.stream().build());
    server.enqueue(MockResponse.stream().hold().build());
    start();
    listener.expect("open 200", "error EOFException retry");
    assertThat(listener.lastError())
        .isInstanceOf(EOFException.class)
        .hasMessage("the server ended the stream");
  }

  @Test
  @DisplayName("S-47: the request is the same on every reconnection: method, headers, body")
  void sameRequestEachTime() throws Exception {
    server.enqueue(MockResponse.stream().build());
    server.enqueue(MockResponse.stream().hold().build());
    start(
        builder()
            .method("POST")
            .header("Content-Type", "application/json")
            .header("X-Fixed", "f")
            .body("{\"a\":1}"));
    for (int i = 0; i < 2; i++) {
      RecordedRequest request = server.takeRequest();
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.header("Content-Type")).isEqualTo("application/json");
      assertThat(request.header("X-Fixed")).isEqualTo("f");
      assertThat(request.bodyText()).isEqualTo("{\"a\":1}");
    }
  }
}
