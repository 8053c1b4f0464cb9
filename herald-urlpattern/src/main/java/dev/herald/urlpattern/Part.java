package dev.herald.urlpattern;

/**
 * One piece of a parsed pattern string: fixed text, or one matching group with its fixed prefix and
 * suffix and a modifier.
 *
 * @param type what the part matches
 * @param value the fixed text (encoded) or, for {@link Type#REGEXP}, the regular expression
 * @param modifier how often the part may occur
 * @param name the group name (a number for unnamed groups); empty for fixed text
 * @param prefix the encoded fixed text before the group
 * @param suffix the encoded fixed text after the group
 */
record Part(Type type, String value, Modifier modifier, String name, String prefix, String suffix) {

  /** The part types of the URL Pattern standard. */
  enum Type {
    FIXED_TEXT,
    REGEXP,
    SEGMENT_WILDCARD,
    FULL_WILDCARD
  }

  /** The modifiers, with their pattern syntax. */
  enum Modifier {
    NONE(""),
    OPTIONAL("?"),
    ZERO_OR_MORE("*"),
    ONE_OR_MORE("+");

    private final String syntax;

    Modifier(String syntax) {
      this.syntax = syntax;
    }

    /** The modifier as written in pattern strings and regular expressions. */
    String syntax() {
      return syntax;
    }
  }

  static Part fixed(String value, Modifier modifier) {
    return new Part(Type.FIXED_TEXT, value, modifier, "", "", "");
  }
}
