package dev.herald.urlpattern;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random patterns and inputs built from the pattern syntax: compiling either succeeds or throws
 * {@link UrlPatternException}, and matching never throws. Seeded, so a failure reproduces.
 */
class RandomPatternsTest {
  private static final String[] PIECES = {
    "/",
    ":",
    "id",
    "*",
    "?",
    "+",
    "{",
    "}",
    "(",
    ")",
    "\\",
    "a",
    ".",
    "-",
    "#",
    "@",
    "[",
    "]",
    "(?:",
    "\\d",
    "[^/]",
    "|",
    "&&",
    "--",
    "\\p{sc=Greek}",
    "%",
    "é",
    " ",
    "https:",
    "//",
    "::",
    "0",
    "\uD800",
    "\t",
    "$",
    "^",
    "{,}",
    "{2}",
    "(?i:",
    "(?<n>",
    "\\q{x|yz}",
    "?#",
    "80",
    "[::1]"
  };

  private static String randomString(Random random, int maxPieces) {
    StringBuilder out = new StringBuilder();
    int pieces = random.nextInt(maxPieces + 1);
    for (int i = 0; i < pieces; i++) {
      out.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return out.toString();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void compileFailsOnlyWithUrlPatternExceptionAndMatchingNeverThrows() {
    Random random = new Random(1L);
    int compiled = 0;
    for (int i = 0; i < 30_000; i++) {
      UrlPattern pattern = compileOrNull(random);
      if (pattern == null) {
        continue;
      }
      compiled++;
      for (int j = 0; j < 3; j++) {
        String input = "https://example.com/" + randomString(random, 6);
        pattern.test(input);
        pattern.test(randomString(random, 4), "https://example.com/a/");
        pattern.test(UrlPattern.Init.builder().pathname(randomString(random, 4)).build());
      }
    }
    assertThat(compiled).as("some random patterns are valid").isGreaterThan(2_000);
  }

  private static UrlPattern compileOrNull(Random random) {
    try {
      if (random.nextBoolean()) {
        return UrlPattern.compile(randomString(random, 8), "https://example.com/");
      }
      UrlPattern.Init init =
          UrlPattern.Init.builder()
              .hostname(random.nextInt(4) == 0 ? randomString(random, 3) : null)
              .port(random.nextInt(6) == 0 ? randomString(random, 2) : null)
              .pathname(randomString(random, 8))
              .search(random.nextInt(4) == 0 ? randomString(random, 3) : null)
              .build();
      return UrlPattern.compile(init);
    } catch (UrlPatternException expected) {
      return null;
    }
  }
}
