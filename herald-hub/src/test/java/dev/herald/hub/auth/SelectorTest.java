package dev.herald.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A grant's legacy selectors (moved from UriTemplateMatcherTest with the matcher's package). */
class SelectorTest {
  @Test
  void invalidTemplateSelectorFallsBackToExactMatching() {
    Selector selector = Selector.legacy("urn:{broken");

    assertThat(selector.matches("urn:{broken")).isTrue();
    assertThat(selector.exact()).isEqualTo("urn:{broken");
  }
}
