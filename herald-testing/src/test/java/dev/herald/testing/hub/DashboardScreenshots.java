package dev.herald.testing.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.testing.Chromium;
import dev.herald.testing.HubExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Takes the dashboard's screenshots for the docs ({@code docs/images/dashboard-*.png}), by hand:
 *
 * <pre>
 * ./mvnw -q -pl herald-testing -am test -Dtest=DashboardScreenshots \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dherald.screenshots=$PWD/docs/images
 * </pre>
 *
 * <p>A development hub with a few subscribers and updates about books, the page 1200 pixels wide.
 * Skipped unless {@code herald.screenshots} names the directory to write to.
 */
@Timeout(120)
@EnabledIfSystemProperty(named = "herald.screenshots", matches = ".+")
class DashboardScreenshots {
  @RegisterExtension
  final HubExtension hub =
      HubExtension.secured(
          b ->
              b.anonymousSubscribers(true)
                  .anonymousPublishers(true)
                  .openDashboard(true)
                  .subscriptionsApi(true));

  /** A production hub: keys, nothing anonymous. */
  @RegisterExtension final HubExtension secured = HubExtension.secured(b -> {});

  @Test
  @DisplayName("a screenshot of what an anonymous visitor of a production hub sees")
  void signIn() throws Exception {
    assumeTrue(Chromium.isInstalled(), "Chromium is not installed at " + Chromium.BINARY);
    Path file = Path.of(System.getProperty("herald.screenshots")).resolve("dashboard-signin.png");
    try (Chromium chromium = Chromium.launch();
        DashboardPage dashboard = new DashboardPage(chromium, secured.hub().baseUrl())) {
      dashboard.page.command(
          "Emulation.setDeviceMetricsOverride",
          Map.of("width", 800, "height", 500, "deviceScaleFactor", 1, "mobile", false));
      dashboard.await("(e => e && !e.hidden)(document.getElementById('signin'))");
      dashboard.set("signin-token", secured.publisherToken());
      dashboard.click("signin-button");
      dashboard.await(
          "document.getElementById('signin-result').textContent.startsWith('The hub refused')");
      dashboard.screenshot(file, "#signin");
      assertThat(Files.size(file)).isBetween(1_000L, 100_000L);
    }
  }

  @Test
  @DisplayName("screenshots of the dashboard, for docs/images")
  void screenshots() throws Exception {
    assumeTrue(Chromium.isInstalled(), "Chromium is not installed at " + Chromium.BINARY);
    Path directory = Path.of(System.getProperty("herald.screenshots"));
    HubClient client = new HubClient(hub.url());
    List<HubClient.Subscription> subscribers = new ArrayList<>();
    try (Chromium chromium = Chromium.launch();
        DashboardPage dashboard = new DashboardPage(chromium, hub.hub().baseUrl())) {
      Chromium.Page page = dashboard.page;
      page.command(
          "Emulation.setDeviceMetricsOverride",
          Map.of("width", 1200, "height", 900, "deviceScaleFactor", 1, "mobile", false));
      // One layout for measuring and capturing: a capture beyond the viewport has no scrollbar.
      page.command("Emulation.setScrollbarsHidden", Map.of("hidden", true));
      for (String match :
          List.of(
              "https://example.com/books/1",
              "https://example.com/books/2",
              "https://example.com/authors/7")) {
        subscribers.add(
            client.subscribe("match=" + URLEncoder.encode(match, StandardCharsets.UTF_8)));
      }
      dashboard.matcher(0, "urlpattern", "https://example.com/books/:id");
      dashboard.set("subscribe-types", "review");
      dashboard.click("subscribe-button");
      assertThat(dashboard.awaitSubscribed()).isEqualTo("open");
      String[] titles = {"Dune", "Solaris", "Hyperion", "Foundation", "Neuromancer", "Ubik"};
      for (int i = 0; i < titles.length; i++) {
        String data =
            "{\"id\":"
                + (i + 1)
                + ",\"title\":\""
                + titles[i]
                + "\",\"stock\":{\"shop\":"
                + (3 * i + 1)
                + ",\"warehouse\":"
                + (17 * i + 5)
                + "},\"tags\":[\"sf\",\"classic\"]}";
        String body =
            HubClient.form(
                "topic",
                "https://example.com/books/" + (i % 3 + 1),
                "id",
                "urn:uuid:book-update-" + (i + 1),
                "data",
                data);
        assertThat(client.publish(body).statusCode()).isEqualTo(200);
        Thread.sleep(1000); // a few points for the chart, a second apart
      }
      String review = "A long review. ".repeat(40).trim();
      assertThat(
              client
                  .publish(
                      HubClient.form(
                          "topic",
                          "https://example.com/books/2",
                          "topic",
                          "https://example.com/reviews/9",
                          "id",
                          "urn:uuid:review-9",
                          "type",
                          "review",
                          "data",
                          review))
                  .statusCode())
          .isEqualTo(200);
      dashboard.awaitTopic("events", "urn:uuid:review-9");
      page.evaluate(
          "document.querySelector('#events tr[data-id=\"urn:uuid:book-update-5\"] .json').click()");
      dashboard.set("history-topic", "https://example.com/books/1");
      dashboard.click("history-button");
      dashboard.awaitRow("history-list", "urn:uuid:book-update-4");
      page.await("document.getElementById('subscriptions-status').textContent === '4 active'");
      page.await("points.length >= 6");

      dashboard.screenshot(directory.resolve("dashboard-live.png"), "#dashboard header", "#live");
      dashboard.screenshot(directory.resolve("dashboard-events.png"), "#received");
      dashboard.screenshot(
          directory.resolve("dashboard-subscriptions-settings.png"), "#subscriptions", "#settings");
      dashboard.screenshot(directory.resolve("dashboard-history.png"), "#history");
      for (String name : List.of("live", "events", "subscriptions-settings", "history")) {
        assertThat(Files.size(directory.resolve("dashboard-" + name + ".png")))
            .as(name)
            .isBetween(1_000L, 400_000L);
      }
    } finally {
      for (HubClient.Subscription s : subscribers) {
        s.close();
      }
    }
  }
}
