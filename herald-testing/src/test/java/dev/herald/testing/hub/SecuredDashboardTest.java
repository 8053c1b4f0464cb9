package dev.herald.testing.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Chromium;
import dev.herald.testing.HubExtension;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard of a production hub (keys configured, the dashboard not open) in headless Chromium:
 * an anonymous visitor sees a token field and nothing about the hub; a token that may read the
 * subscription API opens it, kept in the tab's sessionStorage and sent only as a header.
 */
@Timeout(60)
class SecuredDashboardTest {
  private static Chromium chromium;

  /** A hub with keys, no anonymous access, and the subscription API: a production hub. */
  @RegisterExtension final HubExtension hub = HubExtension.secured(b -> b.subscriptionsApi(true));

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
    dashboard = new DashboardPage(chromium, hub.hub().baseUrl());
    page = dashboard.page;
  }

  @AfterEach
  void close() throws IOException {
    if (dashboard != null) {
      dashboard.close();
    }
  }

  private void awaitSignin() throws Exception {
    page.await("(e => e && !e.hidden)(document.getElementById('signin'))");
  }

  private String signIn(String token) throws Exception {
    dashboard.set("signin-token", token);
    dashboard.click("signin-button");
    return page.await(
            "!document.getElementById('dashboard').hidden ? 'in'"
                + " : (t => t.startsWith('checking') ? '' : t)"
                + "(document.getElementById('signin-result').textContent)")
        .asText();
  }

  @Test
  @DisplayName("an anonymous visitor sees a token field and nothing about the hub")
  void anonymousSeesOnlyATokenField() throws Exception {
    awaitSignin();
    assertThat(page.evaluate("document.getElementById('dashboard').hidden").asBoolean()).isTrue();
    assertThat(page.evaluate("document.title").asText()).isEqualTo("Sign in");
    String visible = page.evaluate("document.body.innerText").asText();
    assertThat(visible)
        .doesNotContainIgnoringCase("herald")
        .doesNotContain("127.0.0.1")
        .doesNotContain("mercure");
    JsonNode requested =
        page.evaluate(
            "performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)");
    assertThat(requested.toString())
        .as("only the settings were asked for, and refused: no figures, no subscriptions")
        .isEqualTo("[\"/dashboard.css\",\"/dashboard.js\",\"/dashboard/settings\"]");
    assertThat(page.evaluate("window.pageErrors")).isEmpty();
  }

  @Test
  @DisplayName("a token without the subscription API's grant is refused, saying why")
  void tokensWithoutTheGrantAreRefused() throws Exception {
    awaitSignin();
    assertThat(signIn(hub.publisherToken()))
        .startsWith("The hub refused the token: 403")
        .contains("may not read the subscriptions");
    assertThat(signIn(hub.subscriberToken("https://example.com/a")))
        .startsWith("The hub refused the token: 403");
    assertThat(signIn("not-a-token")).startsWith("The hub refused the token: 401");
    assertThat(page.evaluate("sessionStorage.length").asInt()).isZero();
  }

  @Test
  @DisplayName(
      "a subscriber token of * opens it: kept in sessionStorage, sent as a header, never in a URL;"
          + " events, topics and history work with it; signing out forgets it")
  void aTokenWithTheGrantOpensIt() throws Exception {
    awaitSignin();
    String token = hub.subscriberToken("*");
    assertThat(signIn(token)).isEqualTo("in");
    page.await("document.getElementById('live-status').textContent === 'live'");
    page.await("document.getElementById('subscriptions-status').textContent === '0 active'");
    assertThat(page.evaluate("document.title").asText()).isEqualTo("Herald hub");
    assertThat(page.evaluate("document.getElementById('access-mode').textContent").asText())
        .isEqualTo("signed in with a token");
    assertThat(page.evaluate("sessionStorage.getItem('herald-dashboard-token')").asText())
        .isEqualTo(token);
    assertThat(page.evaluate("localStorage.length + document.cookie.length").asInt()).isZero();

    // The page's token subscribes (with fetch: a header) and reads the topics from the history.
    dashboard.matcher(0, "exact", "https://example.com/private");
    dashboard.click("subscribe-button");
    assertThat(dashboard.awaitSubscribed()).isEqualTo("open");
    Poll.until(() -> hub.hub().subscribers() == 1);
    HubClient client = new HubClient(hub.url());
    String body =
        HubClient.form(
            "topic", "https://example.com/private", "id", "p1", "data", "{}", "private", "on");
    assertThat(client.publish(body, "Authorization", "Bearer " + hub.publisherToken()).statusCode())
        .isEqualTo(200);
    dashboard.awaitRow("events", "p1");
    assertThat(dashboard.awaitTopic("events", "p1")).isEqualTo("https://example.com/private");
    dashboard.set("history-topic", "https://example.com/private");
    dashboard.click("history-button");
    dashboard.awaitRow("history-list", "p1");

    page.navigate(URI.create(hub.hub().baseUrl() + "/"));
    page.await("document.getElementById('live-status').textContent === 'live'");
    assertThat(page.evaluate("document.getElementById('signin').hidden").asBoolean())
        .as("a reload keeps the tab's token")
        .isTrue();
    JsonNode urls = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)");
    assertThat(urls.toString()).doesNotContain(token).doesNotContain("authorization");

    dashboard.click("signout-button");
    awaitSignin();
    assertThat(page.evaluate("sessionStorage.length").asInt()).isZero();
  }
}
