package dev.herald.urlpattern;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz test of untrusted URL patterns: any pattern string (with or without a base URL, any case
 * option) either compiles or fails with {@link UrlPatternException} (of which {@link
 * UrlPatternLimitExceededException} is one); a compiled pattern tests and executes any URL without
 * throwing, {@code test} agrees with {@code exec}, and nothing takes long (re2j is linear). See
 * docs/fuzzing.md.
 */
class UrlPatternFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void compileAndMatch(FuzzedDataProvider data) {
    long start = System.nanoTime();
    boolean ignoreCase = data.consumeBoolean();
    String base = data.consumeBoolean() ? data.consumeString(60) : null;
    String pattern = data.consumeString(600);
    String url = data.consumeRemainingAsString();
    UrlPattern compiled;
    try {
      compiled =
          base == null
              ? UrlPattern.compile(pattern, UrlPattern.Options.ignoreCase(ignoreCase))
              : UrlPattern.compile(pattern, base, UrlPattern.Options.ignoreCase(ignoreCase));
    } catch (UrlPatternException invalid) {
      return; // the documented failure; a limit is one of them
    }
    boolean matches = compiled.test(url);
    assertThat(compiled.exec(url).isPresent()).isEqualTo(matches);
    assertThat(compiled.test(url, "https://example.com/base/")).isNotNull();
    compiled.toString();
    // no hang: a generous bound per input (a few hundred characters), not a benchmark
    assertThat(System.nanoTime() - start)
        .as("nanoseconds for one input")
        .isLessThan(5_000_000_000L);
  }
}
