package dev.herald.urlpattern;

/**
 * The options of one component's pattern: its segment delimiter and automatic prefix (each one
 * ASCII code point, or empty), and whether it matches case-insensitively.
 */
record ComponentOptions(String delimiter, String prefix, boolean ignoreCase) {
  static final ComponentOptions DEFAULT = new ComponentOptions("", "", false);
  static final ComponentOptions HOSTNAME = new ComponentOptions(".", "", false);
  static final ComponentOptions PATHNAME = new ComponentOptions("/", "/", false);

  ComponentOptions withIgnoreCase(boolean value) {
    return new ComponentOptions(delimiter, prefix, value);
  }
}
