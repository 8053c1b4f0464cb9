package dev.herald.urlpattern;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The code points whose case re2j cannot fold: it would loop forever on them, when compiling a
 * class or literal under {@code (?i)}. re2j walks a code point's case orbit until it comes back to
 * the start, using its own orbit table (from an older Unicode) and the JDK's case mappings for the
 * rest; a letter newer than its table whose JDK mapping leads into an orbit it is not part of never
 * comes back. On Java 17 these are U+1C80..U+1C88 (Cyrillic letter variants mapping to в, д, о, с,
 * т, ъ, ѣ, ꙋ). {@link JsRegExp} keeps them out of what re2j folds.
 *
 * <p>The set is computed once, on first use (only patterns that ignore case use it), by calling
 * re2j's own fold step; should that step not be reachable, by the JDK's mappings alone, which gives
 * a larger set (every member of a longer orbit that is not its cycle, the Kelvin sign for one):
 * still safe, since each member is written out with its case variants instead of being folded.
 */
final class FoldLoops {
  /** The longest case orbit in Unicode has four members; a walk longer than this never ends. */
  private static final int MAX_ORBIT = 8;

  static final CodePointSet SET = compute();

  private FoldLoops() {}

  /** The JDK's case variants of {@code cp}: what re2j's fold would add for it. */
  static CodePointSet variants(CodePointSet set) {
    CodePointSet out = CodePointSet.EMPTY;
    for (int cp : set.codePoints()) {
      int upper = Character.toUpperCase(cp);
      out =
          out.union(CodePointSet.of(upper))
              .union(CodePointSet.of(Character.toLowerCase(cp)))
              .union(CodePointSet.of(Character.toLowerCase(upper)));
    }
    return out.subtract(SET);
  }

  private static CodePointSet compute() {
    MethodHandle fold = re2jFold();
    return CodePointSet.matching(cp -> isCased(cp) && !returns(cp, fold));
  }

  private static boolean isCased(int cp) {
    return Character.toLowerCase(cp) != cp || Character.toUpperCase(cp) != cp;
  }

  private static boolean returns(int start, MethodHandle fold) {
    int f = step(start, fold);
    for (int i = 0; i < MAX_ORBIT && f != start; i++) {
      f = step(f, fold);
    }
    return f == start;
  }

  private static int step(int cp, MethodHandle fold) {
    if (fold != null) {
      try {
        return (int) fold.invokeExact(cp);
      } catch (Throwable unexpected) {
        throw new IllegalStateException("re2j's case fold failed", unexpected);
      }
    }
    int lower = Character.toLowerCase(cp);
    return lower != cp ? lower : Character.toUpperCase(cp);
  }

  /** re2j's {@code Unicode.simpleFold}, package-private in an open automatic module; or null. */
  private static MethodHandle re2jFold() {
    try {
      Class<?> unicode = Class.forName("com.google.re2j.Unicode");
      var method = unicode.getDeclaredMethod("simpleFold", int.class);
      method.setAccessible(true);
      MethodHandle handle = MethodHandles.lookup().unreflect(method);
      return handle.asType(MethodType.methodType(int.class, int.class));
    } catch (ReflectiveOperationException | RuntimeException unreachable) {
      return null;
    }
  }
}
