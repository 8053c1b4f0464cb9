package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.server.ServerSettings;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Probes at the connection limit, connection timeouts, and the access log. */
class OperationsTest {
  private Hub hub;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    if (hub != null) {
      hub.close(Duration.ZERO);
    }
  }

  private Socket silentSocket() throws Exception {
    Socket s = new Socket();
    sockets.add(s);
    s.connect(new InetSocketAddress("127.0.0.1", hub.port()), 5000);
    return s;
  }

  @Test
  @DisplayName("at the connection limit /healthz answers 200 and /readyz 503 full")
  void probesAtTheLimit() throws Exception {
    hub =
        TestHubs.open(
            0, b -> b.server(TestHubs.settings(0).maxConnections(2).build()).dashboard(false));
    assertThat(new HubClient(hub).get("/readyz").body()).isEqualTo("ready"); // kept alive
    silentSocket();
    Poll.until(() -> hub.server().openConnections() == 2);
    HubClient client = new HubClient(hub);
    HttpResponse<String> health = client.get("/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    HttpResponse<String> ready = client.get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).startsWith("full");
    assertThat(client.get("/.well-known/mercure?match=a").statusCode())
        .as("anything else past the limit")
        .isEqualTo(503);
  }

  @Test
  @DisplayName("silent connections are closed after the request-head timeout; then ready again")
  void silentConnectionsClosed() throws Exception {
    hub =
        TestHubs.open(
            0,
            b ->
                b.server(
                        TestHubs.settings(0)
                            .maxConnections(3)
                            .requestHeadTimeout(Duration.ofMillis(300))
                            .build())
                    .dashboard(false));
    for (int i = 0; i < 4; i++) {
      Socket s = silentSocket();
      s.setSoTimeout(10_000);
      assertThat(s.getInputStream().read()).isEqualTo(-1); // closed, nothing said
    }
    Poll.until(() -> hub.server().openConnections() == 0);
    assertThat(new HubClient(hub).get("/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("the timeouts are checked when set, naming the setting")
  void timeoutsValidated() {
    ServerSettings.Builder b = ServerSettings.builder();
    assertThatThrownBy(() -> b.requestHeadTimeout(Duration.ZERO))
        .hasMessageContaining("requestHeadTimeout");
    assertThatThrownBy(() -> b.requestBodyTimeout(Duration.ofMillis(-1)))
        .hasMessageContaining("requestBodyTimeout");
    assertThatThrownBy(() -> b.tlsHandshakeTimeout(Duration.ofDays(2)))
        .hasMessageContaining("tlsHandshakeTimeout");
    assertThatThrownBy(() -> b.idleTimeout(null)).hasMessageContaining("idleTimeout");
  }

  @Test
  @DisplayName("the access log names method, path and status, and never a token")
  void accessLogWithoutTokens() throws Exception {
    hub = TestHubs.secured(b -> b);
    HubClient client = new HubClient(hub);
    String publisher = Tokens.token(hub.url(), 60, Tokens.detail("publish", "*"));
    String expired = Tokens.token(hub.url(), -60, Tokens.detail("subscribe", "*"));
    String cookie = Tokens.token(hub.url(), 60, Tokens.detail("subscribe", "*"));
    assertThat(
            client
                .publish(HubClient.form("topic", "logged"), "Authorization", "Bearer " + publisher)
                .statusCode())
        .isEqualTo(200);
    assertThat(client.get("/.well-known/mercure?match=a&authorization=" + expired).statusCode())
        .isEqualTo(401);
    assertThat(client.get("/healthz", "Cookie", "mercureAuthorization=" + cookie).statusCode())
        .isEqualTo(200);
    Path log = Path.of("target", "hub-test.log");
    Poll.until(() -> read(log).contains("GET /healthz HTTP/1.1 200"));
    String text = read(log);
    assertThat(text)
        .contains("POST /.well-known/mercure HTTP/1.1 200")
        .contains("GET /.well-known/mercure HTTP/1.1 stream rejected");
    for (String token : List.of(publisher, expired, cookie)) {
      assertThat(text).doesNotContain(token);
      assertThat(text).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    }
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
