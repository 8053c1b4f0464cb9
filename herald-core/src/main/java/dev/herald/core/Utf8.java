package dev.herald.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 exactly as the WHATWG Encoding standard defines it, plus the byte scans the parser needs.
 *
 * <p>The JDK's decoder replaces an encoded surrogate ({@code ED A0 80}) with one U+FFFD where the
 * Encoding standard's decoder emits three, so non-ASCII input goes through the standard's algorithm
 * here; ASCII, the common case, takes the JDK's fast path.
 */
final class Utf8 {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
  private static final long CRS = 0x0D0D0D0D0D0D0D0DL;
  private static final char REPLACEMENT = '\uFFFD';

  private Utf8() {}

  /** Decodes {@code b[from, to)} with the Encoding standard's "UTF-8 decode without BOM". */
  static String decode(byte[] b, int from, int to) {
    if (isAscii(b, from, to)) {
      return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
    return decodeSlow(b, from, to);
  }

  private static String decodeSlow(byte[] b, int from, int to) {
    char[] out = new char[to - from];
    int n = 0;
    int codePoint = 0;
    int needed = 0;
    int seen = 0;
    int lower = 0x80;
    int upper = 0xBF;
    int i = from;
    while (i < to) {
      int x = b[i] & 0xFF;
      if (needed == 0) {
        i++;
        if (x < 0x80) {
          out[n++] = (char) x;
        } else if (x >= 0xC2 && x <= 0xDF) {
          needed = 1;
          codePoint = x & 0x1F;
        } else if (x >= 0xE0 && x <= 0xEF) {
          lower = x == 0xE0 ? 0xA0 : 0x80;
          upper = x == 0xED ? 0x9F : 0xBF;
          needed = 2;
          codePoint = x & 0x0F;
        } else if (x >= 0xF0 && x <= 0xF4) {
          lower = x == 0xF0 ? 0x90 : 0x80;
          upper = x == 0xF4 ? 0x8F : 0xBF;
          needed = 3;
          codePoint = x & 0x07;
        } else {
          out[n++] = REPLACEMENT;
        }
      } else if (x < lower || x > upper) {
        // The byte is not consumed: it starts over as a new sequence.
        needed = 0;
        seen = 0;
        lower = 0x80;
        upper = 0xBF;
        out[n++] = REPLACEMENT;
      } else {
        i++;
        lower = 0x80;
        upper = 0xBF;
        codePoint = (codePoint << 6) | (x & 0x3F);
        if (++seen == needed) {
          n += Character.toChars(codePoint, out, n);
          needed = 0;
          seen = 0;
        }
      }
    }
    if (needed != 0) {
      out[n++] = REPLACEMENT;
    }
    return new String(out, 0, n);
  }

  /** Whether {@code b[from, to)} holds only ASCII bytes. */
  static boolean isAscii(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      if (((long) LONGS.get(b, i) & HIGHS) != 0) {
        return false;
      }
    }
    for (; i < to; i++) {
      if (b[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /** The index of the first CR or LF in {@code b[from, to)}, or -1; eight bytes at a time. */
  static int indexOfLineBreak(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long w = (long) LONGS.get(b, i);
      long found = zeroBytes(w ^ LFS) | zeroBytes(w ^ CRS);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == '\n' || b[i] == '\r') {
        return i;
      }
    }
    return -1;
  }

  /** High bit set in the lowest byte of {@code v} that is zero (higher ones may be false hits). */
  private static long zeroBytes(long v) {
    return (v - ONES) & ~v & HIGHS;
  }

  /**
   * The number of bytes {@link #encode} writes for {@code s[from, to)}: the Encoding standard's
   * "UTF-8 encode", in which a lone surrogate becomes U+FFFD (three bytes).
   */
  static int encodedLength(String s, int from, int to) {
    int n = to - from;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          n += 1;
        } else if (Character.isHighSurrogate(c)
            && i + 1 < to
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          n += 2; // four bytes for two chars
          i++;
        } else {
          n += 2;
        }
      }
    }
    return n;
  }

  /** Writes {@code s[from, to)} as UTF-8 at {@code dst[pos]}; returns the position after it. */
  static int encode(String s, int from, int to, byte[] dst, int pos) {
    int i = from;
    while (i < to) {
      char c = s.charAt(i++);
      if (c < 0x80) {
        dst[pos++] = (byte) c;
      } else if (c < 0x800) {
        dst[pos++] = (byte) (0xC0 | (c >>> 6));
        dst[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i < to && Character.isLowSurrogate(s.charAt(i))) {
          int cp = Character.toCodePoint(c, s.charAt(i++));
          dst[pos++] = (byte) (0xF0 | (cp >>> 18));
          dst[pos++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
          dst[pos++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
          dst[pos++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          pos = encode3(REPLACEMENT, dst, pos);
        }
      } else {
        pos = encode3(c, dst, pos);
      }
    }
    return pos;
  }

  private static int encode3(char c, byte[] dst, int pos) {
    dst[pos] = (byte) (0xE0 | (c >>> 12));
    dst[pos + 1] = (byte) (0x80 | ((c >>> 6) & 0x3F));
    dst[pos + 2] = (byte) (0x80 | (c & 0x3F));
    return pos + 3;
  }
}
