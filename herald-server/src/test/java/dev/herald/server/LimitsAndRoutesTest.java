package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Plain routes, static files, CORS and every request limit, over loopback. */
class LimitsAndRoutesTest {
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
  @DisplayName("a POST route gets the body and answers; unknown paths 404, wrong methods 405")
  void plainRoutes() throws IOException {
    int port =
        start(
            HeraldServer.builder()
                .post("/echo", req -> Response.text(201, "got " + req.bodyText()))
                .sse("/events", (req, stream) -> {}));
    try (RawHttp http = new RawHttp(port)) {
      http.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
      http.readHead();
      assertThat(http.status).isEqualTo(201);
      assertThat(http.readFixedBody()).isEqualTo("got hello");
      http.send("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"); // same keep-alive connection
      http.readHead();
      assertThat(http.status).isEqualTo(404);
      http.readFixedBody();
      http.send("POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
      http.readHead();
      assertThat(http.status).isEqualTo(405);
      assertThat(http.headers).containsEntry("allow", "GET");
    }
  }

  @Test
  @DisplayName("a request line past the limit gets 414, and the server stays up")
  void uriTooLong() throws IOException {
    int port =
        start(
            HeraldServer.builder()
                .maxRequestLineBytes(256)
                .get("/ok", req -> Response.text(200, "ok")));
    try (RawHttp http = new RawHttp(port)) {
      http.send("GET /" + "a".repeat(400) + " HTTP/1.1\r\nHost: x\r\n\r\n");
      http.readHead();
      assertThat(http.status).isEqualTo(414);
      assertThat(http.readFixedBody()).startsWith("request line too long");
    }
    assertOk(port);
  }

  @Test
  @DisplayName("headers past the limit get 431")
  void headersTooLarge() throws IOException {
    int port =
        start(
            HeraldServer.builder().maxHeaderBytes(512).get("/ok", req -> Response.text(200, "ok")));
    try (RawHttp http = new RawHttp(port)) {
      http.send("GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(1000) + "\r\n\r\n");
      http.readHead();
      assertThat(http.status).isEqualTo(431);
    }
    assertOk(port);
  }

  @Test
  @DisplayName(
      "a body past the limit gets 413, and the connection closes once the body has come (dropped unread)")
  void bodyTooLarge() throws IOException {
    int port =
        start(
            HeraldServer.builder()
                .maxBodyBytes(100)
                .post("/pub", req -> Response.text(200, "ok"))
                .get("/ok", req -> Response.text(200, "ok")));
    try (RawHttp http = new RawHttp(port)) {
      http.send("POST /pub HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(1000));
      http.readHead();
      assertThat(http.status).isEqualTo(413);
      assertThat(http.headers.get("connection")).isEqualTo("close");
      assertThat(http.readToEnd()).isEmpty(); // closed: no keep-alive left without a deadline
    }
    assertOk(port);
  }

  @Test
  @DisplayName("a port already in use fails start with a HeraldServerException naming it")
  void portInUse() {
    int port = start(HeraldServer.builder().get("/ok", req -> Response.text(200, "ok")));
    HeraldServer second = HeraldServer.builder().port(port).build();
    org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
        .isInstanceOf(HeraldServerException.class)
        .hasMessageContaining("cannot bind 127.0.0.1:" + port);
    second.close(Duration.ZERO); // nothing to stop: start failed cleanly
  }

  @Test
  @DisplayName("a malformed percent-escape in the path or query gets 400, not a dropped connection")
  void malformedEscape() throws IOException {
    int port = start(HeraldServer.builder().get("/ok", req -> Response.text(200, "ok")));
    for (String target : new String[] {"/ok?x=100%", "/ok?x=%zz", "/o%k"}) {
      try (RawHttp http = new RawHttp(port)) {
        http.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
        http.readHead();
        assertThat(http.status).as(target).isEqualTo(400);
      }
    }
    assertOk(port);
  }

  @Test
  @DisplayName("a malformed request gets 400")
  void malformed() throws IOException {
    int port = start(HeraldServer.builder().get("/ok", req -> Response.text(200, "ok")));
    try (RawHttp http = new RawHttp(port)) {
      http.send("GET /ok HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
      http.readHead();
      assertThat(http.status).isEqualTo(400);
    }
    assertOk(port);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.herald.server.EmbeddedPipelineTest#malformedChunkedBodies")
  @DisplayName(
      "a malformed chunked body gets 400 and a close, is never handled; the server serves on")
  void malformedChunkedBody(String rest) throws IOException {
    AtomicInteger handled = new AtomicInteger();
    int port =
        start(
            HeraldServer.builder()
                .post("/p", req -> Response.text(200, "handled " + handled.incrementAndGet()))
                .get("/ok", req -> Response.text(200, "ok")));
    try (RawHttp http = new RawHttp(port)) {
      http.send(
          EmbeddedPipelineTest.CHUNKED_HEAD
              + EmbeddedPipelineTest.GOOD_CHUNK
              + rest
              + "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
      http.readHead();
      assertThat(http.status).isEqualTo(400);
      assertThat(http.headers).containsEntry("connection", "close");
      assertThat(http.readFixedBody()).startsWith("malformed request body: ");
      assertThat(http.socket.getInputStream().read()).as("closed, nothing more").isEqualTo(-1);
    }
    assertThat(handled).as("no handler ran").hasValue(0);
    assertOk(port);
  }

  @Test
  @DisplayName("past the connection limit a client gets 503 with Retry-After; others are served")
  void connectionLimit() throws Exception {
    int port = start(HeraldServer.builder().maxConnections(3).sse("/events", (req, s) -> {}));
    List<RawHttp> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        held.add(RawHttp.get(port, "/events"));
        assertThat(held.get(i).status).isEqualTo(200);
      }
      try (RawHttp refused = RawHttp.get(port, "/events")) {
        assertThat(refused.status).isEqualTo(503);
        assertThat(refused.headers).containsEntry("retry-after", "5");
        assertThat(refused.readFixedBody()).contains("connection limit");
      }
      assertThat(server.refusedConnections()).isEqualTo(1);
      held.remove(0).close();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (server.openConnections() > 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      try (RawHttp again = RawHttp.get(port, "/events")) {
        assertThat(again.status).isEqualTo(200);
      }
    } finally {
      for (RawHttp h : held) {
        h.close();
      }
    }
  }

  @Test
  @DisplayName("static files are served with their type; .. is refused; / serves index.html")
  void staticFiles(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("index.html"), "<h1>hi</h1>");
    Files.writeString(dir.resolve("app.js"), "let x = 1;");
    Files.writeString(dir.getParent().resolve("secret.txt"), "no");
    int port = start(HeraldServer.builder().staticFiles("/", dir));
    try (RawHttp http = RawHttp.get(port, "/")) {
      assertThat(http.status).isEqualTo(200);
      assertThat(http.headers).containsEntry("content-type", "text/html; charset=utf-8");
      assertThat(http.readFixedBody()).isEqualTo("<h1>hi</h1>");
    }
    try (RawHttp http = RawHttp.get(port, "/app.js")) {
      assertThat(http.headers).containsEntry("content-type", "text/javascript; charset=utf-8");
    }
    try (RawHttp http = RawHttp.get(port, "/../secret.txt")) {
      assertThat(http.status).isIn(400, 404);
    }
    try (RawHttp http = RawHttp.get(port, "/%2e%2e/secret.txt")) {
      assertThat(http.status).isIn(400, 404);
    }
    try (RawHttp http = RawHttp.get(port, "/missing.css")) {
      assertThat(http.status).isEqualTo(404);
    }
  }

  @Test
  @DisplayName("CORS: preflight is answered, and streams carry Access-Control-Allow-Origin")
  void cors() throws IOException {
    int port =
        start(
            HeraldServer.builder()
                .cors(true, "http://app.example")
                .sse("/events", (req, s) -> s.send(SseEvent.of("x"))));
    try (RawHttp preflight = new RawHttp(port)) {
      preflight.send(
          "OPTIONS /events HTTP/1.1\r\nHost: x\r\nOrigin: http://app.example\r\n"
              + "Access-Control-Request-Method: GET\r\n"
              + "Access-Control-Request-Headers: last-event-id\r\n\r\n");
      preflight.readHead();
      assertThat(preflight.status).isEqualTo(200);
      assertThat(preflight.headers)
          .containsEntry("access-control-allow-origin", "http://app.example")
          .containsEntry("access-control-allow-credentials", "true");
      assertThat(preflight.headers.get("access-control-allow-headers"))
          .containsIgnoringCase("last-event-id");
    }
    try (RawHttp http = RawHttp.get(port, "/events", "Origin: http://app.example")) {
      assertThat(http.headers).containsEntry("access-control-allow-origin", "http://app.example");
      assertThat(http.readUntil("data: x\n\n", 5000)).isEqualTo("data: x\n\n");
    }
  }

  private static void assertOk(int port) throws IOException {
    try (RawHttp http = RawHttp.get(port, "/ok")) {
      assertThat(http.status).isEqualTo(200);
      assertThat(http.readFixedBody()).isEqualTo("ok");
    }
  }
}
