package dev.herald.hub;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code application/x-www-form-urlencoded} parser of the URL Standard, strict about UTF-8: a
 * name or value whose percent-decoded bytes are not valid UTF-8 is an error, not U+FFFD, since
 * Mercure requires topics, matchers and fields to be valid UTF-8.
 */
final class FormData {
  private FormData() {}

  /**
   * The name/value pairs of {@code input} (a query component without {@code ?}, or a request body
   * as Latin-1-free ASCII/UTF-8 text), in order.
   *
   * @throws IllegalArgumentException if a name or value is not valid UTF-8
   */
  static List<Map.Entry<String, String>> parse(byte[] input) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= input.length; i++) {
      if (i == input.length || input[i] == '&') {
        if (i > start) {
          int eq = start;
          while (eq < i && input[eq] != '=') {
            eq++;
          }
          String name = decode(input, start, eq, true);
          String value = eq < i ? decode(input, eq + 1, i, true) : "";
          pairs.add(Map.entry(name, value));
        }
        start = i + 1;
      }
    }
    return pairs;
  }

  /** Parses a query component, given as the request target's text after {@code ?}. */
  static List<Map.Entry<String, String>> parseQuery(String query) {
    return parse(latin1(query));
  }

  /**
   * Percent-decodes a URL path segment (as the request line carries it) as UTF-8; {@code +} stays a
   * plus.
   *
   * @throws IllegalArgumentException if it is not ASCII or not valid UTF-8 once decoded
   */
  static String percentDecode(String segment) {
    byte[] bytes = latin1(segment);
    return decode(bytes, 0, bytes.length, false);
  }

  private static byte[] latin1(String text) {
    byte[] bytes = new byte[text.length()];
    for (int i = 0; i < bytes.length; i++) {
      char c = text.charAt(i);
      if (c > 0xFF) {
        throw new IllegalArgumentException("not ASCII at index " + i);
      }
      bytes[i] = (byte) c; // the request line reaches us one char per byte
    }
    return bytes;
  }

  private static String decode(byte[] in, int from, int to, boolean plusIsSpace) {
    byte[] out = new byte[to - from];
    int n = 0;
    boolean ascii = true;
    for (int i = from; i < to; i++) {
      byte b = in[i];
      if (b == '+' && plusIsSpace) {
        b = ' ';
      } else if (b == '%' && i + 2 < to && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
        b = (byte) (hex(in[i + 1]) << 4 | hex(in[i + 2]));
        i += 2;
      }
      ascii &= b >= 0;
      out[n++] = b;
    }
    if (ascii) {
      return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out, 0, n))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("not valid UTF-8", e);
    }
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }
}
