package dev.herald.urlpattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JavaScript ({@code v} flag) to RE2 translation: JavaScript meanings, and what is refused. */
class JsRegExpTest {
  private static boolean matches(String jsRegExp, String input) {
    return Pattern.compile("^(?:" + JsRegExp.translate(jsRegExp).re2() + ")$").matches(input);
  }

  private static int errorIndex(String jsRegExp) {
    try {
      JsRegExp.translate(jsRegExp);
    } catch (JsRegExp.SyntaxException e) {
      return e.index();
    }
    throw new AssertionError("accepted: " + jsRegExp);
  }

  @Test
  void dotExcludesLineTerminatorsUnlessTheSModifierIsOn() {
    assertThat(matches(".", "a")).isTrue();
    assertThat(matches(".", "\n")).isFalse();
    assertThat(matches(".", "\r")).isFalse();
    assertThat(matches(".", "\u2028")).isFalse();
    assertThat(matches(".", "\uD83D\uDE00")).isTrue();
    assertThat(matches("(?s:.)", "\n")).isTrue();
    assertThat(matches("(?s:(?-s:.))", "\n")).isFalse();
  }

  @Test
  void whiteSpaceIsJavaScriptsSet() {
    assertThat(matches("\\s", "\uFEFF")).isTrue();
    assertThat(matches("\\s", "\u000B")).isTrue();
    assertThat(matches("\\s", "\u0085")).isFalse();
    assertThat(matches("\\S", "\u0085")).isTrue();
  }

  @Test
  void classSetOperationsAreComputed() {
    assertThat(matches("[[a-z]--[aeiou]]", "b")).isTrue();
    assertThat(matches("[[a-z]--[aeiou]]", "e")).isFalse();
    assertThat(matches("[\\d&&[0-1]]", "1")).isTrue();
    assertThat(matches("[\\d&&[0-1]]", "2")).isFalse();
    assertThat(matches("[\\w--\\d--_]", "x")).isTrue();
    assertThat(matches("[\\w--\\d--_]", "_")).isFalse();
    assertThat(matches("[^[a-c][x-z]]", "y")).isFalse();
  }

  @Test
  void classStringsMatchLongestFirst() {
    assertThat(matches("[\\q{abc|d|}x]", "abc")).isTrue();
    assertThat(matches("[\\q{abc|d|}x]", "x")).isTrue();
    assertThat(matches("[\\q{abc|d|}x]", "")).isTrue();
    assertThat(matches("[\\q{abc|d|}x]", "ab")).isFalse();
    assertThat(Pattern.compile("(" + JsRegExp.translate("[\\q{a|ab}]").re2() + ")").matcher("ab"))
        .satisfies(
            m -> {
              assertThat(m.lookingAt()).isTrue();
              assertThat(m.group(1)).isEqualTo("ab");
            });
  }

  @Test
  void unicodePropertiesComeFromTheJdk() {
    assertThat(matches("\\p{Lu}+", "ÀB")).isTrue();
    assertThat(matches("\\p{General_Category=Lowercase_Letter}", "ß")).isTrue();
    assertThat(matches("\\p{sc=Greek}", "λ")).isTrue();
    assertThat(matches("\\p{Script=Greek}", "l")).isFalse();
    assertThat(matches("\\P{ASCII}", "é")).isTrue();
    assertThat(matches("[\\p{L}--\\p{ASCII}]", "a")).isFalse();
  }

  @Test
  void escapesAndModifiers() {
    assertThat(matches("\\u{1F600}\\uD83D\\uDE00", "\uD83D\uDE00\uD83D\uDE00")).isTrue();
    assertThat(matches("\\x41\\cJ\\0", "A\n\0")).isTrue();
    assertThat(matches("\\/\\.\\$", "/.$")).isTrue();
    assertThat(matches("(?i:a)b", "Ab")).isTrue();
    assertThat(matches("(?i:a)b", "AB")).isFalse();
    assertThat(matches("a{2,3}?", "aaa")).isTrue();
    assertThat(matches("a\\n(?m:^)b", "a\nb")).isTrue();
    assertThat(matches("a\\n^b", "a\nb")).isFalse();
  }

  @Test
  void namedGroupsStayCapturing() {
    com.google.re2j.Matcher m =
        Pattern.compile(JsRegExp.translate("(?<year>\\d{4})-(?<month>\\d\\d)").re2())
            .matcher("2024-05");
    assertThat(m.matches()).isTrue();
    assertThat(m.groupCount()).isEqualTo(2);
    assertThat(m.group(1)).isEqualTo("2024");
  }

  @ParameterizedTest(name = "{0} is refused: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a(?=b)|lookahead is not supported",
        "a(?!b)|lookahead is not supported",
        "(?<=a)b|lookbehind is not supported",
        "(?<!a)b|lookbehind is not supported",
        "(?<x>a)\\k<x>|backreferences are not supported",
        "(?<x>a)\\1|backreferences are not supported",
        "a{1001}|above 1000",
        "(?:(?:a{1000}){1000}){10}|expand to more than",
      })
  void whatRe2CannotDoInLinearTimeIsRefused(String jsRegExp, String reason) {
    assertThatThrownBy(() -> JsRegExp.translate(jsRegExp))
        .isInstanceOf(JsRegExp.SyntaxException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "{0} is a JavaScript syntax error: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\\m|invalid escape",
        "\\-|invalid escape",
        "a{2,1}|out of order",
        "{|lone quantifier brackets",
        "a}|lone '}'",
        "]|lone ']'",
        "*|nothing to repeat",
        "^*|nothing to repeat",
        "[a-]|must be escaped",
        "[a&&&b]|invalid set operation",
        "[a&&b--c]|invalid set operation",
        "[ab&&c]|invalid set operation",
        "[^\\q{ab}]|may contain strings",
        "[z-a]|out of order",
        "[a|unterminated character class",
        "(?:a|unterminated group",
        "(?x:a)|invalid group",
        "(?ii:a)|repeated",
        "(?i-i:a)|invalid regular expression modifiers",
        "\\p{Nope}|not supported",
        "\\p{scx=Latin}|Script_Extensions is not supported",
        "\\u{110000}|invalid unicode escape",
        "[!!]|reserved",
      })
  void javaScriptSyntaxErrorsAreErrors(String jsRegExp, String reason) {
    assertThatThrownBy(() -> JsRegExp.translate(jsRegExp))
        .isInstanceOf(JsRegExp.SyntaxException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void errorsPointAtTheConstruct() {
    assertThat(errorIndex("ab(?=c)")).isEqualTo(2);
    assertThat(errorIndex("ab\\m")).isEqualTo(3);
  }

  @Test
  void urlPatternReportsTheErrorAtItsPositionInTheComponent() {
    assertThatThrownBy(
            () -> UrlPattern.compile(UrlPattern.Init.builder().pathname("/x/(a(?=b))").build()))
        .isInstanceOfSatisfying(
            UrlPatternException.class,
            e -> {
              assertThat(e.component()).isEqualTo("pathname");
              assertThat(e.index()).isEqualTo(5);
              assertThat(e.reason()).contains("lookahead is not supported");
            });
  }
}
