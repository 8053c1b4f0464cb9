package dev.herald.urlpattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UrlPatternTest {
  @Test
  void namedGroupInAFullPattern() {
    UrlPattern books = UrlPattern.compile("https://example.com/books/:id");

    UrlPatternResult result = books.exec("https://example.com/books/123").orElseThrow();

    assertThat(result.pathname().input()).isEqualTo("/books/123");
    assertThat(result.pathname().group("id")).isEqualTo("123");
    assertThat(result.hostname().groups()).isEmpty();
    assertThat(result.inputs()).containsExactly("https://example.com/books/123");
    assertThat(books.test("https://example.com/books/123/reviews")).isFalse();
    assertThat(books.test("https://example.com/books/")).isFalse();
    assertThat(books.test("https://example.org/books/123")).isFalse();
    assertThat(books.test("http://example.com/books/123")).isFalse();
  }

  @Test
  void aConstructorStringFixesTheDefaultPortButLeavesSearchAndHashOpen() {
    UrlPattern books = UrlPattern.compile("https://example.com/books/:id");

    assertThat(books.port()).isEmpty();
    assertThat(books.search()).isEqualTo("*");
    assertThat(books.hash()).isEqualTo("*");
    assertThat(books.test("https://example.com:443/books/1?x=1#top")).isTrue();
    assertThat(books.test("https://example.com:8443/books/1")).isFalse();
  }

  @Test
  void wildcardAgainstABaseUrl() {
    UrlPattern pattern = UrlPattern.compile("/books/*", "https://example.com");

    assertThat(pattern.protocol()).isEqualTo("https");
    assertThat(pattern.hostname()).isEqualTo("example.com");
    UrlPatternResult result = pattern.exec("https://example.com/books/a/b").orElseThrow();
    assertThat(result.pathname().groups()).containsExactly(entry("0", "a/b"));
    assertThat(pattern.test("https://example.com/book")).isFalse();
    assertThat(pattern.test("/books/x", "https://example.com/base/")).isTrue();
  }

  @Test
  void relativePatternWithoutBaseUrlIsRejected() {
    assertThatThrownBy(() -> UrlPattern.compile("/books/*"))
        .isInstanceOf(UrlPatternException.class)
        .hasMessageContaining("base URL");
  }

  @Test
  void optionalPrefixAndRegexpGroup() {
    UrlPattern pattern =
        UrlPattern.compile(UrlPattern.Init.builder().pathname("{/old}?/books/:id(\\d+)").build());

    assertThat(pattern.pathname()).isEqualTo("{/old}?/books/:id(\\d+)");
    assertThat(pattern.hasRegExpGroups()).isTrue();
    assertThat(pattern.exec("https://a.example/old/books/42").orElseThrow().pathname().group("id"))
        .isEqualTo("42");
    assertThat(pattern.test("https://a.example/books/42")).isTrue();
    assertThat(pattern.test("https://a.example/books/4x2")).isFalse();
    assertThat(pattern.test("https://a.example/new/books/42")).isFalse();
  }

  @Test
  void omittedComponentsOfAnInitMatchAnything() {
    UrlPattern pattern = UrlPattern.compile(UrlPattern.Init.builder().pathname("/books/*").build());

    assertThat(pattern.protocol()).isEqualTo("*");
    assertThat(pattern.test("wss://user:pw@other.example:9/books/1?q#h")).isTrue();
    assertThat(pattern.hasRegExpGroups()).isFalse();
  }

  @Test
  void optionalGroupThatDidNotTakePartIsNull() {
    UrlPattern pattern = UrlPattern.compile(UrlPattern.Init.builder().pathname("/a/:b?").build());

    UrlPatternResult.ComponentResult pathname =
        pattern.exec(UrlPattern.Init.builder().pathname("/a").build()).orElseThrow().pathname();

    assertThat(pathname.groups()).containsExactly(entry("b", null));
    assertThat(pathname.group("b")).isNull();
    assertThatThrownBy(() -> pathname.group("c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no group 'c'");
  }

  @Test
  void segmentWildcardStopsAtTheDelimiter() {
    UrlPattern hosts = UrlPattern.compile("https://:sub.example.com/*");

    assertThat(hosts.exec("https://api.example.com/").orElseThrow().hostname().group("sub"))
        .isEqualTo("api");
    assertThat(hosts.test("https://a.b.example.com/")).isFalse();
  }

  @Test
  void patternsAreNormalized() {
    assertThat(
            UrlPattern.compile(UrlPattern.Init.builder().pathname("/foo/(.*)").build()).pathname())
        .isEqualTo("/foo/*");
    assertThat(
            UrlPattern.compile(UrlPattern.Init.builder().hostname("Café.COM").build()).hostname())
        .isEqualTo("xn--caf-dma.com");
    assertThat(UrlPattern.compile(UrlPattern.Init.builder().pathname("/a b").build()).pathname())
        .isEqualTo("/a%20b");
  }

  @Test
  void ignoreCaseAppliesToPathSearchAndHash() {
    UrlPattern pattern =
        UrlPattern.compile("https://example.com/Books?Q#H", UrlPattern.Options.ignoreCase(true));

    assertThat(pattern.options().ignoreCase()).isTrue();
    assertThat(pattern.test("https://EXAMPLE.com/bOOKS?q#h")).isTrue();
    assertThat(UrlPattern.compile("https://example.com/Books").test("https://example.com/books"))
        .isFalse();
  }

  @Test
  void stringsThatAreNotUrlsDoNotMatch() {
    UrlPattern any = UrlPattern.compile(UrlPattern.Init.builder().build());

    assertThat(any.test("not a url")).isFalse();
    assertThat(any.test("x", "not a base")).isFalse();
    assertThat(any.test("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66")).isTrue();
    assertThat(any.exec("x", "https://example.com/a/").orElseThrow().inputs())
        .containsExactly("x", "https://example.com/a/");
  }

  @Test
  void initInputsAreCanonicalizedBeforeMatching() {
    UrlPattern pattern = UrlPattern.compile("https://example.com/caf%C3%A9/:x");

    UrlPattern.Init input =
        UrlPattern.Init.builder()
            .protocol("HTTPS:")
            .hostname("EXAMPLE.com")
            .pathname("/café/./y")
            .build();
    UrlPatternResult result = pattern.exec(input).orElseThrow();
    assertThat(result.pathname().input()).isEqualTo("/caf%C3%A9/y");
    assertThat(result.inputs()).containsExactly(input);
    assertThat(pattern.test(UrlPattern.Init.builder().hostname("bad host").build())).isFalse();
  }

  @Test
  void hostnamePatternWithAForbiddenCodePointIsRejectedNotTruncated() {
    assertThatThrownBy(
            () -> UrlPattern.compile(UrlPattern.Init.builder().hostname("example.com/x").build()))
        .isInstanceOf(UrlPatternException.class)
        .hasMessageContaining("hostname")
        .hasMessageContaining("'/'");
  }

  @Test
  void invalidPatternsNameComponentPositionAndReason() {
    assertThatThrownBy(
            () -> UrlPattern.compile(UrlPattern.Init.builder().pathname("/a/:id/:id").build()))
        .isInstanceOfSatisfying(
            UrlPatternException.class,
            e -> {
              assertThat(e.component()).isEqualTo("pathname");
              assertThat(e.index()).isEqualTo(7);
              assertThat(e.reason()).contains("'id' is used twice");
            });
    assertThatThrownBy(() -> UrlPattern.compile("https://example.com/{a"))
        .hasMessage(
            "invalid URL pattern: pathname at index 3: expected '}' but found the end of"
                + " the pattern");
  }

  @Test
  void initIsAnImmutableValueWithABuilder() {
    UrlPattern.Init init =
        UrlPattern.Init.builder().pathname("/a").search("q").baseUrl("https://x.example").build();
    UrlPattern.Init changed = init.toBuilder().search(null).hash("h").build();

    assertThat(init.search()).isEqualTo("q");
    assertThat(changed.search()).isNull();
    assertThat(changed.hash()).isEqualTo("h");
    assertThat(changed.baseUrl()).isEqualTo("https://x.example");
    assertThat(init).isEqualTo(init.toBuilder().build()).isNotEqualTo(changed);
    assertThat(init.toString()).isEqualTo("Init{pathname=/a, search=q, baseUrl=https://x.example}");
  }

  @Test
  void loneSurrogatesAreReadAsReplacementCharacters() {
    UrlPattern pattern = UrlPattern.compile(UrlPattern.Init.builder().pathname("/\uD800").build());

    assertThat(pattern.pathname()).isEqualTo("/%EF%BF%BD");
    assertThat(pattern.test("https://a.example/\uDC00")).isTrue();
  }

  @Test
  void onePatternIsSharedSafelyBetweenThreads() throws Exception {
    UrlPattern pattern = UrlPattern.compile("https://example.com/books/:id(\\d+)");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results =
          pool.invokeAll(
              List.of(
                  () -> matchesOwnId(pattern, 1),
                  () -> matchesOwnId(pattern, 2),
                  () -> matchesOwnId(pattern, 3),
                  () -> matchesOwnId(pattern, 4)));
      for (Future<Boolean> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static boolean matchesOwnId(UrlPattern pattern, int worker) {
    for (int i = 0; i < 2_000; i++) {
      String id = worker + "" + i;
      String got =
          pattern.exec("https://example.com/books/" + id).orElseThrow().pathname().group("id");
      if (!got.equals(id)) {
        return false;
      }
    }
    return true;
  }
}
