package dev.herald.urlpattern;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One compiled component of a URL pattern: its normalized pattern string, its re2j expression and
 * its group names. Immutable and safe to share between threads (re2j patterns are).
 */
final class Component {
  /** The eight components, in the standard's order. */
  enum Name {
    PROTOCOL,
    USERNAME,
    PASSWORD,
    HOSTNAME,
    PORT,
    PATHNAME,
    SEARCH,
    HASH;

    /** The name as the standard spells it: {@code protocol}, {@code username}, ... */
    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final String[] SPECIAL_SCHEMES = {"ftp", "file", "http", "https", "ws", "wss"};

  private final String patternString;
  private final List<String> groupNames;
  private final boolean hasRegExpGroups;
  // Exactly one of the three matchers is set. The standard allows matching without a regular
  // expression where the part list permits; most components of most patterns are plain text or
  // the "*" wildcard, and comparing strings beats running re2j's NFA.
  private final String fixedText;
  private final boolean anything;
  private final Pattern regex;
  private final boolean[] bareOptional;

  private Component(
      String patternString,
      List<String> groupNames,
      boolean hasRegExpGroups,
      String fixedText,
      boolean anything,
      Pattern regex,
      boolean[] bareOptional) {
    this.patternString = patternString;
    this.groupNames = groupNames;
    this.hasRegExpGroups = hasRegExpGroups;
    this.fixedText = fixedText;
    this.anything = anything;
    this.regex = regex;
    this.bareOptional = bareOptional;
  }

  /** Compiles {@code input} with the canonicalization of {@code name} ("compile a component"). */
  static Component compile(Name name, String input, ComponentOptions options) {
    try {
      return compile(input, options, encodingCallback(name, input));
    } catch (UrlPatternException e) {
      throw e.inComponent(name.key());
    }
  }

  private static Component compile(
      String input, ComponentOptions options, UnaryOperator<String> encoding) {
    List<Part> parts = PatternParser.parse(input, options, encoding);
    String patternString = PatternStringGenerator.generate(parts, options);
    String fixedText = options.ignoreCase() ? null : fixedText(parts);
    if (fixedText != null) {
      return new Component(patternString, List.of(), false, fixedText, false, null, null);
    }
    if (isFullWildcard(parts)) {
      List<String> names = List.of(parts.get(0).name());
      return new Component(patternString, names, false, null, true, null, null);
    }
    RegexGenerator.Result generated = RegexGenerator.generate(parts, options);
    if (generated.cost() > UrlPattern.MAX_ESTIMATED_PROGRAM_SIZE) {
      throw new UrlPatternLimitExceededException(
          "MAX_PROGRAM_SIZE",
          UrlPattern.MAX_PROGRAM_SIZE,
          "the pattern's program (about " + generated.cost() + " instructions)");
    }
    if (generated.explicitRanges() > UrlPattern.MAX_CLASS_RANGES) {
      throw new UrlPatternLimitExceededException(
          "MAX_CLASS_RANGES",
          UrlPattern.MAX_CLASS_RANGES,
          "the pattern's character classes (" + generated.explicitRanges() + " ranges)");
    }
    Pattern regex;
    try {
      regex = Pattern.compile(generated.regex());
    } catch (PatternSyntaxException e) {
      throw new UrlPatternException("re2j rejects the regular expression: " + e.getMessage(), -1);
    }
    if (regex.programSize() > UrlPattern.MAX_PROGRAM_SIZE) {
      throw new UrlPatternLimitExceededException(
          "MAX_PROGRAM_SIZE",
          UrlPattern.MAX_PROGRAM_SIZE,
          "the pattern's compiled program (" + regex.programSize() + " instructions)");
    }
    boolean hasRegExpGroups = false;
    for (Part part : parts) {
      hasRegExpGroups |= part.type() == Part.Type.REGEXP;
    }
    return new Component(
        patternString,
        generated.names(),
        hasRegExpGroups,
        null,
        false,
        regex,
        generated.bareOptional());
  }

  /** The text the parts stand for if they are all plain fixed text, else null. */
  private static String fixedText(List<Part> parts) {
    StringBuilder text = new StringBuilder();
    for (Part part : parts) {
      if (part.type() != Part.Type.FIXED_TEXT || part.modifier() != Part.Modifier.NONE) {
        return null;
      }
      text.append(part.value());
    }
    return text.toString();
  }

  /** Whether the parts are one unmodified {@code *}, which matches any line: {@code ^(.*)$}. */
  private static boolean isFullWildcard(List<Part> parts) {
    if (parts.size() != 1) {
      return false;
    }
    Part part = parts.get(0);
    return part.type() == Part.Type.FULL_WILDCARD
        && part.modifier() == Part.Modifier.NONE
        && part.prefix().isEmpty()
        && part.suffix().isEmpty();
  }

  private static boolean isLine(String input) {
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') {
        return false;
      }
    }
    return true;
  }

  private static UnaryOperator<String> encodingCallback(Name name, String input) {
    switch (name) {
      case PROTOCOL:
        return Canonicalizer::protocol;
      case USERNAME:
        return Canonicalizer::username;
      case PASSWORD:
        return Canonicalizer::password;
      case HOSTNAME:
        return isIpv6HostnamePattern(input) ? Canonicalizer::ipv6Hostname : Canonicalizer::hostname;
      case PORT:
        return value -> Canonicalizer.port(value, null);
      case SEARCH:
        return Canonicalizer::search;
      case HASH:
        return Canonicalizer::hash;
      default:
        throw new AssertionError(name);
    }
  }

  /** Compiles a pathname pattern, canonicalized as a hierarchical or an opaque path. */
  static Component compilePathname(String input, boolean special, boolean ignoreCase) {
    try {
      if (special) {
        return compile(
            input, ComponentOptions.PATHNAME.withIgnoreCase(ignoreCase), Canonicalizer::pathname);
      }
      return compile(
          input,
          ComponentOptions.DEFAULT.withIgnoreCase(ignoreCase),
          Canonicalizer::opaquePathname);
    } catch (UrlPatternException e) {
      throw e.inComponent(Name.PATHNAME.key());
    }
  }

  /** "Hostname pattern is an IPv6 address". */
  private static boolean isIpv6HostnamePattern(String input) {
    if (input.codePointCount(0, input.length()) < 2) {
      return false;
    }
    char first = input.charAt(0);
    char second = input.charAt(1);
    return first == '[' || ((first == '{' || first == '\\') && second == '[');
  }

  String patternString() {
    return patternString;
  }

  boolean hasRegExpGroups() {
    return hasRegExpGroups;
  }

  /** "Protocol component matches a special scheme". */
  boolean matchesSpecialScheme() {
    for (String scheme : SPECIAL_SCHEMES) {
      if (matches(scheme)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code input} matches. */
  boolean matches(String input) {
    if (fixedText != null) {
      return fixedText.equals(input);
    }
    if (anything) {
      return isLine(input);
    }
    return regex.matcher(input).matches();
  }

  /** Matches {@code input}; returns its groups (null values for groups that did not take part). */
  Map<String, String> match(String input) {
    if (fixedText != null) {
      return fixedText.equals(input) ? Map.of() : null;
    }
    if (anything) {
      return isLine(input) ? Collections.singletonMap(groupNames.get(0), input) : null;
    }
    Matcher matcher = regex.matcher(input);
    if (!matcher.matches()) {
      return null;
    }
    Map<String, String> groups = new LinkedHashMap<>();
    for (int i = 0; i < groupNames.size(); i++) {
      String value = matcher.group(i + 1);
      if (value != null && value.isEmpty() && bareOptional[i]) {
        value = null;
      }
      groups.put(groupNames.get(i), value);
    }
    return Collections.unmodifiableMap(groups);
  }

  @Override
  public String toString() {
    return patternString + " -> " + (regex != null ? regex.pattern() : anything ? "*" : fixedText);
  }
}
