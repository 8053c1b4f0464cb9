package dev.herald.urlpattern;

import java.util.List;

/** "Generate a pattern string" of the URL Pattern standard: the normalized form of a part list. */
final class PatternStringGenerator {
  private static final String PATTERN_SPECIALS = "+*?:{}()\\";

  private PatternStringGenerator() {}

  static String generate(List<Part> parts, ComponentOptions options) {
    StringBuilder result = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      Part part = parts.get(i);
      Part previous = i > 0 ? parts.get(i - 1) : null;
      Part next = i < parts.size() - 1 ? parts.get(i + 1) : null;
      if (part.type() == Part.Type.FIXED_TEXT) {
        appendFixed(result, part);
      } else {
        appendGroup(result, part, previous, next, options);
      }
    }
    return result.toString();
  }

  private static void appendFixed(StringBuilder result, Part part) {
    if (part.modifier() == Part.Modifier.NONE) {
      result.append(escapePatternString(part.value()));
      return;
    }
    result.append('{').append(escapePatternString(part.value())).append('}');
    result.append(part.modifier().syntax());
  }

  private static void appendGroup(
      StringBuilder result, Part part, Part previous, Part next, ComponentOptions options) {
    boolean customName = !isAsciiDigit(part.name().charAt(0));
    boolean needsGrouping =
        !part.suffix().isEmpty()
            || (!part.prefix().isEmpty() && !part.prefix().equals(options.prefix()));
    if (!needsGrouping
        && customName
        && part.type() == Part.Type.SEGMENT_WILDCARD
        && part.modifier() == Part.Modifier.NONE
        && next != null
        && next.prefix().isEmpty()
        && next.suffix().isEmpty()) {
      if (next.type() == Part.Type.FIXED_TEXT) {
        needsGrouping = startsWithNamePart(next.value());
      } else {
        needsGrouping = isAsciiDigit(next.name().charAt(0));
      }
    }
    if (!needsGrouping
        && part.prefix().isEmpty()
        && previous != null
        && previous.type() == Part.Type.FIXED_TEXT
        && !options.prefix().isEmpty()
        && previous.value().endsWith(options.prefix())) {
      needsGrouping = true;
    }
    if (needsGrouping) {
      result.append('{');
    }
    result.append(escapePatternString(part.prefix()));
    if (customName) {
      result.append(':').append(part.name());
    }
    appendMatcher(result, part, previous, needsGrouping, customName, options);
    if (part.type() == Part.Type.SEGMENT_WILDCARD
        && customName
        && startsWithNamePart(part.suffix())) {
      result.append('\\');
    }
    result.append(escapePatternString(part.suffix()));
    if (needsGrouping) {
      result.append('}');
    }
    result.append(part.modifier().syntax());
  }

  private static void appendMatcher(
      StringBuilder result,
      Part part,
      Part previous,
      boolean needsGrouping,
      boolean customName,
      ComponentOptions options) {
    if (part.type() == Part.Type.REGEXP) {
      result.append('(').append(part.value()).append(')');
    } else if (part.type() == Part.Type.SEGMENT_WILDCARD && !customName) {
      result.append('(').append(PatternParser.segmentWildcardRegexp(options)).append(')');
    } else if (part.type() == Part.Type.FULL_WILDCARD) {
      if (!customName
          && (previous == null
              || previous.type() == Part.Type.FIXED_TEXT
              || previous.modifier() != Part.Modifier.NONE
              || needsGrouping
              || !part.prefix().isEmpty())) {
        result.append('*');
      } else {
        result.append('(').append(PatternParser.FULL_WILDCARD_REGEXP).append(')');
      }
    }
  }

  private static boolean startsWithNamePart(String value) {
    return !value.isEmpty() && Tokenizer.isValidNameCodePoint(value.codePointAt(0), false);
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** "Escape a pattern string". */
  static String escapePatternString(String input) {
    StringBuilder result = new StringBuilder(input.length());
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (PATTERN_SPECIALS.indexOf(c) >= 0) {
        result.append('\\');
      }
      result.append(c);
    }
    return result.toString();
  }
}
