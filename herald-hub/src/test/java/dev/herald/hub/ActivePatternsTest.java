package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import dev.herald.hub.mercure.Verdicts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * URL patterns are matched against each update on the thread that dispatches it, not on the event
 * loops, which only read the verdicts.
 */
class ActivePatternsTest {
  private static final String HUB = "https://hub.example.com/.well-known/mercure";

  private static Subscriber subscriber(String... patterns) {
    List<TopicMatcher> matchers =
        java.util.Arrays.stream(patterns)
            .map(p -> TopicMatcher.of(TopicMatcher.URLPATTERN, p, HUB))
            .toList();
    return new Subscriber(Ids.subscriber(), matchers, null);
  }

  @Test
  @DisplayName("each distinct pattern is counted once, for as long as a subscriber uses it")
  void counted() {
    ActivePatterns patterns = new ActivePatterns();
    Subscriber a = subscriber("https://example.com/books/:id");
    Subscriber b = subscriber("https://example.com/books/:id", "https://example.com/authors/*");
    patterns.add(a);
    patterns.add(b);
    assertThat(patterns.size()).isEqualTo(2);
    patterns.remove(b);
    assertThat(patterns.size()).isEqualTo(1);
    patterns.remove(a);
    assertThat(patterns.size()).isZero();
    assertThat(patterns.match(Update.of("https://example.com/books/1", "x"))).isZero();
  }

  @Test
  @DisplayName("every pattern in use is matched against every topic of an update")
  void matchesEveryPatternAndTopic() {
    ActivePatterns patterns = new ActivePatterns();
    Subscriber s = subscriber("https://example.com/books/:id", "https://example.com/authors/*");
    patterns.add(s);
    Update update =
        new Update(
            List.of("https://example.com/books/7", "https://example.com/authors/9"),
            "x",
            false,
            null,
            null,
            null);
    assertThat(patterns.match(update)).isEqualTo(4);
    for (TopicMatcher m : s.matchers()) {
      for (String topic : update.topics()) {
        assertThat(Verdicts.remembered(m, topic)).isTrue();
      }
    }
  }

  @Test
  @DisplayName(
      "a hub has matched an update against its subscribers' patterns when it is acknowledged")
  void matchedBeforeTheEventLoops() throws Exception {
    // A window of a second: the event loop takes the second update long after it is acknowledged.
    try (Hub hub = TestHubs.open(0, b -> b.coalesce(Duration.ofSeconds(1)).dashboard(false));
        HubClient.Subscription s =
            new HubClient(hub).subscribe("match_urlpattern=https://example.com/books/:id")) {
      Poll.until(() -> hub.subscribers() == 1);
      hub.publish(Update.of("https://example.com/books/1", "first")).join();
      String topic = "https://example.com/books/" + Ids.subscriber();
      hub.publish(Update.of(topic, "second")).join();
      TopicMatcher pattern =
          TopicMatcher.of(TopicMatcher.URLPATTERN, "https://example.com/books/:id", hub.url());
      assertThat(Verdicts.remembered(pattern, topic))
          .as("matched on the dispatching thread")
          .isTrue();
      assertThat(s.next()).extracting(SseEvent::data).isEqualTo("first");
      assertThat(s.next()).extracting(SseEvent::data).isEqualTo("second");
    }
  }

  @Test
  @DisplayName(
      "the pre-1.0 topic= URI templates are matched on the dispatching thread too, not the loops")
  void templatesMatchedBeforeTheEventLoops() throws Exception {
    try (Hub hub = TestHubs.open(0, b -> b.coalesce(Duration.ofSeconds(1)).dashboard(false));
        HubClient.Subscription s =
            new HubClient(hub).subscribe("topic=https%3A%2F%2Fexample.com%2Fshelves%2F%7Bid%7D")) {
      Poll.until(() -> hub.subscribers() == 1);
      hub.publish(Update.of("https://example.com/shelves/1", "first")).join();
      String topic = "https://example.com/shelves/" + Ids.subscriber();
      hub.publish(Update.of(topic, "second")).join();
      assertThat(
              Verdicts.remembered(TopicMatcher.legacy("https://example.com/shelves/{id}"), topic))
          .as("matched on the dispatching thread")
          .isTrue();
      assertThat(s.next()).extracting(SseEvent::data).isEqualTo("first");
      assertThat(s.next()).extracting(SseEvent::data).isEqualTo("second");
    }
  }

  @Test
  @DisplayName("a topic= template past its program limit is refused with 400, saying why")
  void costlyTemplateRefused() throws Exception {
    try (Hub hub = TestHubs.open(0, b -> b.dashboard(false))) {
      String template = java.net.URLEncoder.encode("{a}/".repeat(100), "UTF-8");
      HubClient client = new HubClient(hub);
      var response =
          client.http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(client.base + Hub.DEFAULT_PATH + "?topic=" + template))
                  .timeout(Duration.ofSeconds(10)) // a stream would never end
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("invalid topic value", "MAX_PROGRAM_SIZE (256)");
    }
  }
}
