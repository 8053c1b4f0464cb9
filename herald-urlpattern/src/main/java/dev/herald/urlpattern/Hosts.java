package dev.herald.urlpattern;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The URL Standard's host parser and host serializer. A host is kept in its serialized form: a
 * domain, an IPv4 address in dotted decimal, an IPv6 address in brackets, an opaque host, or the
 * empty host.
 */
final class Hosts {
  private static final String FORBIDDEN_HOST_CODE_POINTS = "\u0000\t\n\r #/:<>?@[\\]^|";

  private Hosts() {}

  static boolean isForbiddenHostCodePoint(int c) {
    return FORBIDDEN_HOST_CODE_POINTS.indexOf(c) >= 0;
  }

  /** Parses {@code input} and returns the serialized host, or null for failure. */
  static String parse(String input, boolean isOpaque) {
    if (input.startsWith("[")) {
      if (!input.endsWith("]") || input.length() < 2) {
        return null;
      }
      int[] address = parseIpv6(input.substring(1, input.length() - 1));
      return address == null ? null : "[" + serializeIpv6(address) + "]";
    }
    if (isOpaque) {
      return parseOpaque(input);
    }
    String domain = percentDecodeToString(input);
    if (domain.indexOf('\uFFFD') >= 0) {
      return null;
    }
    String ascii = Idna.domainToAscii(domain);
    if (ascii == null) {
      return null;
    }
    if (endsInANumber(ascii)) {
      long ipv4 = parseIpv4(ascii);
      return ipv4 < 0 ? null : serializeIpv4(ipv4);
    }
    return ascii;
  }

  private static String parseOpaque(String input) {
    for (int i = 0; i < input.length(); i++) {
      if (isForbiddenHostCodePoint(input.charAt(i))) {
        return null;
      }
    }
    return PercentEncodeSet.C0_CONTROL.encode(input);
  }

  static String percentDecodeToString(String input) {
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
    for (int i = 0; i < bytes.length; i++) {
      int hi = i + 2 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
      int lo = i + 2 < bytes.length ? Character.digit(bytes[i + 2], 16) : -1;
      if (bytes[i] == '%' && hi >= 0 && lo >= 0) {
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean endsInANumber(String input) {
    String[] parts = input.split("\\.", -1);
    int last = parts.length - 1;
    if (parts[last].isEmpty()) {
      if (last == 0) {
        return false;
      }
      last--;
    }
    String part = parts[last];
    if (!part.isEmpty() && part.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return true;
    }
    return parseIpv4Number(part) >= 0;
  }

  /** Returns the address, or -1 for failure. */
  private static long parseIpv4(String input) {
    String[] parts = input.split("\\.", -1);
    int count = parts.length;
    if (parts[count - 1].isEmpty() && count > 1) {
      count--;
    }
    if (count > 4) {
      return -1;
    }
    long[] numbers = new long[count];
    for (int i = 0; i < count; i++) {
      numbers[i] = parseIpv4Number(parts[i]);
      if (numbers[i] < 0) {
        return -1;
      }
    }
    for (int i = 0; i < count - 1; i++) {
      if (numbers[i] > 255) {
        return -1;
      }
    }
    if (numbers[count - 1] >= 1L << (8 * (5 - count))) {
      return -1;
    }
    long ipv4 = numbers[count - 1];
    for (int i = 0; i < count - 1; i++) {
      ipv4 += numbers[i] << (8 * (3 - i));
    }
    return ipv4;
  }

  /** Returns the number, or -1 for failure; numbers too large for any address give 2^32. */
  private static long parseIpv4Number(String input) {
    if (input.isEmpty()) {
      return -1;
    }
    int radix = 10;
    String digits = input;
    if (digits.length() >= 2 && (digits.startsWith("0x") || digits.startsWith("0X"))) {
      radix = 16;
      digits = digits.substring(2);
    } else if (digits.length() >= 2 && digits.charAt(0) == '0') {
      radix = 8;
      digits = digits.substring(1);
    }
    if (digits.isEmpty()) {
      return 0;
    }
    long value = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = Character.digit(digits.charAt(i), radix);
      if (d < 0 || digits.charAt(i) >= 0x80) {
        return -1;
      }
      value = Math.min(value * radix + d, 1L << 32);
    }
    return value;
  }

  private static String serializeIpv4(long address) {
    return (address >> 24 & 0xFF)
        + "."
        + (address >> 16 & 0xFF)
        + "."
        + (address >> 8 & 0xFF)
        + "."
        + (address & 0xFF);
  }

  /** Returns the eight pieces, or null for failure. */
  static int[] parseIpv6(String input) {
    return new Ipv6Parser(input).parse();
  }

  static String serializeIpv6(int[] address) {
    int compress = longestZeroRun(address);
    StringBuilder out = new StringBuilder();
    boolean ignoreZero = false;
    for (int i = 0; i < 8; i++) {
      if (ignoreZero && address[i] == 0) {
        continue;
      }
      ignoreZero = false;
      if (compress == i) {
        out.append(i == 0 ? "::" : ":");
        ignoreZero = true;
        continue;
      }
      out.append(Integer.toHexString(address[i]));
      if (i != 7) {
        out.append(':');
      }
    }
    return out.toString();
  }

  private static int longestZeroRun(int[] address) {
    int longestIndex = -1;
    int longestSize = 1;
    int foundIndex = -1;
    int foundSize = 0;
    for (int i = 0; i < 8; i++) {
      if (address[i] != 0) {
        if (foundSize > longestSize) {
          longestIndex = foundIndex;
          longestSize = foundSize;
        }
        foundIndex = -1;
        foundSize = 0;
      } else {
        if (foundIndex < 0) {
          foundIndex = i;
        }
        foundSize++;
      }
    }
    return foundSize > longestSize ? foundIndex : longestIndex;
  }

  /** The IPv6 parser, a small state machine over the code points of its input. */
  private static final class Ipv6Parser {
    private final int[] input;
    private final int[] address = new int[8];
    private int pointer;
    private int pieceIndex;
    private int compress = -1;

    Ipv6Parser(String input) {
      this.input = input.codePoints().toArray();
    }

    private int c() {
      return pointer < input.length ? input[pointer] : -1;
    }

    private int remaining(int offset) {
      return pointer + offset < input.length ? input[pointer + offset] : -1;
    }

    int[] parse() {
      if (c() == ':') {
        if (remaining(1) != ':') {
          return null;
        }
        pointer += 2;
        compress = ++pieceIndex;
      }
      while (c() != -1) {
        if (pieceIndex == 8) {
          return null;
        }
        if (c() == ':') {
          if (compress != -1) {
            return null;
          }
          pointer++;
          compress = ++pieceIndex;
          continue;
        }
        int value = 0;
        int length = 0;
        while (length < 4 && Character.digit(c(), 16) >= 0 && c() < 0x80) {
          value = value * 0x10 + Character.digit(c(), 16);
          pointer++;
          length++;
        }
        if (c() == '.') {
          if (length == 0) {
            return null;
          }
          pointer -= length;
          return parseIpv4Tail() ? finish() : null;
        } else if (c() == ':') {
          pointer++;
          if (c() == -1) {
            return null;
          }
        } else if (c() != -1) {
          return null;
        }
        address[pieceIndex++] = value;
      }
      return finish();
    }

    private boolean parseIpv4Tail() {
      if (pieceIndex > 6) {
        return false;
      }
      int numbersSeen = 0;
      while (c() != -1) {
        int piece = -1;
        if (numbersSeen > 0) {
          if (c() == '.' && numbersSeen < 4) {
            pointer++;
          } else {
            return false;
          }
        }
        if (c() < '0' || c() > '9') {
          return false;
        }
        while (c() >= '0' && c() <= '9') {
          int number = c() - '0';
          if (piece == -1) {
            piece = number;
          } else if (piece == 0) {
            return false;
          } else {
            piece = piece * 10 + number;
          }
          if (piece > 255) {
            return false;
          }
          pointer++;
        }
        address[pieceIndex] = address[pieceIndex] * 0x100 + piece;
        numbersSeen++;
        if (numbersSeen == 2 || numbersSeen == 4) {
          pieceIndex++;
        }
      }
      return numbersSeen == 4;
    }

    private int[] finish() {
      if (compress != -1) {
        int swaps = pieceIndex - compress;
        pieceIndex = 7;
        while (pieceIndex != 0 && swaps > 0) {
          int tmp = address[pieceIndex];
          address[pieceIndex] = address[compress + swaps - 1];
          address[compress + swaps - 1] = tmp;
          pieceIndex--;
          swaps--;
        }
        return address;
      }
      return pieceIndex == 8 ? address : null;
    }
  }
}
