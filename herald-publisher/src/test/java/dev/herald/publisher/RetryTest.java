package dev.herald.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries and timeouts against a tiny fake hub (a JDK HttpServer) that answers as scripted. */
class RetryTest {
  private final Deque<int[]> script = new ArrayDeque<>(); // {status, retryAfterSeconds or -1}
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;

  private URI start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/.well-known/mercure", this::answer);
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/mercure");
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    int[] next;
    synchronized (script) {
      next = script.isEmpty() ? new int[] {200, -1} : script.poll();
    }
    if (next[0] == 0) { // never answer in time
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    if (next[1] >= 0) {
      exchange.getResponseHeaders().add("Retry-After", Integer.toString(next[1]));
    }
    byte[] body =
        (next[0] == 200 ? "urn:uuid:42" : "hub overloaded").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(next[0], body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void retriesA503AfterItsRetryAfterThenSucceeds() throws Exception {
    script.add(new int[] {503, 0});
    script.add(new int[] {503, -1}); // no Retry-After: the backoff
    URI url = start();
    HubPublisher publisher =
        HubPublisher.builder(url).token(() -> "t").backoff(Duration.ofMillis(5)).build();
    assertThat(publisher.publish(Publication.of("https://a.example/1", "x")))
        .isEqualTo("urn:uuid:42");
    // every attempt carries the same ID, made once: a retried update stored twice is one ID
    assertThat(bodies).hasSize(3).allMatch(b -> b.equals(bodies.get(0)));
    assertThat(bodies.get(0))
        .matches("topic=https%3A%2F%2Fa.example%2F1&data=x&id=urn%3Auuid%3A[0-9a-f-]{36}");
  }

  @Test
  void givesUpAfterMaxAttemptsNamingTheStatusAndMessage() throws Exception {
    for (int i = 0; i < 5; i++) {
      script.add(new int[] {503, 0});
    }
    URI url = start();
    HubPublisher publisher = HubPublisher.builder(url).maxAttempts(3).build();
    assertThatThrownBy(() -> publisher.publish(Publication.of("https://a.example/1", "x")))
        .isInstanceOfSatisfying(
            PublishException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.hubMessage()).isEqualTo("hub overloaded");
              assertThat(e.getMessage()).contains("503").contains("after 3 attempts");
            });
    assertThat(bodies).hasSize(3);
  }

  @Test
  void aRetryAfterPastTheTotalTimeEndsTheRetriesAtOnce() throws Exception {
    script.add(new int[] {503, 120});
    URI url = start();
    HubPublisher publisher = HubPublisher.builder(url).maxRetryTime(Duration.ofSeconds(5)).build();
    long started = System.nanoTime();
    assertThatThrownBy(() -> publisher.publish(Publication.of("https://a.example/1", "x")))
        .isInstanceOf(PublishException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(bodies).hasSize(1);
  }

  @Test
  void otherErrorsAreNotRetried() throws Exception {
    script.add(new int[] {400, -1});
    URI url = start();
    HubPublisher publisher = HubPublisher.builder(url).build();
    assertThatThrownBy(
            () -> publisher.publishAsync(Publication.of("https://a.example/1", "x")).join())
        .hasCauseInstanceOf(PublishException.class);
    assertThat(bodies).hasSize(1);
  }

  @Test
  void everyRequestHasATimeout() throws Exception {
    script.add(new int[] {0, -1});
    URI url = start();
    HubPublisher publisher =
        HubPublisher.builder(url).requestTimeout(Duration.ofMillis(300)).build();
    assertThatThrownBy(() -> publisher.publish(Publication.of("https://a.example/1", "x")))
        .isInstanceOfSatisfying(
            PublishException.class,
            e -> {
              assertThat(e.status()).isEqualTo(-1);
              assertThat(e.getMessage()).contains("no answer within PT0.3S");
            });
    assertThat(bodies).hasSize(1); // a timed-out publish may have been accepted: not repeated
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDate() {
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    assertThat(HubPublisher.parseRetryAfter("7", clock)).isEqualTo(Duration.ofSeconds(7));
    assertThat(HubPublisher.parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", clock))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(HubPublisher.parseRetryAfter("soon", clock)).isNull();
    assertThat(HubPublisher.parseRetryAfter("99999999999", clock)).isNull();
  }
}
