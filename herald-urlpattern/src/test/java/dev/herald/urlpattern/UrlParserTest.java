package dev.herald.urlpattern;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The WHATWG URL parser underneath canonicalization: a sample of the URL Standard's rules. */
class UrlParserTest {
  private static String href(String input) {
    UrlRecord url = UrlParser.parse(input, null);
    return url == null ? "failure" : url.href();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "HTTPS://Example.COM:443/a/./b/../c|https://example.com/a/c",
        "http://0x7f.1/|http://127.0.0.1/",
        "http://192.168.0.257/|failure",
        "http://[0:0:0:0:0:0:0:1]:8080/|http://[::1]:8080/",
        "http://[::ffff:192.0.2.1]/|http://[::ffff:c000:201]/",
        "http://[1:0:0:2:0:0:0:3]/|http://[1:0:0:2::3]/",
        "http://café.example/|http://xn--caf-dma.example/",
        "http://ex ample/|failure",
        "http://user:p@ss@host/|http://user:p%40ss@host/",
        "https://example.com/a b?c d#e f|https://example.com/a%20b?c%20d#e%20f",
        "https://example.com/?'|https://example.com/?%27",
        "foo://example.com/?'|foo://example.com/?'",
        "mailto:someone@example.com|mailto:someone@example.com",
        "javascript:a b ?c|javascript:a b%20?c",
        "file:///C:/x/../..|file:///C:/",
        "file://localhost/etc|file:///etc",
        "https://example.com:99999/|failure",
        "https:example.com|https://example.com/",
        "no-scheme|failure",
      })
  void parsesAndSerializes(String input, String expected) {
    assertThat(href(input)).isEqualTo(expected);
  }

  @Test
  void stripsOuterSpaceAndAllTabsAndNewlines() {
    assertThat(href("  http://exa\tmple.com/x\n ")).isEqualTo("http://example.com/x");
  }

  @Test
  void resolvesAgainstABase() {
    UrlRecord base = UrlParser.parse("https://example.com/a/b?q#f", null);

    assertThat(UrlParser.parse("c", base).href()).isEqualTo("https://example.com/a/c");
    assertThat(UrlParser.parse("../c", base).href()).isEqualTo("https://example.com/c");
    assertThat(UrlParser.parse("?x", base).href()).isEqualTo("https://example.com/a/b?x");
    assertThat(UrlParser.parse("#y", base).href()).isEqualTo("https://example.com/a/b?q#y");
    assertThat(UrlParser.parse("//other.example", base).href()).isEqualTo("https://other.example/");
    assertThat(UrlParser.parse("x", UrlParser.parse("data:text", null))).isNull();
  }

  @Test
  void punycodeRoundTrips() {
    assertThat(Punycode.encode("café")).isEqualTo("caf-dma");
    assertThat(Punycode.encode("bücher")).isEqualTo("bcher-kva");
    assertThat(Punycode.decode("bcher-kva")).isEqualTo("bücher");
    assertThat(Punycode.decode("-9")).isNull();
    assertThat(Idna.domainToAscii("ＥＸＡＭＰＬＥ。ﾃｽﾄ")).isEqualTo("example.xn--zckzah");
    assertThat(Idna.domainToAscii("xn--a")).isEqualTo("xn--a");
    assertThat(Idna.domainToAscii("a\u0000b")).isNull();
  }
}
