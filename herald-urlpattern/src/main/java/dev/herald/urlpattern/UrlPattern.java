package dev.herald.urlpattern;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A compiled WHATWG URL Pattern (<a href="https://urlpattern.spec.whatwg.org/">URL Pattern
 * Standard</a>), the Java counterpart of JavaScript's {@code URLPattern}: a pattern for each of the
 * eight components of a URL, matched with re2j, so that matching takes time linear in the input
 * whatever the pattern.
 *
 * <pre>{@code
 * UrlPattern books = UrlPattern.compile("https://example.com/books/:id(\\d+)");
 * books.test("https://example.com/books/42");                       // true
 * books.exec("https://example.com/books/42").orElseThrow()
 *     .pathname().group("id");                                      // "42"
 *
 * UrlPattern any = UrlPattern.compile(UrlPattern.Init.builder().pathname("/books/*").build());
 * any.test("https://other.example/books/a/b");                      // true: other components are "*"
 * }</pre>
 *
 * <p>Patterns follow the standard: named groups ({@code :id}), regexp groups ({@code (\d+)}),
 * wildcards ({@code *}), groupings ({@code {...}}) and the modifiers {@code ?}, {@code *} and
 * {@code +}. A regexp group is JavaScript syntax with the {@code v} flag, translated for re2j; what
 * re2j cannot do in linear time (lookaround, backreferences) is rejected when compiling. The
 * deviations from the standard and from JavaScript are listed in the README of herald-urlpattern.
 *
 * <p>An invalid pattern fails to compile with {@link UrlPatternException}; a pattern longer than
 * {@link #MAX_PATTERN_LENGTH}, or a component that would compile to more than {@link
 * #MAX_PROGRAM_SIZE} instructions or spell out more than {@link #MAX_CLASS_RANGES} class ranges,
 * with its subclass {@link UrlPatternLimitExceededException}. {@code test} and {@code exec} never
 * throw it: a string that is not a URL does not match.
 *
 * <p>Instances are immutable and thread-safe: compile a pattern once and match with it from any
 * number of threads.
 *
 * @since 0.1
 */
public final class UrlPattern {
  /**
   * The most characters (UTF-16 code units) a pattern may have, {@value}: all the strings given to
   * {@code compile} (pattern, base URL, init members) together. It is the Mercure protocol's limit
   * for a subscription's {@code match_urlpattern}.
   */
  public static final int MAX_PATTERN_LENGTH = 4096;

  /**
   * The most instructions one component's compiled re2j program may have, {@value}. re2j matches
   * with an NFA that may visit every instruction for every character, so a component costs at most
   * this many steps per character of its input, and a whole pattern at most this many per character
   * of the URL it is tested against (each character belongs to one component). Patterns written by
   * hand stay far below it ({@code /books/:id} is 15 instructions, eight named segments 44, a UUID
   * regexp group 49); the README of herald-urlpattern has the measurement behind the value.
   */
  public static final int MAX_PROGRAM_SIZE = 128;

  /**
   * Programs estimated larger than this are refused before re2j builds them, so that a pattern such
   * as {@code (?:a{1000}){1000}} costs nothing to refuse; smaller ones are built and their exact
   * size checked against {@link #MAX_PROGRAM_SIZE}.
   */
  static final long MAX_ESTIMATED_PROGRAM_SIZE = 20_000;

  /**
   * The most character class ranges one component may spell out, {@value}. A class that uses a set
   * operation ({@code [\p{L}--[a-z]]}) or a property re2j has no table for is written out as
   * ranges, which re2j parses slowly (a class as large as {@code \p{L}} takes milliseconds); this
   * bounds the time and memory of compiling a pattern. Plain properties such as {@code \p{L}} cost
   * nothing here.
   */
  public static final int MAX_CLASS_RANGES = 2_000;

  private final Map<Component.Name, Component> components;
  private final Options options;

  private UrlPattern(Map<Component.Name, Component> components, Options options) {
    this.components = components;
    this.options = options;
  }

  /**
   * Compiles a constructor string such as {@code https://*.example.com/books/:id}. Without a base
   * URL the pattern must start with a protocol.
   *
   * @throws UrlPatternException if the pattern is invalid
   */
  public static UrlPattern compile(String pattern) {
    return compile(pattern, null, Options.DEFAULT);
  }

  /**
   * Compiles a constructor string, relative to {@code baseUrl} (may be null).
   *
   * @throws UrlPatternException if the pattern or the base URL is invalid
   */
  public static UrlPattern compile(String pattern, String baseUrl) {
    return compile(pattern, baseUrl, Options.DEFAULT);
  }

  /**
   * Compiles a constructor string with {@code options}.
   *
   * @throws UrlPatternException if the pattern is invalid
   */
  public static UrlPattern compile(String pattern, Options options) {
    return compile(pattern, null, options);
  }

  /**
   * Compiles a constructor string, relative to {@code baseUrl} (may be null), with {@code options}.
   *
   * @throws UrlPatternException if the pattern or the base URL is invalid
   */
  public static UrlPattern compile(String pattern, String baseUrl, Options options) {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(options, "options");
    checkLength(pattern.length() + (baseUrl == null ? 0 : baseUrl.length()));
    String base = baseUrl == null ? null : Init.scalarValues(baseUrl);
    Map<Component.Name, String> init = ConstructorStringParser.parse(Init.scalarValues(pattern));
    if (base == null && !init.containsKey(Component.Name.PROTOCOL)) {
      throw new UrlPatternException(
          "a relative pattern needs a base URL (or start the pattern with a protocol)", -1);
    }
    return create(init, base, options);
  }

  /**
   * Compiles a pattern given component by component; components it leaves out match anything
   * (unless its base URL supplies them).
   *
   * @throws UrlPatternException if a component or the base URL is invalid
   */
  public static UrlPattern compile(Init init) {
    return compile(init, Options.DEFAULT);
  }

  /**
   * Compiles a pattern given component by component, with {@code options}.
   *
   * @throws UrlPatternException if a component or the base URL is invalid
   */
  public static UrlPattern compile(Init init, Options options) {
    Objects.requireNonNull(init, "init");
    Objects.requireNonNull(options, "options");
    checkLength(init.length());
    String base = init.baseUrl() == null ? null : Init.scalarValues(init.baseUrl());
    return create(init.components(), base, options);
  }

  private static void checkLength(int length) {
    if (length > MAX_PATTERN_LENGTH) {
      throw new UrlPatternLimitExceededException(
          "MAX_PATTERN_LENGTH", MAX_PATTERN_LENGTH, "the pattern (" + length + " characters)");
    }
  }

  private static UrlPattern create(
      Map<Component.Name, String> init, String baseUrl, Options options) {
    Map<Component.Name, String> processed =
        InitProcessor.process(init, baseUrl, InitProcessor.Type.PATTERN);
    for (Component.Name name : Component.Name.values()) {
      processed.putIfAbsent(name, "*");
    }
    String protocol = processed.get(Component.Name.PROTOCOL);
    if (isDefaultPort(processed.get(Component.Name.PORT), protocol)) {
      processed.put(Component.Name.PORT, "");
    }
    Map<Component.Name, Component> components = new EnumMap<>(Component.Name.class);
    for (Component.Name name : Component.Name.values()) {
      String input = processed.get(name);
      if (name == Component.Name.PATHNAME) {
        boolean special = components.get(Component.Name.PROTOCOL).matchesSpecialScheme();
        components.put(name, Component.compilePathname(input, special, options.ignoreCase()));
      } else if (name == Component.Name.SEARCH || name == Component.Name.HASH) {
        ComponentOptions ignoreCase = ComponentOptions.DEFAULT.withIgnoreCase(options.ignoreCase());
        components.put(name, Component.compile(name, input, ignoreCase));
      } else if (name == Component.Name.HOSTNAME) {
        components.put(name, Component.compile(name, input, ComponentOptions.HOSTNAME));
      } else {
        components.put(name, Component.compile(name, input, ComponentOptions.DEFAULT));
      }
    }
    return new UrlPattern(components, options);
  }

  /**
   * Whether {@code port} is the default port of the special scheme {@code protocol}. The standard
   * compares the pattern string with the port's decimal form; this also accepts a pattern that is
   * plain text and canonicalizes (as a port of {@code protocol}) to the default port, such as
   * {@code "80 "} or {@code "080"}, as WPT expects.
   */
  private static boolean isDefaultPort(String port, String protocol) {
    int defaultPort = UrlRecord.defaultPort(protocol);
    if (defaultPort < 0) {
      return false;
    }
    if (port.equals(Integer.toString(defaultPort))) {
      return true;
    }
    try {
      List<Part> parts =
          PatternParser.parse(
              port, ComponentOptions.DEFAULT, value -> Canonicalizer.port(value, protocol));
      return parts.size() == 1
          && parts.get(0).type() == Part.Type.FIXED_TEXT
          && parts.get(0).modifier() == Part.Modifier.NONE
          && parts.get(0).value().isEmpty();
    } catch (UrlPatternException e) {
      return false;
    }
  }

  /** Whether the URL {@code url} matches. A string that is not a URL does not match. */
  public boolean test(String url) {
    return test(url, null);
  }

  /** Whether {@code url}, resolved against {@code baseUrl} (may be null), matches. */
  public boolean test(String url, String baseUrl) {
    Objects.requireNonNull(url, "url");
    Map<Component.Name, String> values = parse(url, baseUrl);
    return values != null && matches(values);
  }

  /** Whether the URL given component by component matches; absent components are empty. */
  public boolean test(Init input) {
    Map<Component.Name, String> values = process(input);
    return values != null && matches(values);
  }

  private boolean matches(Map<Component.Name, String> values) {
    for (Map.Entry<Component.Name, Component> entry : components.entrySet()) {
      if (!entry.getValue().matches(values.get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Matches the URL {@code url}: the groups of each component, or empty if it does not match. */
  public Optional<UrlPatternResult> exec(String url) {
    return exec(url, null);
  }

  /**
   * Matches {@code url} resolved against {@code baseUrl} (may be null). A URL or base URL that does
   * not parse does not match.
   */
  public Optional<UrlPatternResult> exec(String url, String baseUrl) {
    Objects.requireNonNull(url, "url");
    Map<Component.Name, String> values = parse(url, baseUrl);
    if (values == null) {
      return Optional.empty();
    }
    List<Object> inputs = new ArrayList<>();
    inputs.add(url);
    if (baseUrl != null) {
      inputs.add(baseUrl);
    }
    return match(values, inputs);
  }

  /** The components of {@code url} resolved against {@code baseUrl}, or null if either fails. */
  private static Map<Component.Name, String> parse(String url, String baseUrl) {
    UrlRecord base = null;
    if (baseUrl != null) {
      base = UrlParser.parse(Init.scalarValues(baseUrl), null);
      if (base == null) {
        return null;
      }
    }
    UrlRecord parsed = UrlParser.parse(Init.scalarValues(url), base);
    if (parsed == null) {
      return null;
    }
    Map<Component.Name, String> values = new EnumMap<>(Component.Name.class);
    values.put(Component.Name.PROTOCOL, parsed.scheme);
    values.put(Component.Name.USERNAME, parsed.username);
    values.put(Component.Name.PASSWORD, parsed.password);
    values.put(Component.Name.HOSTNAME, parsed.host == null ? "" : parsed.host);
    values.put(Component.Name.PORT, parsed.portString());
    values.put(Component.Name.PATHNAME, parsed.pathname());
    values.put(Component.Name.SEARCH, parsed.query == null ? "" : parsed.query);
    values.put(Component.Name.HASH, parsed.fragment == null ? "" : parsed.fragment);
    return values;
  }

  /**
   * Matches a URL given component by component (canonicalized as the URL parser would; absent
   * components are empty unless its base URL supplies them). An input that does not canonicalize
   * does not match.
   */
  public Optional<UrlPatternResult> exec(Init input) {
    Map<Component.Name, String> values = process(input);
    if (values == null) {
      return Optional.empty();
    }
    List<Object> inputs = new ArrayList<>();
    inputs.add(input);
    return match(values, inputs);
  }

  /** The canonical components of {@code input}, or null if they do not canonicalize. */
  private static Map<Component.Name, String> process(Init input) {
    Objects.requireNonNull(input, "input");
    try {
      String base = input.baseUrl() == null ? null : Init.scalarValues(input.baseUrl());
      return InitProcessor.process(input.components(), base, InitProcessor.Type.URL);
    } catch (UrlPatternException e) {
      return null;
    }
  }

  private Optional<UrlPatternResult> match(
      Map<Component.Name, String> values, List<Object> inputs) {
    Map<Component.Name, UrlPatternResult.ComponentResult> results =
        new EnumMap<>(Component.Name.class);
    for (Map.Entry<Component.Name, Component> entry : components.entrySet()) {
      String value = values.get(entry.getKey());
      Map<String, String> groups = entry.getValue().match(value);
      if (groups == null) {
        return Optional.empty();
      }
      results.put(
          entry.getKey(),
          new UrlPatternResult.ComponentResult(entry.getKey().key(), value, groups));
    }
    return Optional.of(new UrlPatternResult(inputs, results));
  }

  /** The normalized protocol pattern, such as {@code https} or {@code http{s}?}. */
  public String protocol() {
    return components.get(Component.Name.PROTOCOL).patternString();
  }

  /** The normalized username pattern. */
  public String username() {
    return components.get(Component.Name.USERNAME).patternString();
  }

  /** The normalized password pattern. */
  public String password() {
    return components.get(Component.Name.PASSWORD).patternString();
  }

  /** The normalized hostname pattern, such as {@code {*.}?example.com}. */
  public String hostname() {
    return components.get(Component.Name.HOSTNAME).patternString();
  }

  /** The normalized port pattern; empty for the protocol's default port. */
  public String port() {
    return components.get(Component.Name.PORT).patternString();
  }

  /** The normalized pathname pattern, such as {@code /books/:id}. */
  public String pathname() {
    return components.get(Component.Name.PATHNAME).patternString();
  }

  /** The normalized search pattern, without {@code ?}. */
  public String search() {
    return components.get(Component.Name.SEARCH).patternString();
  }

  /** The normalized hash pattern, without {@code #}. */
  public String hash() {
    return components.get(Component.Name.HASH).patternString();
  }

  /** Whether any component has a regexp group such as {@code (\d+)}. */
  public boolean hasRegExpGroups() {
    for (Component component : components.values()) {
      if (component.hasRegExpGroups()) {
        return true;
      }
    }
    return false;
  }

  /** The options the pattern was compiled with. */
  public Options options() {
    return options;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("UrlPattern{");
    for (Map.Entry<Component.Name, Component> entry : components.entrySet()) {
      out.append(entry.getKey().key()).append('=').append(entry.getValue().patternString());
      out.append(entry.getKey() == Component.Name.HASH ? "" : ", ");
    }
    return out.append(options.ignoreCase() ? ", ignoreCase}" : "}").toString();
  }

  /**
   * Options of a pattern. Only {@link #ignoreCase()} exists, as in the standard. Immutable.
   *
   * @since 0.1
   */
  public static final class Options {
    /** Case-sensitive matching. */
    public static final Options DEFAULT = new Options(false);

    private final boolean ignoreCase;

    private Options(boolean ignoreCase) {
      this.ignoreCase = ignoreCase;
    }

    /** Options with {@code ignoreCase} as given. */
    public static Options ignoreCase(boolean ignoreCase) {
      return ignoreCase ? new Options(true) : DEFAULT;
    }

    /**
     * Whether the pathname, search and hash match case-insensitively (the other components are
     * canonicalized to lowercase or are case-sensitive by nature).
     */
    public boolean ignoreCase() {
      return ignoreCase;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Options && ((Options) o).ignoreCase == ignoreCase;
    }

    @Override
    public int hashCode() {
      return Boolean.hashCode(ignoreCase);
    }

    @Override
    public String toString() {
      return "Options{ignoreCase=" + ignoreCase + "}";
    }
  }

  /**
   * A pattern, or a URL to match, given component by component (the standard's {@code
   * URLPatternInit}). A component that is not set is absent, which differs from empty: in a pattern
   * an absent component matches anything (or comes from the base URL). Immutable.
   *
   * <pre>{@code
   * UrlPattern.Init init = UrlPattern.Init.builder()
   *     .hostname("{*.}?example.com")
   *     .pathname("/books/:id")
   *     .build();
   * }</pre>
   *
   * @since 0.1
   */
  public static final class Init {
    private final Map<Component.Name, String> components;
    private final String baseUrl;

    private Init(Builder builder) {
      this.components = builder.components.clone();
      this.baseUrl = builder.baseUrl;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder holding this init's values. */
    public Builder toBuilder() {
      Builder builder = new Builder();
      builder.components.putAll(components);
      builder.baseUrl = baseUrl;
      return builder;
    }

    /** The protocol, or null if absent. */
    public String protocol() {
      return components.get(Component.Name.PROTOCOL);
    }

    /** The username, or null if absent. */
    public String username() {
      return components.get(Component.Name.USERNAME);
    }

    /** The password, or null if absent. */
    public String password() {
      return components.get(Component.Name.PASSWORD);
    }

    /** The hostname, or null if absent. */
    public String hostname() {
      return components.get(Component.Name.HOSTNAME);
    }

    /** The port, or null if absent. */
    public String port() {
      return components.get(Component.Name.PORT);
    }

    /** The pathname, or null if absent. */
    public String pathname() {
      return components.get(Component.Name.PATHNAME);
    }

    /** The search, or null if absent. */
    public String search() {
      return components.get(Component.Name.SEARCH);
    }

    /** The hash, or null if absent. */
    public String hash() {
      return components.get(Component.Name.HASH);
    }

    /** The base URL, or null if absent. */
    public String baseUrl() {
      return baseUrl;
    }

    Map<Component.Name, String> components() {
      Map<Component.Name, String> copy = new EnumMap<>(Component.Name.class);
      components.forEach((name, value) -> copy.put(name, scalarValues(value)));
      return copy;
    }

    int length() {
      int length = baseUrl == null ? 0 : baseUrl.length();
      for (String value : components.values()) {
        length += value.length();
      }
      return length;
    }

    /** {@code s} with each lone surrogate replaced by U+FFFD, as WebIDL's USVString. */
    static String scalarValues(String s) {
      StringBuilder out = null;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean paired =
            Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))
                || Character.isLowSurrogate(c)
                    && i > 0
                    && Character.isHighSurrogate(s.charAt(i - 1));
        if (Character.isSurrogate(c) && !paired) {
          if (out == null) {
            out = new StringBuilder(s);
          }
          out.setCharAt(i, '\uFFFD');
        }
      }
      return out == null ? s : out.toString();
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Init)) {
        return false;
      }
      Init other = (Init) o;
      return components.equals(other.components) && Objects.equals(baseUrl, other.baseUrl);
    }

    @Override
    public int hashCode() {
      return Objects.hash(components, baseUrl);
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder("Init{");
      components.forEach(
          (name, value) -> out.append(name.key()).append('=').append(value).append(", "));
      if (baseUrl != null) {
        out.append("baseUrl=").append(baseUrl).append(", ");
      }
      if (out.length() > 5) {
        out.setLength(out.length() - 2);
      }
      return out.append('}').toString();
    }

    /**
     * Builds an {@link Init}. Setting a component to null makes it absent again. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
      private final EnumMap<Component.Name, String> components =
          new EnumMap<>(Component.Name.class);
      private String baseUrl;

      private Builder() {}

      private Builder set(Component.Name name, String value) {
        if (value == null) {
          components.remove(name);
        } else {
          components.put(name, value);
        }
        return this;
      }

      /** The protocol (scheme), with or without its trailing {@code :}. */
      public Builder protocol(String protocol) {
        return set(Component.Name.PROTOCOL, protocol);
      }

      /** The username. */
      public Builder username(String username) {
        return set(Component.Name.USERNAME, username);
      }

      /** The password. */
      public Builder password(String password) {
        return set(Component.Name.PASSWORD, password);
      }

      /** The hostname. */
      public Builder hostname(String hostname) {
        return set(Component.Name.HOSTNAME, hostname);
      }

      /** The port. */
      public Builder port(String port) {
        return set(Component.Name.PORT, port);
      }

      /** The pathname. */
      public Builder pathname(String pathname) {
        return set(Component.Name.PATHNAME, pathname);
      }

      /** The search, with or without its leading {@code ?}. */
      public Builder search(String search) {
        return set(Component.Name.SEARCH, search);
      }

      /** The hash, with or without its leading {@code #}. */
      public Builder hash(String hash) {
        return set(Component.Name.HASH, hash);
      }

      /**
       * The base URL: components it has and the init leaves out are taken from it (for a pattern,
       * only those more general than the most general component the init sets).
       */
      public Builder baseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
        return this;
      }

      /** The init. */
      public Init build() {
        return new Init(this);
      }
    }
  }
}
