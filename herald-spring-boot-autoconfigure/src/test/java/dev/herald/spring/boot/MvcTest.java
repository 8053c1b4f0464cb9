package dev.herald.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.SseEvent;
import dev.herald.hub.Hub;
import dev.herald.publisher.Publication;
import dev.herald.publisher.Publisher;
import dev.herald.server.Broadcaster;
import dev.herald.testing.NodeEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A Spring MVC application under Spring Security, on a real port, with the embedded hub: its
 * controllers' Herald streams (events, resume, heartbeats, budget, cleanup, quiet disconnects) and
 * the hub's beans (publisher, cookie, discovery, health, metrics). One context for all.
 */
@MvcApplicationTest
@org.junit.jupiter.api.Timeout(60)
class MvcTest {
  private static LogCapture logs;

  @LocalServerPort int port;
  @Autowired Broadcaster<Void> broadcaster;
  @Autowired Publisher publisher;
  @Autowired Hub hub;
  @Autowired MeterRegistry registry;

  private final HttpClient http = HttpClient.newHttpClient();

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

  private static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(10));
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  @Test
  void aControllersStreamDeliversAndResumesFromHistory() throws Exception {
    String lastId;
    try (Streams client = new Streams(url("/news"), "Authorization", Streams.ALICE, null)) {
      client.awaitOpen();
      broadcaster.publish("news", SseEvent.of("one"));
      broadcaster.publish("news", SseEvent.of("two"));
      assertThat(client.next().data()).isEqualTo("one");
      SseEvent two = client.next();
      assertThat(two.data()).isEqualTo("two");
      lastId = two.id();
    }
    // Published while the client is away: it gets them on resuming with its last event ID (S-41).
    broadcaster.publish("news", SseEvent.of("three"));
    broadcaster.publish("news", SseEvent.of("four"));
    try (Streams client = new Streams(url("/news"), "Authorization", Streams.ALICE, lastId)) {
      assertThat(client.next().data()).isEqualTo("three");
      assertThat(client.next().data()).isEqualTo("four");
      broadcaster.publish("news", SseEvent.of("five"));
      assertThat(client.next().data()).isEqualTo("five");
      // Heartbeats: a comment every 200 ms while no event comes.
      assertThat(client.comments.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
    }
  }

  @Test
  void nodesEventSourceReadsAControllersStream() throws Exception {
    assumeTrue(NodeEventSource.isAvailable(), "node with EventSource is not installed");
    try (NodeEventSource node = NodeEventSource.open(URI.create(url("/public/news")))) {
      node.await("open", line -> line.get("type").asText().equals("open"));
      broadcaster.publish("public", SseEvent.of("to node"));
      JsonNode message =
          node.await("the event", line -> line.get("type").asText().equals("message"));
      assertThat(message.get("data").asText()).isEqualTo("to node");
      assertThat(message.get("lastEventId").asText()).isNotEmpty();
    }
  }

  @Test
  void anUnauthenticatedClientIsRefused() throws Exception {
    HttpResponse<Void> response =
        http.send(
            request(URI.create(url("/news"))).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void aClosedConnectionLeavesItsSubscriptionAtOnceAndQuietly() throws Exception {
    int before = broadcaster.subscribers();
    HttpRequest request =
        request(URI.create(url("/news"))).header("Authorization", Streams.ALICE).build();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    Streams.await(() -> broadcaster.subscribers() == before + 1, 5, "subscribed");
    response.body().close(); // the client goes away
    Streams.await(() -> broadcaster.subscribers() == before, 5, "subscription gone");
  }

  @Test
  void aClientThatStopsReadingIsDisconnectedAtItsBudget() throws Exception {
    int before = broadcaster.subscribers();
    // A raw connection, so that closing it at the end really closes it.
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setReceiveBufferSize(4096);
      socket
          .getOutputStream()
          .write(
              ("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                      + Streams.ALICE
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      Streams.await(() -> broadcaster.subscribers() == before + 1, 5, "subscribed");
      String kilobyte = "x".repeat(1024);
      for (int i = 0; i < 40_000 && broadcaster.subscribers() > before; i++) {
        broadcaster.publish("flood", SseEvent.of(kilobyte)); // never read: 40 MB at most
      }
      Streams.await(() -> broadcaster.subscribers() == before, 10, "the slow client was let go");
    }
  }

  @Test
  void aStreamClosedFromAnotherThreadWhileItsRequestIsSubscribingEnds() throws Exception {
    // A resume that finds a gap: the broadcaster closes the stream (the client learns of the gap
    // on reconnecting) on its delivery thread, while the request thread is still subscribing.
    String first =
        dev.herald.spring.boot.mvc.MvcApp.HANDOFF.publish("handoff", SseEvent.of("first"));
    dev.herald.spring.boot.mvc.MvcApp.HANDOFF.publish("handoff", SseEvent.of("missed"));
    for (int attempt = 0; attempt < 5; attempt++) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(500);
        socket
            .getOutputStream()
            .write(
                ("GET /public/handoff HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        + "Last-Event-ID: "
                        + first
                        + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        String response = readForAtMost(socket, 10); // a stream that never ends fails here
        assertThat(response).startsWith("HTTP/1.1 200").endsWith("0\r\n\r\n"); // ended
      }
    }
  }

  /** What the connection sends until it closes, or for {@code seconds} at most. */
  private static String readForAtMost(Socket socket, int seconds) throws Exception {
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      int n;
      try {
        n = socket.getInputStream().read(buffer);
      } catch (java.net.SocketTimeoutException e) {
        continue;
      }
      if (n < 0) {
        break;
      }
      got.write(buffer, 0, n);
    }
    return got.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void theEmbeddedHubTakesPublishesAndTheCookieAuthorizesItsSubscribers() throws Exception {
    HttpResponse<String> page =
        http.send(
            request(URI.create(url("/page"))).header("Authorization", Streams.ALICE).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.headers().firstValue("Link")).hasValue("<" + hub.url() + ">; rel=\"mercure\"");
    String setCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith("mercureAuthorization=")
        .contains("; Path=/.well-known/mercure")
        .contains("; HttpOnly; SameSite=Strict")
        .doesNotContain("Secure");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    String topic = "https://app.example/users/alice";
    String subscribe = hub.url() + "?match=" + URLEncoder.encode(topic, StandardCharsets.UTF_8);
    try (Streams alice = new Streams(subscribe, "Cookie", cookie, null)) {
      alice.awaitOpen();
      String id =
          publisher.publish(
              Publication.builder(topic).data("for alice").privateUpdate(true).build());
      SseEvent event = alice.next();
      assertThat(event.data()).isEqualTo("for alice");
      assertThat(event.id()).isEqualTo(id);
    }
    // Without the cookie, the private update's topic is refused (anonymous subscribers are off).
    HttpResponse<Void> refused =
        http.send(request(URI.create(subscribe)).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(refused.statusCode()).isEqualTo(401);
    // The hub's meters are in the application's registry.
    assertThat(registry.find("herald.hub.updates.published").counter()).isNotNull();
  }

  @Test
  void theHubsHealthIsUp() throws Exception {
    HttpResponse<String> health =
        http.send(
            request(URI.create(url("/actuator/health/heraldHub"))).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"").contains(hub.url());
  }
}
