package dev.herald.hub.urlpattern;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A finding of {@link UrlPatternFuzzTest}: with {@code ignoreCase}, a class spanning the BMP makes
 * re2j fold every code point of it ({@code CharClass.appendFoldedRange} via {@code
 * Unicode.simpleFold}): compiling takes minutes. Without {@code ignoreCase} it takes milliseconds.
 * The hub's topic matchers do not use {@code ignoreCase}; the public API does.
 */
class CaseFoldingHangTest {

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  @Disabled(
      "finding: compile with ignoreCase of a BMP-wide class runs for minutes in re2j's case"
          + " folding; UrlPattern's limits do not bound it")
  void ignoreCaseOfAWideClassCompilesQuickly() {
    UrlPattern.compile("https://e/([\\u0000-\\uFFFF])", UrlPattern.Options.ignoreCase(true));
  }
}
