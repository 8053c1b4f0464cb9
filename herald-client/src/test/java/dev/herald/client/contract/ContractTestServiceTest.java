package dev.herald.client.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.herald.testing.MockConnection;
import dev.herald.testing.MockResponse;
import dev.herald.testing.MockSseServer;
import dev.herald.testing.RecordedRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract-test service over loopback, as the harness drives it: capabilities, create a stream
 * against a mock server, numbered callbacks, commands, delete. The harness itself runs outside the
 * build (see the module's README).
 */
class ContractTestServiceTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final MockSseServer stream = MockSseServer.start();
  private final BlockingQueue<String[]> callbacks = new LinkedBlockingQueue<>();
  private ContractTestService service;
  private HttpServer harness;

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
    if (harness != null) {
      harness.stop(0);
    }
    stream.close();
  }

  @Test
  @DisplayName("create a stream, receive its event and comment, restart it, delete it")
  void lifecycle() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    service = ContractTestService.start(new InetSocketAddress(loopback, 0));
    harness = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    harness.createContext(
        "/callbacks",
        exchange -> {
          try (exchange) {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            callbacks.add(new String[] {exchange.getRequestURI().getPath(), body});
            exchange.sendResponseHeaders(202, -1);
          }
        });
    harness.start();
    URI base = URI.create("http://127.0.0.1:" + service.port());

    HttpResponse<String> status = send(HttpRequest.newBuilder(base).GET());
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains("\"restart\"", "\"read-timeout\"", "\"comments\"");

    stream.enqueue(
        MockResponse.stream().send("event: greeting\nid: 1\ndata: hello\n\n").hold().build());
    String create =
        "{\"tag\":\"smoke\",\"streamUrl\":\""
            + stream.uri("/events")
            + "\",\"callbackUrl\":\"http://127.0.0.1:"
            + harness.getAddress().getPort()
            + "/callbacks/1\",\"initialDelayMs\":0,\"lastEventId\":\"abc\","
            + "\"headers\":{\"x-test\":\"yes\"}}";
    HttpResponse<String> created = send(post(base, create));
    assertThat(created.statusCode()).isEqualTo(201);
    URI streamResource = base.resolve(created.headers().firstValue("Location").orElseThrow());

    RecordedRequest first = stream.takeRequest();
    assertThat(first.header("x-test")).isEqualTo("yes");
    assertThat(first.header("Last-Event-ID")).isEqualTo("abc");
    assertCallback(
        "/callbacks/1/1", "event", Map.of("type", "greeting", "data", "hello", "id", "1"));

    MockConnection connection = first.connection();
    connection.send(":heartbeat\n");
    assertCallback("/callbacks/1/2", "comment", null);

    stream.enqueue(MockResponse.stream().hold().build());
    assertThat(send(post(streamResource, "{\"command\":\"restart\"}")).statusCode()).isEqualTo(204);
    assertThat(stream.takeRequest().header("Last-Event-ID")).isEqualTo("1");
    assertThat(connection.awaitClosed(java.time.Duration.ofSeconds(10))).isTrue();

    assertThat(send(post(streamResource, "{\"command\":\"bogus\"}")).statusCode()).isEqualTo(400);
    assertThat(send(HttpRequest.newBuilder(streamResource).DELETE()).statusCode()).isEqualTo(204);
    assertThat(send(HttpRequest.newBuilder(streamResource).DELETE()).statusCode()).isEqualTo(404);
    assertThat(service.openStreams()).isZero();
  }

  private void assertCallback(String path, String kind, Map<String, String> event)
      throws InterruptedException, IOException {
    String[] callback = callbacks.poll(10, TimeUnit.SECONDS);
    assertThat(callback).as("a callback").isNotNull();
    assertThat(callback[0]).isEqualTo(path);
    Map<String, Object> message =
        ContractTestService.readObject(
            new ByteArrayInputStream(callback[1].getBytes(StandardCharsets.UTF_8)));
    assertThat(message).containsEntry("kind", kind);
    if (event != null) {
      assertThat(message.get("event")).isEqualTo(event);
    } else {
      assertThat(message).containsEntry("comment", "heartbeat");
    }
  }

  private static HttpRequest.Builder post(URI uri, String json) {
    return HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
