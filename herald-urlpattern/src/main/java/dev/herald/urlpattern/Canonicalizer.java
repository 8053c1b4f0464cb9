package dev.herald.urlpattern;

/**
 * The URL Pattern standard's encoding callbacks: each canonicalizes one component the way the URL
 * parser would, or throws {@link UrlPatternException} where the URL parser fails.
 */
final class Canonicalizer {
  private Canonicalizer() {}

  static String protocol(String value) {
    if (value.isEmpty()) {
      return value;
    }
    UrlRecord url = UrlParser.parse(value + "://dummy.invalid/", null);
    if (url == null) {
      throw new UrlPatternException("'" + value + "' is not a valid scheme", -1);
    }
    return url.scheme;
  }

  static String username(String value) {
    return PercentEncodeSet.USERINFO.encode(value);
  }

  static String password(String value) {
    return PercentEncodeSet.USERINFO.encode(value);
  }

  /**
   * Canonicalizes a hostname. Unlike the standard's text, which lets the URL parser stop at the
   * first {@code /}, {@code ?}, {@code #} or {@code \} and keeps what came before, a value with a
   * forbidden host code point is rejected (as WebKit does and WPT expects): a hostname pattern such
   * as {@code example.com/x} must not silently become {@code example.com}. Tabs and newlines are
   * still removed, as everywhere in the URL parser.
   */
  static String hostname(String value) {
    if (value.isEmpty()) {
      return value;
    }
    String stripped = value.replace("\t", "").replace("\n", "").replace("\r", "");
    int end = stripped.startsWith("[") ? stripped.indexOf(']') + 1 : 0;
    for (int i = end; i < stripped.length(); i++) {
      char c = stripped.charAt(i);
      if (Hosts.isForbiddenHostCodePoint(c)) {
        throw new UrlPatternException(
            "'" + value + "' is not a valid hostname: it contains " + describe(c), -1);
      }
    }
    UrlRecord url = UrlRecord.dummy();
    if (!UrlParser.parseInto(value, url, UrlParser.State.HOSTNAME)) {
      throw new UrlPatternException("'" + value + "' is not a valid hostname", -1);
    }
    return url.host == null ? "" : url.host;
  }

  private static String describe(char c) {
    return c > 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  static String ipv6Hostname(String value) {
    StringBuilder result = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed =
          c < 0x80 && (Character.digit(c, 16) >= 0 || c == '[' || c == ']' || c == ':');
      if (!allowed) {
        throw new UrlPatternException("'" + value + "' is not a valid IPv6 hostname", -1);
      }
      result.append(Character.toLowerCase(c));
    }
    return result.toString();
  }

  /** Canonicalizes a port; {@code protocol} (may be null) decides which port is the default. */
  static String port(String value, String protocol) {
    if (value.isEmpty()) {
      return value;
    }
    UrlRecord url = UrlRecord.dummy();
    if (protocol != null) {
      url.scheme = protocol;
    }
    if (!UrlParser.parseInto(value, url, UrlParser.State.PORT)) {
      throw new UrlPatternException("'" + value + "' is not a valid port", -1);
    }
    return url.portString();
  }

  static String pathname(String value) {
    if (value.isEmpty()) {
      return value;
    }
    boolean leadingSlash = value.charAt(0) == '/';
    String modified = leadingSlash ? value : "/-" + value;
    UrlRecord url = UrlRecord.dummy();
    url.path.clear();
    UrlParser.parseInto(modified, url, UrlParser.State.PATH_START);
    String result = url.pathname();
    if (leadingSlash) {
      return result;
    }
    // The standard cuts the two code points of "/-" off again; when a ".." segment has eaten the
    // "-" (as in "-/.."), nothing of the value is left.
    return result.startsWith("/-") ? result.substring(2) : "";
  }

  static String opaquePathname(String value) {
    if (value.isEmpty()) {
      return value;
    }
    UrlRecord url = UrlRecord.dummy();
    url.opaquePath = "";
    if (!UrlParser.parseInto(value, url, UrlParser.State.OPAQUE_PATH)) {
      throw new UrlPatternException("'" + value + "' is not a valid opaque path", -1);
    }
    return url.pathname();
  }

  static String search(String value) {
    if (value.isEmpty()) {
      return value;
    }
    UrlRecord url = UrlRecord.dummy();
    url.query = "";
    UrlParser.parseInto(value, url, UrlParser.State.QUERY);
    return url.query;
  }

  static String hash(String value) {
    if (value.isEmpty()) {
      return value;
    }
    UrlRecord url = UrlRecord.dummy();
    url.fragment = "";
    UrlParser.parseInto(value, url, UrlParser.State.FRAGMENT);
    return url.fragment;
  }
}
