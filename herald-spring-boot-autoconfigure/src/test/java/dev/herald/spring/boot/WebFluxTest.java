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
    // A raw connection, so that closing it really closes it (closing the JDK client's body stream
    // leaves the connection's closing to the client, which took more than 5 s at times).
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET /news HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                      + "Authorization: "
                      + Streams.ALICE
                      + "\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String head = readHead(socket.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 200");
      assertThat(head.toLowerCase(java.util.Locale.ROOT))
          .contains("content-type: text/event-stream");
      Streams.await(() -> broadcaster.subscribers() == before + 1, 5, "subscribed");
    } // the client goes away
    Streams.await(() -> broadcaster.subscribers() == before, 5, "subscription gone");
  }

  /** The response head, up to its empty line. */
  private static String readHead(InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
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
