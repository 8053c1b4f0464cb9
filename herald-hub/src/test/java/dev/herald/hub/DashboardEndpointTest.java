package dev.herald.hub;

import static dev.herald.hub.HubClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.SqliteUpdateStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's page and JSON over HTTP: who may read them (open in development, the subscription
 * API's rule otherwise), the history's bounds and order, and the settings' contents. Its behaviour
 * in a browser is herald-testing's {@code DashboardTest}.
 */
class DashboardEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String A = "https://example.com/a";
  private static final String B = "https://example.com/b";
  private static final List<String> DATA_PATHS =
      List.of("/stats", "/dashboard/settings", "/dashboard/history?match=*");

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private Hub started(Hub hub) {
    open.add(() -> hub.close(Duration.ZERO));
    return hub;
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  @Test
  @DisplayName("a hub that could verify no credentials has an open dashboard; the page has a CSP")
  void openWithoutKeys() throws Exception {
    Hub hub = started(TestHubs.open(0, b -> b));
    HubClient client = new HubClient(hub);
    for (String path : DATA_PATHS) {
      assertThat(client.get(path).statusCode()).as(path).isEqualTo(200);
    }
    HttpResponse<String> page = client.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
        .contains("default-src 'none'")
        .contains("connect-src 'self'")
        .contains("frame-ancestors 'none'");
    assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(client.get("/dashboard.js").headers().firstValue("content-type").orElseThrow())
        .startsWith("text/javascript");
    assertThat(client.get("/elsewhere.html").statusCode()).isEqualTo(404);
    JsonNode stats = json(client.get("/stats"));
    assertThat(stats.get("lastEventId").asText()).isEqualTo("earliest");
    String id = hub.publish(Update.of(A, "x")).join();
    Poll.until(() -> hub.lastEventId().equals(id));
    assertThat(json(client.get("/stats")).get("lastEventId").asText()).isEqualTo(id);
  }

  @Test
  @DisplayName(
      "with keys, the JSON needs a token that may read the subscription API: none gets 401,"
          + " a publisher's or a narrow subscriber's 403, a subscriber's of * 200")
  void securedNeedsTheSubscriptionApisGrant() throws Exception {
    Hub hub = started(TestHubs.secured(b -> b.dashboard(true).subscriptionsApi(true)));
    HubClient client = new HubClient(hub);
    String all = Tokens.token(hub.url(), 60, Tokens.detail("subscribe", "*"));
    String publisher = Tokens.token(hub.url(), 60, Tokens.detail("publish", "*"));
    String narrow = Tokens.token(hub.url(), 60, Tokens.detail("subscribe", A));
    List<String> paths = new ArrayList<>(DATA_PATHS);
    paths.add(Hub.DEFAULT_PATH + "/subscriptions");
    for (String path : paths) {
      HttpResponse<String> anonymous = client.get(path);
      assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("www-authenticate").orElseThrow())
          .startsWith("Bearer realm=\"mercure\"");
      assertThat(client.get(path, "Authorization", bearer(publisher)).statusCode())
          .as("a publisher's token, " + path)
          .isEqualTo(403);
      assertThat(client.get(path, "Authorization", bearer(narrow)).statusCode())
          .as("a subscriber's token for one topic, " + path)
          .isEqualTo(403);
      assertThat(client.get(path, "Authorization", bearer(all)).statusCode())
          .as(path)
          .isEqualTo(200);
    }
    HttpResponse<String> page = client.get("/");
    assertThat(page.statusCode()).as("the page's files: the same for every hub").isEqualTo(200);
    assertThat(page.body())
        .as("nothing about this hub for an anonymous visitor")
        .doesNotContain("127.0.0.1")
        .doesNotContain(Hub.DEFAULT_PATH + "/subscriptions/");
  }

  @Test
  @DisplayName("openDashboard(true) opens a keyed hub's dashboard and subscription API to anyone")
  void openDashboardOnAKeyedHub() throws Exception {
    Hub hub =
        started(
            TestHubs.secured(b -> b.dashboard(true).subscriptionsApi(true).openDashboard(true)));
    HubClient client = new HubClient(hub);
    for (String path :
        List.of("/stats", "/dashboard/settings", Hub.DEFAULT_PATH + "/subscriptions")) {
      assertThat(client.get(path).statusCode()).as(path).isEqualTo(200);
    }
    assertThat(client.get("/dashboard/history?match=*").statusCode())
        .as("history still asks the subscribe rules: this hub takes no anonymous subscriber")
        .isEqualTo(401);
  }

  @Test
  @DisplayName("openDashboard(false) closes the dashboard of a hub without keys")
  void closedDashboardWithoutKeys() throws Exception {
    Hub hub = started(TestHubs.open(0, b -> b.openDashboard(false)));
    assertThat(new HubClient(hub).get("/stats").statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName(
      "dashboard(false) serves neither the page nor any of its JSON, and opens no subscription API")
  void dashboardOff() throws Exception {
    Hub hub =
        started(
            TestHubs.open(0, b -> b.dashboard(false).openDashboard(true).subscriptionsApi(true)));
    HubClient client = new HubClient(hub);
    assertThat(client.get(Hub.DEFAULT_PATH + "/subscriptions").statusCode()).isEqualTo(401);
    for (String path : List.of("/", "/dashboard.js", "/stats", "/dashboard/settings")) {
      assertThat(client.get(path).statusCode()).as(path).isEqualTo(404);
    }
    assertThat(client.get("/dashboard/history?match=*").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("the settings show the node, store, retention, limits and auth mode, never a key")
  void settingsHoldNoSecret(@TempDir Path dir) throws Exception {
    Hub hub =
        started(
            TestHubs.secured(
                b ->
                    b.dashboard(true)
                        .maxMatchers(7)
                        .store(
                            SqliteUpdateStore.builder()
                                .path(dir.resolve("h.db"))
                                .maxUpdates(1234)
                                .build())));
    String token = Tokens.token(hub.url(), 60, Tokens.detail("subscribe", "*"));
    HttpResponse<String> response =
        new HubClient(hub).get("/dashboard/settings", "Authorization", bearer(token));
    JsonNode settings = json(response);
    assertThat(settings.get("node").asText()).isEqualTo(hub.nodeName());
    assertThat(settings.get("version").asText()).isNotEmpty().isNotEqualTo("unknown");
    assertThat(settings.at("/store/kind").asText()).isEqualTo("SqliteUpdateStore");
    assertThat(settings.at("/store/description").asText())
        .isEqualTo(dir.resolve("h.db") + "; at most 1234 updates, 1073741824 bytes, any age");
    assertThat(settings.at("/limits/maxMatchers").asInt()).isEqualTo(7);
    assertThat(settings.at("/auth/policy").asText()).isEqualTo("tokens");
    assertThat(settings.at("/auth/keys").asBoolean()).isTrue();
    assertThat(settings.at("/auth/openDashboard").asBoolean()).isFalse();
    assertThat(response.body())
        .doesNotContain(Tokens.SECRET)
        .doesNotContain(token)
        .doesNotContainIgnoringCase("secret")
        .doesNotContain("eyJ");
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
  }

  @Test
  @DisplayName(
      "history: the most recent updates of a topic, oldest first, at most limit; after an ID,"
          + " exactly the later ones; private ones only for who may read them")
  void historyRecentAndAfter() throws Exception {
    Hub hub =
        started(
            TestHubs.secured(
                b -> b.dashboard(true).openDashboard(true).anonymousSubscribers(true)));
    HubClient client = new HubClient(hub);
    String publisher = Tokens.token(hub.url(), 60, Tokens.detail("publish", "*"));
    for (int i = 1; i <= 30; i++) {
      publish(client, publisher, A, "a" + i, false);
      if (i % 10 == 0) {
        publish(client, publisher, B, "b" + i, false);
      }
    }
    publish(client, publisher, A, "a-private", true);
    String readerOfA = Tokens.token(hub.url(), 60, Tokens.detail("subscribe", A));
    Poll.until(() -> hub.lastEventId().equals("a-private"));

    JsonNode recent = json(client.get("/dashboard/history?match=" + A + "&limit=5"));
    assertThat(ids(recent))
        .as("anonymous: public only")
        .containsExactly("a26", "a27", "a28", "a29", "a30");
    assertThat(recent.get("more").asBoolean()).isTrue();
    assertThat(recent.at("/updates/0/topics/0").asText()).isEqualTo(A);
    assertThat(recent.at("/updates/0/data").asText()).isEqualTo("data of a26");
    assertThat(recent.at("/updates/0/type").asText()).isEqualTo("message");
    JsonNode mine =
        json(
            client.get(
                "/dashboard/history?match=" + A + "&limit=2", "Authorization", bearer(readerOfA)));
    assertThat(ids(mine)).containsExactly("a30", "a-private");
    assertThat(mine.at("/updates/1/private").asBoolean()).isTrue();

    JsonNode after = json(client.get("/dashboard/history?match=*&after=a27&limit=100"));
    assertThat(ids(after)).containsExactly("a28", "a29", "a30", "b30");
    assertThat(after.get("more").asBoolean()).isFalse();
    assertThat(after.get("next").asText()).as("the last update looked at").isEqualTo("a-private");
    JsonNode page = json(client.get("/dashboard/history?match=*&after=a27&limit=2"));
    assertThat(ids(page)).containsExactly("a28", "a29");
    assertThat(page.get("more").asBoolean()).isTrue();
    assertThat(page.get("next").asText()).isEqualTo("a29");
    JsonNode earliest = json(client.get("/dashboard/history?match=" + B + "&after=earliest"));
    assertThat(ids(earliest)).containsExactly("b10", "b20", "b30");
  }

  @Test
  @DisplayName("history: a bad limit, no matcher or an unknown ID get 400 or 404 saying why")
  void historyRefusesBadRequests() throws Exception {
    Hub hub = started(TestHubs.open(0, b -> b));
    HubClient client = new HubClient(hub);
    for (String limit : List.of("0", "101", "-1", "many")) {
      HttpResponse<String> response = client.get("/dashboard/history?match=*&limit=" + limit);
      assertThat(response.statusCode()).as(limit).isEqualTo(400);
      assertThat(response.body()).isEqualTo("limit must be a number from 1 to 100");
    }
    assertThat(client.get("/dashboard/history").body())
        .isEqualTo(
            "at least one match, match_exact, match_urlpattern or (pre-1.0) topic parameter is required");
    HttpResponse<String> unknown = client.get("/dashboard/history?match=*&after=nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("nope");
  }

  @Test
  @DisplayName("history: an answer holds at most about 1 MiB of data (and at least one update)")
  void historyBoundsItsSize() throws Exception {
    Hub hub = started(TestHubs.open(0, b -> b));
    String big = "x".repeat(700_000);
    hub.publish(Update.of(A, big)).join();
    String last = hub.publish(Update.of(A, big)).join();
    Poll.until(() -> hub.lastEventId().equals(last));
    JsonNode recent = json(new HubClient(hub).get("/dashboard/history?match=" + A));
    assertThat(recent.get("updates")).hasSize(1);
    assertThat(recent.at("/updates/0/id").asText()).isEqualTo(last);
    assertThat(recent.get("more").asBoolean()).isTrue();
  }

  @Test
  @DisplayName("history is read on the hub's replay executor, not on an event loop")
  void historyRunsOnTheReplayExecutor() throws Exception {
    ExecutorService replays = Executors.newSingleThreadExecutor();
    open.add(replays::shutdownNow);
    AtomicInteger tasks = new AtomicInteger();
    Hub hub =
        started(
            TestHubs.open(
                0,
                b ->
                    b.replayExecutor(
                        task -> {
                          tasks.incrementAndGet();
                          replays.execute(task);
                        })));
    assertThat(new HubClient(hub).get("/dashboard/history?match=*").statusCode()).isEqualTo(200);
    assertThat(tasks.get()).isEqualTo(1);
  }

  @Test
  @DisplayName("the subscription API tells since when each subscription is active")
  void subscriptionsTellSince() throws Exception {
    Hub hub = started(TestHubs.open(0, b -> b.subscriptionsApi(true)));
    HubClient client = new HubClient(hub);
    try (HubClient.Subscription s = client.subscribe("match=" + A)) {
      assertThat(s.status()).isEqualTo(200);
      Poll.until(() -> hub.subscribers() == 1);
      JsonNode list = json(client.get(Hub.DEFAULT_PATH + "/subscriptions"));
      JsonNode doc = list.at("/subscriptions/0");
      assertThat(doc.get("match").asText()).isEqualTo(A);
      assertThat(java.time.Instant.parse(doc.get("since").asText()))
          .isBeforeOrEqualTo(java.time.Instant.now())
          .isAfter(java.time.Instant.now().minusSeconds(60));
    }
  }

  private static void publish(
      HubClient client, String token, String topic, String id, boolean isPrivate) throws Exception {
    String body =
        isPrivate
            ? form("topic", topic, "id", id, "data", "data of " + id, "private", "on")
            : form("topic", topic, "id", id, "data", "data of " + id);
    HttpResponse<String> response = client.publish(body, "Authorization", bearer(token));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private static List<String> ids(JsonNode answer) {
    List<String> ids = new ArrayList<>();
    answer.get("updates").forEach(u -> ids.add(u.get("id").asText()));
    return ids;
  }
}
