package dev.herald.hub;

import static dev.herald.hub.HubClient.form;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import dev.herald.hub.auth.TokenVerifier;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Drop-in by default: a hub with default settings serves deployed (pre-1.0) Mercure clients and
 * Mercure 1.0 clients at once, with the same authorization and history; a strict hub refuses each
 * pre-1.0 form saying why. The pre-1.0 client here is what Symfony's Mercure component sends: an
 * HS256 token of exactly {@code {"typ":"JWT","alg":"HS256"}} and {@code {"exp":<float>,"mercure":
 * {...}}} (no iss, no aud), a form post of repeated {@code topic} and {@code private=on}, a {@code
 * mercureAuthorization} cookie, {@code ?topic=} URI templates and {@code lastEventID=}.
 */
class DropInTest {
  private static final String BOOKS_TEMPLATE = "https://example.com/books/{id}";
  private static final String ANY_TEMPLATE = "https://example.com/{kind}/{id}";

  private Hub hub;
  private HubClient client;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close(Duration.ZERO);
    }
  }

  /**
   * A hub as {@code herald hub --jwt-secret} makes it: the secret trusted for the issuer's access
   * tokens and as the legacy key.
   */
  private void start(boolean strict) throws Exception {
    String url = "http://127.0.0.1:" + Tokens.freePort() + Hub.DEFAULT_PATH;
    byte[] secret = Tokens.SECRET.getBytes(UTF_8);
    hub =
        Hub.builder()
            .port(URI.create(url).getPort())
            .publicUrl(url)
            .verifier(
                TokenVerifier.builder()
                    .resource(url)
                    .hubUrl(url)
                    .hmacKey(Tokens.ISSUER, secret)
                    .legacyKey(secret)
                    .build())
            .strict(strict)
            .dashboard(false)
            .build()
            .start();
    client = new HubClient(hub);
  }

  /** Symfony's token: these exact header and payload bytes, a float exp an hour ahead, HS256. */
  static String symfonyToken(String mercureClaimJson) throws Exception {
    long exp = System.currentTimeMillis() / 1000 + 3600;
    return hs256(
        "{\"typ\":\"JWT\",\"alg\":\"HS256\"}",
        "{\"exp\":" + exp + ".123456,\"mercure\":" + mercureClaimJson + "}");
  }

  private static String hs256(String header, String payload) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input =
        b64.encodeToString(header.getBytes(UTF_8))
            + "."
            + b64.encodeToString(payload.getBytes(UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Tokens.SECRET.getBytes(UTF_8), "HmacSHA256"));
    return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(UTF_8)));
  }

  /** A Mercure 1.0 access token granting {@code action} on the URL pattern {@code pattern}. */
  private String accessToken(String action, String pattern) {
    return Tokens.token(
        hub.url(),
        3600,
        Map.of(
            "type",
            "https://mercure.rocks/authorization-detail",
            "actions",
            List.of(action),
            "topics",
            List.of(Map.of("match", pattern, "match_type", "urlpattern"))));
  }

  private static String q(String value) {
    return URLEncoder.encode(value, UTF_8);
  }

  /** Publishes as Symfony's component does: the body bytes below, the ID as the answer. */
  private String symfonyPublish(String token, String topic, String data, boolean isPrivate)
      throws Exception {
    String body = "topic=" + q(topic) + "&data=" + q(data) + (isPrivate ? "&private=on" : "");
    HttpResponse<String> response = client.publish(body, "Authorization", "Bearer " + token);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private String publish(String token, String topic, String data, boolean isPrivate)
      throws Exception {
    String body =
        isPrivate
            ? form("topic", topic, "data", data, "private", "on")
            : form("topic", topic, "data", data);
    HttpResponse<String> response = client.publish(body, "Authorization", "Bearer " + token);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private static List<String> ids(HubClient.Subscription s, int n) throws InterruptedException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(s.next().id());
    }
    return ids;
  }

  @Test
  @DisplayName(
      "Symfony's publish (its token, topic=…&topic=…&data=…&private=on) reaches 1.0 subscribers")
  void symfonyPublisherAndMercure10Subscriber() throws Exception {
    start(false);
    String publisher = symfonyToken("{\"publish\":[\"*\"],\"subscribe\":[]}");
    String reader = accessToken("subscribe", "https://example.com/authors/:id");
    try (var sub =
        client.subscribe(
            "match=" + q("https://example.com/authors/2"), "Authorization", "Bearer " + reader)) {
      assertThat(sub.status()).isEqualTo(200);
      // the exact body Symfony's Hub::publish sends for an Update with two topics, private
      String body =
          "topic=https%3A%2F%2Fexample.com%2Fbooks%2F1&topic=https%3A%2F%2Fexample.com%2Fauthors%2F2"
              + "&data=%7B%22title%22%3A%22Dune%22%7D&private=on";
      HttpResponse<String> response = client.publish(body, "Authorization", "Bearer " + publisher);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type").orElseThrow())
          .startsWith("text/plain");
      assertThat(response.body()).startsWith("urn:uuid:");
      SseEvent event = sub.next(); // private, alternate topic, granted by the 1.0 token
      assertThat(event.id()).isEqualTo(response.body());
      assertThat(event.data()).isEqualTo("{\"title\":\"Dune\"}");
    }
  }

  @Test
  @DisplayName(
      "history and private updates: a pre-1.0 and a 1.0 subscriber with the same grants resume"
          + " alike, whoever published")
  void mixedGenerationsResumeIdentically() throws Exception {
    start(false);
    String legacyPublisher = symfonyToken("{\"publish\":[\"*\"]}");
    String publisher = accessToken("publish", "*");
    String resumeFrom = publish(publisher, "https://example.com/books/0", "p0", false);
    String p1 = symfonyPublish(legacyPublisher, "https://example.com/books/1", "p1", true);
    publish(publisher, "https://example.com/users/1", "p2 private, not granted", true);
    String p3 = symfonyPublish(legacyPublisher, "https://example.com/users/2", "p3", false);
    String p4 = publish(publisher, "https://example.com/books/2", "p4", true);

    // the same rights in each generation: subscribe on books, routing on every kind
    String legacyCookie =
        "mercureAuthorization=" + symfonyToken("{\"subscribe\":[\"" + BOOKS_TEMPLATE + "\"]}");
    String reader = accessToken("subscribe", "https://example.com/books/:id");
    try (var legacy =
            client.subscribe(
                "topic=" + q(ANY_TEMPLATE) + "&lastEventID=" + q(resumeFrom),
                "Cookie",
                legacyCookie);
        var current =
            client.subscribe(
                "match_urlpattern="
                    + q("https://example.com/:kind/:id")
                    + "&last_event_id="
                    + q(resumeFrom),
                "Authorization",
                "Bearer " + reader);
        var fromEarliest =
            client.subscribe(
                "topic=" + q(ANY_TEMPLATE) + "&lastEventID=earliest", "Cookie", legacyCookie)) {
      for (var s : List.of(legacy, current, fromEarliest)) {
        assertThat(s.status()).isEqualTo(200);
      }
      // Reconciliation: replayed updates are re-authorized against the current token
      assertThat(legacy.header("Mercure-Last-Event-ID")).isEqualTo(resumeFrom);
      assertThat(current.header("Mercure-Last-Event-ID")).isEqualTo(resumeFrom);
      assertThat(fromEarliest.header("Mercure-Last-Event-ID")).isEqualTo("earliest");
      assertThat(ids(legacy, 3)).containsExactly(p1, p3, p4);
      assertThat(ids(current, 3)).containsExactly(p1, p3, p4);
      assertThat(ids(fromEarliest, 4)).containsExactly(resumeFrom, p1, p3, p4);

      // live: a private update not granted reaches neither; the next granted one both
      symfonyPublish(legacyPublisher, "https://example.com/users/3", "p5 private", true);
      String p6 = publish(publisher, "https://example.com/books/5", "p6", true);
      for (var s : List.of(legacy, current, fromEarliest)) {
        assertThat(s.next().id()).isEqualTo(p6);
      }
    }
  }

  @Test
  @DisplayName("a pre-1.0 token in the Authorization header subscribes too; payload and templates")
  void legacyTokenInTheHeader() throws Exception {
    start(false);
    String publisher = accessToken("publish", "*");
    String reader = symfonyToken("{\"subscribe\":[\"" + BOOKS_TEMPLATE + "\"]}");
    try (var sub =
        client.subscribe(
            "topic=" + q(BOOKS_TEMPLATE) + "&match=" + q("urn:other"),
            "Authorization",
            "Bearer " + reader)) {
      assertThat(sub.status()).isEqualTo(200);
      publish(publisher, "https://example.com/books/1/reviews", "not selected", false);
      publish(publisher, "urn:other", "exact, mixed with a template", false);
      String id = publish(publisher, "https://example.com/books/9", "private", true);
      assertThat(sub.next().data()).isEqualTo("exact, mixed with a template");
      assertThat(sub.next().id()).isEqualTo(id);
    }
  }

  @Test
  @DisplayName("Last-Event-ID, then last_event_id, then lastEventID: the first present wins")
  void lastEventIdPrecedence() throws Exception {
    hub = TestHubs.open(0, b -> b.dashboard(false));
    client = new HubClient(hub);
    String a = hub.publish(dev.herald.hub.mercure.Update.of("urn:t", "a")).join();
    String b = hub.publish(dev.herald.hub.mercure.Update.of("urn:t", "b")).join();
    String c = hub.publish(dev.herald.hub.mercure.Update.of("urn:t", "c")).join();
    String match = "match=urn%3At";
    try (var all =
            client.subscribe(
                match + "&last_event_id=" + a + "&lastEventID=" + a, "Last-Event-ID", b);
        var current = client.subscribe(match + "&lastEventID=" + a + "&last_event_id=" + b);
        var legacy = client.subscribe(match + "&lastEventID=" + b + "&lastEventID=" + a)) {
      for (var s : List.of(all, current, legacy)) {
        assertThat(s.header("Mercure-Last-Event-ID")).isEqualTo(b);
        assertThat(s.next().id()).isEqualTo(c);
      }
    }
  }

  @Test
  @DisplayName("without a topic matcher, the 400 names every accepted parameter")
  void noMatcherNamesEveryParameter() throws Exception {
    hub = TestHubs.open(0, b -> b.dashboard(false));
    client = new HubClient(hub);

    HttpResponse<String> response = client.get(Hub.DEFAULT_PATH + "?lastEventID=earliest");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("match,", "match_exact", "match_urlpattern", "topic");
  }

  @Test
  @DisplayName("strict: each pre-1.0 form is refused saying why; the 1.0 forms work")
  void strictRefusesEachLegacyForm() throws Exception {
    start(true);
    String legacy = symfonyToken("{\"publish\":[\"*\"],\"subscribe\":[\"*\"]}");
    String reader = accessToken("subscribe", "*");
    String bearer = "Bearer " + reader;

    HttpResponse<String> topic =
        client.get(Hub.DEFAULT_PATH + "?topic=" + q(BOOKS_TEMPLATE), "Authorization", bearer);
    assertThat(topic.statusCode()).isEqualTo(400);
    assertThat(topic.body()).contains("topic=", "pre-1.0", "strict", "match=");

    HttpResponse<String> lastEventId =
        client.get(
            Hub.DEFAULT_PATH + "?match=urn%3Aa&lastEventID=earliest", "Authorization", bearer);
    assertThat(lastEventId.statusCode()).isEqualTo(400);
    assertThat(lastEventId.body()).contains("lastEventID=", "strict", "last_event_id=");

    HttpResponse<String> cookie =
        client.get(Hub.DEFAULT_PATH + "?match=urn%3Aa", "Cookie", "mercureAuthorization=" + reader);
    assertThat(cookie.statusCode()).isEqualTo(400);
    assertThat(cookie.headers().firstValue("www-authenticate").orElseThrow())
        .contains("error=\"invalid_request\"", "mercureAuthorization cookie", "strict");

    HttpResponse<String> legacyToken =
        client.get(Hub.DEFAULT_PATH + "?match=urn%3Aa", "Authorization", "Bearer " + legacy);
    assertThat(legacyToken.statusCode()).isEqualTo(401);
    assertThat(legacyToken.headers().firstValue("www-authenticate").orElseThrow())
        .contains("error=\"invalid_token\"", "pre-1.0 token", "strict");

    HttpResponse<String> legacyPublish =
        client.publish(form("topic", "urn:a", "data", "x"), "Authorization", "Bearer " + legacy);
    assertThat(legacyPublish.statusCode()).isEqualTo(401);
    assertThat(legacyPublish.headers().firstValue("www-authenticate").orElseThrow())
        .contains("pre-1.0 token", "strict");

    HttpResponse<String> none = client.get(Hub.DEFAULT_PATH, "Authorization", bearer);
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(none.body()).contains("match_urlpattern").doesNotContain("topic");

    // the 1.0 forms: an access token, match=, last_event_id=
    String id = publish(accessToken("publish", "*"), "urn:a", "one", false);
    String next = publish(accessToken("publish", "*"), "urn:a", "two", true);
    try (var sub =
        client.subscribe("match=urn%3Aa&last_event_id=" + q(id), "Authorization", bearer)) {
      assertThat(sub.status()).isEqualTo(200);
      assertThat(sub.next().id()).isEqualTo(next);
    }
  }
}
