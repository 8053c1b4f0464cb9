package dev.herald.hub;

import static dev.herald.hub.HubClient.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.mercure.Update;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The limits that bound the cost of matching one publish: a URL pattern's program size when it is
 * compiled at subscribe, and a topic's length when it is published (docs/hub.md, "Limits").
 */
class MatchCostLimitsTest {
  private static final String BASE = "https://example.com/";

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
  @DisplayName("Subscription: a pattern whose program is too large answers 400 naming the limit")
  void patternOverTheLimit() throws Exception {
    String reproduction = BASE + "(a*)".repeat(200) + "b";

    HttpResponse<String> response =
        client.get(Hub.DEFAULT_PATH + "?match_urlpattern=" + q(reproduction));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("MAX_PROGRAM_SIZE (128)");
  }

  @Test
  @DisplayName("Subscription: a pattern right at the limit is accepted and matches")
  void patternAtTheLimit() throws Exception {
    // 30 groups of 4 instructions, the 6 of the frame and 2 more literal characters: 128
    String atLimit = BASE + "(a*)".repeat(30) + "bcd";
    try (var sub = client.subscribe("match_urlpattern=" + q(atLimit))) {
      assertThat(sub.status()).isEqualTo(200);
      client.publish(form("topic", BASE + "a".repeat(3000) + "bc", "data", "near miss"));
      client.publish(form("topic", BASE + "a".repeat(3000) + "bcd", "data", "match"));
      client.publish(form("topic", BASE + "bcd", "data", "empty groups"));
      assertThat(sub.next().data()).isEqualTo("match");
      assertThat(sub.next().data()).isEqualTo("empty groups");
    }
  }

  @Test
  @DisplayName("Publication: a topic longer than MAX_TOPIC_LENGTH answers 400 naming the limit")
  void topicOverTheLimit() throws Exception {
    String atLimit = BASE + "a".repeat(Hub.MAX_TOPIC_LENGTH - BASE.length());
    try (var sub = client.subscribe("match=" + q(atLimit))) {
      HttpResponse<String> tooLong = client.publish(form("topic", atLimit + "a"));
      HttpResponse<String> longAlternate =
          client.publish(form("topic", "ok", "topic", atLimit + "a", "data", "alternate"));
      HttpResponse<String> accepted = client.publish(form("topic", atLimit, "data", "at limit"));

      assertThat(tooLong.statusCode()).isEqualTo(400);
      assertThat(tooLong.body()).contains("MAX_TOPIC_LENGTH (4096 characters)").contains("4097");
      assertThat(longAlternate.statusCode()).isEqualTo(400);
      assertThat(longAlternate.body()).contains("MAX_TOPIC_LENGTH (4096 characters)");
      assertThat(accepted.statusCode()).isEqualTo(200);
      assertThat(sub.next().data()).isEqualTo("at limit");
    }
  }

  @Test
  @DisplayName("Hub.publish: a topic or an alternate topic over MAX_TOPIC_LENGTH fails likewise")
  void topicOverTheLimitFromJava() {
    String tooLong = BASE + "a".repeat(Hub.MAX_TOPIC_LENGTH + 1 - BASE.length());

    assertThatThrownBy(() -> hub.publish(Update.of(tooLong, "x")).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MAX_TOPIC_LENGTH (4096 characters)");
    Update alternate = new Update(List.of("ok", tooLong), "x", false, null, null, null);
    assertThatThrownBy(() -> hub.publish(alternate).join())
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MAX_TOPIC_LENGTH");
  }
}
