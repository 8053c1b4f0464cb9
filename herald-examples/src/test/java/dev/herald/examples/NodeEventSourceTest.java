package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.examples.clock.ClockDemo;
import dev.herald.examples.counter.CounterDemo;
import dev.herald.examples.notifications.NotificationsDemo;
import dev.herald.examples.progress.ProgressDemo;
import dev.herald.examples.updates.UpdatesDemo;
import dev.herald.testing.NodeEventSource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demos against a real browser-grade client: Node's {@code EventSource} (undici), in a child
 * process. Skipped when Node with {@code --experimental-eventsource} is not installed.
 */
@Timeout(90)
class NodeEventSourceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  private Demos demos;

  @BeforeAll
  static void needsNode() {
    assumeTrue(
        NodeEventSource.isAvailable(),
        "Node 20+ with --experimental-eventsource is not installed (Debian: apt-get install"
            + " nodejs; scripts/test.sh installs it)");
  }

  @AfterEach
  void stop() {
    if (demos != null) {
      demos.close(Duration.ZERO);
    }
  }

  private URI events(String demo) {
    return demos.uri(demo).resolve("events");
  }

  @Test
  @DisplayName("events arrive: the clock's greeting first, then the time, after open")
  void eventsArrive() throws Exception {
    demos =
        Demos.builder()
            .port(0)
            .add(new ClockDemo(Duration.ofMillis(50), Clock.systemUTC()))
            .start();
    try (NodeEventSource node = NodeEventSource.open(events("clock"))) {
      JsonNode open = node.await("open", line -> true);
      assertThat(open.get("type").asText()).isEqualTo("open");
      assertThat(open.get("readyState").asInt()).isEqualTo(1);
      assertThat(node.await("a message", line -> true).get("data").asText())
          .isEqualTo("Hello from server");
      assertThat(node.await("a message", line -> true).get("data").asText())
          .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }
  }

  @Test
  @DisplayName("named events reach addEventListener, not onmessage: update and notification")
  void namedEventsReachTheirListeners() throws Exception {
    NotificationsDemo notifications = new NotificationsDemo();
    demos =
        Demos.builder()
            .port(0)
            .add(new UpdatesDemo(data, Duration.ofMillis(50), Clock.systemUTC()))
            .add(notifications)
            .start();
    try (NodeEventSource updates = NodeEventSource.open(events("updates"), "update");
        NodeEventSource feed = NodeEventSource.open(events("notifications"), "notification")) {
      for (int i = 0; i < 3; i++) {
        JsonNode update =
            updates.await("an update", line -> !line.get("type").asText().equals("open"));
        assertThat(update.get("type").asText()).isEqualTo("update");
        assertThat(JSON.readTree(update.get("data").asText()).get("seq").asText())
            .isEqualTo(update.get("lastEventId").asText());
      }
      feed.await("open", line -> line.get("type").asText().equals("open"));
      Poll.until("a subscriber", () -> notifications.subscribers() == 1);
      String id = notifications.notify("hello from the test");
      JsonNode notification = feed.await("a notification", line -> true);
      assertThat(notification.get("type").asText()).isEqualTo("notification");
      assertThat(notification.get("lastEventId").asText()).isEqualTo(id);
      assertThat(JSON.readTree(notification.get("data").asText()).get("text").asText())
          .isEqualTo("hello from the test");
      assertThat(updates.seen()).noneMatch(line -> line.get("type").asText().equals("message"));
    }
  }

  @Test
  @DisplayName(
      "counter: after a server restart Node reconnects with Last-Event-ID; the count goes on")
  void counterCarriesOnAfterARestart() throws Exception {
    demos = Demos.builder().port(0).add(new CounterDemo(Duration.ofMillis(100))).start();
    try (NodeEventSource node = NodeEventSource.open(events("counter"))) {
      node.await("count 3", line -> "3".equals(line.get("data").asText()));
      demos = restart(demos, new CounterDemo(Duration.ofMillis(100)));
      JsonNode error = node.await("the error of the lost connection", NodeEventSourceTest::isError);
      assertThat(error.get("readyState").asInt()).as("reconnecting").isZero();
      JsonNode reopened = node.await("the reconnection", NodeEventSourceTest::isOpen);
      long resumedAt = node.await("a count after the restart", line -> true).get("data").asLong();
      long last = resumedAt + 2;
      node.await("count " + last, line -> Long.toString(last).equals(line.get("data").asText()));
      assertThat(reopened).isNotNull();
      assertThat(messages(node.seen()))
          .as("every count once, in order, across the restart")
          .containsExactlyElementsOf(range(1, last));
    }
  }

  @Test
  @DisplayName(
      "updates: after a restart Node resumes from Last-Event-ID; nothing lost, nothing repeated")
  void updatesResumeAcrossARestart() throws Exception {
    demos =
        Demos.builder()
            .port(0)
            .add(new UpdatesDemo(data, Duration.ofMillis(100), Clock.systemUTC()))
            .start();
    try (NodeEventSource node = NodeEventSource.open(events("updates"), "update", "gap")) {
      AtomicInteger received = new AtomicInteger();
      node.await("three updates", line -> isUpdate(line) && received.incrementAndGet() == 3);
      UpdatesDemo second = new UpdatesDemo(data, Duration.ofMillis(100), Clock.systemUTC());
      long firstOfSecondRun = second.lastSequence() + 1;
      demos = restart(demos, second);
      node.await("the reconnection", NodeEventSourceTest::isOpen);
      long last = firstOfSecondRun + 3;
      node.await(
          "update " + last, line -> Long.toString(last).equals(line.get("lastEventId").asText()));
      List<JsonNode> seen = node.seen();
      assertThat(seen).noneMatch(line -> line.get("type").asText().equals("gap"));
      List<Long> ids = updates(seen);
      long first = ids.get(0); // Node may have connected after the first update
      assertThat(ids)
          .as("every update once, in order, including those published before Node got back")
          .containsExactlyElementsOf(range(first, last));
    }
  }

  @Test
  @DisplayName(
      "progress: after done the server ends the stream; the reconnection gets 204; Node stops")
  void noContentStopsReconnecting() throws Exception {
    demos =
        Demos.builder()
            .port(0)
            .add(new ProgressDemo(Duration.ofMillis(5), Duration.ofMillis(100)))
            .start();
    HttpResponse<String> started =
        SseClient.HTTP.send(
            HttpRequest.newBuilder(demos.uri("progress").resolve("jobs"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String job = JSON.readTree(started.body()).get("job").asText();
    URI uri = demos.uri("progress").resolve("events?job=" + job);
    try (NodeEventSource node = NodeEventSource.open(uri, "progress", "done")) {
      node.await("done", line -> line.get("type").asText().equals("done"));
      JsonNode reconnecting = node.await("the end of the stream", NodeEventSourceTest::isError);
      assertThat(reconnecting.get("readyState").asInt()).isZero();
      JsonNode closed = node.await("the 204", NodeEventSourceTest::isError);
      assertThat(closed.get("readyState").asInt()).as("CLOSED: no more reconnections").isEqualTo(2);
      // A closed EventSource never reconnects (S-48); watch ten reconnection times to be sure.
      assertThat(node.poll(Duration.ofMillis(1000))).isNull();
      List<JsonNode> seen = node.seen();
      assertThat(seen.stream().filter(line -> line.get("type").asText().equals("progress")))
          .extracting(line -> line.get("lastEventId").asText())
          .containsExactlyElementsOf(
              LongStream.rangeClosed(1, 100).mapToObj(Long::toString).collect(Collectors.toList()));
      assertThat(seen).filteredOn(NodeEventSourceTest::isOpen).hasSize(1);
    }
  }

  /** Closes {@code old} with a short drain (streams get a short retry), starts {@code next}. */
  static Demos restart(Demos old, Demo next) {
    int port = old.port();
    old.close(Duration.ofMillis(100));
    return Demos.builder().port(port).add(next).start();
  }

  private static boolean isOpen(JsonNode line) {
    return line.get("type").asText().equals("open");
  }

  private static boolean isUpdate(JsonNode line) {
    return line.get("type").asText().equals("update");
  }

  private static boolean isError(JsonNode line) {
    return line.get("type").asText().equals("error");
  }

  private static List<Long> messages(List<JsonNode> lines) {
    return lines.stream()
        .filter(line -> line.get("type").asText().equals("message"))
        .map(line -> line.get("data").asLong())
        .collect(Collectors.toList());
  }

  private static List<Long> updates(List<JsonNode> lines) {
    return lines.stream()
        .filter(NodeEventSourceTest::isUpdate)
        .map(line -> line.get("lastEventId").asLong())
        .collect(Collectors.toList());
  }

  static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
  }
}
