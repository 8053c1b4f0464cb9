package dev.herald.hub;

import static dev.herald.hub.HubClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Mercure protocol's subscribe, publish and reconciliation rules over loopback, with the JDK
 * HttpClient. Publishers here need no token (a closed-network hub); authorization has its own test.
 */
class MercureProtocolTest {
  private Hub hub;
  private HubClient client;

  @BeforeEach
  void start() {
    hub = TestHubs.open(0, b -> b.dashboard(false));
    client = new HubClient(hub);
  }

  @AfterEach
  void stop() {
    hub.close(Duration.ZERO);
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("Publication: 200 text/plain with the ID; Subscription: the update arrives as SSE")
  void publishAndReceive() throws Exception {
    try (var sub = client.subscribe("match=" + q("https://example.com/books/1"))) {
      assertThat(sub.status()).isEqualTo(200);
      assertThat(sub.header("content-type")).startsWith("text/event-stream");
      HttpResponse<String> published =
          client.publish(
              form(
                  "topic", "https://example.com/books/1",
                  "data", "line one\nline two\r\nline three",
                  "type", "book-updated",
                  "retry", "2500"));
      assertThat(published.statusCode()).isEqualTo(200);
      assertThat(published.headers().firstValue("content-type"))
          .hasValue("text/plain; charset=utf-8");
      assertThat(published.body()).startsWith("urn:uuid:");
      SseEvent event = sub.next();
      assertThat(event.id()).isEqualTo(published.body());
      assertThat(event.type()).isEqualTo("book-updated");
      // "one SSE data: field per line, splitting on CR, LF, or CRLF": received joined by LF
      assertThat(event.data()).isEqualTo("line one\nline two\nline three");
    }
  }

  @Test
  @DisplayName("Publication: a publisher's id is honoured and becomes the SSE id")
  void publisherId() throws Exception {
    try (var sub = client.subscribe("match=a")) {
      HttpResponse<String> published = client.publish(form("topic", "a", "id", "rev-42"));
      assertThat(published.body()).isEqualTo("rev-42");
      SseEvent event = sub.next();
      assertThat(event.id()).isEqualTo("rev-42");
      assertThat(event.data()).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "Matcher types: exact is byte for byte, urlpattern per the URL Pattern standard, * all")
  void matchers() throws Exception {
    try (var exact = client.subscribe("match=" + q("https://example.com/books/1"));
        var explicit = client.subscribe("match_exact=" + q("https://example.com/books/1"));
        var pattern = client.subscribe("match_urlpattern=" + q("https://example.com/books/:id"));
        var relative = client.subscribe("match_urlpattern=" + q("/rel/:id"));
        var all = client.subscribe("match=*")) {
      client.publish(form("topic", "https://example.com/books/1", "data", "one"));
      client.publish(form("topic", "https://example.com/Books/1", "data", "case"));
      client.publish(form("topic", "https://example.com/books/2", "data", "two"));
      client.publish(form("topic", "/rel/7", "data", "relative"));
      client.publish(form("topic", "urn:isbn:1", "data", "last"));
      assertThat(data(all, "last")).containsExactly("one", "case", "two", "relative", "last");
      assertThat(data(exact, "one")).containsExactly("one");
      assertThat(data(explicit, "one")).containsExactly("one");
      assertThat(data(pattern, "two")).containsExactly("one", "two");
      assertThat(data(relative, "relative")).containsExactly("relative");
      assertThat(exact.drain(200)).isEmpty();
      assertThat(pattern.drain(0)).isEmpty();
    }
  }

  @Test
  @DisplayName("Publication: an update reaches subscribers of its alternate topics, once each")
  void alternateTopics() throws Exception {
    try (var canonical = client.subscribe("match=c");
        var alternate = client.subscribe("match=alt");
        var both = client.subscribe("match=c&match=alt")) {
      client.publish(form("topic", "c", "topic", "alt", "data", "x"));
      client.publish(form("topic", "c", "data", "end"));
      assertThat(data(canonical, "end")).containsExactly("x", "end");
      assertThat(data(both, "end")).containsExactly("x", "end");
      assertThat(data(alternate, "x")).containsExactly("x");
    }
  }

  @Test
  @DisplayName("Subscribers: a private update never reaches a subscriber without a token")
  void privateUpdates() throws Exception {
    try (var sub = client.subscribe("match=*")) {
      client.publish(form("topic", "p", "data", "secret", "private", null));
      client.publish(form("topic", "p", "data", "secret too", "private", ""));
      client.publish(form("topic", "p", "data", "public"));
      assertThat(data(sub, "public")).containsExactly("public");
    }
  }

  private static List<String> data(HubClient.Subscription sub, String until)
      throws InterruptedException {
    List<String> out = new java.util.ArrayList<>();
    while (true) {
      String d = sub.next().data();
      out.add(d);
      if (d.equals(until)) {
        return out;
      }
    }
  }

  @Test
  @DisplayName("Subscription: the match namespace is reserved; bad matchers answer 400")
  void badSubscriptions() throws Exception {
    assertThat(client.get(Hub.DEFAULT_PATH + "?match_regex=x").statusCode()).isEqualTo(400);
    assertThat(client.get(Hub.DEFAULT_PATH + "?matches=x").statusCode()).isEqualTo(400);
    assertThat(client.get(Hub.DEFAULT_PATH + "?MATCH=x").statusCode()).isEqualTo(400);
    assertThat(client.get(Hub.DEFAULT_PATH + "?Match_urlpattern=x").statusCode()).isEqualTo(400);
    assertThat(client.get(Hub.DEFAULT_PATH).statusCode()).isEqualTo(400);
    assertThat(client.get(Hub.DEFAULT_PATH + "?match=%FF").statusCode()).isEqualTo(400);
    assertThat(client.get(Hub.DEFAULT_PATH + "?match=a%00b").statusCode()).isEqualTo(400);
    assertThat(client.get(Hub.DEFAULT_PATH + "?match=a%E2%80%8Bb").statusCode())
        .as("U+200B is a format character (Cf)")
        .isEqualTo(400);
    assertThat(client.get(Hub.DEFAULT_PATH + "?match_urlpattern=" + q("https://{")).statusCode())
        .isEqualTo(400);
    assertThat(client.get(Hub.DEFAULT_PATH + "?match=" + "a".repeat(4097)).statusCode())
        .isEqualTo(400);
    StringBuilder many = new StringBuilder("match=0");
    for (int i = 1; i <= 100; i++) {
      many.append("&match=").append(i);
    }
    HttpResponse<String> tooMany = client.get(Hub.DEFAULT_PATH + "?" + many);
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.body()).contains("100");
    // the hub still serves everyone else
    try (var sub = client.subscribe("match=ok")) {
      client.publish(form("topic", "ok", "data", "still up"));
      assertThat(sub.next().data()).isEqualTo("still up");
    }
  }

  @Test
  @DisplayName("Bad input: pathological patterns match in linear time; huge requests get 4xx")
  void hostileInput() throws Exception {
    String evil = "/:x((?:(?:a|aa)+)+)b"; // catastrophic for a backtracking engine, linear in re2j
    try (var sub = client.subscribe("match_urlpattern=" + q(evil))) {
      assertThat(sub.status()).isEqualTo(200);
      long started = System.nanoTime();
      client.publish(form("topic", "/" + "a".repeat(3000) + "c", "data", "no match"));
      client.publish(form("topic", "/aab", "data", "match"));
      assertThat(sub.next().data()).isEqualTo("match");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }
    StringBuilder tenThousand = new StringBuilder("match=0");
    for (int i = 1; i < 10_000; i++) {
      tenThousand.append("&match=").append(i);
    }
    assertThat(client.get(Hub.DEFAULT_PATH + "?" + tenThousand).statusCode())
        .as("10,000 matchers: past the URL limit or the matcher limit")
        .isIn(400, 414);
    assertThat(
            client.get(Hub.DEFAULT_PATH + "?match=a", "X-Big", "b".repeat(64 * 1024)).statusCode())
        .isEqualTo(431);
    try (var sub = client.subscribe("match=after")) {
      client.publish(form("topic", "after", "data", "still serving"));
      assertThat(sub.next().data()).isEqualTo("still serving");
    }
  }

  @Test
  @DisplayName("Publication: invalid fields answer 400, too much answers 413")
  void badPublications() throws Exception {
    assertThat(client.publish(form("data", "no topic")).statusCode()).isEqualTo(400);
    assertThat(client.publish(form("topic", "*")).statusCode()).isEqualTo(400);
    for (int round = 1; round <= 2; round++) { // the second round from remembered verdicts
      for (String reserved :
          List.of(
              "/.well-known/mercure",
              "/.well-known/mercure/subscriptions/exact/a/b",
              hub.baseUrl() + "/.well-known/mercure/subscriptions",
              "https://elsewhere.example/.well-known/mercure/x",
              "/.well-known/%6Dercure/x",
              "/.well-known/mercure/../mercure/x",
              "/a/../.well-known/mercure")) {
        assertThat(client.publish(form("topic", reserved)).statusCode())
            .as("reserved namespace, round %d: %s", round, reserved)
            .isEqualTo(400);
      }
      assertThat(client.publish(form("topic", "/.well-known/mercurey")).statusCode())
          .isEqualTo(200);
    }
    assertThat(client.publish(form("topic", "a", "type", "mercure")).statusCode()).isEqualTo(400);
    assertThat(client.publish(form("topic", "a", "type", "x\ny")).statusCode()).isEqualTo(400);
    assertThat(client.publish(form("topic", "a", "id", "#1")).statusCode()).isEqualTo(400);
    assertThat(client.publish(form("topic", "a", "id", "earliest")).statusCode()).isEqualTo(400);
    assertThat(client.publish(form("topic", "a", "id", "x\u0085")).statusCode()).isEqualTo(400);
    assertThat(client.publish(form("topic", "a", "retry", "-1")).statusCode()).isEqualTo(400);
    assertThat(client.publish(form("topic", "a", "retry", "1e3")).statusCode()).isEqualTo(400);
    assertThat(client.publish(form("topic", "a\u0000")).statusCode()).isEqualTo(400);
    assertThat(client.publish("topic=%C3%28").statusCode()).as("invalid UTF-8").isEqualTo(400);
    StringBuilder topics = new StringBuilder("topic=0");
    for (int i = 1; i <= 1000; i++) {
      topics.append("&topic=").append(i);
    }
    assertThat(client.publish(topics.toString()).statusCode()).isEqualTo(413);
    assertThat(client.publish(form("topic", "a", "data", "x".repeat(1 << 20))).statusCode())
        .isEqualTo(413);
    assertThat(client.publish(form("topic", "a", "future_field", "ignored")).statusCode())
        .isEqualTo(200);
  }

  @Test
  @DisplayName(
      "Reconciliation: Last-Event-ID resumes after that update; the header names the cursor")
  void resume() throws Exception {
    String first = client.publish(form("topic", "r", "data", "1")).body();
    client.publish(form("topic", "other", "data", "skip"));
    client.publish(form("topic", "r", "data", "2"));
    String third = client.publish(form("topic", "r", "data", "3")).body();
    try (var sub = client.subscribe("match=r", "Last-Event-ID", first)) {
      assertThat(sub.header("mercure-last-event-id")).isEqualTo(first);
      client.publish(form("topic", "r", "data", "4"));
      assertThat(data(sub, "4")).containsExactly("2", "3", "4");
    }
    try (var sub = client.subscribe("match=r&last_event_id=" + q(third))) {
      assertThat(sub.header("mercure-last-event-id")).isEqualTo(third);
      assertThat(sub.next().data()).isEqualTo("4");
    }
    try (var sub = client.subscribe("match=r&last_event_id=" + q(first), "Last-Event-ID", third)) {
      assertThat(sub.header("mercure-last-event-id")).as("the header wins").isEqualTo(third);
      assertThat(sub.next().data()).isEqualTo("4");
    }
    try (var sub = client.subscribe("match=r&last_event_id=earliest")) {
      assertThat(sub.header("mercure-last-event-id")).isEqualTo("earliest");
      assertThat(data(sub, "4")).containsExactly("1", "2", "3", "4");
    }
    try (var sub = client.subscribe("match=r", "Last-Event-ID", "never-published")) {
      assertThat(sub.header("mercure-last-event-id")).isEqualTo("earliest");
      client.publish(form("topic", "r", "data", "live"));
      assertThat(sub.next().data()).as("starts live").isEqualTo("live");
    }
    try (var sub = client.subscribe("match=r")) {
      assertThat(sub.header("mercure-last-event-id")).as("only when a cursor was sent").isNull();
    }
  }

  @Test
  @DisplayName("Reconciliation: history older than the in-memory window replays from the store")
  void replayFromStore() throws Exception {
    hub.close(Duration.ZERO);
    hub =
        Hub.builder()
            .port(0)
            .anonymousSubscribers(true)
            .anonymousPublishers(true)
            .historyWindow(3)
            .dashboard(false)
            .build()
            .start();
    client = new HubClient(hub);
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      ids.add(client.publish(form("topic", i % 2 == 0 ? "even" : "odd", "data", "e" + i)).body());
    }
    for (int round = 0; round < 2; round++) { // the second round replays from the chunk cache
      try (var sub = client.subscribe("match=even&match=odd", "Last-Event-ID", ids.get(1))) {
        assertThat(sub.header("mercure-last-event-id")).isEqualTo(ids.get(1));
        assertThat(data(sub, "e10"))
            .containsExactly("e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10");
      }
      try (var sub = client.subscribe("match=even", "Last-Event-ID", ids.get(0))) {
        assertThat(data(sub, "e10")).containsExactly("e2", "e4", "e6", "e8", "e10");
      }
    }
  }

  @Test
  @DisplayName("Reconciliation: a repeated ID resolves to the earliest update bearing it")
  void repeatedId() throws Exception {
    client.publish(form("topic", "d", "id", "dup", "data", "first dup"));
    client.publish(form("topic", "d", "data", "between"));
    client.publish(form("topic", "d", "id", "dup", "data", "second dup"));
    try (var sub = client.subscribe("match=d", "Last-Event-ID", "dup")) {
      assertThat(data(sub, "second dup")).containsExactly("between", "second dup");
    }
  }

  @Test
  @DisplayName("the unknown-ID gap can also be reported in band, for browsers")
  void gapEvent() throws Exception {
    hub.close(Duration.ZERO);
    hub =
        Hub.builder()
            .port(0)
            .anonymousSubscribers(true)
            .gapEvents(true)
            .dashboard(false)
            .build()
            .start();
    client = new HubClient(hub);
    try (var sub = client.subscribe("match=g&last_event_id=gone")) {
      SseEvent gap = sub.next();
      assertThat(gap.type()).isEqualTo("herald-gap");
      assertThat(gap.data()).contains("\"requested\":\"gone\"");
    }
  }

  @Test
  @DisplayName("Authorization: without a token a subscriber gets 401 and the metadata's URL")
  void anonymousRefused() throws Exception {
    hub.close(Duration.ZERO);
    hub = Hub.builder().port(0).dashboard(false).build().start();
    client = new HubClient(hub);
    HttpResponse<String> refused = client.get(Hub.DEFAULT_PATH + "?match=a");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("www-authenticate").orElseThrow())
        .startsWith("Bearer")
        .doesNotContain("error=")
        .contains(
            "resource_metadata=\""
                + hub.baseUrl()
                + "/.well-known/oauth-protected-resource/.well-known/mercure\"");
    HttpResponse<String> publish = client.publish(form("topic", "a"));
    assertThat(publish.statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("Discovery: the protected resource metadata, and health, readiness and metrics")
  void metadataAndOperations() throws Exception {
    HttpResponse<String> metadata =
        client.get("/.well-known/oauth-protected-resource/.well-known/mercure");
    assertThat(metadata.statusCode()).isEqualTo(200);
    var json = Json.MAPPER.readTree(metadata.body());
    assertThat(json.get("resource").asText()).isEqualTo(hub.url());
    assertThat(json.get("authorization_details_types_supported").get(0).asText())
        .isEqualTo("https://mercure.rocks/authorization-detail");
    assertThat(json.get("bearer_methods_supported").get(0).asText()).isEqualTo("header");
    assertThat(json.get("mercure_cookie").asText()).isEqualTo("__Secure-mercure_access_token");
    assertThat(client.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(client.get("/readyz").statusCode()).isEqualTo(200);
    client.publish(form("topic", "m"));
    HttpResponse<String> metrics = client.get("/metrics");
    assertThat(metrics.body())
        .contains("herald_hub_updates_published_total 1.0")
        .contains("herald_hub_subscribers");
  }
}
