package dev.herald.hub.mercure;

/**
 * The character rules Mercure sets for topics, matchers, IDs and types: no C0 or C1 control, no
 * DEL, no Unicode format character (general category Cf), and well-formed (no lone surrogate).
 *
 * @since 0.1
 */
public final class Topics {
  private Topics() {}

  /**
   * Why {@code value} is not allowed as a topic (for example {@code "contains U+0000 at index 3"}),
   * or {@code null} if it is.
   */
  public static String invalidCharacter(String value) {
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || Character.getType(cp) == Character.FORMAT) {
        return String.format("contains U+%04X at index %d", cp, i);
      }
      if (Character.isSurrogate((char) cp)) {
        return "contains a lone surrogate at index " + i;
      }
      i += Character.charCount(cp);
    }
    return null;
  }
}
