package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import dev.herald.server.Broadcaster;
import dev.herald.server.HeraldServer;
import dev.herald.server.RingEventLog;
import dev.herald.server.SseStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The client against Herald's own server over loopback: S-23, S-41, S-45, S-47, S-65. */
class HeraldServerTest {
  private final RecordingListener listener = new RecordingListener();
  private HeraldServer server;
  private EventSource source;

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    if (server != null) {
      server.close(Duration.ZERO);
    }
  }

  private URI start(HeraldServer.Builder builder, String path) {
    server = builder.port(0).build().start();
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private EventSource connect(URI uri) {
    source = EventSource.builder(uri).listener(listener).build();
    source.start();
    return source;
  }

  @Test
  @DisplayName("S-41, S-45, S-47: after the server ends a stream, Last-Event-ID resumes the topic")
  void replayAfterStreamClose() throws Exception {
    Broadcaster<Void> news = Broadcaster.create(RingEventLog.builder().maxEvents(100).build());
    BlockingQueue<String> lastEventIds = new LinkedBlockingQueue<>();
    BlockingQueue<SseStream> streams = new LinkedBlockingQueue<>();
    BlockingQueue<String> published = new LinkedBlockingQueue<>();
    URI uri =
        start(
            HeraldServer.builder()
                .sse(
                    "/news",
                    (request, stream) -> {
                      lastEventIds.add(String.valueOf(stream.lastEventId()));
                      stream.retry(Duration.ofMillis(20)); // S-23: come back quickly
                      news.subscribe(stream, Set.of("news"), stream.lastEventId());
                      if (stream.lastEventId() == null) { // ordered after the subscribe:
                        published.add(news.publish("news", SseEvent.of("first")));
                      }
                      streams.add(stream);
                    }),
            "/news");
    connect(uri);
    String first = published.take();
    listener.expect("open 200", "event message first id=" + first);
    assertThat(lastEventIds.take()).isEqualTo("null");

    streams.take().close(); // the server ends this stream
    assertThat(listener.next()).isEqualTo("error EOFException retry");
    String missed = news.publish("news", SseEvent.of("missed")); // replayed or live: never lost
    listener.expect("open 200", "event message missed id=" + missed);
    assertThat(lastEventIds.take()).isEqualTo(first);
    assertThat(source.lastEventId()).isEqualTo(missed);
  }

  @Test
  @DisplayName("HTTP/2 over TLS: events flow, close() resets the stream, reconnection resumes")
  void http2() throws Exception {
    BlockingQueue<SseStream> streams = new LinkedBlockingQueue<>();
    BlockingQueue<String> lastEventIds = new LinkedBlockingQueue<>();
    CountDownLatch closedByClient = new CountDownLatch(2);
    AtomicInteger connections = new AtomicInteger();
    server =
        HeraldServer.builder()
            .tlsSelfSigned()
            .port(0)
            .sse(
                "/h2",
                (request, stream) -> {
                  lastEventIds.add(String.valueOf(stream.lastEventId()));
                  stream.onClose(closedByClient::countDown);
                  stream.retry(Duration.ofMillis(20));
                  String id = "n" + connections.getAndIncrement();
                  stream.send(SseEvent.builder().id(id).data("over h2").build());
                  streams.add(stream);
                })
            .build()
            .start();
    source =
        EventSource.builder(URI.create(server.baseUrl() + "/h2"))
            .httpClient(trusting(server.certificate()))
            .listener(listener)
            .build();
    source.start();
    listener.expect("open 200", "event message over h2 id=n0");
    assertThat(listener.responses.take().version()).isEqualTo(HttpClient.Version.HTTP_2);
    streams.take().close();
    listener.expect("error EOFException retry", "open 200", "event message over h2 id=n1");
    assertThat(lastEventIds.take()).isEqualTo("null");
    assertThat(lastEventIds.take()).isEqualTo("n0");
    source.close(); // an RST_STREAM: the server sees the stream end
    assertThat(closedByClient.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  @DisplayName(
      "HTTPS over Herald's HTTP/1.1: TLS with the client's context, the UTF-8 Last-Event-ID"
          + " intact (S-47), close() ends the stream")
  void http11OverTls() throws Exception {
    String id = "é-€-\uD83D\uDE00";
    BlockingQueue<String> lastEventIds = new LinkedBlockingQueue<>();
    BlockingQueue<SseStream> streams = new LinkedBlockingQueue<>();
    CountDownLatch closedByClient = new CountDownLatch(2);
    server =
        HeraldServer.builder()
            .tlsSelfSigned()
            .port(0)
            .sse(
                "/tls",
                (request, stream) -> {
                  lastEventIds.add(String.valueOf(stream.lastEventId()));
                  stream.onClose(closedByClient::countDown);
                  stream.retry(Duration.ofMillis(20));
                  stream.send(SseEvent.builder().id(id).data("over TLS").build());
                  streams.add(stream);
                })
            .build()
            .start();
    HttpClient http11 = trusting(server.certificate(), HttpClient.Version.HTTP_1_1);
    source =
        EventSource.builder(URI.create(server.baseUrl() + "/tls"))
            .httpClient(http11)
            .listener(listener)
            .build();
    source.start();
    listener.expect("open 200", "event message over TLS id=" + id);
    ResponseInfo response = listener.responses.take();
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.uri().getScheme()).isEqualTo("https");
    streams.take().close();
    listener.expect("error EOFException retry", "open 200", "event message over TLS id=" + id);
    assertThat(lastEventIds.take()).isEqualTo("null");
    assertThat(lastEventIds.take()).isEqualTo(id);
    source.close();
    assertThat(closedByClient.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  @DisplayName("HTTPS over Herald's HTTP/1.1: a certificate the client does not trust fails it")
  void untrustedCertificate() throws Exception {
    server =
        HeraldServer.builder().tlsSelfSigned().port(0).sse("/tls", (r, s) -> {}).build().start();
    source =
        EventSource.builder(URI.create(server.baseUrl() + "/tls"))
            .listener(listener)
            .errorStrategy(ErrorStrategy.giveUpAfterAttempts(1))
            .build();
    source.start();
    listener.expect("error SSLHandshakeException final");
  }

  private static HttpClient trusting(X509Certificate certificate) throws Exception {
    return trusting(certificate, HttpClient.Version.HTTP_2);
  }

  private static HttpClient trusting(X509Certificate certificate, HttpClient.Version version)
      throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("herald", certificate);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    return HttpClient.newBuilder()
        .version(version)
        .sslContext(tls)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Test
  @DisplayName("S-65: the server's 204 stops the client for good")
  void rejectWith204() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    URI uri =
        start(
            HeraldServer.builder()
                .sse(
                    "/gone",
                    (request, stream) -> {
                      requests.incrementAndGet();
                      stream.reject(204, "no more");
                    }),
            "/gone");
    EventSource s = connect(uri);
    listener.expect("error ResponseException final");
    assertThat(s.readyState()).isEqualTo(ReadyState.CLOSED);
    listener.assertNoMoreCallbacks(Duration.ofMillis(200));
    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  @DisplayName("heartbeat comments reach onComment and keep a short read timeout satisfied")
  void heartbeats() throws Exception {
    URI uri =
        start(
            HeraldServer.builder()
                .heartbeat(Duration.ofMillis(100))
                .sse("/quiet", (request, stream) -> stream.send(SseEvent.of("hello"))),
            "/quiet");
    source =
        EventSource.builder(uri).listener(listener).readTimeout(Duration.ofMillis(600)).build();
    source.start();
    listener.expect("open 200", "event message hello id=");
    for (int i = 0; i < 5; i++) {
      assertThat(listener.next()).startsWith("comment");
    }
    assertThat(source.readyState()).isEqualTo(ReadyState.OPEN);
  }
}
