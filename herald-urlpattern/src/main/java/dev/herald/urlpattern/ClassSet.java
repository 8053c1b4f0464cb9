package dev.herald.urlpattern;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The value of a JavaScript character class with the {@code v} flag: code points, plus strings of
 * other lengths (from {@code \q{...}}). Used by {@link JsRegExp} only, on one thread.
 *
 * <p>It keeps two forms. The exact code point set, computed only when needed, serves the set
 * operations re2j lacks ({@code &&}, {@code --}, nested negation). The native form, a list of RE2
 * class items such as {@code a-z} or {@code \p{Lu}}, is what is written when no such operation was
 * needed: re2j parses a large class written out as ranges slowly, and its own property tables
 * quickly.
 */
final class ClassSet {
  private final Supplier<CodePointSet> chars;
  private final Set<String> strings;
  private final List<String> items;
  private final List<String> negatedItems;
  private final int explicitRanges;
  private final CodePointSet explicit; // the code points of items, but for property names

  private ClassSet(
      Supplier<CodePointSet> chars,
      Set<String> strings,
      List<String> items,
      List<String> negatedItems,
      int explicitRanges,
      CodePointSet explicit) {
    this.chars = memoize(chars);
    this.strings = strings;
    this.items = items;
    this.negatedItems = negatedItems;
    this.explicitRanges = explicitRanges;
    this.explicit = explicit;
  }

  private static Supplier<CodePointSet> memoize(Supplier<CodePointSet> supplier) {
    CodePointSet[] value = new CodePointSet[1];
    return () -> {
      if (value[0] == null) {
        value[0] = supplier.get();
      }
      return value[0];
    };
  }

  /** Code points given explicitly (a character, a range, {@code \d}, ...). */
  static ClassSet of(CodePointSet set) {
    List<String> items = set.isEmpty() ? List.of() : List.of(set.toRe2Items());
    return new ClassSet(() -> set, Set.of(), items, null, set.rangeCount(), set);
  }

  /**
   * A Unicode property: {@code nativeItems} (null if re2j cannot name it) render it with re2j's
   * tables; {@code exact} computes it from the JDK's.
   */
  static ClassSet property(List<String> nativeItems, Supplier<CodePointSet> exact) {
    return new ClassSet(exact, Set.of(), nativeItems, null, 0, CodePointSet.EMPTY);
  }

  static ClassSet strings(CodePointSet singles, Set<String> strings) {
    ClassSet base = of(singles);
    return new ClassSet(() -> singles, strings, base.items, null, base.explicitRanges, singles);
  }

  CodePointSet chars() {
    return chars.get();
  }

  Set<String> strings() {
    return strings;
  }

  ClassSet union(ClassSet other) {
    Set<String> all = new TreeSet<>(strings);
    all.addAll(other.strings);
    List<String> union = null;
    if (items != null && other.items != null) {
      union = new ArrayList<>(items);
      union.addAll(other.items);
    }
    return new ClassSet(
        () -> chars().union(other.chars()),
        all,
        union,
        null,
        explicitRanges + other.explicitRanges,
        explicit.union(other.explicit));
  }

  ClassSet intersect(ClassSet other) {
    Set<String> common = new TreeSet<>(strings);
    common.retainAll(other.strings);
    return exact(chars().intersect(other.chars()), common);
  }

  ClassSet subtract(ClassSet other) {
    Set<String> rest = new TreeSet<>(strings);
    rest.removeAll(other.strings);
    return exact(chars().subtract(other.chars()), rest);
  }

  /** The complement ({@code [^...]}); only valid without strings. */
  ClassSet negate() {
    return new ClassSet(
        () -> chars().complement(), Set.of(), null, items, explicitRanges, explicit);
  }

  private static ClassSet exact(CodePointSet set, Set<String> strings) {
    return new ClassSet(() -> set, strings, null, null, 0, CodePointSet.EMPTY);
  }

  /** The number of ranges written out explicitly by {@link #toRe2()}. */
  int explicitRanges() {
    if (items != null || negatedItems != null) {
      return explicitRanges;
    }
    return chars().rangeCount();
  }

  /**
   * The code points {@link #toRe2()} writes out one by one or as ranges (not those it names by a
   * property), strings included: what re2j folds code point by code point when ignoring case.
   */
  CodePointSet writtenChars() {
    CodePointSet written = items != null || negatedItems != null ? explicit : chars();
    for (String s : strings) {
      for (int cp : s.codePoints().toArray()) {
        written = written.union(CodePointSet.of(cp));
      }
    }
    return written;
  }

  /** Whether {@link #toRe2()} writes a negated class, {@code [^...]}. */
  boolean writtenNegated() {
    return negatedItems != null;
  }

  /** This class as RE2: a character class, or an alternation when it has strings. */
  String toRe2() {
    String singles = singlesToRe2();
    if (strings.isEmpty()) {
      return singles;
    }
    List<String> longer = new ArrayList<>();
    for (String s : strings) {
      if (!s.isEmpty()) {
        longer.add(s);
      }
    }
    longer.sort(Comparator.comparingInt((String s) -> s.codePointCount(0, s.length())).reversed());
    StringBuilder out = new StringBuilder("(?:");
    for (String s : longer) {
      s.codePoints().forEach(cp -> CodePointSet.appendCodePoint(out, cp));
      out.append('|');
    }
    if (!singles.equals(CodePointSet.RE2_NOTHING)) {
      out.append(singles).append('|');
    }
    if (!strings.contains("")) {
      out.setLength(out.length() - 1);
    }
    return out.append(')').toString();
  }

  private String singlesToRe2() {
    if (negatedItems != null) {
      return negatedItems.isEmpty()
          ? "[\\x{0}-\\x{10FFFF}]"
          : "[^" + String.join("", negatedItems) + "]";
    }
    if (items != null) {
      return items.isEmpty() ? CodePointSet.RE2_NOTHING : "[" + String.join("", items) + "]";
    }
    return chars().toRe2();
  }
}
