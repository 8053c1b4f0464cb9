package dev.herald.core;

import static dev.herald.core.Streams.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Encoding standard's UTF-8 decoder and encoder, and the byte scans. */
class Utf8Test {

  @Test
  @DisplayName("S-03 replacement follows the Encoding standard, one U+FFFD per maximal subpart")
  void replacement() {
    assertThat(decode(0xED, 0xA0, 0x80)).isEqualTo("\uFFFD\uFFFD\uFFFD");
    assertThat(decode(0xED, 0x9F, 0xBF)).isEqualTo("\uD7FF");
    assertThat(decode(0xE0, 0x80, 0x80)).isEqualTo("\uFFFD\uFFFD\uFFFD");
    assertThat(decode(0xF0, 0x80, 0x80, 0x80)).isEqualTo("\uFFFD".repeat(4));
    assertThat(decode(0xF0, 0x90, 0x80, 0x80)).isEqualTo(new String(Character.toChars(0x10000)));
    assertThat(decode(0xF4, 0x8F, 0xBF, 0xBF)).isEqualTo(new String(Character.toChars(0x10FFFF)));
    assertThat(decode(0xF8, 0x88, 0x80, 0x80, 0x80)).isEqualTo("\uFFFD".repeat(5));
    assertThat(decode(0xE1, 0x80, 0xE2, 0xF0, 0x91, 0x92, 0xF1, 0xBF, 0x41))
        .isEqualTo("\uFFFD\uFFFD\uFFFD\uFFFDA");
    assertThat(decode(0xC2)).isEqualTo("\uFFFD");
    assertThat(decode(0x41, 0xC2, 0x41)).isEqualTo("A\uFFFDA");
  }

  @Test
  @DisplayName("valid UTF-8 decodes as the JDK decodes it")
  void validMatchesJdk() {
    Random random = new Random(1);
    for (int i = 0; i < 2000; i++) {
      StringBuilder s = new StringBuilder();
      for (int j = random.nextInt(40); j > 0; j--) {
        int cp = random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(0x10FFFF);
        if (Character.getType(cp) != Character.SURROGATE) {
          s.appendCodePoint(cp);
        }
      }
      byte[] utf8 = s.toString().getBytes(StandardCharsets.UTF_8);
      assertThat(Utf8.decode(utf8, 0, utf8.length)).isEqualTo(s.toString());
      assertThat(Utf8.encodedLength(s.toString(), 0, s.length())).isEqualTo(utf8.length);
      byte[] encoded = new byte[utf8.length];
      assertThat(Utf8.encode(s.toString(), 0, s.length(), encoded, 0)).isEqualTo(utf8.length);
      assertThat(encoded).isEqualTo(utf8);
    }
  }

  @Test
  @DisplayName("indexOfLineBreak finds the first CR or LF at every position of long inputs")
  void lineBreakScan() {
    for (int length = 0; length < 40; length++) {
      for (int at = 0; at < length; at++) {
        for (byte brk : new byte[] {'\n', '\r'}) {
          byte[] b = new byte[length];
          java.util.Arrays.fill(b, (byte) 0x8A); // high bytes whose low bits look like LF
          b[at] = brk;
          if (at + 1 < length) {
            b[at + 1] = '\n';
          }
          assertThat(Utf8.indexOfLineBreak(b, 0, length)).isEqualTo(at);
          assertThat(Utf8.indexOfLineBreak(b, at + 2, length)).isEqualTo(-1);
        }
      }
    }
    assertThat(Utf8.indexOfLineBreak(bytes(0x0B, 0x0C, 0x0E, 0x1D, 0x2D), 0, 5)).isEqualTo(-1);
  }

  private static String decode(int... values) {
    byte[] b = bytes(values);
    return Utf8.decode(b, 0, b.length);
  }
}
