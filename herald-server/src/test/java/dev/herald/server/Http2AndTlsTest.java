package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import dev.herald.core.SseParser;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 over TLS (ALPN), TLS from PEM files, development TLS, and h2c with prior knowledge. */
class Http2AndTlsTest {
  private HeraldServer server;
  private final Broadcaster<Void> broadcaster =
      Broadcaster.create(RingEventLog.builder().maxEvents(100).build());

  @AfterEach
  void stop() {
    if (server != null) {
      server.close(Duration.ZERO);
    }
  }

  private HeraldServer.Builder routes() {
    return HeraldServer.builder()
        .port(0)
        .sse("/hello", (req, stream) -> stream.send(SseEvent.of(req.protocol())))
        .sse(
            "/topic",
            (req, stream) -> broadcaster.subscribe(stream, Set.of("t"), stream.lastEventId()));
  }

  @Test
  @DisplayName("with TLS, ALPN picks HTTP/2: the stream's headers have no connection fields")
  void http2OverTls() throws Exception {
    server = routes().tlsSelfSigned().build().start();
    assertThat(server.baseUrl()).startsWith("https://127.0.0.1:");
    HttpClient client = client(server.certificate(), HttpClient.Version.HTTP_2);
    HttpResponse<InputStream> response =
        client.send(get("/hello"), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.headers().firstValue("content-type"))
        .hasValue("text/event-stream; charset=utf-8");
    assertThat(response.headers().firstValue("cache-control"))
        .hasValue("no-cache, no-store, no-transform");
    assertThat(response.headers().firstValue("connection")).isEmpty();
    assertThat(response.headers().firstValue("transfer-encoding")).isEmpty();
    try (InputStream body = response.body()) {
      assertThat(new String(body.readNBytes(14), StandardCharsets.UTF_8))
          .isEqualTo("data: HTTP/2\n\n");
    }
  }

  @Test
  @DisplayName("HTTP/2: ten streams share one connection and all receive broadcasts and replay")
  void manyStreamsOneConnection() throws Exception {
    server = routes().tlsSelfSigned().build().start();
    broadcaster.publish("t", SseEvent.of("before"));
    HttpClient client = client(server.certificate(), HttpClient.Version.HTTP_2);
    List<BufferedReader> readers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(server.baseUrl() + "/topic"))
              .header("Last-Event-ID", "1")
              .build();
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
      readers.add(
          new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)));
    }
    awaitSubscribers(10);
    assertThat(server.openConnections()).isEqualTo(1);
    assertThat(server.openStreams()).isEqualTo(10);
    broadcaster.publish("t", SseEvent.of("live"));
    for (BufferedReader reader : readers) {
      assertThat(reader.readLine()).isEqualTo("id: 2");
      assertThat(reader.readLine()).isEqualTo("data: live");
      reader.close();
    }
  }

  @Test
  @DisplayName("HTTP/2: a replay backlog arrives whole, without HTTP/1.1 chunk framing")
  void replayOverHttp2() throws Exception {
    server = routes().tlsSelfSigned().build().start();
    for (int i = 1; i <= 5; i++) {
      broadcaster.publish("t", SseEvent.of("e" + i));
    }
    HttpClient client = client(server.certificate(), HttpClient.Version.HTTP_2);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/topic"))
            .header("Last-Event-ID", "2")
            .build();
    HttpResponse<InputStream> response =
        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    String expected = "id: 3\ndata: e3\n\nid: 4\ndata: e4\n\nid: 5\ndata: e5\n\n";
    try (InputStream body = response.body()) {
      assertThat(new String(body.readNBytes(expected.length()), StandardCharsets.UTF_8))
          .isEqualTo(expected);
    }
  }

  @Test
  @DisplayName("HTTP/2: a backlog of 1 MB, twice the stream's budget, arrives whole and in order")
  void largeReplayOverHttp2() throws Exception {
    server = routes().tlsSelfSigned().build().start();
    String data = "z".repeat(10 * 1024);
    for (int i = 1; i <= 100; i++) { // the history holds 100
      broadcaster.publish("t", SseEvent.of(data));
    }
    HttpClient client = client(server.certificate(), HttpClient.Version.HTTP_2);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/topic"))
            .header("Last-Event-ID", "1")
            .build();
    HttpResponse<InputStream> response =
        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    List<String> ids = new ArrayList<>();
    SseParser parser = new SseParser(e -> ids.add(e.id()));
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[64 * 1024];
      while (ids.size() < 99) {
        int n = reader.submit(() -> body.read(buffer)).get(10, TimeUnit.SECONDS);
        assertThat(n).as("the stream ended after %d events", ids.size()).isPositive();
        parser.feed(buffer, 0, n);
      }
    } finally {
      reader.shutdownNow();
    }
    assertThat(ids).first().isEqualTo("2");
    assertThat(ids).last().isEqualTo("100");
    assertThat(ids).doesNotHaveDuplicates().hasSize(99);
    assertThat(server.slowConsumers()).isZero();
  }

  @Test
  @DisplayName("HTTP/2 past the connection limit: the request on the extra connection gets 503")
  void http2Refusal() throws Exception {
    server = routes().tlsSelfSigned().maxConnections(1).build().start();
    HttpClient first = client(server.certificate(), HttpClient.Version.HTTP_2);
    HttpResponse<InputStream> held =
        first.send(get("/hello"), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(held.statusCode()).isEqualTo(200);
    HttpClient second = client(server.certificate(), HttpClient.Version.HTTP_2);
    HttpResponse<String> refused = second.send(get("/hello"), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("retry-after")).hasValue("5");
    held.body().close();
  }

  @Test
  @DisplayName("TLS from PEM files serves HTTP/1.1 clients too")
  void pemFiles(@TempDir Path dir) throws Exception {
    SelfSignedCertificates.Generated generated = SelfSignedCertificates.localhost();
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Files.writeString(cert, pem("CERTIFICATE", generated.certificate().getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", generated.keys().getPrivate().getEncoded()));
    server = routes().tls(cert, key).build().start();
    assertThat(server.certificate()).isEqualTo(generated.certificate());
    HttpClient client = client(generated.certificate(), HttpClient.Version.HTTP_1_1);
    HttpResponse<InputStream> response =
        client.send(get("/hello"), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    try (InputStream body = response.body()) {
      assertThat(new String(body.readNBytes(16), StandardCharsets.UTF_8))
          .isEqualTo("data: HTTP/1.1\n\n");
    }
  }

  @Test
  @DisplayName("a missing PEM file fails start with a message naming it")
  void missingPem(@TempDir Path dir) {
    HeraldServer broken = routes().tls(dir.resolve("nope.pem"), dir.resolve("key.pem")).build();
    org.assertj.core.api.Assertions.assertThatThrownBy(broken::start)
        .hasMessageContaining("nope.pem");
  }

  @Test
  @DisplayName("plain HTTP to a TLS port fails that connection only")
  void plainToTls() throws Exception {
    server = routes().tlsSelfSigned().build().start();
    try (RawHttp plain = new RawHttp(server.port())) {
      plain.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
      plain.socket.setSoTimeout(5000);
      plain.socket.getInputStream().readAllBytes(); // the server closes it
    }
    HttpClient client = client(server.certificate(), HttpClient.Version.HTTP_2);
    assertThat(client.send(get("/hello"), HttpResponse.BodyHandlers.ofInputStream()).statusCode())
        .isEqualTo(200);
  }

  @Test
  @DisplayName("h2c: HTTP/2 with prior knowledge (curl) and HTTP/1.1 on the same port")
  void h2cPriorKnowledge() throws Exception {
    server = routes().h2c(true).build().start();
    Process curl =
        new ProcessBuilder(
                "curl",
                "-sS",
                "-i",
                "-N",
                "--http2-prior-knowledge",
                "--max-time",
                "3",
                server.baseUrl() + "/hello")
            .redirectErrorStream(true)
            .start();
    String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(output)
        .startsWith("HTTP/2 200")
        .contains("content-type: text/event-stream; charset=utf-8");
    assertThat(output).contains("\r\n\r\ndata: HTTP/2\n\n");
    try (RawHttp http1 = RawHttp.get(server.port(), "/hello")) {
      assertThat(http1.readUntil("\n\n", 5000)).isEqualTo("data: HTTP/1.1\n\n");
    }
  }

  private void awaitSubscribers(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (broadcaster.subscribers() != n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(broadcaster.subscribers()).isEqualTo(n);
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build();
  }

  private static HttpClient client(X509Certificate trusted, HttpClient.Version version)
      throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("herald", trusted);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).version(version).build();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
