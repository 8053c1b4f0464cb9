package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.SseEvent;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Active Subscriptions: subscription events and the subscription API. */
class ActiveSubscriptionsTest {
  private Hub hub;
  private HubClient client;
  private String audience;

  @BeforeEach
  void start() throws Exception {
    hub = TestHubs.secured(b -> b.anonymousSubscribers(true).subscriptionsApi(true));
    audience = hub.url();
    client = new HubClient(hub);
  }

  @AfterEach
  void stop() {
    hub.close(Duration.ZERO);
  }

  private String watcherToken() {
    return Tokens.token(
        audience,
        60,
        Map.of(
            "type", "https://mercure.rocks/authorization-detail",
            "actions", List.of("subscribe"),
            "topics",
                List.of(
                    Map.of(
                        "match", "/.well-known/mercure/subscriptions{/*}?",
                        "match_type", "urlpattern"))));
  }

  @Test
  @DisplayName(
      "Subscription Events: a private mercure-typed update when a subscription starts and ends")
  void events() throws Exception {
    String pattern =
        "match_urlpattern="
            + URLEncoder.encode(
                "/.well-known/mercure/subscriptions/:type/:match/:id", StandardCharsets.UTF_8);
    try (var anonymous = client.subscribe(pattern);
        var watcher = client.subscribe(pattern, "Authorization", "Bearer " + watcherToken())) {
      String match = "https://example.com/a b";
      try (var subscriber =
          client.subscribe("match=" + URLEncoder.encode(match, StandardCharsets.UTF_8))) {
        assertThat(subscriber.status()).isEqualTo(200);
        SseEvent started = next(watcher, match);
        assertThat(started.type()).isEqualTo("mercure");
        JsonNode doc = Json.MAPPER.readTree(started.data());
        assertThat(doc.get("type").asText()).isEqualTo("subscription");
        assertThat(doc.get("match_type").asText()).isEqualTo("exact");
        assertThat(doc.get("match").asText()).isEqualTo(match);
        assertThat(doc.get("active").asBoolean()).isTrue();
        String id = doc.get("id").asText();
        assertThat(id)
            .startsWith(
                "/.well-known/mercure/subscriptions/exact/https%3A%2F%2Fexample.com%2Fa%20b/")
            .endsWith(Subscriptions.encode(doc.get("subscriber").asText()));
        assertThat(doc.get("subscriber").asText()).startsWith("urn:uuid:");

        HttpResponse<String> single = client.get(id, "Authorization", "Bearer " + watcherToken());
        assertThat(single.statusCode()).isEqualTo(200);
        assertThat(single.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(single.headers().firstValue("link").orElseThrow())
            .contains("rel=\"mercure\"")
            .contains("last-event-id=");
        assertThat(Json.MAPPER.readTree(single.body())).isEqualTo(doc);

        HttpResponse<String> all =
            client.get(
                "/.well-known/mercure/subscriptions", "Authorization", "Bearer " + watcherToken());
        JsonNode collection = Json.MAPPER.readTree(all.body());
        assertThat(collection.get("type").asText()).isEqualTo("subscriptions");
        assertThat(collection.get("id").asText()).isEqualTo("/.well-known/mercure/subscriptions");
        assertThat(collection.get("subscriptions").findValuesAsText("match")).contains(match);
      }
      SseEvent ended = next(watcher, "\"active\":false");
      assertThat(Json.MAPPER.readTree(ended.data()).get("match").asText())
          .isEqualTo("https://example.com/a b");
      assertThat(anonymous.drain(300)).as("subscription events are private").isEmpty();
    }
  }

  private static SseEvent next(HubClient.Subscription sub, String containing)
      throws InterruptedException {
    while (true) {
      SseEvent e = sub.next();
      if (e.data().contains(containing)) {
        return e;
      }
    }
  }

  @Test
  @DisplayName(
      "Subscription API: a token, and a grant on the requested path, are required; 404 else")
  void apiAuthorization() throws Exception {
    assertThat(client.get("/.well-known/mercure/subscriptions").statusCode()).isEqualTo(401);
    String other = Tokens.token(audience, 60, Tokens.detail("subscribe", "elsewhere"));
    assertThat(
            client
                .get("/.well-known/mercure/subscriptions", "Authorization", "Bearer " + other)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            client
                .get(
                    "/.well-known/mercure/subscriptions/exact/x/urn%3Auuid%3Anone",
                    "Authorization", "Bearer " + watcherToken())
                .statusCode())
        .isEqualTo(404);
  }
}
