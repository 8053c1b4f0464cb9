package dev.herald.urlpattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.re2j.Pattern;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A finding of {@link UrlPatternFuzzTest}: with {@code ignoreCase}, a class spanning the BMP made
 * re2j loop forever in its case folding ({@code CharClass.appendFoldedRange}), not for its size but
 * for nine code points, U+1C80..U+1C88, whose case orbit re2j never walks back to the start of (see
 * {@link FoldLoops}). {@code \W} and {@code \S} span them too. The timeouts only guard against a
 * hang; each compile takes milliseconds.
 */
class CaseFoldingHangTest {
  private static final Duration HANG = Duration.ofSeconds(10);
  private static final UrlPattern.Options IGNORE_CASE = UrlPattern.Options.ignoreCase(true);

  private static UrlPattern compile(String pattern) {
    return assertTimeoutPreemptively(HANG, () -> UrlPattern.compile(pattern, IGNORE_CASE));
  }

  @Test
  @DisplayName("ignoreCase of a BMP-wide class compiles, and matches any one character")
  void ignoreCaseOfAWideClassCompilesQuickly() {
    UrlPattern wide = compile("https://e/([\\u0000-\\uFFFF])");
    assertThat(wide.test("https://e/x")).isTrue();
    assertThat(wide.test("https://e/xy")).isFalse();
  }

  @Test
  @DisplayName("\\W and \\S, which span the same code points, compile with ignoreCase")
  void classEscapesSpanningThemCompile() {
    assertThat(compile("https://e/:a(\\W)").test("https://e/-")).isTrue();
    assertThat(compile("https://e/:a(\\S+)").test("https://e/Books")).isTrue();
    assertThat(compile("https://e/:a([\\p{L}--[a-z]])").test("https://e/A")).isTrue();
  }

  @Test
  @DisplayName("such a code point matches itself and its case variants, as re2j would fold it")
  void foldedAsRe2jWould() {
    for (String regexp : new String[] {"\\u1C80", "[\\u1C80]", "[\\u1C00-\\u1CFF]", "\\S"}) {
      String re2 = "(?i)" + JsRegExp.translate(regexp, true).re2();
      Pattern folded = assertTimeoutPreemptively(HANG, () -> Pattern.compile(re2));
      assertThat(folded.matches("\u1C80")).as(regexp).isTrue();
      assertThat(folded.matches("\u0432")).as(regexp + " and в").isTrue();
      assertThat(folded.matches("\u0412")).as(regexp + " and В").isTrue();
    }
    assertThat(Pattern.compile("(?i)" + JsRegExp.translate("\\u1C80", true).re2()).matches("x"))
        .isFalse();
  }

  @Test
  @DisplayName("in a negated class such a code point is refused: RE2 cannot write it")
  void negatedClassRefused() {
    assertThatThrownBy(() -> compile("https://e/([^\\u1C80])"))
        .isInstanceOf(UrlPatternException.class)
        .hasMessageContaining("U+1C80");
    assertThat(UrlPattern.compile("https://e/([^\\u1C80])").test("https://e/x")).isTrue();
  }

  @Test
  @DisplayName("every other code point re2j folds: the widest class that can fold compiles")
  void theSetIsComplete() {
    assertThat(FoldLoops.SET.isEmpty()).isFalse();
    String all = CodePointSet.range(0x42, 0x1E942).subtract(FoldLoops.SET).toRe2Items();
    Pattern folded = assertTimeoutPreemptively(HANG, () -> Pattern.compile("(?i)[" + all + "]"));
    assertThat(folded.matches("k")).isTrue();
  }
}
