package dev.herald.hub;

import static dev.herald.hub.HubClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Mercure protocol's Authorization section over loopback: tokens in the header or the cookie,
 * RFC 6750 errors, publish grants, private updates, replay re-authorization, expiry.
 */
class MercureAuthorizationTest {
  private Hub hub;
  private HubClient client;
  private String audience;
  private final List<String> presented = new ArrayList<>();
  private final List<String> challenges = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    hub = TestHubs.secured(b -> b);
    audience = hub.url();
    client = new HubClient(hub);
  }

  @AfterEach
  void stop() throws Exception {
    hub.close(Duration.ZERO);
    // "no tokens in logs": every token this test presented is absent from the hub's log
    Path log = Path.of("target", "hub-test.log");
    if (Files.exists(log)) {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      for (String token : presented) {
        assertThat(text).doesNotContain(token);
        assertThat(text).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
      }
    }
  }

  private String token(long ttlSeconds, Object... details) {
    String t = Tokens.token(audience, ttlSeconds, details);
    presented.add(t);
    return t;
  }

  private String bearer(String token) {
    return "Bearer " + token;
  }

  @Test
  @DisplayName("Error Responses: no token 401 without error code; a bad one 401 invalid_token")
  void publishErrors() throws Exception {
    HttpResponse<String> none = client.publish(form("topic", "a"));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("www-authenticate").orElseThrow())
        .startsWith("Bearer ")
        .doesNotContain("error=")
        .contains("resource_metadata=");
    String garbage = "not.a.token";
    HttpResponse<String> bad = client.publish(form("topic", "a"), "Authorization", bearer(garbage));
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.headers().firstValue("www-authenticate").orElseThrow())
        .contains("error=\"invalid_token\"");
    String expired = token(-60, Tokens.detail("publish", "*"));
    assertThat(client.publish(form("topic", "a"), "Authorization", bearer(expired)).statusCode())
        .isEqualTo(401);
    String otherAudience =
        Tokens.token("https://other.hub/.well-known/mercure", 60, Tokens.detail("publish", "*"));
    presented.add(otherAudience);
    assertThat(
            client.publish(form("topic", "a"), "Authorization", bearer(otherAudience)).statusCode())
        .isEqualTo(401);
    HttpResponse<String> malformed = client.publish(form("topic", "a"), "Authorization", "Bearer");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.headers().firstValue("www-authenticate").orElseThrow())
        .contains("error=\"invalid_request\"");
    // the refusals are logged (the tokens themselves are not: see stop())
    assertThat(Files.readString(Path.of("target", "hub-test.log"), StandardCharsets.UTF_8))
        .contains("token refused");
  }

  @Test
  @DisplayName(
      "a refused token's challenge says why in error_description (expired, audience — naming the"
          + " one expected —, signature, malformed), a quoted string without the token")
  void refusalsSayWhy() throws Exception {
    String expired = token(-60, Tokens.detail("publish", "*"));
    assertThat(challenge(expired))
        .contains("error=\"invalid_token\"")
        .containsPattern("error_description=\"expired at [^\"]+\"");
    String otherAudience =
        Tokens.token("https://other.hub/.well-known/mercure", 60, Tokens.detail("publish", "*"));
    presented.add(otherAudience);
    assertThat(challenge(otherAudience))
        .contains("error=\"invalid_token\"")
        .contains("error_description=\"aud does not contain this hub's resource identifier, ")
        .contains(audience + "\"");
    String one = token(60, Tokens.detail("publish", "*"));
    String other = token(61, Tokens.detail("publish", "*"));
    String forged =
        one.substring(0, one.lastIndexOf('.')) + other.substring(other.lastIndexOf('.'));
    presented.add(forged);
    assertThat(challenge(forged)).contains("error_description=\"the signature does not verify\"");
    assertThat(challenge("abc")).contains("error_description=\"not a JWS in compact serialization");
    for (String answer : challenges) {
      for (String token : presented) {
        assertThat(answer).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
      }
    }
  }

  @Test
  @DisplayName("an error_description holds only what RFC 6750 allows in it, and is bounded")
  void errorDescriptionCharacters() {
    assertThat(Authorization.errorDescription("a \"b\"\\c\r\nd\u00e9")).isEqualTo("a ?b??c??d?");
    assertThat(Authorization.errorDescription("x".repeat(1000)))
        .hasSize(Authorization.MAX_DESCRIPTION);
  }

  private String challenge(String token) throws Exception {
    HttpResponse<String> response =
        client.publish(form("topic", "a"), "Authorization", bearer(token));
    assertThat(response.statusCode()).isEqualTo(401);
    String answer = response.headers().firstValue("www-authenticate").orElseThrow();
    challenges.add(answer);
    return answer;
  }

  @Test
  @DisplayName(
      "herald.hub.tokens.rejected counts the tokens refused (401 invalid_token), on publish and"
          + " subscribe; not a missing token, a malformed header (400) or a lack of scope (403)")
  void rejectedTokensMeter() throws Exception {
    String garbage = "not.a.token";
    String expired = token(-60, Tokens.detail("subscribe", "*"));
    String subscriber = token(60, Tokens.detail("subscribe", "*"));
    assertThat(rejectedTokens()).isZero();

    assertThat(client.publish(form("topic", "a")).statusCode()).isEqualTo(401);
    assertThat(client.publish(form("topic", "a"), "Authorization", "Bearer").statusCode())
        .isEqualTo(400);
    assertThat(
            client
                .publish(form("topic", "a", "data", "x"), "Authorization", bearer(subscriber))
                .statusCode())
        .isEqualTo(403);
    assertThat(rejectedTokens()).isZero();

    assertThat(client.publish(form("topic", "a"), "Authorization", bearer(garbage)).statusCode())
        .isEqualTo(401);
    assertThat(
            client
                .get(Hub.DEFAULT_PATH + "?match=*", "Authorization", bearer(expired))
                .statusCode())
        .isEqualTo(401);
    assertThat(rejectedTokens()).isEqualTo(2);
  }

  private double rejectedTokens() {
    String prefix = "herald_hub_tokens_rejected_total ";
    return hub.scrape()
        .lines()
        .filter(line -> line.startsWith(prefix))
        .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length())))
        .findFirst()
        .orElseThrow();
  }

  @Test
  @DisplayName("Publishers: the token must grant publish on every topic, or nothing is dispatched")
  void publishGrants() throws Exception {
    String publisher = token(60, Tokens.detail("publish", "allowed"));
    String reader = token(60, Tokens.detail("subscribe", "*"));
    try (var sub = client.subscribe("match=*", "Authorization", bearer(reader))) {
      HttpResponse<String> partly =
          client.publish(
              form("topic", "allowed", "topic", "forbidden", "data", "no"),
              "Authorization",
              bearer(publisher));
      assertThat(partly.statusCode()).isEqualTo(403);
      assertThat(partly.headers().firstValue("www-authenticate").orElseThrow())
          .contains("error=\"insufficient_scope\"");
      String subscribeOnly = token(60, Tokens.detail("subscribe", "*"));
      assertThat(
              client
                  .publish(form("topic", "allowed"), "Authorization", bearer(subscribeOnly))
                  .statusCode())
          .isEqualTo(403);
      HttpResponse<String> ok =
          client.publish(
              form("topic", "allowed", "data", "yes"), "Authorization", bearer(publisher));
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(sub.next().data()).isEqualTo("yes");
    }
  }

  @Test
  @DisplayName(
      "Subscribers: private updates only to tokens granting subscribe on one of its topics")
  void privateUpdates() throws Exception {
    String publisher = token(60, Tokens.detail("publish", "*"));
    String books1 = token(60, Tokens.detail("subscribe", "https://example.com/books/1"));
    String user42 = token(60, Tokens.detail("subscribe", "https://example.com/users/42/books/2"));
    String pattern =
        "match_urlpattern="
            + java.net.URLEncoder.encode("https://example.com/books/:id", StandardCharsets.UTF_8);
    try (var a = client.subscribe(pattern, "Authorization", bearer(books1));
        var b = client.subscribe(pattern, "Authorization", bearer(user42));
        var anonymousRefused = client.subscribe(pattern)) {
      assertThat(anonymousRefused.status()).as("anonymous subscribers are off").isEqualTo(401);
      client.publish(
          form("topic", "https://example.com/books/1", "data", "one", "private", "on"),
          "Authorization",
          bearer(publisher));
      client.publish(
          form(
              "topic", "https://example.com/books/2",
              "topic", "https://example.com/users/42/books/2",
              "data", "two via alternate",
              "private", "on"),
          "Authorization",
          bearer(publisher));
      client.publish(
          form("topic", "https://example.com/books/3", "data", "public"),
          "Authorization",
          bearer(publisher));
      assertThat(a.next().data()).isEqualTo("one");
      assertThat(a.next().data()).isEqualTo("public");
      assertThat(b.next().data()).isEqualTo("two via alternate");
      assertThat(b.next().data()).isEqualTo("public");
    }
  }

  @Test
  @DisplayName(
      "Subscribers of an exact topic: live private updates only to the token granting them, public"
          + " ones to all, in order")
  void privateUpdatesExactTopic() throws Exception {
    String publisher = token(60, Tokens.detail("publish", "*"));
    String narrow = token(60, Tokens.detail("subscribe", "elsewhere"));
    String wide = token(60, Tokens.detail("subscribe", "t"));
    try (var n1 = client.subscribe("match=t", "Authorization", bearer(narrow));
        var w = client.subscribe("match=t", "Authorization", bearer(wide));
        var n2 = client.subscribe("match=t", "Authorization", bearer(narrow))) {
      for (String[] update :
          new String[][] {{"a", null}, {"secret", "on"}, {"b", null}, {"secret 2", "on"}}) {
        String body =
            update[1] == null
                ? form("topic", "t", "data", update[0])
                : form("topic", "t", "data", update[0], "private", "on");
        client.publish(body, "Authorization", bearer(publisher));
      }
      client.publish(form("topic", "t", "data", "c"), "Authorization", bearer(publisher));
      for (var narrowOne : List.of(n1, n2)) {
        assertThat(narrowOne.next().data()).isEqualTo("a");
        assertThat(narrowOne.next().data()).isEqualTo("b");
        assertThat(narrowOne.next().data()).isEqualTo("c");
      }
      for (String data : List.of("a", "secret", "b", "secret 2", "c")) {
        assertThat(w.next().data()).isEqualTo(data);
      }
    }
  }

  @Test
  @DisplayName(
      "Authorization on Event Replay: each replayed update is re-checked against the token")
  void replayReauthorized() throws Exception {
    String publisher = token(60, Tokens.detail("publish", "*"));
    String start =
        client
            .publish(form("topic", "t", "data", "start"), "Authorization", bearer(publisher))
            .body();
    client.publish(
        form("topic", "t", "data", "secret", "private", "on"), "Authorization", bearer(publisher));
    client.publish(form("topic", "t", "data", "public"), "Authorization", bearer(publisher));
    String narrow = token(60, Tokens.detail("subscribe", "elsewhere"));
    try (var sub =
        client.subscribe("match=t", "Authorization", bearer(narrow), "Last-Event-ID", start)) {
      assertThat(sub.header("mercure-last-event-id")).isEqualTo(start);
      assertThat(sub.next().data()).isEqualTo("public");
    }
    String wide = token(60, Tokens.detail("subscribe", "t"));
    try (var sub =
        client.subscribe("match=t", "Authorization", bearer(wide), "Last-Event-ID", start)) {
      assertThat(sub.next().data()).isEqualTo("secret");
      assertThat(sub.next().data()).isEqualTo("public");
    }
  }

  @Test
  @DisplayName("Cookie: the cookie carries the token; the Authorization header wins over it")
  void cookie() throws Exception {
    String reader = token(60, Tokens.detail("subscribe", "*"));
    String publisher = token(60, Tokens.detail("publish", "*"));
    try (var sub =
            client.subscribe("match=c", "Cookie", "__Secure-mercure_access_token=" + reader);
        var headerWins =
            client.subscribe(
                "match=c",
                "Cookie",
                "__Secure-mercure_access_token=garbage",
                "Authorization",
                bearer(reader))) {
      assertThat(sub.status()).isEqualTo(200);
      assertThat(headerWins.status()).isEqualTo(200);
      client.publish(
          form("topic", "c", "data", "private", "private", "on"),
          "Authorization",
          bearer(publisher));
      assertThat(sub.next().data()).isEqualTo("private");
      assertThat(headerWins.next().data()).isEqualTo("private");
    }
    // CSRF: a cookie-authorized publish needs a same-origin Origin or Referer
    String cookie = "__Secure-mercure_access_token=" + publisher;
    assertThat(client.publish(form("topic", "c"), "Cookie", cookie).statusCode()).isEqualTo(403);
    assertThat(
            client
                .publish(form("topic", "c"), "Cookie", cookie, "Origin", "https://evil.example")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            client
                .publish(form("topic", "c"), "Cookie", cookie, "Origin", hub.baseUrl())
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  @DisplayName("Subscribers: the hub closes the connection no later than the token's exp")
  void expiry() throws Exception {
    String shortLived = token(2, Tokens.detail("subscribe", "*"));
    try (var sub = client.subscribe("match=x", "Authorization", bearer(shortLived))) {
      assertThat(sub.status()).isEqualTo(200);
      long started = System.nanoTime();
      assertThat(sub.awaitEnd(6000)).as("closed at expiry").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }
    String expired = token(-1, Tokens.detail("subscribe", "*"));
    HttpResponse<String> refused =
        client.get(Hub.DEFAULT_PATH + "?match=x", "Authorization", bearer(expired));
    assertThat(refused.statusCode()).isEqualTo(401);
  }
}
