package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.SseEvent;
import dev.herald.hub.store.MemoryUpdateStore;
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

/**
 * Active Subscriptions across the nodes of a cluster, through the {@code SubscriptionDirectory}
 * seam: two hubs share a log, a bus ({@link ClusterBus}) and a directory ({@link SharedDirectory});
 * each node's API lists the other's subscribers, and the subscription events of one reach watchers
 * on the other (they are updates in the shared log).
 */
class ClusterSubscriptionsTest {
  private static final String BOOK = "https://example.com/books/1";
  private static final String EVENTS =
      "match_urlpattern="
          + URLEncoder.encode(
              "/.well-known/mercure/subscriptions/:type/:match/:id", StandardCharsets.UTF_8);

  private final MemoryUpdateStore log = MemoryUpdateStore.builder().build();
  private final ClusterBus bus = new ClusterBus();
  private final SharedDirectory directory = new SharedDirectory();
  private Hub a;
  private Hub b;

  @BeforeEach
  void start() throws Exception {
    log.publishTo(bus);
    a = node("node-a");
    b = node("node-b");
  }

  private Hub node(String name) throws Exception {
    return TestHubs.secured(
        h ->
            h.store(log, bus.node())
                .subscriptionDirectory(directory.node())
                .nodeName(name)
                .anonymousSubscribers(true)
                .subscriptionsApi(true));
  }

  @AfterEach
  void stop() {
    a.close(Duration.ZERO);
    b.close(Duration.ZERO);
  }

  /** A token that may read the subscription API and events of {@code hub}. */
  private static String watcher(Hub hub) {
    return "Bearer "
        + Tokens.token(
            hub.url(),
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
      "Active Subscriptions: node A's API lists node B's subscriber, and B's subscription events"
          + " reach A's watchers, start and end")
  void acrossNodes() throws Exception {
    HubClient toA = new HubClient(a);
    HubClient toB = new HubClient(b);
    try (var watcherOnA = toA.subscribe(EVENTS, "Authorization", watcher(a))) {
      assertThat(watcherOnA.status()).isEqualTo(200);
      String subscriberId;
      try (var onB = toB.subscribe("match=" + URLEncoder.encode(BOOK, StandardCharsets.UTF_8))) {
        assertThat(onB.status()).isEqualTo(200);
        JsonNode started = Json.MAPPER.readTree(next(watcherOnA, BOOK, "\"active\":true").data());
        assertThat(started.get("match").asText()).isEqualTo(BOOK);
        subscriberId = started.get("subscriber").asText();

        HttpResponse<String> all =
            toA.get("/.well-known/mercure/subscriptions", "Authorization", watcher(a));
        assertThat(all.statusCode()).isEqualTo(200);
        JsonNode listed = Json.MAPPER.readTree(all.body()).get("subscriptions");
        assertThat(listed.findValuesAsText("subscriber")).contains(subscriberId);
        HttpResponse<String> one = toA.get(started.get("id").asText(), "Authorization", watcher(a));
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(one.body())).isEqualTo(started);
        assertThat(a.clusterSubscribers()).as("A's watcher and B's subscriber").isEqualTo(2);
        assertThat(a.nodeName()).isEqualTo("node-a");
      }
      JsonNode ended = Json.MAPPER.readTree(next(watcherOnA, BOOK, "\"active\":false").data());
      assertThat(ended.get("subscriber").asText()).isEqualTo(subscriberId);
      Poll.until(() -> b.subscribers() == 0);
      HttpResponse<String> after =
          toA.get("/.well-known/mercure/subscriptions", "Authorization", watcher(a));
      assertThat(
              Json.MAPPER
                  .readTree(after.body())
                  .get("subscriptions")
                  .findValuesAsText("subscriber"))
          .doesNotContain(subscriberId);
    }
  }

  @Test
  @DisplayName(
      "/stats and /metrics give the node's name and the cluster's subscribers (every node's)")
  void statsAcrossNodes() throws Exception {
    Hub c =
        TestHubs.open(
            0, h -> h.store(log, bus.node()).subscriptionDirectory(directory.node()).nodeName("c"));
    try (var onA = new HubClient(a).subscribe("match=x");
        var onB = new HubClient(b).subscribe("match=y")) {
      assertThat(onA.status()).isEqualTo(200);
      assertThat(onB.status()).isEqualTo(200);
      Poll.until(() -> c.clusterSubscribers() == 2);
      HttpResponse<String> stats = new HubClient(c).get("/stats");
      JsonNode doc = Json.MAPPER.readTree(stats.body());
      assertThat(doc.get("node").asText()).isEqualTo("c");
      assertThat(doc.get("subscribers").asInt()).as("c's own").isZero();
      assertThat(doc.get("clusterSubscribers").asLong()).isEqualTo(2);
      assertThat(new HubClient(c).get("/metrics").body())
          .contains("herald_hub_cluster_subscribers 2.0");
    } finally {
      c.close(Duration.ZERO);
    }
  }

  @Test
  @DisplayName("a directory that cannot be read: the subscription API answers 503 with Retry-After")
  void directoryDown() throws Exception {
    directory.failing = true;
    HttpResponse<String> response =
        new HubClient(a).get("/.well-known/mercure/subscriptions", "Authorization", watcher(a));
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("retry-after")).hasValue("1");
  }

  /** The next subscription event about {@code match} whose data holds {@code state}. */
  private static SseEvent next(HubClient.Subscription sub, String match, String state)
      throws InterruptedException {
    while (true) {
      SseEvent e = sub.next();
      assertThat(e).as("an event about %s with %s", match, state).isNotNull();
      if (e.data().contains(match) && e.data().contains(state)) {
        return e;
      }
    }
  }
}
