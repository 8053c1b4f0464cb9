package dev.herald.urlpattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The encoding callbacks that canonicalize the fixed text of each component. */
class CanonicalizerTest {
  @Test
  void protocolIsLowercasedAndValidated() {
    assertThat(Canonicalizer.protocol("HTTPS")).isEqualTo("https");
    assertThat(Canonicalizer.protocol("web+demo")).isEqualTo("web+demo");
    assertThatThrownBy(() -> Canonicalizer.protocol("caf\u00e9"))
        .isInstanceOf(UrlPatternException.class);
  }

  @Test
  void userinfoIsPercentEncoded() {
    assertThat(Canonicalizer.username("a b:c@")).isEqualTo("a%20b%3Ac%40");
    assertThat(Canonicalizer.password("caf\u00e9")).isEqualTo("caf%C3%A9");
  }

  @Test
  void hostnamesGoThroughTheHostParser() {
    assertThat(Canonicalizer.hostname("EXAMPLE.com")).isEqualTo("example.com");
    assertThat(Canonicalizer.hostname("0x7f.1")).isEqualTo("127.0.0.1");
    assertThat(Canonicalizer.hostname("[0:0::1]")).isEqualTo("[::1]");
    assertThat(Canonicalizer.hostname("ex\tample.com")).isEqualTo("example.com");
    assertThatThrownBy(() -> Canonicalizer.hostname("a:b")).hasMessageContaining("':'");
    assertThatThrownBy(() -> Canonicalizer.hostname("a\u0000b")).hasMessageContaining("U+0000");
    assertThat(Canonicalizer.ipv6Hostname("[::AB]")).isEqualTo("[::ab]");
    assertThatThrownBy(() -> Canonicalizer.ipv6Hostname("[::x]"))
        .isInstanceOf(UrlPatternException.class);
  }

  @Test
  void portsParseAsTheUrlParserDoes() {
    assertThat(Canonicalizer.port("0080", null)).isEqualTo("80");
    assertThat(Canonicalizer.port("443", null)).isEmpty();
    assertThat(Canonicalizer.port("80", "http")).isEmpty();
    assertThatThrownBy(() -> Canonicalizer.port("x", null))
        .hasMessageContaining("not a valid port");
    assertThatThrownBy(() -> Canonicalizer.port("65536", null))
        .isInstanceOf(UrlPatternException.class);
  }

  @Test
  void pathnamePiecesKeepTheirLeadingCharacter() {
    assertThat(Canonicalizer.pathname("/a/./b/../c d")).isEqualTo("/a/c%20d");
    assertThat(Canonicalizer.pathname("b/c")).isEqualTo("b/c");
    assertThat(Canonicalizer.pathname(".")).isEqualTo(".");
    assertThat(Canonicalizer.pathname("-/..")).isEmpty();
    assertThat(Canonicalizer.opaquePathname("a b?c")).isEqualTo("a b");
  }

  @Test
  void searchAndHashArePercentEncoded() {
    assertThat(Canonicalizer.search("q=a b#c")).isEqualTo("q=a%20b%23c");
    assertThat(Canonicalizer.hash("a b#c")).isEqualTo("a%20b#c");
  }
}
