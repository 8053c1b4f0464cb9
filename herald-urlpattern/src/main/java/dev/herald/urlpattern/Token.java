package dev.herald.urlpattern;

/**
 * A lexical token of a pattern string.
 *
 * @param type what the token is
 * @param index the code point index of its first code point in the pattern string
 * @param value the code points it stands for (a name without its colon, a regexp without its
 *     parentheses, an escaped character without its backslash)
 */
record Token(Type type, int index, String value) {

  /** The token types of the URL Pattern standard. */
  enum Type {
    OPEN,
    CLOSE,
    REGEXP,
    NAME,
    CHAR,
    ESCAPED_CHAR,
    OTHER_MODIFIER,
    ASTERISK,
    END,
    INVALID_CHAR
  }
}
