package dev.herald.urlpattern;

import static dev.herald.urlpattern.Component.Name.HASH;
import static dev.herald.urlpattern.Component.Name.HOSTNAME;
import static dev.herald.urlpattern.Component.Name.PASSWORD;
import static dev.herald.urlpattern.Component.Name.PATHNAME;
import static dev.herald.urlpattern.Component.Name.PORT;
import static dev.herald.urlpattern.Component.Name.PROTOCOL;
import static dev.herald.urlpattern.Component.Name.SEARCH;
import static dev.herald.urlpattern.Component.Name.USERNAME;

import java.util.EnumMap;
import java.util.Map;

/**
 * "Process a URLPatternInit" of the URL Pattern standard: fills components from the base URL and
 * canonicalizes them (for a URL to match) or escapes them (for a pattern).
 */
final class InitProcessor {
  /** Whether the init describes a pattern or a URL to match. */
  enum Type {
    PATTERN,
    URL
  }

  private final Map<Component.Name, String> init;
  private final Type type;
  private final Map<Component.Name, String> result = new EnumMap<>(Component.Name.class);

  private InitProcessor(Map<Component.Name, String> init, Type type) {
    this.init = init;
    this.type = type;
  }

  /**
   * Processes the components {@code init} and the base URL {@code baseUrl} (may be null).
   *
   * @throws UrlPatternException if the base URL does not parse or, for {@link Type#URL}, a
   *     component does not canonicalize
   */
  static Map<Component.Name, String> process(
      Map<Component.Name, String> init, String baseUrl, Type type) {
    InitProcessor processor = new InitProcessor(init, type);
    if (type == Type.URL) {
      for (Component.Name name : Component.Name.values()) {
        processor.result.put(name, "");
      }
    }
    UrlRecord base = null;
    if (baseUrl != null) {
      base = UrlParser.parse(baseUrl, null);
      if (base == null) {
        throw new UrlPatternException("'" + baseUrl + "' is not a valid base URL", -1);
      }
      processor.inherit(base);
    }
    processor.canonicalize(base);
    return processor.result;
  }

  private boolean hasAny(Component.Name... names) {
    for (Component.Name name : names) {
      if (init.containsKey(name)) {
        return true;
      }
    }
    return false;
  }

  private String fromBase(String value) {
    return type == Type.PATTERN ? PatternStringGenerator.escapePatternString(value) : value;
  }

  private void inherit(UrlRecord base) {
    if (!init.containsKey(PROTOCOL)) {
      result.put(PROTOCOL, fromBase(base.scheme));
    }
    if (type != Type.PATTERN && !hasAny(PROTOCOL, HOSTNAME, PORT, USERNAME)) {
      result.put(USERNAME, fromBase(base.username));
    }
    if (type != Type.PATTERN && !hasAny(PROTOCOL, HOSTNAME, PORT, USERNAME, PASSWORD)) {
      result.put(PASSWORD, fromBase(base.password));
    }
    if (!hasAny(PROTOCOL, HOSTNAME)) {
      result.put(HOSTNAME, fromBase(base.host == null ? "" : base.host));
    }
    if (!hasAny(PROTOCOL, HOSTNAME, PORT)) {
      result.put(PORT, base.portString());
    }
    if (!hasAny(PROTOCOL, HOSTNAME, PORT, PATHNAME)) {
      result.put(PATHNAME, fromBase(base.pathname()));
    }
    if (!hasAny(PROTOCOL, HOSTNAME, PORT, PATHNAME, SEARCH)) {
      result.put(SEARCH, fromBase(base.query == null ? "" : base.query));
    }
    if (!hasAny(PROTOCOL, HOSTNAME, PORT, PATHNAME, SEARCH, HASH)) {
      result.put(HASH, fromBase(base.fragment == null ? "" : base.fragment));
    }
  }

  private boolean isPattern() {
    return type == Type.PATTERN;
  }

  private void canonicalize(UrlRecord base) {
    if (init.containsKey(PROTOCOL)) {
      String value = stripSuffix(init.get(PROTOCOL), ':');
      result.put(PROTOCOL, isPattern() ? value : Canonicalizer.protocol(value));
    }
    if (init.containsKey(USERNAME)) {
      String value = init.get(USERNAME);
      result.put(USERNAME, isPattern() ? value : Canonicalizer.username(value));
    }
    if (init.containsKey(PASSWORD)) {
      String value = init.get(PASSWORD);
      result.put(PASSWORD, isPattern() ? value : Canonicalizer.password(value));
    }
    if (init.containsKey(HOSTNAME)) {
      String value = init.get(HOSTNAME);
      result.put(HOSTNAME, isPattern() ? value : Canonicalizer.hostname(value));
    }
    String protocol = result.getOrDefault(PROTOCOL, "");
    if (init.containsKey(PORT)) {
      String value = init.get(PORT);
      result.put(PORT, isPattern() ? value : Canonicalizer.port(value, protocol));
    }
    if (init.containsKey(PATHNAME)) {
      result.put(PATHNAME, pathname(base, protocol));
    }
    if (init.containsKey(SEARCH)) {
      String value = stripPrefix(init.get(SEARCH), '?');
      result.put(SEARCH, isPattern() ? value : Canonicalizer.search(value));
    }
    if (init.containsKey(HASH)) {
      String value = stripPrefix(init.get(HASH), '#');
      result.put(HASH, isPattern() ? value : Canonicalizer.hash(value));
    }
  }

  private String pathname(UrlRecord base, String protocol) {
    String pathname = init.get(PATHNAME);
    if (base != null && !base.hasOpaquePath() && !isAbsolutePathname(pathname)) {
      String basePath = fromBase(base.pathname());
      int slash = basePath.lastIndexOf('/');
      if (slash >= 0) {
        pathname = basePath.substring(0, slash + 1) + pathname;
      }
    }
    if (isPattern()) {
      return pathname;
    }
    if (protocol.isEmpty() || UrlRecord.isSpecialScheme(protocol)) {
      return Canonicalizer.pathname(pathname);
    }
    return Canonicalizer.opaquePathname(pathname);
  }

  private boolean isAbsolutePathname(String input) {
    if (input.isEmpty()) {
      return false;
    }
    if (input.charAt(0) == '/') {
      return true;
    }
    if (type == Type.URL || input.length() < 2) {
      return false;
    }
    return (input.charAt(0) == '\\' || input.charAt(0) == '{') && input.charAt(1) == '/';
  }

  private static String stripSuffix(String value, char c) {
    return value.endsWith(String.valueOf(c)) ? value.substring(0, value.length() - 1) : value;
  }

  private static String stripPrefix(String value, char c) {
    return value.startsWith(String.valueOf(c)) ? value.substring(1) : value;
  }
}
