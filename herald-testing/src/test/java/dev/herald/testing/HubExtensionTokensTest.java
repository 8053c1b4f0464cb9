package dev.herald.testing;

import static dev.herald.testing.HubExtensionTest.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.Hub;
import dev.herald.hub.mercure.TopicMatcher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A secured {@link HubExtension}: the hub accepts the tokens the extension mints, over HTTP. */
@Timeout(60)
class HubExtensionTokensTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String BOOK = "https://example.com/books/1";

  @RegisterExtension final HubExtension hub = HubExtension.secured(b -> b.dashboard(false));

  @Test
  @DisplayName("refuses publishers and subscribers without a token")
  void refusesWithoutToken() throws Exception {
    assertThat(publish(hub.url(), null, BOOK).statusCode()).isEqualTo(401);
    assertThat(firstData(hub.url(), null, BOOK)).isEqualTo("401");
  }

  @Test
  @DisplayName("accepts its publisher token, and its subscriber token for a private update")
  void acceptsItsTokens() throws Exception {
    String publisher = hub.publisherToken();
    assertThat(publish(hub.url(), publisher, BOOK, "private=on", "id=urn:1").statusCode())
        .isEqualTo(200);
    assertThat(firstData(hub.url(), hub.subscriberToken(BOOK), BOOK)).isEqualTo("data: d");
    assertThat(firstData(hub.url(), hub.subscriberToken("*"), BOOK)).isEqualTo("data: d");
  }

  @Test
  @DisplayName("minter(): a token with the grants given, and no more")
  void minter() throws Exception {
    String token = hub.minter().publish(TopicMatcher.exact(BOOK)).build().mint();
    assertThat(publish(hub.url(), token, BOOK).statusCode()).isEqualTo(200);
    assertThat(publish(hub.url(), token, "https://example.com/books/2").statusCode())
        .isEqualTo(403);
  }

  @Test
  @DisplayName("restart(): the same port and key, so a token minted before still works")
  void restartKeepsTheKey() throws Exception {
    String publisher = hub.publisherToken();
    int port = hub.port();
    Hub before = hub.hub();
    hub.restart();
    assertThat(hub.hub()).isNotSameAs(before);
    assertThat(hub.port()).isEqualTo(port);
    assertThat(publish(hub.url(), publisher, BOOK).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("an open hub mints no token; a subscriber token names at least one topic")
  void tokensNeedASecuredHub() {
    HubExtension open = HubExtensionTest.anonymous();
    assertThatThrownBy(open::publisherToken)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("HubExtension.secured");
    assertThatThrownBy(() -> HubExtension.secured(b -> {}).subscriberToken())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"*\"");
  }

  /**
   * Subscribes to {@code topic} from the earliest update kept, with {@code token} unless null;
   * returns the first {@code data} line, or the status if it is not 200.
   */
  static String firstData(String hubUrl, String token, String topic) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
            URI.create(
                hubUrl + "?match=" + HubExtensionTest.encode(topic) + "&last_event_id=earliest"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<Stream<String>> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    try (Stream<String> lines = response.body()) {
      if (response.statusCode() != 200) {
        return String.valueOf(response.statusCode());
      }
      return lines.filter(line -> line.startsWith("data: ")).findFirst().orElseThrow();
    }
  }
}
