package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.MockResponse;
import dev.herald.testing.RecordedRequest;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request, the response checks and the announcement: S-40, S-42, S-43, S-46. */
class ConnectionTest extends ClientTestBase {
  @Test
  @DisplayName("S-42: GET with Accept: text/event-stream, caching off, no Last-Event-ID, no body")
  void s42RequestHeaders() throws Exception {
    server.enqueue(MockResponse.stream().hold().build());
    start();
    RecordedRequest request = server.takeRequest();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.path()).isEqualTo("/events");
    assertThat(request.header("Accept")).isEqualTo("text/event-stream");
    assertThat(request.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(request.header("Pragma")).isEqualTo("no-cache");
    assertThat(request.headers("Last-Event-ID")).isEmpty();
    assertThat(request.body()).isEmpty();
  }

  @Test
  @DisplayName("S-40: a new source is CONNECTING, reconnection time 3000 ms, last event ID \"\"")
  void s40InitialState() {
    EventSource source = EventSource.builder(server.uri()).listener(e -> {}).build();
    assertThat(source.readyState()).isEqualTo(ReadyState.CONNECTING);
    assertThat(source.reconnectionTime()).isEqualTo(Duration.ofMillis(3000));
    assertThat(source.lastEventId()).isEmpty();
    assertThat(source.uri()).isEqualTo(server.uri());
    source.close();
    assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
  }

  @Test
  @DisplayName("S-46: OPEN, then onOpen with the response before the first event")
  void s46OpenThenEvents() throws Exception {
    server.enqueue(
        MockResponse.stream()
            .header("Mercure-Last-Event-ID", "earliest")
            .send("data: hello\n\n")
            .hold()
            .build());
    EventSource source = start();
    listener.expect("open 200", "event message hello id=");
    assertThat(source.readyState()).isEqualTo(ReadyState.OPEN);
    ResponseInfo response = listener.responses.take();
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("mercure-last-event-id")).isEqualTo("earliest");
    assertThat(response.uri()).isEqualTo(server.uri("/events"));
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/event-stream; charset=utf-8");
  }

  @Test
  @DisplayName("callbacks run on the source's own thread, named after it")
  void callbackThread() throws Exception {
    server.enqueue(MockResponse.stream().send("data: x\n\n").hold().build());
    start();
    listener.expect("open 200", "event message x id=");
    assertThat(listener.callbackThread.getName()).startsWith("herald-event-source-");
    assertThat(listener.callbackThread.isDaemon()).isTrue();
    assertThat(listener.callbackThread).isNotSameAs(Thread.currentThread());
  }

  @ParameterizedTest(name = "Content-Type \"{0}\" is accepted")
  @ValueSource(
      strings = {
        "text/event-stream",
        "text/event-stream;",
        "text/event-stream;charset=utf-8",
        "text/event-stream; charset=windows-1252",
        "TEXT/Event-Stream",
        " text/event-stream ; x=\"a,b\""
      })
  @DisplayName("S-43, S-01: the MIME type's essence counts, parameters and charset do not")
  void s43MimeEssenceAccepted(String contentType) throws Exception {
    server.enqueue(
        MockResponse.stream()
            .removeHeader("Content-Type")
            .header("Content-Type", contentType)
            .send("data: ok\n\n")
            .hold()
            .build());
    start();
    listener.expect("open 200", "event message ok id=");
  }

  @ParameterizedTest(name = "Content-Type \"{0}\" fails the connection")
  @ValueSource(strings = {"text/plain", "text/x-bogus", "x bogus", "text/event-stream-x", ""})
  @DisplayName("S-43, S-48: another MIME type fails the connection: CLOSED, no reconnection")
  void s43WrongMimeFails(String contentType) throws Exception {
    MockResponse.Builder response = MockResponse.stream().removeHeader("Content-Type");
    if (!contentType.isEmpty()) {
      response.header("Content-Type", contentType);
    }
    server.enqueue(response.send("data: never\n\n").build());
    EventSource source = start();
    listener.expect("error ResponseException final");
    assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    assertThat(((ResponseException) listener.lastError()).response().status()).isEqualTo(200);
    server.takeRequest();
    assertThat(server.takeRequest(Duration.ofMillis(300))).isNull();
    listener.assertNoMoreCallbacks(Duration.ofMillis(50));
  }

  @ParameterizedTest(name = "HTTP {0} fails the connection")
  @ValueSource(ints = {204, 205, 210, 299, 201, 400, 401, 404, 410, 500, 503})
  @DisplayName("S-43, S-48, S-65: a status other than 200 fails it for good, 204 included")
  void s43StatusFails(int status) throws Exception {
    server.enqueue(MockResponse.stream().status(status).build());
    EventSource source = start();
    listener.expect("error ResponseException final");
    ResponseException error = (ResponseException) listener.lastError();
    assertThat(error.status()).isEqualTo(status);
    assertThat(error).hasMessageContaining("HTTP " + status);
    assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    server.takeRequest();
    assertThat(server.takeRequest(Duration.ofMillis(300))).isNull();
  }

  @Test
  @DisplayName("S-43: the failure carries the response's headers, such as Retry-After")
  void failureCarriesHeaders() throws Exception {
    server.enqueue(MockResponse.builder().status(503).header("Retry-After", "120").build());
    start();
    listener.expect("error ResponseException final");
    ResponseException error = (ResponseException) listener.lastError();
    assertThat(error.response().header("retry-after")).isEqualTo("120");
  }

  @Test
  @DisplayName("S-50: open and error carry no data; events are MessageEvent-like values")
  void s50EventShapes() throws Exception {
    server.enqueue(
        MockResponse.stream().send("event: add\nid: 7\ndata: 1\ndata: 2\n\n: note\n\n").build());
    server.enqueue(MockResponse.status(204));
    start();
    listener.expect("open 200", "event add 1\n2 id=7", "comment note", "error EOFException retry");
    listener.expect("error ResponseException final");
  }
}
