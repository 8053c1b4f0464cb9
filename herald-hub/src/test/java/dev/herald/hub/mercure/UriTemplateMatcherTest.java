package dev.herald.hub.mercure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * RFC 6570 URI templates as legacy selectors (the topic subscribe parameter, the mercure claim).
 */
class UriTemplateMatcherTest {
  private static boolean matches(String template, String topic) {
    return UriTemplateMatcher.compile(template).matches(topic);
  }

  @Test
  void simpleExpressionMatchesOneSegment() {
    assertThat(matches("https://example.com/books/{id}", "https://example.com/books/1")).isTrue();
    assertThat(matches("https://example.com/books/{id}", "https://example.com/books/")).isTrue();
    assertThat(matches("https://example.com/books/{id}", "https://example.com/books/1/x"))
        .isFalse();
    assertThat(matches("https://example.com/{a}/{b}", "https://example.com/x/y")).isTrue();
  }

  @Test
  void reservedAndFragmentExpansionsMayHoldSlashes() {
    assertThat(matches("https://example.com/{+path}", "https://example.com/a/b/c")).isTrue();
    assertThat(matches("https://example.com/x{#frag}", "https://example.com/x#a/b")).isTrue();
    assertThat(matches("https://example.com/x{#frag}", "https://example.com/x")).isTrue();
    assertThat(matches("https://example.com/x{#frag}", "https://example.com/xy")).isFalse();
  }

  @Test
  void prefixedExpansions() {
    assertThat(matches("https://example.com/x{/a,b}", "https://example.com/x/1/2")).isTrue();
    assertThat(matches("https://example.com/x{?q,r}", "https://example.com/x?q=1&r=2")).isTrue();
    assertThat(matches("https://example.com/x{.ext}", "https://example.com/x.json")).isTrue();
    assertThat(matches("https://example.com/x{.ext}", "https://example.com/xjson")).isFalse();
  }

  @Test
  void literalTextIsNotARegularExpression() {
    assertThat(matches("https://example.com/a.b?c={id}", "https://example.com/a.b?c=1")).isTrue();
    assertThat(matches("https://example.com/a.b?c={id}", "https://example.com/aXb?c=1")).isFalse();
    assertThat(matches("urn:(x)+{id}", "urn:(x)+1")).isTrue();
  }

  @Test
  void invalidTemplatesAreRefused() {
    for (String template :
        new String[] {
          "urn:{", "urn:}", "urn:{}", "urn:{a b}", "urn:{=x}", "urn:{a:0}", "urn:{a:12345}"
        }) {
      assertThatThrownBy(() -> UriTemplateMatcher.compile(template))
          .as(template)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void matchingIsLinearOnPathologicalInput() {
    UriTemplateMatcher matcher = UriTemplateMatcher.compile("{+a}{+b}{+c}{+d}{+e}x");
    String topic = "a".repeat(100_000);

    long start = System.nanoTime();
    assertThat(matcher.matches(topic)).isFalse();
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }

  @Test
  void theCompiledProgramIsBounded() {
    String long200 = "https://example.com/" + "a".repeat(170) + "/{id}/{+rest}";
    assertThat(
            UriTemplateMatcher.compile(long200).matches(long200.replace("{id}/{+rest}", "1/x/y")))
        .isTrue();
    assertThatThrownBy(() -> UriTemplateMatcher.compile("{a}/".repeat(100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MAX_PROGRAM_SIZE (256)");
    assertThatThrownBy(() -> UriTemplateMatcher.compile("https://example.com/" + "a".repeat(300)))
        .hasMessageContaining("MAX_PROGRAM_SIZE");
  }

  @Test
  void aTemplateMatchersVerdictsAreRemembered() {
    TopicMatcher template = TopicMatcher.legacy("https://example.com/remembered/{id}");
    String topic = "https://example.com/remembered/" + System.nanoTime();

    assertThat(template.remembersVerdicts()).isTrue();
    assertThat(template.matches(topic)).isTrue();
    assertThat(template.remembers(topic)).isTrue();
    assertThat(TopicMatcher.legacy("urn:exact").remembersVerdicts()).isFalse();
  }

  @Test
  void prefixedExpansionsStopWhereTheirRegularExpressionsDid() {
    // (?:/[^/]*)* repeats; (?:;[^/?#]*)?, (?:\?[^#]*)? and (?:&[^#]*)? are each one optional run
    assertThat(matches("urn:x{/a}", "urn:x")).isTrue();
    assertThat(matches("urn:x{/a}", "urn:x/1/2/3")).isTrue();
    assertThat(matches("urn:x{/a}y", "urn:x/1/2")).isFalse();
    assertThat(matches("urn:x{;a}", "urn:x;a=1;b=2")).isTrue();
    assertThat(matches("urn:x{;a}", "urn:x;a=1?b")).isFalse();
    assertThat(matches("urn:x{?q}", "urn:x?q=1#f")).isFalse();
    assertThat(matches("urn:x{?q}{#f}", "urn:x?q=1#f/g")).isTrue();
    assertThat(matches("urn:x{&q}", "urn:x&q=1&r=2")).isTrue();
    assertThat(matches("urn:x{.e}", "urn:x.a.b")).isTrue();
    assertThat(matches("urn:x{.e}", "urn:x.a/b")).isFalse();
    assertThat(matches("{id}", "")).isTrue();
    assertThat(matches("urn:x", "urn:")).isFalse();
    assertThat(matches("urn:x", "urn:xy")).isFalse();
  }

  @Test
  void manyAdjacentExpressionsStayLinear() {
    // [^/]* a hundred times over: a backtracking engine tries every split of the topic
    UriTemplateMatcher matcher = UriTemplateMatcher.compile("{a}".repeat(100) + "/x");
    String topic = "a".repeat(10_000) + "/y";

    long start = System.nanoTime();
    assertThat(matcher.matches(topic)).isFalse();
    assertThat(matcher.matches("a".repeat(10_000) + "/x")).isTrue();
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }
}
