package dev.herald.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import dev.herald.server.Broadcaster;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A WebFlux application under Spring Security, on a real port: its controllers' Herald streams. */
@SpringBootTest(
    classes = dev.herald.spring.boot.webflux.WebFluxApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.main.web-application-type=reactive", "herald.stream.heartbeat=200ms"})
@Timeout(60)
class WebFluxTest {
  private static LogCapture logs;

  @LocalServerPort int port;
  @Autowired Broadcaster<Void> broadcaster;

  @BeforeAll
  static void captureLogs() {
    logs = new LogCapture();
  }

  @BeforeEach
  void attachOnceStarted() {
    logs.attach();
  }

  @AfterAll
  static void noWarningsOrErrorsWereLogged() {
    try {
      assertThat(logs.warnings()).isEmpty();
    } finally {
      logs.close();
    }
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  @Test
  void aControllersStreamDeliversHeartbeatsAndResumesFromHistory() throws Exception {
    String lastId;
    try (Streams client = new Streams(url("/news"), "Authorization", Streams.ALICE, null)) {
      client.awaitOpen();
      broadcaster.publish("news", SseEvent.of("one"));
      SseEvent one = client.next();
      assertThat(one.data()).isEqualTo("one");
      lastId = one.id();
      assertThat(client.comments.poll(5, TimeUnit.SECONDS)).isNotNull();
    }
    broadcaster.publish("news", SseEvent.of("two"));
    try (Streams client = new Streams(url("/news"), "Authorization", Streams.ALICE, lastId)) {
      assertThat(client.next().data()).isEqualTo("two");
      broadcaster.publish("news", SseEvent.of("three"));
      assertThat(client.next().data()).isEqualTo("three");
    }
  }

  @Test
  void aClosedConnectionLeavesItsSubscriptionAtOnce() throws Exception {
    int before = broadcaster.subscribers();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url("/news")))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", Streams.ALICE)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    Streams.await(() -> broadcaster.subscribers() == before + 1, 5, "subscribed");
    response.body().close();
    Streams.await(() -> broadcaster.subscribers() == before, 5, "subscription gone");
  }

  @Test
  void anUnauthenticatedClientIsRefused() throws Exception {
    HttpResponse<Void> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url("/news")))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(response.statusCode()).isEqualTo(401);
  }
}
