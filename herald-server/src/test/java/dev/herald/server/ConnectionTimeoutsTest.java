package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Request-head, body, idle and TLS handshake timeouts, over loopback with short settings. */
class ConnectionTimeoutsTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  private HeraldServer server;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close(Duration.ZERO);
    }
  }

  /** A server with every timeout at {@link #SHORT}, a plain route, a publish route and a stream. */
  private HeraldServer.Builder routes(AtomicReference<SseStream> opened) {
    return HeraldServer.builder()
        .port(0)
        .heartbeat(Duration.ZERO)
        .requestHeadTimeout(SHORT)
        .requestBodyTimeout(SHORT)
        .idleTimeout(SHORT)
        .tlsHandshakeTimeout(SHORT)
        .get("/ok", req -> Response.text(200, "ok"))
        .post("/publish", req -> Response.text(200, "got " + req.bodyText()))
        .sse("/events", (req, stream) -> opened.set(stream));
  }

  private int start(HeraldServer.Builder builder) {
    server = builder.build().start();
    return server.port();
  }

  private Socket connect(int port) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return s;
  }

  /** Everything the server sends until it closes; fails if it has not closed within 10 s. */
  private static String readUntilClosed(Socket s) throws IOException {
    s.setSoTimeout(10_000);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buffer = new byte[1024];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        got.write(buffer, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // closed with unread bytes of ours pending: a reset is a close too
    }
    return got.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  @DisplayName("a connection that sends nothing is closed after the head timeout, with no answer")
  void silentConnectionClosed() throws IOException {
    int port = start(routes(new AtomicReference<>()));
    Socket silent = connect(port);
    assertThat(readUntilClosed(silent)).isEmpty();
    assertThat(server.openConnections()).isLessThanOrEqualTo(1); // the close may still be counted
  }

  @Test
  @DisplayName("slowloris: a head trickling in a byte every 50 ms gets 408 at the deadline")
  void slowHeadGets408() throws Exception {
    int port = start(routes(new AtomicReference<>()));
    Socket slow = connect(port);
    byte[] head =
        "GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.UTF_8);
    int sent = 0;
    try {
      for (; sent < head.length; sent++) { // 2.2 s of bytes: far past the 300 ms deadline
        slow.getOutputStream().write(head[sent]);
        slow.getOutputStream().flush();
        if (slow.getInputStream().available() > 0) {
          break;
        }
        Thread.sleep(50); // the client's pace, well within the deadline: no idle timer fires
      }
    } catch (IOException closedWhileWriting) {
      // the server closed: what it sent is read below
    }
    assertThat(sent).as("bytes kept arriving before the deadline").isGreaterThan(1);
    assertThat(sent).as("closed long before the head was done").isLessThan(head.length);
    assertThat(readUntilClosed(slow)).startsWith("HTTP/1.1 408 ").contains("connection: close");
  }

  @Test
  @DisplayName("a POST body trickling in past the body timeout gets 408")
  void slowBodyGets408() throws Exception {
    int port = start(routes(new AtomicReference<>()));
    Socket slow = connect(port);
    slow.getOutputStream()
        .write(
            "POST /publish HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(readUntilClosed(slow))
        .startsWith("HTTP/1.1 408 ")
        .endsWith("request body not received in time");
  }

  @Test
  @DisplayName("a keep-alive connection is served, then closed once idle past the idle timeout")
  void keepAliveIdleClosed() throws IOException {
    int port = start(routes(new AtomicReference<>()));
    try (RawHttp http = new RawHttp(port)) {
      sockets.add(http.socket);
      for (int i = 0; i < 3; i++) { // each request moves the idle deadline
        http.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
        http.readHead();
        assertThat(http.status).isEqualTo(200);
        assertThat(http.readFixedBody()).isEqualTo("ok");
      }
      assertThat(readUntilClosed(http.socket)).isEmpty();
    }
  }

  @Test
  @DisplayName("an event stream idle far past every timeout stays open")
  void idleStreamStaysOpen() throws Exception {
    AtomicReference<SseStream> opened = new AtomicReference<>();
    int port = start(routes(opened));
    try (RawHttp http = RawHttp.get(port, "/events")) {
      assertThat(http.status).isEqualTo(200);
      http.socket.setSoTimeout(1500); // five times every timeout, without a byte either way
      assertThatThrownBy(() -> http.socket.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      http.socket.setSoTimeout(10_000);
      opened.get().send(SseEvent.of("still here"));
      assertThat(http.readUntil("data: still here\n\n", 10_000)).contains("data: still here");
    }
  }

  @Test
  @DisplayName("an HTTP/2 connection with prior knowledge that opens no stream is closed")
  void http2WithoutStreamClosed() throws IOException {
    int port = start(routes(new AtomicReference<>()).h2c(true));
    Socket h2 = connect(port);
    h2.getOutputStream()
        .write(
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\4\0\0\0\0\0".getBytes(StandardCharsets.UTF_8));
    String frames = readUntilClosed(h2);
    assertThat(frames).as("a GOAWAY frame: 8 bytes, type 7").contains("\0\0\b\7");
  }

  @Test
  @DisplayName("a cleartext connection to an h2c server that sends nothing is closed too")
  void h2cSilentClosed() throws IOException {
    int port = start(routes(new AtomicReference<>()).h2c(true));
    assertThat(readUntilClosed(connect(port))).isEmpty();
  }

  @Test
  @DisplayName("a TCP connection to a TLS server that never starts the handshake is closed")
  void tlsHandshakeTimeout() throws IOException {
    int port = start(routes(new AtomicReference<>()).tlsSelfSigned());
    assertThat(readUntilClosed(connect(port))).isEmpty();
  }

  @Test
  @DisplayName(
      "31 silent sockets against a limit of 30: closed after the head timeout, then a subscriber"
          + " gets 200")
  void silentSocketsDoNotLockOutSubscribers() throws Exception {
    int port = start(routes(new AtomicReference<>()).maxConnections(30));
    List<Socket> silent = new ArrayList<>();
    for (int i = 0; i < 31; i++) {
      silent.add(connect(port));
    }
    for (Socket s : silent) {
      assertThat(readUntilClosed(s)).isEmpty();
    }
    try (RawHttp http = RawHttp.get(port, "/events")) {
      assertThat(http.status).isEqualTo(200);
      assertThat(http.headers.get("content-type")).startsWith("text/event-stream");
    }
  }

  @Test
  @DisplayName(
      "past the limit a request gets a clean 503 with Retry-After; a probe path is answered")
  void probesPassTheLimit() throws IOException {
    int port =
        start(
            routes(new AtomicReference<>())
                .maxConnections(1)
                .probe("/healthz", req -> Response.text(200, "alive")));
    try (RawHttp held = RawHttp.get(port, "/events");
        RawHttp refused = RawHttp.get(port, "/ok");
        RawHttp probe = RawHttp.get(port, "/healthz?verbose")) {
      assertThat(held.status).isEqualTo(200);
      assertThat(refused.status).isEqualTo(503);
      assertThat(refused.headers).containsEntry("retry-after", "5");
      assertThat(probe.status).isEqualTo(200);
      assertThat(probe.readFixedBody()).isEqualTo("alive");
      assertThat(probe.headers).containsEntry("connection", "close");
    }
  }

  @Test
  @DisplayName("timeouts are checked when set, naming the setting")
  void timeoutsValidated() {
    HeraldServer.Builder b = HeraldServer.builder();
    assertThatThrownBy(() -> b.requestHeadTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestHeadTimeout");
    assertThatThrownBy(() -> b.requestBodyTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("requestBodyTimeout");
    assertThatThrownBy(() -> b.idleTimeout(Duration.ofDays(2))).hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> b.tlsHandshakeTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("tlsHandshakeTimeout");
    assertThatThrownBy(() -> b.probe("/health/*", req -> null)).hasMessageContaining("exact");
  }
}
