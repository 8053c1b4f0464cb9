package dev.herald.urlpattern;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * The Unicode properties that {@code \p{...}} can name in a URL pattern: General_Category values,
 * Script values, and the binary properties Any, ASCII, Assigned, Alphabetic, Lowercase, Uppercase,
 * White_Space and Ideographic. Script_Extensions and properties of strings are not available.
 *
 * <p>A property has two forms: re2j's own class item ({@code \p{Lu}}), when re2j has a table for
 * it, and the exact set computed from the JDK's Unicode data (the running JDK's Unicode version),
 * for set operations and for the properties re2j lacks.
 */
final class UnicodeProperties {
  private static final Map<String, int[]> CATEGORIES = new HashMap<>();
  private static final Map<String, IntPredicate> BINARY = new HashMap<>();
  private static final Map<String, String> SHORT_CATEGORY = new HashMap<>();
  private static final Map<String, CodePointSet> CACHE = new ConcurrentHashMap<>();
  private static final Map<String, Boolean> RE2J_SCRIPTS = new ConcurrentHashMap<>();

  static {
    category(types(Character.UPPERCASE_LETTER), "Lu", "Uppercase_Letter");
    category(types(Character.LOWERCASE_LETTER), "Ll", "Lowercase_Letter");
    category(types(Character.TITLECASE_LETTER), "Lt", "Titlecase_Letter");
    category(
        types(Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER),
        "LC",
        "Cased_Letter");
    category(types(Character.MODIFIER_LETTER), "Lm", "Modifier_Letter");
    category(types(Character.OTHER_LETTER), "Lo", "Other_Letter");
    category(
        types(
            Character.UPPERCASE_LETTER,
            Character.LOWERCASE_LETTER,
            Character.TITLECASE_LETTER,
            Character.MODIFIER_LETTER,
            Character.OTHER_LETTER),
        "L",
        "Letter");
    category(types(Character.NON_SPACING_MARK), "Mn", "Nonspacing_Mark");
    category(types(Character.COMBINING_SPACING_MARK), "Mc", "Spacing_Mark");
    category(types(Character.ENCLOSING_MARK), "Me", "Enclosing_Mark");
    category(
        types(
            Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK),
        "M",
        "Mark",
        "Combining_Mark");
    category(types(Character.DECIMAL_DIGIT_NUMBER), "Nd", "Decimal_Number", "digit");
    category(types(Character.LETTER_NUMBER), "Nl", "Letter_Number");
    category(types(Character.OTHER_NUMBER), "No", "Other_Number");
    category(
        types(Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER),
        "N",
        "Number");
    category(types(Character.CONNECTOR_PUNCTUATION), "Pc", "Connector_Punctuation");
    category(types(Character.DASH_PUNCTUATION), "Pd", "Dash_Punctuation");
    category(types(Character.START_PUNCTUATION), "Ps", "Open_Punctuation");
    category(types(Character.END_PUNCTUATION), "Pe", "Close_Punctuation");
    category(types(Character.INITIAL_QUOTE_PUNCTUATION), "Pi", "Initial_Punctuation");
    category(types(Character.FINAL_QUOTE_PUNCTUATION), "Pf", "Final_Punctuation");
    category(types(Character.OTHER_PUNCTUATION), "Po", "Other_Punctuation");
    category(
        types(
            Character.CONNECTOR_PUNCTUATION,
            Character.DASH_PUNCTUATION,
            Character.START_PUNCTUATION,
            Character.END_PUNCTUATION,
            Character.INITIAL_QUOTE_PUNCTUATION,
            Character.FINAL_QUOTE_PUNCTUATION,
            Character.OTHER_PUNCTUATION),
        "P",
        "Punctuation",
        "punct");
    category(types(Character.MATH_SYMBOL), "Sm", "Math_Symbol");
    category(types(Character.CURRENCY_SYMBOL), "Sc", "Currency_Symbol");
    category(types(Character.MODIFIER_SYMBOL), "Sk", "Modifier_Symbol");
    category(types(Character.OTHER_SYMBOL), "So", "Other_Symbol");
    category(
        types(
            Character.MATH_SYMBOL,
            Character.CURRENCY_SYMBOL,
            Character.MODIFIER_SYMBOL,
            Character.OTHER_SYMBOL),
        "S",
        "Symbol");
    category(types(Character.SPACE_SEPARATOR), "Zs", "Space_Separator");
    category(types(Character.LINE_SEPARATOR), "Zl", "Line_Separator");
    category(types(Character.PARAGRAPH_SEPARATOR), "Zp", "Paragraph_Separator");
    category(
        types(Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR),
        "Z",
        "Separator");
    category(types(Character.CONTROL), "Cc", "Control", "cntrl");
    category(types(Character.FORMAT), "Cf", "Format");
    category(types(Character.SURROGATE), "Cs", "Surrogate");
    category(types(Character.PRIVATE_USE), "Co", "Private_Use");
    category(types(Character.UNASSIGNED), "Cn", "Unassigned");
    category(
        types(
            Character.CONTROL,
            Character.FORMAT,
            Character.SURROGATE,
            Character.PRIVATE_USE,
            Character.UNASSIGNED),
        "C",
        "Other");

    binary(cp -> true, "Any");
    binary(cp -> cp < 0x80, "ASCII");
    binary(cp -> Character.getType(cp) != Character.UNASSIGNED, "Assigned");
    binary(Character::isAlphabetic, "Alphabetic", "Alpha");
    binary(Character::isLowerCase, "Lowercase", "Lower");
    binary(Character::isUpperCase, "Uppercase", "Upper");
    binary(Character::isIdeographic, "Ideographic", "Ideo");
    binary(UnicodeProperties::isWhiteSpace, "White_Space", "space");
  }

  private UnicodeProperties() {}

  private static int[] types(int... types) {
    return types;
  }

  private static void category(int[] types, String... names) {
    for (String name : names) {
      CATEGORIES.put(name, types);
      SHORT_CATEGORY.put(name, names[0]);
    }
  }

  private static void binary(IntPredicate predicate, String... names) {
    for (String name : names) {
      BINARY.put(name, predicate);
    }
  }

  /** The White_Space property (ECMAScript's WhiteSpace and LineTerminator sets, and NEL). */
  static boolean isWhiteSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D)
        || cp == 0x20
        || cp == 0x85
        || cp == 0xA0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028
        || cp == 0x2029
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }

  /**
   * Checks the body of a {@code \p{...}} escape now and returns the computation of its set, done on
   * first use and cached.
   *
   * @throws IllegalArgumentException naming the property if it is unknown or not supported
   */
  static Supplier<CodePointSet> exact(String body) {
    IntPredicate predicate = predicate(body);
    return () -> CACHE.computeIfAbsent(body, key -> CodePointSet.matching(predicate));
  }

  /**
   * The property as RE2 class items that use re2j's own Unicode tables ({@code \p{Lu}}, {@code
   * \p{Greek}}), or null if re2j cannot name it. {@code negated} gives the items of {@code
   * \P{...}}.
   */
  static List<String> nativeItems(String body, boolean negated) {
    String re2jName = re2jName(body);
    if (re2jName == null) {
      return null;
    }
    if (re2jName.equals("LC")) {
      return negated ? null : List.of("\\p{Lu}", "\\p{Ll}", "\\p{Lt}");
    }
    return List.of((negated ? "\\P{" : "\\p{") + re2jName + "}");
  }

  private static String re2jName(String body) {
    int eq = body.indexOf('=');
    String name = eq < 0 ? null : body.substring(0, eq);
    String value = eq < 0 ? body : body.substring(eq + 1);
    if (name == null || name.equals("General_Category") || name.equals("gc")) {
      String category = SHORT_CATEGORY.get(value);
      if (category != null) {
        return category.equals("Cn") ? null : category;
      }
      return name == null && value.equals("Any") ? "Any" : null;
    }
    if (!name.equals("Script") && !name.equals("sc")) {
      return null;
    }
    try {
      String script = Character.UnicodeScript.forName(value).name();
      StringBuilder goStyle = new StringBuilder();
      for (String word : script.split("_")) {
        goStyle.append(goStyle.length() == 0 ? "" : "_");
        goStyle.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
      }
      String candidate = goStyle.toString();
      return RE2J_SCRIPTS.computeIfAbsent(candidate, UnicodeProperties::re2jKnows)
          ? candidate
          : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean re2jKnows(String script) {
    try {
      Pattern.compile("\\p{" + script + "}");
      return true;
    } catch (PatternSyntaxException e) {
      return false;
    }
  }

  private static IntPredicate predicate(String body) {
    int eq = body.indexOf('=');
    if (eq < 0) {
      if (CATEGORIES.containsKey(body)) {
        return categoryPredicate(CATEGORIES.get(body));
      }
      if (BINARY.containsKey(body)) {
        return BINARY.get(body);
      }
      throw new IllegalArgumentException("the Unicode property '" + body + "' is not supported");
    }
    String name = body.substring(0, eq);
    String value = body.substring(eq + 1);
    switch (name) {
      case "General_Category":
      case "gc":
        if (CATEGORIES.containsKey(value)) {
          return categoryPredicate(CATEGORIES.get(value));
        }
        throw new IllegalArgumentException("unknown General_Category '" + value + "'");
      case "Script":
      case "sc":
        return scriptPredicate(value);
      case "Script_Extensions":
      case "scx":
        throw new IllegalArgumentException(
            "Script_Extensions is not supported (the JDK has no data for it); use Script");
      default:
        throw new IllegalArgumentException("the Unicode property '" + name + "' is not supported");
    }
  }

  private static IntPredicate categoryPredicate(int[] types) {
    return cp -> {
      int type = Character.getType(cp);
      for (int t : types) {
        if (t == type) {
          return true;
        }
      }
      return false;
    };
  }

  private static IntPredicate scriptPredicate(String value) {
    Character.UnicodeScript script;
    try {
      script = Character.UnicodeScript.forName(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown Script '" + value + "'", e);
    }
    return cp -> Character.UnicodeScript.of(cp) == script;
  }
}
