package dev.herald.urlpattern;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Patterns and inputs that take exponential time in a backtracking engine (JavaScript's, or
 * java.util.regex) complete here: re2j's time is linear in the input. The timeouts only guard
 * against a hang; they are not performance assertions.
 */
class PathologicalInputTest {
  private static final String MANY_AS = "a".repeat(50_000);

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void nestedQuantifiersAgainstANearMiss() {
    UrlPattern pattern =
        UrlPattern.compile(UrlPattern.Init.builder().pathname("/((?:a+)+)b").build());

    assertThat(pattern.test("https://example.com/" + MANY_AS + "c")).isFalse();
    assertThat(pattern.test("https://example.com/" + MANY_AS + "b")).isTrue();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void overlappingAlternativesUnderAStar() {
    UrlPattern pattern =
        UrlPattern.compile(UrlPattern.Init.builder().search("((?:a|aa)*)c").build());

    assertThat(pattern.test("https://example.com/?" + MANY_AS)).isFalse();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void manyWildcardsAgainstALongPath() {
    String path = "/x".repeat(20_000);
    UrlPattern pattern =
        UrlPattern.compile(UrlPattern.Init.builder().pathname("/*/*/*/*/*/*/*/*/*/*/y").build());

    assertThat(pattern.test("https://example.com" + path)).isFalse();
    assertThat(pattern.exec("https://example.com" + path + "/y").orElseThrow().pathname().groups())
        .hasSize(10);
  }
}
