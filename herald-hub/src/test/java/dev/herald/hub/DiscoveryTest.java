package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Discovery: the publisher's Link header values. */
class DiscoveryTest {
  @Test
  @DisplayName("Hub Discovery: rel=mercure with the optional target attributes")
  void links() {
    assertThat(Discovery.link("https://hub.example.com/.well-known/mercure"))
        .isEqualTo("<https://hub.example.com/.well-known/mercure>; rel=\"mercure\"");
    assertThat(
            Discovery.link(
                "https://hub.example.com/.well-known/mercure",
                "urn:uuid:1",
                "application/merge-patch+json",
                "book"))
        .isEqualTo(
            "<https://hub.example.com/.well-known/mercure>; rel=\"mercure\";"
                + " last-event-id=\"urn:uuid:1\"; content-type=\"application/merge-patch+json\";"
                + " type=\"book\"");
    assertThat(Discovery.self("https://example.com/books/1"))
        .isEqualTo("<https://example.com/books/1>; rel=\"self\"");
  }

  @Test
  @DisplayName("the reserved type and header injection are refused")
  void refused() {
    assertThatThrownBy(() -> Discovery.link("https://h/.well-known/mercure", null, null, "mercure"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Discovery.link("https://h/\r\nSet-Cookie: x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Discovery.link("https://h/a>; rel=\"stylesheet"))
        .as("a > ends the target early")
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Discovery.link("https://h/m", "a\"b", null, null))
        .endsWith("last-event-id=\"a\\\"b\"");
  }
}
