package dev.herald.bench.load;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Scans ASCII bytes eight at a time, each {@code long} read from the array holding eight of them
 * (byte {@code i} in its lowest byte): where a line ends, where a run of decimal digits ends, and
 * the value of up to 18 digits. Byte by byte, finding line ends and reading digits was two thirds
 * of the generator's reading of an event, and its reading was the limit of what it could count at
 * saturation.
 *
 * <p>herald-core's parser scans for line breaks the same way; the generator keeps a scan of its own
 * so that it never reads the streams it checks with the code of the server under test.
 *
 * <p>The tests per word flag the bytes that match in each byte's high bit; a flag can be wrong only
 * above a byte that truly matches, so the lowest flag is always right, and only the lowest is used.
 */
final class AsciiScan {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
  private static final long CRS = 0x0D0D0D0D0D0D0D0DL;
  private static final long HIGH_NIBBLES = 0xF0F0F0F0F0F0F0F0L;
  private static final long ZEROS = 0x3030303030303030L; // eight '0'
  private static final long SIXES = 0x0606060606060606L;
  private static final long PADDING = 0x7878787878787878L; // eight 'x', as Payload pads

  /** The most digits {@link #value} reads: 18 always fit in a {@code long}. */
  static final int MAX_DIGITS = 18;

  private AsciiScan() {}

  /** The index of the first CR or LF in {@code a[i..to)}, or {@code to}. */
  static int lineEnd(byte[] a, int i, int to) {
    while (i + 8 <= to) {
      long w = (long) LONGS.get(a, i);
      if (w == PADDING) {
        i += 8; // the generator's own padding: one comparison for eight bytes
        continue;
      }
      long found = zeroBytes(w ^ LFS) | zeroBytes(w ^ CRS);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
      i += 8;
    }
    while (i < to && a[i] != '\n' && a[i] != '\r') {
      i++;
    }
    return i;
  }

  /** The index of the first byte of {@code a[i..to)} that is not a decimal digit, or {@code to}. */
  static int digitsEnd(byte[] a, int i, int to) {
    while (i + 8 <= to) {
      long found = nonDigits((long) LONGS.get(a, i));
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
      i += 8;
    }
    while (i < to && a[i] >= '0' && a[i] <= '9') {
      i++;
    }
    return i;
  }

  /** The value of the {@code n} decimal digits at {@code a[i..i+n)}, {@code n <= MAX_DIGITS}. */
  static long value(byte[] a, int i, int n) {
    long v = 0;
    for (; n >= 8; n -= 8, i += 8) {
      v = v * 100_000_000L + eightDigits((long) LONGS.get(a, i));
    }
    for (; n > 0; n--) {
      v = v * 10 + (a[i++] - '0');
    }
    return v;
  }

  /**
   * The value of eight digits, the first the most significant: pairs, then fours, then all eight
   * are combined, each step a multiply and a shift over every lane at once.
   */
  private static long eightDigits(long w) {
    w -= ZEROS; // each byte 0..9
    w = (w * 10 + (w >>> 8)) & 0x00FF00FF00FF00FFL; // four 16-bit lanes of two digits
    w = (w * 100 + (w >>> 16)) & 0x0000FFFF0000FFFFL; // two 32-bit lanes of four digits
    return (w * 10_000 + (w >>> 32)) & 0xFFFFFFFFL;
  }

  /** The high bit of each zero byte of {@code x} (and perhaps of bytes above the lowest one). */
  private static long zeroBytes(long x) {
    return (x - ONES) & ~x & HIGHS;
  }

  /**
   * The high bit of each byte of {@code w} that is not '0'..'9' (exact up to the lowest: adding 6
   * carries out of a byte only above '9'): a digit's high nibble is 3, and stays 3 when 6 is added.
   */
  private static long nonDigits(long w) {
    long off = ((w & HIGH_NIBBLES) ^ ZEROS) | (((w + SIXES) & HIGH_NIBBLES) ^ ZEROS);
    return (((off & ~HIGHS) + ~HIGHS) | off) & HIGHS; // the high bit of each byte not zero
  }
}
