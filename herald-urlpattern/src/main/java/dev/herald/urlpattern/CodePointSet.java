package dev.herald.urlpattern;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * An immutable set of Unicode code points, held as sorted, disjoint, non-adjacent ranges. It gives
 * JavaScript's class set operations (union, intersection, subtraction, complement) to regular
 * expressions that re2j compiles, and writes itself as an RE2 character class.
 */
final class CodePointSet {
  static final CodePointSet EMPTY = new CodePointSet(new int[0]);

  /** Pairs of inclusive bounds: lo0, hi0, lo1, hi1, ... */
  private final int[] ranges;

  private CodePointSet(int[] ranges) {
    this.ranges = ranges;
  }

  static CodePointSet range(int lo, int hi) {
    return new CodePointSet(new int[] {lo, hi});
  }

  static CodePointSet of(int codePoint) {
    return range(codePoint, codePoint);
  }

  /** Ranges given as pairs of inclusive bounds, in any order, possibly overlapping. */
  static CodePointSet ofRanges(int... bounds) {
    CodePointSet result = EMPTY;
    for (int i = 0; i < bounds.length; i += 2) {
      result = result.union(range(bounds[i], bounds[i + 1]));
    }
    return result;
  }

  /** The code points for which {@code predicate} holds. */
  static CodePointSet matching(IntPredicate predicate) {
    int[] out = new int[64];
    int n = 0;
    int start = -1;
    for (int cp = 0; cp <= Character.MAX_CODE_POINT + 1; cp++) {
      boolean in = cp <= Character.MAX_CODE_POINT && predicate.test(cp);
      if (in && start < 0) {
        start = cp;
      } else if (!in && start >= 0) {
        if (n + 2 > out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        out[n++] = start;
        out[n++] = cp - 1;
        start = -1;
      }
    }
    return new CodePointSet(Arrays.copyOf(out, n));
  }

  boolean isEmpty() {
    return ranges.length == 0;
  }

  CodePointSet complement() {
    int[] out = new int[ranges.length + 2];
    int n = 0;
    int next = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      if (ranges[i] > next) {
        out[n++] = next;
        out[n++] = ranges[i] - 1;
      }
      next = ranges[i + 1] + 1;
    }
    if (next <= Character.MAX_CODE_POINT) {
      out[n++] = next;
      out[n++] = Character.MAX_CODE_POINT;
    }
    return new CodePointSet(Arrays.copyOf(out, n));
  }

  CodePointSet union(CodePointSet other) {
    int[] all = new int[ranges.length + other.ranges.length];
    System.arraycopy(ranges, 0, all, 0, ranges.length);
    System.arraycopy(other.ranges, 0, all, ranges.length, other.ranges.length);
    long[] pairs = new long[all.length / 2];
    for (int i = 0; i < pairs.length; i++) {
      pairs[i] = ((long) all[2 * i] << 32) | all[2 * i + 1];
    }
    Arrays.sort(pairs);
    int[] out = new int[all.length];
    int n = 0;
    for (long pair : pairs) {
      int lo = (int) (pair >>> 32);
      int hi = (int) pair;
      if (n > 0 && lo <= out[n - 1] + 1) {
        out[n - 1] = Math.max(out[n - 1], hi);
      } else {
        out[n++] = lo;
        out[n++] = hi;
      }
    }
    return new CodePointSet(Arrays.copyOf(out, n));
  }

  CodePointSet intersect(CodePointSet other) {
    return complement().union(other.complement()).complement();
  }

  CodePointSet subtract(CodePointSet other) {
    return intersect(other.complement());
  }

  /** An RE2 character class that matches nothing. */
  static final String RE2_NOTHING = "[^\\x{0}-\\x{10FFFF}]";

  /** This set as an RE2 character class; the empty set becomes a class that matches nothing. */
  String toRe2() {
    return isEmpty() ? RE2_NOTHING : "[" + toRe2Items() + "]";
  }

  /** The ranges as the inside of an RE2 character class. */
  String toRe2Items() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < ranges.length; i += 2) {
      appendCodePoint(out, ranges[i]);
      if (ranges[i + 1] != ranges[i]) {
        out.append('-');
        appendCodePoint(out, ranges[i + 1]);
      }
    }
    return out.toString();
  }

  boolean contains(int cp) {
    for (int i = 0; i < ranges.length && ranges[i] <= cp; i += 2) {
      if (cp <= ranges[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /** Every code point of the set, in order: for small sets only. */
  int[] codePoints() {
    int[] out = new int[0];
    for (int i = 0; i < ranges.length; i += 2) {
      int from = out.length;
      out = Arrays.copyOf(out, from + ranges[i + 1] - ranges[i] + 1);
      for (int cp = ranges[i]; cp <= ranges[i + 1]; cp++) {
        out[from + cp - ranges[i]] = cp;
      }
    }
    return out;
  }

  /** The number of ranges: what re2j's parser spends its time on for a class. */
  int rangeCount() {
    return ranges.length / 2;
  }

  /** Appends {@code cp} so that RE2 reads it as that literal code point, in or out of a class. */
  static void appendCodePoint(StringBuilder out, int cp) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) {
      out.append((char) cp);
    } else {
      out.append("\\x{").append(Integer.toHexString(cp)).append('}');
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CodePointSet && Arrays.equals(ranges, ((CodePointSet) o).ranges);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ranges);
  }

  @Override
  public String toString() {
    return toRe2();
  }
}
