package dev.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.SseEvent;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The mock server over real loopback sockets, seen byte for byte by a raw HTTP client. */
class MockSseServerTest {
  private final MockSseServer server = MockSseServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  @DisplayName("a stream response: SSE headers, one chunk per send, then the last chunk and close")
  void scriptedStream() throws Exception {
    server.enqueue(
        MockResponse.stream()
            .send("data: one\n\n")
            .event(SseEvent.builder().id("2").data("two").build())
            .build());
    try (RawClient http = RawClient.get(server.port(), "/events")) {
      assertThat(http.statusLine).isEqualTo("HTTP/1.1 200 OK");
      assertThat(http.headers)
          .containsEntry("content-type", "text/event-stream; charset=utf-8")
          .containsEntry("cache-control", "no-cache")
          .containsEntry("transfer-encoding", "chunked")
          .containsEntry("connection", "close");
      assertThat(http.readChunk()).isEqualTo("data: one\n\n");
      assertThat(http.readChunk()).isEqualTo("id: 2\ndata: two\n\n");
      assertThat(http.readChunk()).isEmpty(); // the last chunk: a normal end of the body
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  @DisplayName("the request is recorded: method, target, path, headers, Content-Length body")
  void recordsRequest() throws Exception {
    server.enqueue(MockResponse.status(204));
    String body = "{\"hello\":\"wörld\"}";
    int length = body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    long sent = System.nanoTime();
    try (RawClient http =
        RawClient.send(
            server.port(),
            "POST /events?topic=a HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 42\r\nX-Two: a\r\n"
                + "x-two: b\r\nContent-Length: "
                + length
                + "\r\n\r\n"
                + body)) {
      assertThat(http.statusLine).isEqualTo("HTTP/1.1 204 No Content");
      assertThat(http.headers).containsEntry("content-length", "0");
    }
    RecordedRequest request = server.takeRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.target()).isEqualTo("/events?topic=a");
    assertThat(request.path()).isEqualTo("/events");
    assertThat(request.version()).isEqualTo("HTTP/1.1");
    assertThat(request.header("last-event-id")).isEqualTo("42");
    assertThat(request.headers("X-TWO")).containsExactly("a", "b");
    assertThat(request.bodyText()).isEqualTo(body);
    assertThat(request.sequenceNumber()).isZero();
    assertThat(request.receivedAtNanos()).isBetween(sent, System.nanoTime());
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("a chunked request body is recorded whole")
  void chunkedRequestBody() throws Exception {
    server.enqueue(MockResponse.status(200));
    try (RawClient http =
        RawClient.send(
            server.port(),
            "REPORT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")) {
      assertThat(http.statusLine).isEqualTo("HTTP/1.1 200 OK");
    }
    RecordedRequest request = server.takeRequest();
    assertThat(request.method()).isEqualTo("REPORT");
    assertThat(request.bodyText()).isEqualTo("abcde");
  }

  @Test
  @DisplayName("a header value the client wrote as UTF-8 reads back with headerUtf8")
  void utf8HeaderValue() throws Exception {
    server.enqueue(MockResponse.status(204));
    try (RawClient http =
        RawClient.send(server.port(), "GET / HTTP/1.1\r\nLast-Event-ID: é✓\r\n\r\n")) {
      assertThat(http.statusLine).startsWith("HTTP/1.1 204");
    }
    RecordedRequest request = server.takeRequest();
    assertThat(request.headerUtf8("Last-Event-ID")).isEqualTo("é✓");
    assertThat(request.header("Last-Event-ID")).hasSize("é✓".getBytes("UTF-8").length);
  }

  @Test
  @DisplayName("redirects and statuses carry their Location and no body")
  void redirect() throws Exception {
    server.enqueue(MockResponse.redirect(307, "/elsewhere"));
    try (RawClient http = RawClient.get(server.port(), "/")) {
      assertThat(http.statusLine).isEqualTo("HTTP/1.1 307 Temporary Redirect");
      assertThat(http.headers)
          .containsEntry("location", "/elsewhere")
          .containsEntry("content-length", "0");
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  @DisplayName("removeHeader drops a default header, such as the stream's Content-Type")
  void removeHeader() throws Exception {
    server.enqueue(MockResponse.stream().removeHeader("content-type").send("data: x\n\n").build());
    try (RawClient http = RawClient.get(server.port(), "/")) {
      assertThat(http.headers).doesNotContainKey("content-type").containsKey("cache-control");
    }
  }

  @Test
  @DisplayName("abort closes the connection in the middle of the body, without the last chunk")
  void abort() throws Exception {
    server.enqueue(MockResponse.stream().send("data: partial").abort().build());
    try (RawClient http = RawClient.get(server.port(), "/")) {
      assertThat(http.readChunk()).isEqualTo("data: partial");
      assertThat(http.readChunk()).isNull(); // no last chunk: the body broke off
    }
  }

  @Test
  @DisplayName("pause delays the next chunk by at least the pause")
  void pause() throws Exception {
    server.enqueue(MockResponse.stream().send("a").pause(Duration.ofMillis(200)).send("b").build());
    try (RawClient http = RawClient.get(server.port(), "/")) {
      assertThat(http.readChunk()).isEqualTo("a");
      long start = System.nanoTime();
      assertThat(http.readChunk()).isEqualTo("b");
      assertThat(System.nanoTime() - start)
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
    }
  }

  @Test
  @DisplayName("hold keeps the connection open for live sends, then end finishes the body")
  void holdAndDrive() throws Exception {
    server.enqueue(MockResponse.stream().send("data: scripted\n\n").hold().build());
    try (RawClient http = RawClient.get(server.port(), "/")) {
      MockConnection connection = server.takeRequest().connection();
      assertThat(http.readChunk()).isEqualTo("data: scripted\n\n");
      connection.send("data: live\n\n");
      connection.send(SseEvent.of("event"));
      assertThat(http.readChunk()).isEqualTo("data: live\n\n");
      assertThat(http.readChunk()).isEqualTo("data: event\n\n");
      assertThat(connection.isOpen()).isTrue();
      connection.end();
      assertThat(http.readChunk()).isEmpty();
      assertThat(http.closedByServer()).isTrue();
      assertThat(connection.isOpen()).isFalse();
      assertThatThrownBy(() -> connection.send("late")).isInstanceOf(UncheckedIOException.class);
    }
  }

  @Test
  @DisplayName("a held connection notices when the client closes it")
  void clientCloseIsSeen() throws Exception {
    server.enqueue(MockResponse.stream().hold().build());
    RawClient http = RawClient.get(server.port(), "/");
    MockConnection connection = server.takeRequest().connection();
    assertThat(connection.awaitClosed(Duration.ofMillis(50))).isFalse();
    http.close();
    assertThat(connection.awaitClosed(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  @DisplayName("a request waits for an enqueue: the test can look at it before answering")
  void waitsForEnqueue() throws Exception {
    CompletableFuture<RawClient> response =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return RawClient.get(server.port(), "/late");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    RecordedRequest request = server.takeRequest();
    assertThat(request.path()).isEqualTo("/late");
    assertThat(response).isNotDone();
    server.enqueue(MockResponse.status(404));
    try (RawClient http = response.get(10, TimeUnit.SECONDS)) {
      assertThat(http.statusLine).isEqualTo("HTTP/1.1 404 Not Found");
    }
  }

  @Test
  @DisplayName("a client that gives up waiting is seen to close, and leaves the response queued")
  void clientGivesUpWhileWaiting() throws Exception {
    RawClient impatient =
        RawClient.sendWithoutReading(server.port(), "GET /gone HTTP/1.1\r\nHost: x\r\n\r\n");
    MockConnection waiting = server.takeRequest().connection();
    impatient.close();
    assertThat(waiting.awaitClosed(Duration.ofSeconds(10))).isTrue();
    server.enqueue(MockResponse.status(204));
    try (RawClient next = RawClient.get(server.port(), "/next")) {
      assertThat(next.statusLine).startsWith("HTTP/1.1 204");
    }
  }

  @Test
  @DisplayName("requests are numbered in arrival order; takeRequest with a timeout returns null")
  void ordering() throws Exception {
    server.enqueue(MockResponse.status(204), MockResponse.status(205));
    try (RawClient first = RawClient.get(server.port(), "/1")) {
      assertThat(first.statusLine).startsWith("HTTP/1.1 204");
    }
    try (RawClient second = RawClient.get(server.port(), "/2")) {
      assertThat(second.statusLine).isEqualTo("HTTP/1.1 205 Status 205");
    }
    assertThat(server.takeRequest().sequenceNumber()).isZero();
    assertThat(server.takeRequest().path()).isEqualTo("/2");
    assertThat(server.takeRequest(Duration.ofMillis(20))).isNull();
  }

  @Test
  @DisplayName("close ends held connections and refuses further enqueues")
  void closeEndsEverything() throws Exception {
    server.enqueue(MockResponse.stream().hold().build());
    try (RawClient http = RawClient.get(server.port(), "/")) {
      MockConnection connection = server.takeRequest().connection();
      server.close();
      assertThat(connection.awaitClosed(Duration.ofSeconds(10))).isTrue();
      assertThat(http.readChunk()).isNull();
    }
    assertThatThrownBy(() -> server.enqueue(MockResponse.status(204)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("arguments are checked when the response is built")
  void checksArguments() {
    assertThatThrownBy(() -> MockResponse.builder().status(42))
        .hasMessageContaining("status must be 100..999");
    assertThatThrownBy(() -> MockResponse.builder().header("Content-Length", "3"))
        .hasMessageContaining("set by the server");
    assertThatThrownBy(() -> MockResponse.builder().header("X", "a\r\nInjected: yes"))
        .hasMessageContaining("CR or LF");
    assertThatThrownBy(() -> MockResponse.builder().send(new byte[0]))
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> server.uri("relative")).hasMessageContaining("must start with /");
    assertThat(server.uri("/x").toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/x");
  }

  @Test
  @DisplayName("a response is an immutable value: toBuilder copies it")
  void toBuilder() {
    MockResponse original = MockResponse.stream().send("data: a\n\n").build();
    MockResponse changed = original.toBuilder().status(500).build();
    assertThat(original.statusCode()).isEqualTo(200);
    assertThat(changed.statusCode()).isEqualTo(500);
    assertThat(changed.header("content-type")).isEqualTo("text/event-stream; charset=utf-8");
  }
}
