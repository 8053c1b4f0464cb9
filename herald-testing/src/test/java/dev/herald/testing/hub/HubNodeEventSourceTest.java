package dev.herald.testing.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.HubExtension;
import dev.herald.testing.NodeEventSource;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hub against Node's {@code EventSource} (undici's), a browser-grade client, in a child
 * process. Skipped when Node with {@code --experimental-eventsource} is not installed. Here rather
 * than in herald-hub, because herald-testing depends on the hub.
 */
@Timeout(60)
class HubNodeEventSourceTest {
  @RegisterExtension
  final HubExtension hub =
      HubExtension.of(b -> b.anonymousSubscribers(true).anonymousPublishers(true).dashboard(false));

  @BeforeAll
  static void needsNode() {
    assumeTrue(
        NodeEventSource.isAvailable(),
        "Node 20+ with --experimental-eventsource is not installed (Debian: apt-get install nodejs)");
  }

  @Test
  @DisplayName(
      "a URL pattern subscription: the update's id and type reach Node; after a restart it"
          + " reconnects and gets what is published next")
  void urlPatternUpdatesAndReconnection() throws Exception {
    String pattern = URLEncoder.encode("https://example.com/books/:id", StandardCharsets.UTF_8);
    URI url = URI.create(hub.url() + "?match_urlpattern=" + pattern);
    try (NodeEventSource node = NodeEventSource.open(url, "book")) {
      node.await("open", HubNodeEventSourceTest::isOpen);
      Poll.until(() -> hub.hub().subscribers() == 1);
      publish("https://example.com/authors/1", "urn:author:1", "book", "not for this pattern");
      publish("https://example.com/books/1", "urn:book:1", "book", "{\"title\":\"one\"}");

      JsonNode update = node.await("the book", line -> !isOpen(line));
      assertThat(update.get("type").asText())
          .as("reached addEventListener('book')")
          .isEqualTo("book");
      assertThat(update.get("lastEventId").asText()).isEqualTo("urn:book:1");
      assertThat(update.get("data").asText()).isEqualTo("{\"title\":\"one\"}");

      int port = hub.port();
      hub.restart();
      JsonNode error = node.await("the lost connection", line -> isType(line, "error"));
      assertThat(error.get("readyState").asInt()).as("CONNECTING: it will retry").isZero();
      assertThat(hub.port()).isEqualTo(port);
      node.await("the reconnection", HubNodeEventSourceTest::isOpen);
      Poll.until(() -> hub.hub().subscribers() == 1);
      publish("https://example.com/books/2", "urn:book:2", "book", "two");

      JsonNode after = node.await("the book after the restart", line -> isType(line, "book"));
      assertThat(after.get("lastEventId").asText()).isEqualTo("urn:book:2");
      assertThat(after.get("data").asText()).isEqualTo("two");
      assertThat(node.seen())
          .filteredOn(line -> isType(line, "book") || isType(line, "message"))
          .extracting(line -> line.get("lastEventId").asText())
          .containsExactly("urn:book:1", "urn:book:2");
    }
  }

  private void publish(String topic, String id, String type, String data) throws Exception {
    String body = HubClient.form("topic", topic, "id", id, "type", type, "data", data);
    assertThat(new HubClient(hub.url()).publish(body).statusCode()).isEqualTo(200);
  }

  private static boolean isOpen(JsonNode line) {
    return isType(line, "open");
  }

  private static boolean isType(JsonNode line, String type) {
    return line.get("type").asText().equals(type);
  }
}
