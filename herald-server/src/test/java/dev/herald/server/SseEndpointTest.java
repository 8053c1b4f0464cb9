package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.SseEvent;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SSE routes over real loopback connections: exact bytes and headers, lifecycle, threading. */
class SseEndpointTest {
  private HeraldServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close(Duration.ZERO);
    }
  }

  private int start(HeraldServer.Builder builder) {
    server = builder.port(0).build().start();
    return server.port();
  }

  @Test
  @DisplayName("the SSE headers leave at once, before any event")
  void headersAtOnce() throws Exception {
    CountDownLatch handled = new CountDownLatch(1);
    int port = start(HeraldServer.builder().sse("/events", (req, stream) -> handled.countDown()));
    try (RawHttp http = RawHttp.get(port, "/events", "Accept: text/event-stream")) {
      assertThat(http.statusLine).isEqualTo("HTTP/1.1 200 OK");
      assertThat(http.headers)
          .containsEntry("content-type", "text/event-stream; charset=utf-8")
          .containsEntry("cache-control", "no-cache, no-store, no-transform")
          .containsEntry("x-accel-buffering", "no")
          .containsEntry("connection", "keep-alive")
          .containsEntry("transfer-encoding", "chunked");
      assertThat(handled.await(1, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  @DisplayName("events arrive as exact text/event-stream bytes, named, with ids and retry")
  void exactBytes() throws Exception {
    int port =
        start(
            HeraldServer.builder()
                .sse(
                    "/events",
                    (req, stream) -> {
                      stream.retry(Duration.ofSeconds(10));
                      stream.send(SseEvent.builder().type("update").id("1").data("a\nb").build());
                      stream.comment("note");
                      stream.send(SseEvent.of("c"));
                    }));
    try (RawHttp http = RawHttp.get(port, "/events")) {
      String expected =
          "retry: 10000\n\nevent: update\nid: 1\ndata: a\ndata: b\n\n: note\n\ndata: c\n\n";
      assertThat(http.readUntil(expected, 5000)).isEqualTo(expected);
    }
  }

  @Test
  @DisplayName("send is thread-safe: events from many threads all arrive, each whole")
  void sendFromManyThreads() throws Exception {
    AtomicReference<SseStream> opened = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(1);
    int port =
        start(
            HeraldServer.builder()
                .sse(
                    "/events",
                    (req, stream) -> {
                      opened.set(stream);
                      ready.countDown();
                    }));
    try (RawHttp http = RawHttp.get(port, "/events")) {
      assertThat(ready.await(5, TimeUnit.SECONDS)).isTrue();
      int threads = 4;
      int perThread = 500;
      Thread[] senders = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        int id = t;
        senders[t] =
            new Thread(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    assertThat(opened.get().send(SseEvent.of(id + "-" + i))).isTrue();
                  }
                });
        senders[t].start();
      }
      for (Thread t : senders) {
        t.join();
      }
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < perThread; i++) {
          String event = "data: " + t + "-" + i + "\n\n";
          assertThat(http.readUntil(event, 10_000)).contains(event);
        }
      }
      assertThat(http.body().split("\n\n")).hasSize(threads * perThread);
    }
  }

  @Test
  @DisplayName("onClose runs exactly once when the client goes away; send then returns false")
  void onCloseWhenClientLeaves() throws Exception {
    AtomicInteger closes = new AtomicInteger();
    CountDownLatch closed = new CountDownLatch(1);
    AtomicReference<SseStream> opened = new AtomicReference<>();
    int port =
        start(
            HeraldServer.builder()
                .sse(
                    "/events",
                    (req, stream) -> {
                      opened.set(stream);
                      stream.onClose(closes::incrementAndGet);
                      stream.onClose(closed::countDown);
                    }));
    RawHttp http = RawHttp.get(port, "/events");
    http.close();
    assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(opened.get().isOpen()).isFalse();
    assertThat(opened.get().send(SseEvent.of("late"))).isFalse();
    opened.get().close();
    assertThat(closes.get()).isEqualTo(1);
    AtomicInteger late = new AtomicInteger();
    opened.get().onClose(late::incrementAndGet);
    assertThat(late.get()).as("a callback registered after the end runs at once").isEqualTo(1);
    awaitOpenStreams(0);
  }

  @Test
  @DisplayName("close() ends the stream after the queued events, and runs onClose once")
  void closeByServer() throws Exception {
    AtomicInteger closes = new AtomicInteger();
    int port =
        start(
            HeraldServer.builder()
                .sse(
                    "/events",
                    (req, stream) -> {
                      stream.onClose(closes::incrementAndGet);
                      stream.send(SseEvent.of("1"));
                      stream.send(SseEvent.of("2"));
                      stream.close();
                      assertThat(stream.send(SseEvent.of("3"))).isFalse();
                    }));
    try (RawHttp http = RawHttp.get(port, "/events")) {
      assertThat(http.readToEnd()).isEqualTo("data: 1\n\ndata: 2\n\n");
    }
    awaitOpenStreams(0);
    assertThat(closes.get()).isEqualTo(1);
  }

  @Test
  @DisplayName("S-65 a handler may answer 204 instead of a stream, or any error status")
  void reject() throws Exception {
    AtomicInteger closes = new AtomicInteger();
    int port =
        start(
            HeraldServer.builder()
                .sse(
                    "/gone",
                    (req, stream) -> {
                      stream.onClose(closes::incrementAndGet);
                      stream.reject(204, null);
                    })
                .sse("/denied", (req, stream) -> stream.reject(403, "not for you")));
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> gone =
        client.send(request(port, "/gone"), HttpResponse.BodyHandlers.ofString());
    assertThat(gone.statusCode()).isEqualTo(204);
    assertThat(closes.get()).isEqualTo(1);
    HttpResponse<String> denied =
        client.send(request(port, "/denied"), HttpResponse.BodyHandlers.ofString());
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).isEqualTo("not for you");
    assertThat(denied.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
  }

  @Test
  @DisplayName("reject after the headers left is refused with a clear error")
  void rejectTooLate() throws Exception {
    BlockingQueue<Throwable> failures = new ArrayBlockingQueue<>(1);
    AtomicReference<SseStream> opened = new AtomicReference<>();
    int port = start(HeraldServer.builder().sse("/events", (req, stream) -> opened.set(stream)));
    try (RawHttp http = RawHttp.get(port, "/events")) {
      assertThat(http.status).isEqualTo(200);
      assertThatThrownBy(() -> opened.get().reject(204, ""))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("before the first event");
      assertThat(failures).isEmpty();
    }
  }

  @Test
  @DisplayName("a handler that throws gets the client a 500, and the server stays up")
  void throwingHandler() throws Exception {
    int port =
        start(
            HeraldServer.builder()
                .sse(
                    "/broken",
                    (req, stream) -> {
                      throw new IllegalStateException("boom");
                    })
                .sse("/ok", (req, stream) -> stream.send(SseEvent.of("fine"))));
    try (RawHttp broken = RawHttp.get(port, "/broken")) {
      assertThat(broken.status).isEqualTo(500);
    }
    try (RawHttp ok = RawHttp.get(port, "/ok")) {
      assertThat(ok.readUntil("fine", 5000)).isEqualTo("data: fine\n\n");
    }
  }

  @Test
  @DisplayName("S-47 the handler sees path, query, headers and the client's UTF-8 Last-Event-ID")
  void requestDetails() throws Exception {
    BlockingQueue<List<String>> seen = new ArrayBlockingQueue<>(2);
    SseHandler record =
        (req, stream) ->
            seen.add(
                List.of(
                    req.path(),
                    String.valueOf(req.query("topic")),
                    String.valueOf(req.header("x-test")),
                    String.valueOf(stream.lastEventId()),
                    req.protocol(),
                    req.remoteAddress().getAddress().getHostAddress()));
    int port = start(HeraldServer.builder().sse("/feed/*", "lastEventId", record));
    try (RawHttp http =
        RawHttp.get(port, "/feed/a?topic=x", "X-Test: 1", "Last-Event-ID: \u00e941")) {
      assertThat(http.status).isEqualTo(200);
      assertThat(seen.poll(5, TimeUnit.SECONDS))
          .containsExactly("/feed/a", "x", "1", "\u00e941", "HTTP/1.1", "127.0.0.1");
    }
    try (RawHttp http = RawHttp.get(port, "/feed/b?lastEventId=%C3%A9")) {
      assertThat(http.status).isEqualTo(200);
      assertThat(seen.poll(5, TimeUnit.SECONDS))
          .containsExactly("/feed/b", "null", "null", "\u00e9", "HTTP/1.1", "127.0.0.1");
    }
  }

  @Test
  @DisplayName("S-64 an idle stream gets a heartbeat comment; a busy one does not")
  void heartbeat() throws Exception {
    int port =
        start(
            HeraldServer.builder()
                .heartbeat(Duration.ofMillis(200))
                .sse("/idle", (req, stream) -> {}));
    try (RawHttp http = RawHttp.get(port, "/idle")) {
      long started = System.nanoTime();
      assertThat(http.readUntil(":\n\n:\n\n", 5000)).startsWith(":\n\n:\n\n");
      assertThat(System.nanoTime() - started)
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
    }
  }

  @Test
  @DisplayName("heartbeats can be turned off")
  void noHeartbeat() throws Exception {
    int port =
        start(HeraldServer.builder().heartbeat(Duration.ZERO).sse("/idle", (req, stream) -> {}));
    try (RawHttp http = RawHttp.get(port, "/idle")) {
      http.socket.setSoTimeout(300);
      assertThat(http.readUntil(":", 600)).isEmpty();
    }
  }

  @Test
  @DisplayName("the JDK HttpClient reads the stream line by line as events arrive")
  void jdkClient() throws Exception {
    CountDownLatch next = new CountDownLatch(1);
    int port =
        start(
            HeraldServer.builder()
                .sse(
                    "/events",
                    (req, stream) -> {
                      stream.send(SseEvent.of("first"));
                      new Thread(
                              () -> {
                                try {
                                  next.await(5, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                  Thread.currentThread().interrupt();
                                }
                                stream.send(SseEvent.of("second"));
                              })
                          .start();
                    }));
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient()
            .send(request(port, "/events"), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    try (InputStream body = response.body()) {
      assertThat(new String(body.readNBytes(13), StandardCharsets.UTF_8))
          .isEqualTo("data: first\n\n");
      next.countDown();
      assertThat(new String(body.readNBytes(14), StandardCharsets.UTF_8))
          .isEqualTo("data: second\n\n");
    }
  }

  static HttpRequest request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Accept", "text/event-stream")
        .build();
  }

  private void awaitOpenStreams(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.openStreams() != n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(server.openStreams()).isEqualTo(n);
  }
}
