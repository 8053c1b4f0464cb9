package dev.herald.urlpattern;

import java.nio.charset.StandardCharsets;

/** The percent-encode sets of the URL Standard, and UTF-8 percent-encoding with them. */
enum PercentEncodeSet {
  C0_CONTROL(""),
  FRAGMENT(" \"<>`"),
  QUERY(" \"#<>"),
  SPECIAL_QUERY(" \"#<>'"),
  PATH(" \"#<>?^`{}"),
  USERINFO(" \"#<>?^`{}/:;=@[\\]|");

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final String extra;

  PercentEncodeSet(String extra) {
    this.extra = extra;
  }

  boolean contains(int codePoint) {
    return codePoint < 0x20 || codePoint > 0x7E || extra.indexOf(codePoint) >= 0;
  }

  /** Appends {@code codePoint}, UTF-8 percent-encoded if this set contains it, to {@code out}. */
  void append(StringBuilder out, int codePoint) {
    if (!contains(codePoint)) {
      out.appendCodePoint(codePoint);
      return;
    }
    for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
      out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }
  }

  /** UTF-8 percent-encodes every code point of {@code input} that this set contains. */
  String encode(String input) {
    StringBuilder out = new StringBuilder(input.length());
    input.codePoints().forEach(cp -> append(out, cp));
    return out.toString();
  }
}
