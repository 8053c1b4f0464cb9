package dev.herald.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.publisher.Publication;
import dev.herald.publisher.Publisher;
import dev.herald.testing.Chromium;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample in headless Chromium: alice logs in with the form, her page's EventSource opens on the
 * embedded hub with the cookie the page set, and receives the private notification sent to her —
 * once through the publisher, once through the page's own form (to herself).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@Timeout(120)
class NotificationsPageTest {
  private static final int APP_PORT = freePort();

  @DynamicPropertySource
  static void ports(DynamicPropertyRegistry registry) {
    registry.add("server.port", () -> APP_PORT);
    registry.add("herald.hub.port", () -> 0);
    registry.add("herald.hub.cors-origins", () -> "http://localhost:" + APP_PORT);
    registry.add("server.shutdown", () -> "immediate");
  }

  @Autowired Publisher publisher;

  @Test
  void aLoggedInUserReceivesHerPrivateNotifications() throws Exception {
    assumeTrue(Chromium.isInstalled(), "Chromium is not installed at " + Chromium.BINARY);
    try (Chromium chromium = Chromium.launch();
        Chromium.Page page = chromium.open(URI.create("http://localhost:" + APP_PORT + "/login"))) {
      page.evaluate(
          "document.querySelector('input[name=username]').value = 'alice';"
              + "document.querySelector('input[name=password]').value = 'password';"
              + "document.querySelector('form').submit(); true");
      page.await(
          "location.pathname === '/' && window.heraldLog"
              + " && window.heraldLog.some(e => e.type === 'open')");
      assertThat(page.evaluate("document.cookie").asText())
          .as("the subscriber cookie is HttpOnly: no script reads it")
          .doesNotContain("mercure");

      publisher.publish(
          Publication.builder(NotificationsController.topic("alice"))
              .data("{\"from\":\"system\",\"text\":\"welcome\"}")
              .type("notification")
              .privateUpdate(true)
              .build());
      page.await("window.heraldLog.some(e => e.type === 'notification' && e.text === 'welcome')");

      // bob's notifications never reach alice's page.
      publisher.publish(
          Publication.builder(NotificationsController.topic("bob"))
              .data("{\"from\":\"system\",\"text\":\"for bob\"}")
              .type("notification")
              .privateUpdate(true)
              .build());
      page.evaluate(
          "document.querySelector('#send input[name=to]').value = 'alice';"
              + "document.querySelector('#send input[name=text]').value = 'note to self';"
              + "document.querySelector('#send button').click(); true");
      page.await(
          "window.heraldLog.some(e => e.type === 'notification' && e.text === 'note to self')");
      assertThat(page.evaluate("window.heraldLog.some(e => e.text === 'for bob')").asBoolean())
          .isFalse();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
