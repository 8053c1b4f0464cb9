package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.SseEvent;
import dev.herald.examples.clock.ClockDemo;
import dev.herald.examples.counter.CounterDemo;
import dev.herald.examples.many.ManyDemo;
import dev.herald.examples.notifications.NotificationsDemo;
import dev.herald.examples.progress.ProgressDemo;
import dev.herald.examples.updates.UpdatesDemo;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each demo sends, checked field by field with the JDK's {@code HttpClient} and herald-core's
 * parser over loopback.
 */
@Timeout(60)
class DemoStreamsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  private Demos demos;

  @BeforeEach
  void start() {
    demos =
        Demos.builder()
            .port(0)
            .add(new CounterDemo(Duration.ofMillis(20)))
            .add(new ClockDemo(Duration.ofMillis(20), Clock.systemUTC()))
            .add(new UpdatesDemo(data, Duration.ofMillis(20), Clock.systemUTC()))
            .add(new ProgressDemo(Duration.ofMillis(2), Duration.ofMillis(100)))
            .add(new NotificationsDemo())
            .add(new ManyDemo(Duration.ofMillis(20)))
            .start();
  }

  @AfterEach
  void stop() {
    demos.close(Duration.ZERO);
  }

  private URI uri(String path) {
    return demos.uri().resolve(path);
  }

  @Test
  @DisplayName("counter: retry 10000 first, then id = data = the count")
  void counterCounts() throws Exception {
    try (SseClient client = SseClient.open(uri("counter/events"))) {
      assertThat(client.status()).isEqualTo(200);
      assertThat(client.header("content-type")).startsWith("text/event-stream");
      List<SseEvent> events = client.next(3);
      assertThat(events)
          .extracting(SseEvent::type, SseEvent::id, SseEvent::data)
          .containsExactly(
              tuple("message", "1", "1"), tuple("message", "2", "2"), tuple("message", "3", "3"));
      assertThat(client.retries()).containsExactly(10_000L);
    }
  }

  @Test
  @DisplayName("counter: with Last-Event-ID n it carries on at n + 1; a foreign ID starts at 1")
  void counterResumes() throws Exception {
    try (SseClient client = SseClient.open(uri("counter/events"), "Last-Event-ID", "41")) {
      assertThat(client.next(2)).extracting(SseEvent::data).containsExactly("42", "43");
    }
    try (SseClient client = SseClient.open(uri("counter/events"), "Last-Event-ID", "x")) {
      assertThat(client.next().data()).isEqualTo("1");
    }
  }

  @Test
  @DisplayName("clock: Hello from server, then the time, as message events without IDs")
  void clockGreetsThenTicks() throws Exception {
    try (SseClient client = SseClient.open(uri("clock/events"))) {
      SseEvent hello = client.next();
      assertThat(hello.type()).isEqualTo("message");
      assertThat(hello.data()).isEqualTo("Hello from server");
      SseEvent tick = client.next();
      assertThat(Instant.parse(tick.data()))
          .isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
      assertThat(tick.id()).isEmpty(); // the parser reports "" when no id was ever sent
    }
  }

  @Test
  @DisplayName("updates: typed update events whose ID is the JSON's seq, in order")
  void updatesAreTypedJson() throws Exception {
    try (SseClient client = SseClient.open(uri("updates/events"))) {
      List<SseEvent> events = client.next(3);
      long first = Long.parseLong(events.get(0).id());
      for (int i = 0; i < events.size(); i++) {
        SseEvent event = events.get(i);
        JsonNode json = JSON.readTree(event.data());
        assertThat(event.type()).isEqualTo("update");
        assertThat(event.id()).isEqualTo(Long.toString(first + i));
        assertThat(json.get("seq").asLong()).isEqualTo(first + i);
        assertThat(json.get("temperature").isNumber()).isTrue();
        assertThat(Instant.parse(json.get("time").asText())).isBeforeOrEqualTo(Instant.now());
      }
    }
  }

  @Test
  @DisplayName("updates: Last-Event-ID replays every later update once, then live ones")
  void updatesResume() throws Exception {
    String resumeFrom;
    try (SseClient client = SseClient.open(uri("updates/events"))) {
      resumeFrom = client.next(2).get(1).id();
    }
    awaitSequence(Long.parseLong(resumeFrom) + 5); // missed while away
    try (SseClient client = SseClient.open(uri("updates/events"), "Last-Event-ID", resumeFrom)) {
      List<SseEvent> events = client.next(8);
      long from = Long.parseLong(resumeFrom);
      assertThat(events)
          .extracting(SseEvent::id)
          .containsExactlyElementsOf(
              List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L).stream()
                  .map(i -> Long.toString(from + i))
                  .collect(Collectors.toList()));
    }
  }

  @Test
  @DisplayName("updates: an ID the history does not hold gets a gap event, then live updates")
  void updatesReportAGap() throws Exception {
    try (SseClient client = SseClient.open(uri("updates/events"), "Last-Event-ID", "999999")) {
      SseEvent gap = client.next();
      assertThat(gap.type()).isEqualTo("gap");
      assertThat(gap.data()).contains("missed");
      assertThat(client.next().type()).isEqualTo("update");
    }
  }

  @Test
  @DisplayName("progress: POST starts a job; progress 1..100, done, end; then 204 for done")
  void progressRunsToDoneThen204() throws Exception {
    String job = startJob();
    try (SseClient client = SseClient.open(uri("progress/events?job=" + job))) {
      List<SseEvent> events = client.rest();
      assertThat(client.retries()).containsExactly(100L);
      assertThat(events).hasSize(101);
      for (int i = 0; i < 100; i++) {
        assertThat(events.get(i).type()).isEqualTo("progress");
        assertThat(events.get(i).id()).isEqualTo(Integer.toString(i + 1));
        assertThat(JSON.readTree(events.get(i).data()).get("percent").asInt()).isEqualTo(i + 1);
      }
      assertThat(events.get(100).type()).isEqualTo("done");
      assertThat(events.get(100).id()).isEqualTo("done");
    }
    HttpResponse<String> after = get("progress/events?job=" + job, "Last-Event-ID", "done");
    assertThat(after.statusCode()).isEqualTo(204);
  }

  @Test
  @DisplayName("progress: a reconnection after percent n resumes at n + 1, even after the end")
  void progressResumes() throws Exception {
    String job = startJob();
    try (SseClient client = SseClient.open(uri("progress/events?job=" + job))) {
      assertThat(client.rest()).last().extracting(SseEvent::type).isEqualTo("done");
    }
    try (SseClient client =
        SseClient.open(uri("progress/events?job=" + job), "Last-Event-ID", "97")) {
      assertThat(client.rest()).extracting(SseEvent::id).containsExactly("98", "99", "100", "done");
    }
  }

  @Test
  @DisplayName("progress: an unknown or missing job is 404, which stops an EventSource too")
  void progressUnknownJob() throws Exception {
    assertThat(get("progress/events?job=nope").statusCode()).isEqualTo(404);
    assertThat(get("progress/events").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("notifications: a posted text reaches every subscriber as a notification event")
  void notificationsReachEverySubscriber() throws Exception {
    try (SseClient first = SseClient.open(uri("notifications/events"));
        SseClient second = SseClient.open(uri("notifications/events"))) {
      awaitSubscribers(2);
      HttpResponse<String> posted = post("notifications/notify", "text=%22Hi%22+%E2%9C%93%0Anext");
      assertThat(posted.statusCode()).isEqualTo(202);
      String id = JSON.readTree(posted.body()).get("id").asText();
      for (SseClient client : List.of(first, second)) {
        SseEvent event = client.next();
        assertThat(event.type()).isEqualTo("notification");
        assertThat(event.id()).isEqualTo(id);
        assertThat(JSON.readTree(event.data()).get("text").asText()).isEqualTo("\"Hi\" ✓\nnext");
      }
    }
  }

  @Test
  @DisplayName("notifications: blank, too long or missing text is 400")
  void notificationsValidate() throws Exception {
    assertThat(post("notifications/notify", "text=++").statusCode()).isEqualTo(400);
    assertThat(post("notifications/notify", "text=" + "x".repeat(281)).statusCode()).isEqualTo(400);
    assertThat(post("notifications/notify", "other=1").statusCode()).isEqualTo(400);
    assertThat(post("notifications/notify", "text=" + "x".repeat(280)).statusCode()).isEqualTo(202);
  }

  @Test
  @DisplayName("notifications: Last-Event-ID replays later ones; a stale ID gets a gap event")
  void notificationsResume() throws Exception {
    String first =
        JSON.readTree(post("notifications/notify", "text=one").body()).get("id").asText();
    post("notifications/notify", "text=two");
    try (SseClient client = SseClient.open(uri("notifications/events"), "Last-Event-ID", first)) {
      assertThat(JSON.readTree(client.next().data()).get("text").asText()).isEqualTo("two");
    }
    try (SseClient client =
        SseClient.open(uri("notifications/events"), "Last-Event-ID", "old-run-7")) {
      assertThat(client.next().type()).isEqualTo("gap");
    }
  }

  @Test
  @DisplayName("many: each stream counts and names itself and its protocol; a bad index is 400")
  void manyStreams() throws Exception {
    try (SseClient client = SseClient.open(uri("many/events?stream=7"))) {
      JsonNode json = JSON.readTree(client.next().data());
      assertThat(json.get("stream").asInt()).isEqualTo(7);
      assertThat(json.get("count").asInt()).isEqualTo(1);
      assertThat(json.get("protocol").asText()).isEqualTo("HTTP/1.1");
    }
    assertThat(get("many/events?stream=10").statusCode()).isEqualTo(400);
    assertThat(get("many/events").statusCode()).isEqualTo(400);
  }

  private String startJob() throws Exception {
    HttpResponse<String> started = post("progress/jobs", "");
    assertThat(started.statusCode()).isEqualTo(201);
    return JSON.readTree(started.body()).get("job").asText();
  }

  private void awaitSequence(long seq) throws InterruptedException {
    UpdatesDemo updates = (UpdatesDemo) demos.demos().get(2);
    Poll.until("update " + seq, () -> updates.lastSequence() >= seq);
  }

  private void awaitSubscribers(int n) throws InterruptedException {
    NotificationsDemo notifications = (NotificationsDemo) demos.demos().get(4);
    Poll.until(n + " subscribers", () -> notifications.subscribers() == n);
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return SseClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String form) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    return SseClient.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
