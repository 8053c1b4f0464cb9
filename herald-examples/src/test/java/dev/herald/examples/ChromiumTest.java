package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.examples.clock.ClockDemo;
import dev.herald.examples.counter.CounterDemo;
import dev.herald.examples.many.ManyDemo;
import dev.herald.examples.notifications.NotificationsDemo;
import dev.herald.examples.progress.ProgressDemo;
import dev.herald.examples.updates.UpdatesDemo;
import dev.herald.testing.Chromium;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo pages in headless Chromium (Debian's {@code chromium}), driven over the DevTools
 * Protocol by {@link Chromium}: each test loads a page and reads what its {@code EventSource}s
 * recorded in {@code window.heraldLog}. Skipped when Chromium is not installed.
 */
@Timeout(120)
class ChromiumTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Chromium chromium;

  @TempDir Path data;
  private Demos demos;
  private final List<Chromium.Page> pages = new ArrayList<>();

  @BeforeAll
  static void launch() throws Exception {
    assumeTrue(
        Chromium.isInstalled(),
        "Chromium is not installed at "
            + Chromium.BINARY
            + " (Debian: apt-get install chromium; scripts/test.sh installs it)");
    // The TLS test's certificate is self-signed; the flag lets this browser accept it.
    chromium = Chromium.launch("--ignore-certificate-errors");
  }

  @AfterAll
  static void quit() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
  }

  @AfterEach
  void stop() throws IOException {
    for (Chromium.Page page : pages) {
      page.close();
    }
    if (demos != null) {
      demos.close(Duration.ZERO);
    }
  }

  private Chromium.Page open(String demo) throws Exception {
    Chromium.Page page = chromium.open(demos.uri(demo));
    pages.add(page);
    return page;
  }

  /** The entries of {@code heraldLog} of {@code type}, as JSON. */
  private static List<JsonNode> entries(Chromium.Page page, String type) throws IOException {
    JsonNode all =
        page.evaluate("JSON.stringify(window.heraldLog.filter(e => e.type === '" + type + "'))");
    List<JsonNode> list = new ArrayList<>();
    try {
      JSON.readTree(all.asText()).forEach(list::add);
    } catch (IOException e) {
      throw new IOException("not JSON: " + all, e);
    }
    return list;
  }

  private static String count(String type) {
    return "window.heraldLog.filter(e => e.type === '" + type + "').length";
  }

  @Test
  @DisplayName("events arrive: the clock page says Hello from server, then shows the time")
  void eventsArrive() throws Exception {
    demos =
        Demos.builder()
            .port(0)
            .add(new ClockDemo(Duration.ofMillis(50), Clock.systemUTC()))
            .start();
    Chromium.Page page = open("clock");
    page.await(count("message") + " >= 3");
    List<JsonNode> messages = entries(page, "message");
    assertThat(messages.get(0).get("data").asText()).isEqualTo("Hello from server");
    assertThat(messages.get(1).get("data").asText()).endsWith("Z");
    assertThat(entries(page, "open")).hasSize(1);
    assertThat(page.evaluate("document.getElementById('greeting').textContent").asText())
        .isEqualTo("Hello from server");
  }

  @Test
  @DisplayName("named events reach addEventListener: updates, and a notification sent by the form")
  void namedEventsReachTheirListeners() throws Exception {
    demos =
        Demos.builder()
            .port(0)
            .add(new UpdatesDemo(data, Duration.ofMillis(50), Clock.systemUTC()))
            .add(new NotificationsDemo())
            .start();
    Chromium.Page updates = open("updates");
    updates.await(count("update") + " >= 3");
    for (JsonNode update : entries(updates, "update")) {
      assertThat(JSON.readTree(update.get("data").asText()).get("seq").asText())
          .isEqualTo(update.get("lastEventId").asText());
    }
    assertThat(entries(updates, "message")).isEmpty();
    assertThat(updates.evaluate("document.querySelectorAll('#updates tr').length").asInt())
        .isGreaterThanOrEqualTo(3);

    Chromium.Page feed = open("notifications");
    feed.await(count("open") + " === 1");
    NotificationsDemo notifications = (NotificationsDemo) demos.demos().get(1);
    Poll.until("a subscriber", () -> notifications.subscribers() == 1);
    feed.evaluate(
        "document.getElementById('text').value = 'Hello <b>there</b> ✓';"
            + " document.getElementById('form').requestSubmit()");
    feed.await(count("notification") + " === 1");
    JsonNode notification = entries(feed, "notification").get(0);
    assertThat(JSON.readTree(notification.get("data").asText()).get("text").asText())
        .isEqualTo("Hello <b>there</b> ✓");
    assertThat(feed.evaluate("document.querySelector('#feed li').textContent").asText())
        .endsWith("Hello <b>there</b> ✓");
  }

  @Test
  @DisplayName("counter: after a server restart the page reconnects and the count carries on")
  void counterCarriesOnAfterARestart() throws Exception {
    demos = Demos.builder().port(0).add(new CounterDemo(Duration.ofMillis(100))).start();
    Chromium.Page page = open("counter");
    page.await("window.heraldLog.some(e => e.data === '3')");
    demos = NodeEventSourceTest.restart(demos, new CounterDemo(Duration.ofMillis(100)));
    page.await(count("open") + " === 2");
    long resumedAt =
        page.await(
                "window.heraldLog.findLast(e => e.type === 'open') !== window.heraldLog.at(-1)"
                    + " && Number(window.heraldLog.at(-1).data)")
            .asLong();
    long last = resumedAt + 2;
    page.await("window.heraldLog.some(e => e.data === '" + last + "')");
    List<Long> counts = new ArrayList<>();
    entries(page, "message").forEach(m -> counts.add(m.get("data").asLong()));
    assertThat(counts.subList(0, (int) last))
        .as("every count once, in order, across the restart")
        .containsExactlyElementsOf(NodeEventSourceTest.range(1, last));
    JsonNode error = entries(page, "error").get(0);
    assertThat(error.get("readyState").asInt()).as("reconnecting, not closed").isZero();
  }

  @Test
  @DisplayName(
      "updates: after a restart the page resumes from Last-Event-ID; none lost or repeated")
  void updatesResumeAcrossARestart() throws Exception {
    demos =
        Demos.builder()
            .port(0)
            .add(new UpdatesDemo(data, Duration.ofMillis(100), Clock.systemUTC()))
            .start();
    Chromium.Page page = open("updates");
    page.await(count("update") + " >= 3");
    UpdatesDemo second = new UpdatesDemo(data, Duration.ofMillis(100), Clock.systemUTC());
    long firstOfSecondRun = second.lastSequence() + 1;
    demos = NodeEventSourceTest.restart(demos, second);
    long last = firstOfSecondRun + 3;
    page.await("window.heraldLog.some(e => e.lastEventId === '" + last + "')");
    assertThat(entries(page, "open")).hasSize(2);
    assertThat(entries(page, "gap")).isEmpty();
    List<Long> ids = new ArrayList<>();
    entries(page, "update").forEach(u -> ids.add(u.get("lastEventId").asLong()));
    long first = ids.get(0); // the page may have loaded after the first update
    assertThat(ids.subList(0, (int) (last - first + 1)))
        .as("every update once, in order, including those published before the page got back")
        .containsExactlyElementsOf(NodeEventSourceTest.range(first, last));
  }

  @Test
  @DisplayName("progress: the bar fills; after done, 204 closes the EventSource for good")
  void noContentStopsReconnecting() throws Exception {
    demos =
        Demos.builder()
            .port(0)
            .add(new ProgressDemo(Duration.ofMillis(5), Duration.ofMillis(100)))
            .start();
    Chromium.Page page = open("progress");
    page.evaluate("document.getElementById('start').click()");
    page.await(count("done") + " === 1");
    page.await("window.heraldLog.some(e => e.type === 'error' && e.readyState === 2)");
    int entries = page.evaluate("window.heraldLog.length").asInt();
    assertThat(page.evaluate("document.getElementById('bar').value").asInt()).isEqualTo(100);
    assertThat(page.evaluate("document.getElementById('state').textContent").asText())
        .contains("204");
    List<JsonNode> progress = entries(page, "progress");
    assertThat(progress).hasSize(100);
    assertThat(progress.get(99).get("lastEventId").asText()).isEqualTo("100");
    // A closed EventSource never reconnects (S-48); watch ten reconnection times to be sure.
    Thread.sleep(1000);
    assertThat(page.evaluate("window.heraldLog.length").asInt()).isEqualTo(entries);
  }

  @Test
  @DisplayName("many over HTTP/1.1: the browser opens six connections; sources 7 to 10 stall")
  void sixConnectionsPerOriginOverHttp1() throws Exception {
    demos = Demos.builder().port(0).add(new ManyDemo(Duration.ofMillis(50))).start();
    Chromium.Page page = open("many");
    String counting =
        "new Set(window.heraldLog.filter(e => e.type === 'message').map(e => e.stream)).size";
    page.await(counting + " >= 6");
    // Give the stalled ones every chance: wait until the six have each counted to 20.
    page.await(
        "[...Array(10).keys()].filter(i => window.heraldLog.some(e => e.stream === i"
            + " && e.data && JSON.parse(e.data).count >= 20)).length >= 6");
    assertThat(page.evaluate(counting).asInt()).as("sources receiving events").isEqualTo(6);
    assertThat(page.evaluate(count("open")).asInt()).isEqualTo(6);
    assertThat(demos.server().openStreams()).isEqualTo(6);
    assertThat(page.evaluate("document.getElementById('protocol').textContent").asText())
        .isEqualTo("http/1.1");
    for (JsonNode message : entries(page, "message")) {
      assertThat(JSON.readTree(message.get("data").asText()).get("protocol").asText())
          .isEqualTo("HTTP/1.1");
    }
  }

  @Test
  @DisplayName("many over HTTP/2 (TLS, ALPN): all ten sources share one connection and count")
  void allTenOverHttp2() throws Exception {
    demos =
        Demos.builder().port(0).tlsSelfSigned().add(new ManyDemo(Duration.ofMillis(50))).start();
    assertThat(demos.uri("many").getScheme()).isEqualTo("https");
    Chromium.Page page = open("many");
    page.await(
        "[...Array(10).keys()].every(i => window.heraldLog.some(e => e.stream === i"
            + " && e.data && JSON.parse(e.data).count >= 5))");
    assertThat(page.evaluate("document.getElementById('protocol').textContent").asText())
        .isEqualTo("h2");
    for (JsonNode message : entries(page, "message")) {
      assertThat(JSON.readTree(message.get("data").asText()).get("protocol").asText())
          .isEqualTo("HTTP/2");
    }
    assertThat(entries(page, "open")).hasSize(10);
    assertThat(entries(page, "error")).isEmpty();
    assertThat(demos.server().openStreams()).isEqualTo(10);
    assertThat(demos.server().openConnections()).as("one connection carries all").isEqualTo(1);
  }
}
