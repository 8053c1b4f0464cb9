package dev.herald.urlpattern;

import java.util.ArrayList;
import java.util.List;

/**
 * "Generate a regular expression and name list" of the URL Pattern standard, emitting RE2 syntax
 * for re2j instead of JavaScript syntax: regexp groups go through {@link JsRegExp}, and the
 * wildcards are written with JavaScript's meaning of {@code .} (no line terminators).
 */
final class RegexGenerator {
  /** JavaScript's {@code .} without the {@code s} flag: any code point but a line terminator. */
  static final String ANY_BUT_LINE_TERMINATOR = "[^\\n\\r\\x{2028}\\x{2029}]";

  private static final String REGEXP_SPECIALS = ".+*?^${}()[]|/\\";
  private static final String RE2_SPECIALS = ".+*?^${}()[]|\\";

  /**
   * The generated expression and its groups.
   *
   * @param regex the RE2 expression, anchored at both ends
   * @param names the group names, in group order
   * @param bareOptional for each group, whether it is a bare optional group {@code (x)?}, whose
   *     empty capture JavaScript reports as undefined (an empty iteration of {@code ?} fails there)
   * @param cost about the size of the program re2j will build
   * @param explicitRanges the character class ranges written out
   */
  record Result(
      String regex, List<String> names, boolean[] bareOptional, long cost, int explicitRanges) {}

  private RegexGenerator() {}

  static Result generate(List<Part> parts, ComponentOptions options) {
    StringBuilder result = new StringBuilder(options.ignoreCase() ? "(?i)^" : "^");
    List<String> names = new ArrayList<>();
    List<Boolean> bareOptional = new ArrayList<>();
    long cost = 0;
    int explicitRanges = 0;
    for (Part part : parts) {
      if (part.type() == Part.Type.FIXED_TEXT) {
        appendFixed(result, part);
        cost += part.value().length() + 1;
        continue;
      }
      names.add(part.name());
      JsRegExp.Translation translation = regexpValue(part, options);
      String value = translation.re2();
      boolean repeated =
          part.modifier() == Part.Modifier.ZERO_OR_MORE
              || part.modifier() == Part.Modifier.ONE_OR_MORE;
      int copies = repeated && !(part.prefix().isEmpty() && part.suffix().isEmpty()) ? 2 : 1;
      cost += copies * (translation.cost() + part.prefix().length() + part.suffix().length()) + 4;
      explicitRanges += copies * translation.explicitRanges();
      boolean bare = part.prefix().isEmpty() && part.suffix().isEmpty();
      bareOptional.add(bare && part.modifier() == Part.Modifier.OPTIONAL);
      if (bare) {
        appendBare(result, part, value);
      } else if (part.modifier() == Part.Modifier.NONE
          || part.modifier() == Part.Modifier.OPTIONAL) {
        result.append("(?:").append(escapeRe2(part.prefix()));
        result.append('(').append(value).append(')');
        result.append(escapeRe2(part.suffix())).append(')').append(part.modifier().syntax());
      } else {
        appendRepeated(result, part, value);
      }
    }
    result.append('$');
    boolean[] optional = new boolean[bareOptional.size()];
    for (int i = 0; i < optional.length; i++) {
      optional[i] = bareOptional.get(i);
    }
    return new Result(result.toString(), List.copyOf(names), optional, cost, explicitRanges);
  }

  private static void appendFixed(StringBuilder result, Part part) {
    if (part.modifier() == Part.Modifier.NONE) {
      result.append(escapeRe2(part.value()));
    } else {
      result.append("(?:").append(escapeRe2(part.value())).append(')');
      result.append(part.modifier().syntax());
    }
  }

  private static void appendBare(StringBuilder result, Part part, String value) {
    if (part.modifier() == Part.Modifier.NONE || part.modifier() == Part.Modifier.OPTIONAL) {
      result.append('(').append(value).append(')').append(part.modifier().syntax());
    } else {
      result.append("((?:").append(value).append(')').append(part.modifier().syntax());
      result.append(')');
    }
  }

  private static void appendRepeated(StringBuilder result, Part part, String value) {
    String prefix = escapeRe2(part.prefix());
    String suffix = escapeRe2(part.suffix());
    result.append("(?:").append(prefix).append("((?:").append(value).append(")(?:");
    result.append(suffix).append(prefix).append("(?:").append(value).append("))*)");
    result.append(suffix).append(')');
    if (part.modifier() == Part.Modifier.ZERO_OR_MORE) {
      result.append('?');
    }
  }

  private static JsRegExp.Translation regexpValue(Part part, ComponentOptions options) {
    switch (part.type()) {
      case SEGMENT_WILDCARD:
        String segment =
            options.delimiter().isEmpty()
                ? "(?s:.)+?"
                : "[^" + escapeRe2(options.delimiter()) + "]+?";
        return new JsRegExp.Translation(segment, 3, 0);
      case FULL_WILDCARD:
        return new JsRegExp.Translation(ANY_BUT_LINE_TERMINATOR + "*", 3, 0);
      default:
        return JsRegExp.translate(part.value(), options.ignoreCase());
    }
  }

  /** "Escape a regexp string": the JavaScript form, as pattern parsing compares it. */
  static String escapeRegexpString(String input) {
    return escape(input, REGEXP_SPECIALS);
  }

  /** Escapes {@code input} so that RE2 matches it literally. */
  static String escapeRe2(String input) {
    return escape(input, RE2_SPECIALS);
  }

  private static String escape(String input, String specials) {
    StringBuilder result = new StringBuilder(input.length());
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (specials.indexOf(c) >= 0) {
        result.append('\\');
      }
      result.append(c);
    }
    return result.toString();
  }
}
