package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.SseLimitExceededException;
import dev.herald.testing.MockResponse;
import dev.herald.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What services add to the browser's rules: timeouts, headers, bodies, limits, checks. */
class ServiceFeaturesTest extends ClientTestBase {
  @Test
  @DisplayName("read timeout: no byte for the timeout drops the connection and reconnects")
  void readTimeout() throws Exception {
    server.enqueue(MockResponse.stream().send("data: a\n\n").hold().build());
    server.enqueue(MockResponse.stream().hold().build());
    start(builder().readTimeout(Duration.ofMillis(300)));
    listener.expect("open 200", "event message a id=", "error HttpTimeoutException retry");
    assertThat(listener.lastError()).hasMessageContaining("read timeout");
    assertThat(server.takeRequest().connection().awaitClosed(Duration.ofSeconds(10))).isTrue();
    listener.expect("open 200");
  }

  @Test
  @DisplayName("read timeout: heartbeat comments keep the connection alive")
  void heartbeatsKeepAlive() throws Exception {
    MockResponse.Builder heartbeats = MockResponse.stream();
    for (int i = 0; i < 6; i++) {
      heartbeats.pause(Duration.ofMillis(100)).send(":\n");
    }
    server.enqueue(heartbeats.send("data: still here\n\n").hold().build());
    start(builder().readTimeout(Duration.ofMillis(400)));
    listener.expect("open 200");
    for (int i = 0; i < 6; i++) {
      listener.expect("comment ");
    }
    listener.expect("event message still here id=");
  }

  @Test
  @DisplayName("read timeout: a server that never answers is timed out too")
  void readTimeoutBeforeHeaders() throws Exception {
    start(builder().readTimeout(Duration.ofMillis(200))); // nothing enqueued: no response
    listener.expect("error HttpTimeoutException retry");
    assertThat(listener.lastError()).isInstanceOf(HttpTimeoutException.class);
  }

  @Test
  @DisplayName("a header supplier is asked before each connection: a refreshed token")
  void dynamicHeaders() throws Exception {
    server.enqueue(MockResponse.stream().build(), MockResponse.stream().hold().build());
    AtomicInteger token = new AtomicInteger();
    start(
        builder()
            .header("Authorization", () -> "Bearer token-" + token.incrementAndGet())
            .header("X-Absent", () -> null));
    assertThat(server.takeRequest().header("Authorization")).isEqualTo("Bearer token-1");
    RecordedRequest second = server.takeRequest();
    assertThat(second.header("Authorization")).isEqualTo("Bearer token-2");
    assertThat(second.headers("X-Absent")).isEmpty();
  }

  @Test
  @DisplayName("a header supplier that throws fails that attempt like a network error")
  void throwingSupplier() throws Exception {
    server.enqueue(MockResponse.stream().hold().build());
    AtomicInteger calls = new AtomicInteger();
    start(
        builder()
            .header(
                "Authorization",
                () -> {
                  if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("token service down");
                  }
                  return "Bearer ok";
                }));
    listener.expect("error IllegalStateException retry", "open 200");
    assertThat(server.takeRequest().header("Authorization")).isEqualTo("Bearer ok");
  }

  @Test
  @DisplayName("fixed headers replace the source's own Accept and Cache-Control")
  void headersReplaceDefaults() throws Exception {
    server.enqueue(MockResponse.stream().hold().build());
    start(
        builder().header("accept", "text/event-stream, */*").header("X-A", "1").header("x-a", "2"));
    RecordedRequest request = server.takeRequest();
    assertThat(request.headers("Accept")).containsExactly("text/event-stream, */*");
    assertThat(request.headers("X-A")).containsExactly("2");
  }

  @Test
  @DisplayName("REPORT with a body, as LaunchDarkly's streams use")
  void reportMethod() throws Exception {
    server.enqueue(MockResponse.stream().hold().build());
    start(builder().method("REPORT").header("Content-Type", "application/json").body("{}"));
    RecordedRequest request = server.takeRequest();
    assertThat(request.method()).isEqualTo("REPORT");
    assertThat(request.bodyText()).isEqualTo("{}");
  }

  @Test
  @DisplayName("a line past maxLineBytes drops the connection with the limit named, and retries")
  void lineLimit() throws Exception {
    server.enqueue(MockResponse.stream().send("data: " + "x".repeat(100) + "\n\n").build());
    server.enqueue(MockResponse.stream().send("data: short\n\n").hold().build());
    start(builder().maxLineBytes(64));
    listener.expect("open 200", "error SseLimitExceededException retry");
    assertThat(((SseLimitExceededException) listener.lastError()).limitName())
        .isEqualTo("maxLineBytes");
    listener.expect("open 200", "event message short id=");
  }

  @Test
  @DisplayName("the error strategy can give up after a time spent failing")
  void giveUpAfterTime() throws Exception {
    start(
        builder(URI.create("http://127.0.0.1:" + unusedPort() + "/events"))
            .reconnectionTime(Duration.ofMillis(20))
            .errorStrategy(ErrorStrategy.giveUpAfter(Duration.ofMillis(200))));
    String line;
    do {
      line = listener.next();
    } while (line.endsWith(" retry"));
    assertThat(line).endsWith(" final");
  }

  @Test
  @DisplayName("arguments are checked when set, naming the parameter")
  void builderChecks() {
    URI uri = server.uri();
    assertThatThrownBy(() -> EventSource.builder(URI.create("ftp://x/")))
        .hasMessageContaining("http or https");
    assertThatThrownBy(() -> EventSource.builder(URI.create("/relative")))
        .hasMessageContaining("absolute");
    assertThatThrownBy(() -> EventSource.builder(uri).header("Host", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventSource.builder(uri).header("Last-Event-ID", "1"))
        .hasMessageContaining("lastEventId(");
    assertThatThrownBy(() -> EventSource.builder(uri).header("X", "a\nb"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventSource.builder(uri).lastEventId("a\nb"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventSource.builder(uri).method("BAD METHOD"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventSource.builder(uri).readTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("readTimeout");
    assertThatThrownBy(() -> EventSource.builder(uri).maxLineBytes(0))
        .hasMessageContaining("maxLineBytes");
    assertThatThrownBy(() -> EventSource.builder(uri).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("listener");
    assertThatThrownBy(() -> EventSource.builder(uri).listener(e -> {}).openStream())
        .isInstanceOf(IllegalStateException.class);
  }
}
