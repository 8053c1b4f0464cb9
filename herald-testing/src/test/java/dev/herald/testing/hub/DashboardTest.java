package dev.herald.testing.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.testing.Chromium;
import dev.herald.testing.HubExtension;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hub's dashboard in headless Chromium (Debian's {@code chromium}), driven by {@link Chromium}:
 * the tests fill in and submit its forms and read what it shows. Skipped when Chromium is not
 * installed. Here rather than in herald-hub, because herald-testing depends on the hub.
 */
@Timeout(60)
class DashboardTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Runs before the page's own scripts: keeps every console error, uncaught exception, rejected
   * promise and failed resource in {@code window.pageErrors}.
   */
  private static final String RECORD_ERRORS =
      "window.pageErrors = [];"
          + "const consoleError = console.error;"
          + "console.error = (...args) => {"
          + "  window.pageErrors.push('console.error: ' + args.join(' '));"
          + "  consoleError.apply(console, args);"
          + "};"
          + "window.addEventListener('error', (e) => window.pageErrors.push("
          + "  'error: ' + (e.message || (e.target && (e.target.src || e.target.href)))), true);"
          + "window.addEventListener('unhandledrejection', (e) => window.pageErrors.push("
          + "  'rejection: ' + e.reason));";

  private static Chromium chromium;

  /** A new hub for each test, open to anonymous subscribers and publishers, and to tokens. */
  @RegisterExtension
  final HubExtension hub =
      HubExtension.secured(b -> b.anonymousSubscribers(true).anonymousPublishers(true));

  private HubClient client;
  private Chromium.Page page;

  @BeforeAll
  static void launch() throws Exception {
    assumeTrue(
        Chromium.isInstalled(),
        "Chromium is not installed at " + Chromium.BINARY + " (Debian: apt-get install chromium)");
    chromium = Chromium.launch();
  }

  @AfterAll
  static void quit() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void open() throws Exception {
    client = new HubClient(hub.url());
    page = chromium.open(URI.create("about:blank"));
    page.command("Page.enable", Map.of());
    page.command("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_ERRORS));
    page.navigate(URI.create(hub.hub().baseUrl() + "/"));
  }

  @AfterEach
  void close() throws IOException {
    if (page != null) {
      page.close();
    }
  }

  @Test
  @DisplayName("the page loads, polls /stats, and logs no errors; nothing leaves the hub's origin")
  void loadsCleanly() throws Exception {
    page.await("document.getElementById('live-status').textContent === 'live'");
    page.await("document.getElementById('live-subscribers').textContent === '0'");
    assertThat(page.evaluate("document.title").asText()).isEqualTo("Herald hub");
    assertThat(page.evaluate("window.pageErrors")).isEmpty();
    JsonNode foreign =
        page.evaluate(
            "performance.getEntriesByType('resource').map(e => e.name)"
                + ".filter(name => !name.startsWith(location.origin + '/'))");
    assertThat(foreign).as("resources from other origins").isEmpty();
    assertThat(
            page.evaluate(
                "[...document.querySelectorAll('input, select, textarea')]"
                    + ".filter(e => !e.labels || e.labels.length === 0).map(e => e.outerHTML)"))
        .as("form controls without a label")
        .isEmpty();
  }

  @Test
  @DisplayName("subscribe from the form, publish from the form: the update shows in the list")
  void subscribeAndPublishFromTheForms() throws Exception {
    matcher(0, "exact", "https://example.com/books/1");
    set("subscribe-types", "book");
    click("subscribe-button");
    page.await("document.getElementById('subscribe-state').textContent === 'open'");

    set("publish-topics", "https://example.com/books/1");
    set("publish-data", "<b>line one</b>\nline two");
    set("publish-type", "book");
    set("publish-id", "urn:book:1");
    click("publish-button");
    page.await("document.getElementById('publish-result').dataset.id === 'urn:book:1'");

    JsonNode row = awaitRow("urn:book:1");
    assertThat(row.get(1).asText()).isEqualTo("urn:book:1");
    assertThat(row.get(2).asText()).isEqualTo("book");
    assertThat(row.get(3).asText()).isEqualTo("<b>line one</b>\nline two");
    assertThat(page.evaluate("document.querySelector('#events b')").isNull())
        .as("data is shown as text, never as markup")
        .isTrue();
    assertThat(page.evaluate("window.pageErrors")).isEmpty();
  }

  @Test
  @DisplayName(
      "with a token the page reads the stream with fetch: Last-Event-ID replays, multi-line data,"
          + " only listened-for types")
  void tokenSubscriptionReadsTheStreamWithFetch() throws Exception {
    publish("https://example.com/t", "urn:t:1");
    publish("https://example.com/t", "urn:t:2");
    matcher(0, "exact", "https://example.com/t");
    set("subscribe-types", "book, other-than-message");
    set("subscribe-last-event-id", "urn:t:1");
    set("subscribe-token", hub.subscriberToken("*"));
    click("subscribe-button");
    String state =
        page.await(
                "(s => s.startsWith('open') || s.startsWith('error') ? s : '')"
                    + "(document.getElementById('subscribe-state').textContent)")
            .asText();
    assertThat(state).as("the hub accepts the token").isEqualTo("open");

    awaitRow("urn:t:2");
    assertThat(page.evaluate("document.getElementById('events').children.length").asInt())
        .as("urn:t:1 is not replayed")
        .isEqualTo(1);
    Poll.until(() -> hub.hub().subscribers() == 1);
    String body =
        HubClient.form(
            "topic", "https://example.com/t", "id", "urn:t:3", "type", "unheard", "data", "x");
    assertThat(client.publish(body).statusCode()).isEqualTo(200);
    body =
        HubClient.form(
            "topic", "https://example.com/t", "id", "urn:t:4", "type", "book", "data", "a\nb\r\nc");
    assertThat(client.publish(body).statusCode()).isEqualTo(200);

    JsonNode row = awaitRow("urn:t:4");
    assertThat(row.get(2).asText()).isEqualTo("book");
    assertThat(row.get(3).asText()).isEqualTo("a\nb\nc");
    assertThat(page.evaluate("document.querySelector('#events tr[data-id=\"urn:t:3\"]')").isNull())
        .as("a type nobody listens for is not shown")
        .isTrue();
    click("unsubscribe-button");
    Poll.until(() -> hub.hub().subscribers() == 0);
  }

  @Test
  @DisplayName("a publish the hub refuses shows its status and body")
  void publishErrorsShowStatusAndBody() throws Exception {
    page.evaluate("document.getElementById('publish-topics').removeAttribute('required')");
    set("publish-data", "an update without a topic");
    click("publish-button");
    String result =
        page.await(
                "document.getElementById('publish-result').textContent.startsWith('Error 4')"
                    + " && document.getElementById('publish-result').textContent")
            .asText();
    assertThat(result).matches("Error 4\\d\\d: .*");
  }

  @Test
  @DisplayName("a URL pattern matcher in a second row: only matching updates arrive")
  void urlPatternSubscription() throws Exception {
    click("add-matcher");
    matcher(1, "urlpattern", "https://example.com/books/:id");
    click("subscribe-button");
    page.await("document.getElementById('subscribe-state').textContent === 'open'");
    Poll.until(() -> hub.hub().subscribers() == 1);

    publish("https://example.com/authors/1", "urn:author:1");
    publish("https://example.com/books/7", "urn:book:7");

    awaitRow("urn:book:7");
    assertThat(page.evaluate("document.getElementById('events').children.length").asInt())
        .isEqualTo(1);
    click("unsubscribe-button");
    page.await("document.getElementById('subscribe-state').textContent === 'closed'");
    Poll.until(() -> hub.hub().subscribers() == 0);
  }

  @Test
  @DisplayName("the live figures count a subscriber connected from Java, and its leaving")
  void liveSubscriberCount() throws Exception {
    page.await("document.getElementById('live-subscribers').textContent === '0'");
    try (HubClient.Subscription subscription = client.subscribe("match=*")) {
      page.await("document.getElementById('live-subscribers').textContent === '1'");
      assertThat(subscription.header("content-type")).startsWith("text/event-stream");
      publish("https://example.com/a", null);
      page.await("Number(document.getElementById('live-published').textContent) >= 1");
    }
    page.await("document.getElementById('live-subscribers').textContent === '0'");
    assertThat(page.evaluate("points.length").asInt()).isPositive();
  }

  @Test
  @DisplayName("the page's SSE parser (the token path): CR, LF, CRLF, any split, fields, comments")
  void parserReadsTheEventStreamFormat() throws Exception {
    String stream =
        "\uFEFF: a comment\nretry: 1500\nretry: x\nid: 1\nevent: book\ndata: a\ndata:b\n\n"
            + "data\n\nid: 2\nunknown: y\n\nid\ndata:  two spaces\n\n";
    for (String end : new String[] {"\n", "\r", "\r\n"}) {
      String text = stream.replace("\n", end);
      for (int size = 1; size <= 3; size++) {
        JsonNode parsed = parse(text, size);
        assertThat(parsed.get("events").toString())
            .as("line ends %s, pieces of %d", JSON.writeValueAsString(end), size)
            .isEqualTo(
                "[{\"type\":\"book\",\"data\":\"a\\nb\",\"id\":\"1\"},"
                    + "{\"type\":\"message\",\"data\":\"\",\"id\":\"1\"},"
                    + "{\"type\":\"message\",\"data\":\" two spaces\",\"id\":\"\"}]");
        assertThat(parsed.get("retries").toString()).isEqualTo("[1500]");
        assertThat(parsed.get("ids").toString()).isEqualTo("[\"1\",\"1\",\"2\",\"\"]");
      }
    }
  }

  private JsonNode parse(String text, int size) throws Exception {
    return page.evaluate(
        "(() => { const events = [], retries = [], ids = [];"
            + " const parser = new SseParser(e => events.push(e), r => retries.push(r));"
            + " parser.onLastEventId = id => ids.push(id);"
            + " const text = "
            + JSON.writeValueAsString(text)
            + "; for (let i = 0; i < text.length; i += "
            + size
            + ") parser.push(text.slice(i, i + "
            + size
            + "));"
            + " return { events, retries, ids }; })()");
  }

  private void publish(String topic, String id) throws Exception {
    String body =
        id == null ? HubClient.form("topic", topic) : HubClient.form("topic", topic, "id", id);
    assertThat(client.publish(body).statusCode()).isEqualTo(200);
  }

  private JsonNode awaitRow(String id) throws Exception {
    return page.await(
        "(() => { const row = document.querySelector('#events tr[data-id=\"' + "
            + JSON.writeValueAsString(id)
            + " + '\"]'); return row && [...row.children].map(td => td.textContent); })()");
  }

  private void matcher(int row, String type, String value) throws Exception {
    page.evaluate(
        "(() => { const row = document.getElementById('matchers').children["
            + row
            + "]; row.querySelector('.matcher-type').value = "
            + JSON.writeValueAsString(type)
            + "; row.querySelector('.matcher-value').value = "
            + JSON.writeValueAsString(value)
            + "; })()");
  }

  private void set(String id, String value) throws Exception {
    page.evaluate(
        "document.getElementById("
            + JSON.writeValueAsString(id)
            + ").value = "
            + JSON.writeValueAsString(value));
  }

  private void click(String id) throws Exception {
    page.evaluate("document.getElementById(" + JSON.writeValueAsString(id) + ").click()");
  }
}
