package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AsciiScanTest {
  @Test
  void lineEndFindsTheFirstCrOrLfAtEveryPositionOfAWordAndOfTheTail() {
    for (int len = 0; len < 40; len++) {
      for (int at = 0; at <= len; at++) {
        for (byte end : new byte[] {'\n', '\r'}) {
          byte[] a = new byte[len + 1];
          java.util.Arrays.fill(a, (byte) 'x'); // the padding the scan skips a word at a time
          if (at < len) {
            a[at] = end;
            if (at + 1 < len) {
              a[at + 1] = end == '\n' ? (byte) '\r' : (byte) '\n'; // a later end is not taken
            }
          }
          assertThat(AsciiScan.lineEnd(a, 0, len)).as("len %d at %d", len, at).isEqualTo(at);
        }
      }
    }
  }

  @Test
  void lineEndReadsOnlyItsRangeAndAnyBytes() {
    byte[] a = bytes("ab\u00ff\u0080cd\nxx");
    assertThat(AsciiScan.lineEnd(a, 0, a.length)).isEqualTo(6);
    assertThat(AsciiScan.lineEnd(a, 0, 5)).isEqualTo(5); // the LF is past the range
    assertThat(AsciiScan.lineEnd(a, 7, a.length)).isEqualTo(a.length);
    Random random = new Random(42);
    for (int round = 0; round < 10_000; round++) {
      byte[] r = new byte[random.nextInt(50)];
      random.nextBytes(r);
      int from = r.length == 0 ? 0 : random.nextInt(r.length);
      int expected = from;
      while (expected < r.length && r[expected] != '\n' && r[expected] != '\r') {
        expected++;
      }
      assertThat(AsciiScan.lineEnd(r, from, r.length)).isEqualTo(expected);
    }
  }

  @Test
  void digitsEndStopsAtTheFirstNonDigitWhateverItIs() {
    // the bytes either side of '0'..'9', and bytes whose +6 carries into the next byte
    for (int other : new int[] {'/', ':', ' ', '?', 'x', 0, 0x7f, 0x80, 0xfa, 0xff}) {
      for (int digits = 0; digits < 20; digits++) {
        byte[] a = new byte[digits + 9];
        for (int k = 0; k < a.length; k++) {
          a[k] = (byte) ('0' + k % 10);
        }
        a[digits] = (byte) other;
        assertThat(AsciiScan.digitsEnd(a, 0, a.length))
            .as("%d digits then 0x%x", digits, other)
            .isEqualTo(digits);
      }
    }
    byte[] all = bytes("12345678901");
    assertThat(AsciiScan.digitsEnd(all, 0, all.length)).isEqualTo(all.length);
    assertThat(AsciiScan.digitsEnd(all, 3, 6)).isEqualTo(6);
  }

  @Test
  void valueReadsUpToEighteenDigitsAsLongParseLongDoes() {
    Random random = new Random(7);
    for (int n = 1; n <= AsciiScan.MAX_DIGITS; n++) {
      for (int round = 0; round < 200; round++) {
        StringBuilder s = new StringBuilder("t=");
        for (int k = 0; k < n; k++) {
          s.append((char) ('0' + random.nextInt(10)));
        }
        s.append(" s=1");
        byte[] a = bytes(s.toString());
        assertThat(AsciiScan.value(a, 2, n)).isEqualTo(Long.parseLong(s.substring(2, 2 + n)));
      }
    }
    assertThat(AsciiScan.value(bytes("999999999999999999"), 0, 18))
        .isEqualTo(999_999_999_999_999_999L);
    assertThat(AsciiScan.value(bytes("000000000000000001"), 0, 18)).isEqualTo(1);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
