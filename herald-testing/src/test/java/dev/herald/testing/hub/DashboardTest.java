package dev.herald.testing.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.testing.Chromium;
import dev.herald.testing.HubExtension;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
  private static final ObjectMapper JSON = DashboardPage.JSON;

  private static Chromium chromium;

  /**
   * A new hub for each test, as a development hub runs: open to anonymous subscribers and
   * publishers, and to tokens, with an open dashboard and the subscription API.
   */
  @RegisterExtension
  final HubExtension hub =
      HubExtension.secured(
          b ->
              b.anonymousSubscribers(true)
                  .anonymousPublishers(true)
                  .openDashboard(true)
                  .subscriptionsApi(true));

  private HubClient client;
  private DashboardPage dashboard;
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
    dashboard = new DashboardPage(chromium, hub.hub().baseUrl());
    page = dashboard.page;
  }

  @AfterEach
  void close() throws IOException {
    if (dashboard != null) {
      dashboard.close();
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
    assertThat(row.get(3).asText()).isEqualTo("book");
    assertThat(row.get(4).asText()).isEqualTo("<b>line one</b>\nline two");
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
    assertThat(dashboard.awaitTopic("events", "urn:t:4")).isEqualTo("https://example.com/t");
    assertThat(row.get(3).asText()).isEqualTo("book");
    assertThat(row.get(4).asText()).isEqualTo("a\nb\nc");
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
      // a hub without a cluster: the cluster's subscribers are its own
      page.await("document.getElementById('live-cluster-subscribers').textContent === '1'");
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

  @Test
  @DisplayName(
      "events show their topics (canonical, then alternates); JSON pretty-printed on demand;"
          + " long data previewed and expanded")
  void eventsShowTopicsAndReadablePayloads() throws Exception {
    matcher(0, "urlpattern", "https://example.com/books/:id");
    click("subscribe-button");
    assertThat(dashboard.awaitSubscribed()).isEqualTo("open");
    Poll.until(() -> hub.hub().subscribers() == 1);
    String json = "{\"title\":\"Dune\",\"tags\":[\"sf\",\"classic\"]}";
    String body =
        HubClient.form(
            "topic",
            "https://example.com/books/1",
            "topic",
            "https://example.com/shelves/2",
            "id",
            "urn:json",
            "data",
            json);
    assertThat(client.publish(body).statusCode()).isEqualTo(200);
    String long_ = "word ".repeat(200).trim();
    body = HubClient.form("topic", "https://example.com/books/2", "id", "urn:long", "data", long_);
    assertThat(client.publish(body).statusCode()).isEqualTo(200);

    assertThat(dashboard.awaitTopic("events", "urn:json"))
        .isEqualTo("https://example.com/books/1\nhttps://example.com/shelves/2");
    assertThat(dashboard.awaitTopic("events", "urn:long")).isEqualTo("https://example.com/books/2");
    String row = "#events tr[data-id=\"urn:json\"] ";
    assertThat(awaitRow("urn:json").get(4).asText()).isEqualTo(json);
    assertThat(page.evaluate("document.querySelector('" + row + ".json').hidden").asBoolean())
        .isFalse();
    page.evaluate("document.querySelector('" + row + ".json').click()");
    assertThat(page.evaluate("document.querySelector('" + row + ".value').textContent").asText())
        .isEqualTo(
            "{\n  \"title\": \"Dune\",\n  \"tags\": [\n    \"sf\",\n    \"classic\"\n  ]\n}");
    page.evaluate("document.querySelector('" + row + ".json').click()");
    assertThat(awaitRow("urn:json").get(4).asText()).as("back to the raw data").isEqualTo(json);

    row = "#events tr[data-id=\"urn:long\"] ";
    assertThat(page.evaluate("document.querySelector('" + row + ".json').hidden").asBoolean())
        .as("not JSON: no JSON button")
        .isTrue();
    assertThat(awaitRow("urn:long").get(4).asText()).isEqualTo(long_.substring(0, 300) + "…");
    page.evaluate("document.querySelector('" + row + ".more').click()");
    assertThat(awaitRow("urn:long").get(4).asText()).isEqualTo(long_);
    assertThat(page.evaluate("window.pageErrors")).isEmpty();
  }

  @Test
  @DisplayName("the active subscriptions list follows a subscriber connecting and leaving")
  void subscriptionsListFollowsSubscribers() throws Exception {
    String topic = "https://example.com/watched";
    String row = "#subscriptions-list tr[data-match=\"" + topic + "\"]";
    page.await("document.getElementById('subscriptions-status').textContent === '0 active'");
    try (HubClient.Subscription subscription =
        client.subscribe("match=" + URLEncoder.encode(topic, StandardCharsets.UTF_8))) {
      assertThat(subscription.header("content-type")).startsWith("text/event-stream");
      JsonNode cells =
          page.await(
              "(row => row && [...row.children].map(td =>"
                  + " (td.querySelector('.value') || td).textContent)"
                  + ".concat(row.querySelector('.subscriber').textContent))"
                  + "(document.querySelector('"
                  + row
                  + "'))");
      assertThat(cells.get(0).asText()).isEqualTo(topic);
      assertThat(cells.get(1).asText()).matches("\\d\\d:\\d\\d:\\d\\d");
      assertThat(cells.get(2).asText()).as("the node").isEqualTo(hub.hub().nodeName());
      assertThat(cells.get(3).asText()).isNotEmpty();
    }
    page.await("document.querySelector('" + row + "') === null");
    assertThat(page.evaluate("window.pageErrors")).isEmpty();
  }

  @Test
  @DisplayName(
      "the history browser shows a topic's recent updates and those after an ID; resuming from"
          + " one shows exactly the later ones, then live ones")
  void historyBrowserAndResume() throws Exception {
    String topic = "https://example.com/history";
    for (int i = 1; i <= 5; i++) {
      String body = HubClient.form("topic", topic, "id", "h" + i, "data", "{\"n\":" + i + "}");
      assertThat(client.publish(body).statusCode()).isEqualTo(200);
    }
    publish("https://example.com/other", "o1");
    set("history-topic", topic);
    click("history-button");
    page.await("document.querySelectorAll('#history-list tr').length === 5");
    assertThat(dashboard.ids("history-list").toString())
        .isEqualTo("[\"h5\",\"h4\",\"h3\",\"h2\",\"h1\"]");
    JsonNode h2 = dashboard.awaitRow("history-list", "h2");
    assertThat(h2.get(2).asText()).isEqualTo(topic);
    assertThat(h2.get(4).asText()).isEqualTo("{\"n\":2}");

    set("history-after", "h2");
    click("history-button");
    page.await("document.querySelectorAll('#history-list tr').length === 3");
    assertThat(dashboard.ids("history-list").toString()).isEqualTo("[\"h5\",\"h4\",\"h3\"]");

    page.evaluate("document.querySelector('#history-list tr[data-id=\"h3\"] .resume').click()");
    assertThat(dashboard.awaitSubscribed()).isEqualTo("open");
    assertThat(page.evaluate("document.getElementById('subscribe-last-event-id').value").asText())
        .isEqualTo("h3");
    page.await("document.querySelectorAll('#events tr').length === 2");
    Poll.until(() -> hub.hub().subscribers() == 1);
    publish("https://example.com/other", "o2");
    String body = HubClient.form("topic", topic, "id", "h6", "data", "live");
    assertThat(client.publish(body).statusCode()).isEqualTo(200);
    awaitRow("h6");
    assertThat(dashboard.ids("events").toString())
        .as("exactly the updates after h3, then the live one")
        .isEqualTo("[\"h6\",\"h5\",\"h4\"]");
    assertThat(dashboard.awaitTopic("events", "h4")).isEqualTo(topic);
    assertThat(page.evaluate("window.pageErrors")).isEmpty();
  }

  @Test
  @DisplayName("the settings panel shows the node's settings and no secret")
  void settingsPanel() throws Exception {
    page.await("document.getElementById('settings-groups').children.length > 1");
    String text = page.evaluate("document.getElementById('settings').textContent").asText();
    assertThat(text)
        .contains(hub.url())
        .contains("MemoryUpdateStore")
        .contains("maxConnections")
        .contains("openDashboard")
        .doesNotContainIgnoringCase("secret")
        .doesNotContain("eyJ");
    assertThat(page.evaluate("document.getElementById('node-name').textContent").asText())
        .isEqualTo(hub.hub().nodeName());
    assertThat(page.evaluate("document.getElementById('access-mode').textContent").asText())
        .isEqualTo("open dashboard (development)");
  }

  @Test
  @DisplayName("markup in a topic, an ID, a type or data is shown as text everywhere, never run")
  void stringsFromTheHubAreEscaped() throws Exception {
    String evil = "<img src=x onerror=\"window.xss=1\"><script>window.xss=2</script>";
    String topic = "https://example.com/" + evil;
    String id = "<b>id</b>";
    matcher(0, "exact", "*");
    set("subscribe-types", "<i>t</i>");
    click("subscribe-button");
    assertThat(dashboard.awaitSubscribed()).isEqualTo("open");
    Poll.until(() -> hub.hub().subscribers() == 1);
    try (HubClient.Subscription watcher =
        client.subscribe("match=" + URLEncoder.encode(topic, StandardCharsets.UTF_8))) {
      assertThat(watcher.header("content-type")).startsWith("text/event-stream");
      String body = HubClient.form("topic", topic, "id", id, "type", "<i>t</i>", "data", evil);
      assertThat(client.publish(body).statusCode()).isEqualTo(200);
      JsonNode row = awaitRow(id);
      assertThat(row.get(1).asText()).isEqualTo(id);
      assertThat(row.get(3).asText()).isEqualTo("<i>t</i>");
      assertThat(row.get(4).asText()).isEqualTo(evil);
      assertThat(dashboard.awaitTopic("events", id)).isEqualTo(topic);
      page.await(
          "[...document.querySelectorAll('#subscriptions-list .value')]"
              + ".some(td => td.textContent === "
              + DashboardPage.js(topic)
              + ")");
    }
    set("history-topic", topic);
    click("history-button");
    assertThat(dashboard.awaitRow("history-list", id).get(4).asText()).isEqualTo(evil);
    assertThat(page.evaluate("window.xss === undefined").asBoolean()).isTrue();
    assertThat(
            page.evaluate(
                    "document.querySelectorAll('#dashboard img, #dashboard b,"
                        + " #dashboard i, #dashboard script').length")
                .asInt())
        .as("no element made of the hub's strings")
        .isZero();
    assertThat(page.evaluate("window.pageErrors")).isEmpty();
  }

  @Test
  @DisplayName("the page's content security policy refuses inline script, a second line of defence")
  void contentSecurityPolicyRefusesInlineScript() throws Exception {
    page.await("document.getElementById('live-status').textContent === 'live'");
    assertThat(page.evaluate("window.pageErrors")).isEmpty();
    page.evaluate(
        "(() => { const s = document.createElement('script');"
            + " s.textContent = 'window.injected = 1'; document.body.append(s); })()");
    page.await("window.pageErrors.length > 0");
    assertThat(page.evaluate("window.injected === undefined").asBoolean()).isTrue();
    assertThat(page.evaluate("window.pageErrors[0]").asText())
        .startsWith("content security policy: script-src");
  }

  private void publish(String topic, String id) throws Exception {
    String body =
        id == null ? HubClient.form("topic", topic) : HubClient.form("topic", topic, "id", id);
    assertThat(client.publish(body).statusCode()).isEqualTo(200);
  }

  private JsonNode awaitRow(String id) throws Exception {
    return dashboard.awaitRow("events", id);
  }

  private void matcher(int row, String type, String value) throws Exception {
    dashboard.matcher(row, type, value);
  }

  private void set(String id, String value) throws Exception {
    dashboard.set(id, value);
  }

  private void click(String id) throws Exception {
    dashboard.click(id);
  }
}
