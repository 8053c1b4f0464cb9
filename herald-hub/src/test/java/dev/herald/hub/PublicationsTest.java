package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hub's reserved namespace as the URL Standard's parser sees a topic (MercureProtocolTest
 * checks the same over HTTP): relative topics resolve against the hub's URL, dot segments and
 * {@code %2e} are removed, percent-encoded unreserved characters are decoded.
 */
class PublicationsTest {
  private static final String HUB_URL = "https://hub.example/.well-known/mercure";
  private static final String HUB_PATH = "/.well-known/mercure";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/.well-known/mercure",
        "/.well-known/mercure/x",
        "https://elsewhere.example/.well-known/mercure/x",
        "mercure/x",
        "./mercure",
        "/.well-known/%2e/mercure",
        "/.well-known/x/%2E%2e/mercure/y",
        "/.well-known/%6Dercure",
        "mailto:/.well-known/mercure"
      })
  void topicsInTheNamespaceAreReserved(String topic) {
    assertThat(Publications.inReservedNamespace(topic, HUB_PATH, HUB_URL)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/.well-known/mercurey",
        "/.well-known/%2Fmercure",
        "urn:x:/.well-known/mercure",
        "https://[::1/.well-known/mercure",
        "/books/1"
      })
  void otherTopicsAreNot(String topic) {
    assertThat(Publications.inReservedNamespace(topic, HUB_PATH, HUB_URL)).isFalse();
  }
}
