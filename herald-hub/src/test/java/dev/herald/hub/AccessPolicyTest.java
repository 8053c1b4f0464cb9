package dev.herald.hub;

import static dev.herald.hub.HubClient.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.SseEvent;
import dev.herald.hub.auth.AccessDeniedException;
import dev.herald.hub.auth.AccessPolicy;
import dev.herald.hub.auth.AccessRequest;
import dev.herald.hub.auth.ReadAccess;
import dev.herald.hub.auth.TokenPolicy;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import java.net.URI;
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
 * An embedder's own access policy: Mercure's token rules and rules of its own, asked on every path
 * — publish, live delivery, replay, the subscription API.
 */
class AccessPolicyTest {
  private static final String SECRET = "https://example.com/secret/1";
  private static final String PUBLIC = "https://example.com/public/1";

  /**
   * Mercure's token rules, and three more: nobody reads an update of a topic under {@code
   * /secret/}, only requests with {@code X-Publisher: trusted} publish, and the subscription API
   * says nothing about secret topics.
   */
  static final class NoSecrets implements AccessPolicy {
    private final AccessPolicy tokens;

    NoSecrets(AccessPolicy tokens) {
      this.tokens = tokens;
    }

    static boolean secret(Update update) {
      return update.topics().stream().anyMatch(t -> t.startsWith("https://example.com/secret/"));
    }

    @Override
    public ReadAccess subscribe(AccessRequest request, List<TopicMatcher> matchers) {
      return tokens.subscribe(request, matchers).and(update -> !secret(update));
    }

    @Override
    public void publish(AccessRequest request, Update update) {
      if (!"trusted".equals(request.header("X-Publisher"))) {
        throw AccessDeniedException.forbidden("only trusted publishers publish here");
      }
      tokens.publish(request, update);
    }

    @Override
    public void readSubscriptions(AccessRequest request, String path) {
      if (path.contains("secret")) {
        throw AccessDeniedException.insufficientScope("secret topics have no subscriptions");
      }
      tokens.readSubscriptions(request, path);
    }

    @Override
    public boolean restricts(Update update) {
      return secret(update) || tokens.restricts(update);
    }
  }

  private TokenVerifier verifier;
  private Hub hub;
  private HubClient client;

  @BeforeEach
  void start() throws Exception {
    String audience = "http://127.0.0.1:" + Tokens.freePort() + Hub.DEFAULT_PATH;
    verifier = Tokens.verifier(audience);
    AccessPolicy tokens =
        TokenPolicy.builder()
            .verifier(verifier)
            .anonymousSubscribers(true)
            .anonymousPublishers(true)
            .build();
    hub =
        Hub.builder()
            .server(TestHubs.settings(URI.create(audience).getPort()).build())
            .publicUrl(audience)
            .dashboard(false)
            .subscriptionsApi(true)
            .accessPolicy(new NoSecrets(tokens))
            .build()
            .start();
    client = new HubClient(hub);
  }

  @AfterEach
  void stop() {
    hub.close(Duration.ZERO);
    verifier.close(); // the policy's, not the hub's: the hub does not close it
  }

  private static String query(String... topics) {
    StringBuilder q = new StringBuilder();
    for (String t : topics) {
      q.append(q.length() == 0 ? "" : "&").append("match=");
      q.append(URLEncoder.encode(t, StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  @Test
  @DisplayName("a publish the policy refuses gets its answer; one it allows is stored")
  void publishRule() throws Exception {
    HttpResponse<String> refused = client.publish(form("topic", PUBLIC, "data", "x"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).isEqualTo("only trusted publishers publish here");
    assertThat(refused.headers().firstValue("www-authenticate")).isEmpty();

    HttpResponse<String> allowed =
        client.publish(form("topic", PUBLIC, "data", "x"), "X-Publisher", "trusted");
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(hub.lastEventId()).isEqualTo(allowed.body());
  }

  @Test
  @DisplayName("an update the policy denies reaches no subscriber live, by pattern or exact topic")
  void denyLive() throws Exception {
    try (var everything = client.subscribe("match=*");
        var exact = client.subscribe(query(SECRET, PUBLIC))) {
      Poll.until(() -> hub.subscribers() == 2);
      hub.publish(Update.of(SECRET, "secret")).join();
      hub.publish(Update.of(PUBLIC, "public")).join();
      for (var s : List.of(everything, exact)) {
        assertThat(s.next().data())
            .as("the secret update, published first, skipped")
            .isEqualTo("public");
      }
    }
  }

  @Test
  @DisplayName(
      "a subscriber resuming with Last-Event-ID is not replayed an update the policy denies")
  void denyOnReplay() throws Exception {
    String start = hub.publish(Update.of(PUBLIC, "start")).join();
    hub.publish(Update.of(SECRET, "secret")).join();
    hub.publish(Update.of(PUBLIC, "public")).join();
    hub.publish(Update.of(SECRET, "secret again")).join();
    String last = hub.publish(Update.of(PUBLIC, "last")).join();
    for (String q : List.of("match=*", query(SECRET, PUBLIC))) {
      try (var resumed = client.subscribe(q, "Last-Event-ID", start)) {
        assertThat(resumed.header("Mercure-Last-Event-ID")).isEqualTo(start);
        SseEvent first = resumed.next();
        SseEvent second = resumed.next();
        assertThat(List.of(first.data(), second.data())).as(q).containsExactly("public", "last");
        assertThat(second.id()).isEqualTo(last);
      }
    }
  }

  @Test
  @DisplayName("the subscription API asks the policy: its rule, then the token's")
  void subscriptionsApi() throws Exception {
    String watcher =
        Tokens.token(
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
    String collection = Hub.DEFAULT_PATH + "/subscriptions";
    assertThat(client.get(collection, "Authorization", "Bearer " + watcher).statusCode())
        .isEqualTo(200);
    assertThat(client.get(collection).statusCode()).as("no token").isEqualTo(401);

    HttpResponse<String> secret =
        client.get(
            collection + "/exact/" + Subscriptions.encode(SECRET),
            "Authorization",
            "Bearer " + watcher);
    assertThat(secret.statusCode()).isEqualTo(403);
    assertThat(secret.body()).isEqualTo("secret topics have no subscriptions");
    assertThat(secret.headers().firstValue("www-authenticate").orElseThrow())
        .contains("error=\"insufficient_scope\"")
        .contains("resource_metadata=");
  }

  @Test
  @DisplayName("an access policy replaces the token settings: setting both is refused at build")
  void policyOrTokenSettings() {
    AccessPolicy policy = TokenPolicy.builder().build();
    assertThatThrownBy(() -> Hub.builder().accessPolicy(policy).anonymousSubscribers(true).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("accessPolicy");
  }
}
