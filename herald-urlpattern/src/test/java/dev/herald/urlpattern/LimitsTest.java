package dev.herald.urlpattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LimitsTest {
  private static String pathOfLength(int length) {
    return "https://example.com/" + "a".repeat(length - "https://example.com/".length());
  }

  @Test
  void aPatternOfExactlyTheLimitCompiles() {
    String pattern = pathOfLength(UrlPattern.MAX_PATTERN_LENGTH);

    assertThat(UrlPattern.compile(pattern).test(pattern)).isTrue();
  }

  @Test
  void aLongerPatternFailsNamingTheLimit() {
    assertThatThrownBy(() -> UrlPattern.compile(pathOfLength(UrlPattern.MAX_PATTERN_LENGTH + 1)))
        .isInstanceOfSatisfying(
            UrlPatternLimitExceededException.class,
            e -> {
              assertThat(e.limitName()).isEqualTo("MAX_PATTERN_LENGTH");
              assertThat(e.limit()).isEqualTo(4096);
              assertThat(e).hasMessageContaining("4097 characters").hasMessageContaining("4096");
            });
  }

  @Test
  void theLimitCountsTheBaseUrlAndEveryInitMember() {
    String half = "a".repeat(UrlPattern.MAX_PATTERN_LENGTH / 2);
    assertThatThrownBy(() -> UrlPattern.compile("/" + half, "https://example.com/" + half))
        .isInstanceOf(UrlPatternLimitExceededException.class);
    UrlPattern.Init init = UrlPattern.Init.builder().pathname("/" + half).search(half).build();
    assertThatThrownBy(() -> UrlPattern.compile(init))
        .isInstanceOf(UrlPatternLimitExceededException.class);
  }

  @Test
  void repetitionsThatWouldBuildAHugeProgramAreRefused() {
    UrlPattern.Init init = UrlPattern.Init.builder().pathname("/((?:(?:a{999}){999}))").build();

    assertThatThrownBy(() -> UrlPattern.compile(init))
        .isInstanceOf(UrlPatternException.class)
        .hasMessageContaining("expand to more than");
  }

  @Test
  void aProgramOverTheLimitIsRefusedNamingTheLimit() {
    String groups = "{/(a{500})}".repeat(60);
    UrlPattern.Init init = UrlPattern.Init.builder().pathname(groups).build();

    assertThatThrownBy(() -> UrlPattern.compile(init))
        .isInstanceOfSatisfying(
            UrlPatternLimitExceededException.class,
            e -> assertThat(e.limitName()).isEqualTo("MAX_PROGRAM_SIZE"));
  }

  @Test
  void aProgramRightAtTheLimitCompilesAndOneInstructionMoreIsRefused() {
    // (a*) is 4 instructions, ^/ ... $ and the match 6 more, each further literal character 1
    String atLimit = "https://example.com/" + "(a*)".repeat(30) + "bcd";

    UrlPattern pattern = UrlPattern.compile(atLimit);

    assertThat(pattern.test("https://example.com/" + "a".repeat(4000) + "bcd")).isTrue();
    assertThat(pattern.test("https://example.com/" + "a".repeat(4000) + "bc")).isFalse();
    assertThatThrownBy(() -> UrlPattern.compile(atLimit + "e"))
        .isInstanceOfSatisfying(
            UrlPatternLimitExceededException.class,
            e -> {
              assertThat(e.limitName()).isEqualTo("MAX_PROGRAM_SIZE");
              assertThat(e.limit()).isEqualTo(128);
              assertThat(e)
                  .hasMessageContaining("129 instructions")
                  .hasMessageContaining("MAX_PROGRAM_SIZE (128)");
            });
  }

  @Test
  void manyCheapGroupsAddUpToTheLimit() {
    String reproduction = "https://example.com/" + "(a*)".repeat(200) + "b";

    assertThatThrownBy(() -> UrlPattern.compile(reproduction))
        .isInstanceOfSatisfying(
            UrlPatternLimitExceededException.class,
            e -> assertThat(e).hasMessageContaining("MAX_PROGRAM_SIZE (128)"));
  }

  @Test
  void classesSpelledOutAsRangesAreBounded() {
    String classes = "{([\\p{L}--[a-z]])}".repeat(4);
    UrlPattern.Init init = UrlPattern.Init.builder().pathname(classes).build();

    assertThatThrownBy(() -> UrlPattern.compile(init))
        .isInstanceOfSatisfying(
            UrlPatternLimitExceededException.class,
            e -> assertThat(e.limitName()).isEqualTo("MAX_CLASS_RANGES"));
  }

  @Test
  void propertiesRe2jKnowsCostNoRanges() {
    // 20 copies of \p{L} spelled out would be about 13,000 ranges, far past MAX_CLASS_RANGES.
    String classes = "/" + "{(\\p{L})}".repeat(20);
    UrlPattern pattern = UrlPattern.compile(UrlPattern.Init.builder().pathname(classes).build());

    assertThat(pattern.test("https://example.com/" + "x".repeat(20))).isTrue();
    assertThat(pattern.test("https://example.com/" + "x".repeat(19) + "1")).isFalse();
  }
}
