package dev.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.SseEvent;
import dev.herald.hub.Hub;
import dev.herald.hub.auth.TokenMinter;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.server.ServerSettings;
import dev.herald.testing.RedisServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Active Subscriptions across three in-process nodes on one real {@code redis-server}, each with a
 * {@link RedisUpdateStore} and a {@link RedisSubscriptionDirectory}: any node's subscription API
 * lists every node's subscribers, every node's watchers receive every node's subscription events
 * (updates in the shared stream), the cluster's subscriber count adds every node's, and a node that
 * vanishes without a goodbye drops out of the listing and the count once its entries expire.
 */
class ClusterSubscriptionsRedisTest {
  private static final String SECRET = "a-cluster-test-secret-of-32-bytes-or-more";
  private static final String ISSUER = "https://issuer.test";
  private static final Duration TTL = Duration.ofMillis(600);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BOOK = "https://example.com/books/1";

  private final HttpClient http = HttpClient.newHttpClient();
  private RedisServer redis;
  private final List<Hub> nodes = new ArrayList<>();
  private final List<RedisSubscriptionDirectory> directories = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    for (int i = 1; i <= 3; i++) {
      nodes.add(node("node-" + i));
    }
  }

  @AfterEach
  void stop() {
    nodes.forEach(h -> h.close(Duration.ZERO));
    redis.close();
  }

  private Hub node(String name) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = Hub.url(false, "127.0.0.1", port, Hub.DEFAULT_PATH);
    RedisSettings settings = RedisSettings.builder().uri(redis.uri()).nodeName(name).build();
    RedisUpdateStore store = RedisUpdateStore.open(settings);
    RedisSubscriptionDirectory directory = RedisSubscriptionDirectory.open(settings, TTL);
    directories.add(directory);
    return Hub.builder()
        .server(ServerSettings.builder().port(port).eventLoopThreads(1).build())
        .publicUrl(url)
        .nodeName(name)
        .dashboard(false)
        .anonymousSubscribers(true)
        .subscriptionsApi(true)
        .verifier(
            TokenVerifier.builder()
                .resource(url)
                .hubUrl(url)
                .hmacKey(ISSUER, SECRET.getBytes(StandardCharsets.UTF_8))
                .build())
        .store(store, store.bus())
        .subscriptionDirectory(directory)
        .build()
        .start();
  }

  private static String token(Hub hub) {
    return "Bearer "
        + TokenMinter.builder()
            .hmacSecret(SECRET.getBytes(StandardCharsets.UTF_8))
            .issuer(ISSUER)
            .audience(hub.url())
            .subscribe(
                TopicMatcher.of("urlpattern", "/.well-known/mercure/subscriptions{/*}?", hub.url()))
            .build()
            .mint();
  }

  private HttpResponse<String> api(Hub hub, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
            .header("Authorization", token(hub))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<String> listed(Hub hub) throws Exception {
    HttpResponse<String> r = api(hub, "/.well-known/mercure/subscriptions");
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body()).get("subscriptions").findValuesAsText("subscriber");
  }

  @Test
  @DisplayName(
      "three nodes on Redis: each node's API lists all three nodes' subscribers, watchers on one"
          + " node see the others' subscription events, the count adds up; a vanished node"
          + " expires")
  void acrossThreeNodes() throws Exception {
    Hub one = nodes.get(0);
    String events =
        "match_urlpattern="
            + URLEncoder.encode(
                "/.well-known/mercure/subscriptions/:type/:match/:id", StandardCharsets.UTF_8);
    try (var watcher = new HubHttp(one).subscribe(events, "Authorization", token(one))) {
      assertThat(watcher.status()).isEqualTo(200);
      List<HubHttp.Subscription> subscribers = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (Hub node : nodes) {
        HubHttp.Subscription s =
            new HubHttp(node).subscribe("match=" + URLEncoder.encode(BOOK, StandardCharsets.UTF_8));
        assertThat(s.status()).isEqualTo(200);
        subscribers.add(s);
        JsonNode started = JSON.readTree(next(watcher, BOOK, "\"active\":true").data());
        ids.add(started.get("subscriber").asText());
      }
      for (Hub node : nodes) {
        assertThat(listed(node)).as("listed by %s", node.nodeName()).containsAll(ids);
      }
      HttpResponse<String> single =
          api(
              nodes.get(2),
              "/.well-known/mercure/subscriptions/exact/"
                  + URLEncoder.encode(BOOK, StandardCharsets.UTF_8).replace("+", "%20")
                  + "/"
                  + URLEncoder.encode(ids.get(0), StandardCharsets.UTF_8));
      assertThat(single.statusCode()).as("node 3 answers for node 1's subscription").isEqualTo(200);
      assertThat(JSON.readTree(single.body()).get("subscriber").asText()).isEqualTo(ids.get(0));
      HubHttp.poll(() -> one.clusterSubscribers() == 4); // three subscribers and the watcher

      subscribers.get(1).close();
      JsonNode ended = JSON.readTree(next(watcher, BOOK, "\"active\":false").data());
      assertThat(ended.get("subscriber").asText()).isEqualTo(ids.get(1));
      assertThat(listed(one)).doesNotContain(ids.get(1)).contains(ids.get(0), ids.get(2));

      // node 3 vanishes without a goodbye: its entries and count expire after the TTL
      directories.get(2).abandon();
      HubHttp.poll(() -> one.clusterSubscribers() == 2);
      assertThat(listed(one)).contains(ids.get(0)).doesNotContain(ids.get(1), ids.get(2));
      for (HubHttp.Subscription s : subscribers) {
        s.close();
      }
    }
  }

  /** The next subscription event about {@code match} whose data holds {@code state}. */
  private static SseEvent next(HubHttp.Subscription sub, String match, String state)
      throws InterruptedException {
    while (true) {
      SseEvent e = sub.next();
      if (e.data().contains(match) && e.data().contains(state)) {
        return e;
      }
    }
  }
}
