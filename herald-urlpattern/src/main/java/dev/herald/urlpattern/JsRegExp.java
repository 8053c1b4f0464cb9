package dev.herald.urlpattern;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Translates a JavaScript regular expression, read with the {@code v} flag as the URL Pattern
 * standard compiles it, into RE2 syntax for re2j. It checks the JavaScript syntax (so that an
 * expression JavaScript rejects is rejected here too) and rejects what RE2 cannot do in linear
 * time: lookahead, lookbehind and backreferences.
 *
 * <p>Kept JavaScript meanings: {@code .} excludes the four line terminators unless the {@code s}
 * modifier is on; {@code \s} is JavaScript's white space set; class set operations ({@code &&},
 * {@code --}, nested classes) and {@code \q{...}} strings are computed here, since RE2 lacks them;
 * {@code \p{...}} comes from {@link UnicodeProperties}; a named group stays a capturing group, so
 * group numbers are JavaScript's. The deviations RE2 imposes are listed in the README of
 * herald-urlpattern.
 */
final class JsRegExp {
  /** RE2's largest repetition count, which this package also applies to nested repetitions. */
  static final int MAX_REPEAT = 1000;

  private static final String SYNTAX_CHARACTERS = "^$\\.*+?()[]{}|";
  private static final String CLASS_SET_SYNTAX_CHARACTERS = "()[]{}/-\\|";
  private static final String CLASS_SET_RESERVED_PUNCTUATORS = "&-!#%,:;<=>@`~";
  private static final String CLASS_SET_RESERVED_DOUBLE = "&!#$%*+,.:;<=>?@^`~";
  private static final CodePointSet DIGITS = CodePointSet.range('0', '9');
  private static final CodePointSet WORD =
      CodePointSet.ofRanges('0', '9', 'A', 'Z', '_', '_', 'a', 'z');
  private static final CodePointSet WHITE_SPACE =
      CodePointSet.matching(cp -> cp != 0x85 && UnicodeProperties.isWhiteSpace(cp) || cp == 0xFEFF);

  /** A JavaScript syntax error, or a construct RE2 cannot match in linear time. */
  static final class SyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int index;

    SyntaxException(String message, int index) {
      super(message);
      this.index = index;
    }

    /** The index in the expression where the problem was found. */
    int index() {
      return index;
    }
  }

  /**
   * A translated expression.
   *
   * @param re2 the RE2 expression
   * @param cost its size once RE2 has expanded its repetitions, about its program size
   * @param explicitRanges the class ranges written out (re2j parses each one)
   */
  record Translation(String re2, long cost, int explicitRanges) {}

  /** A translated piece and its size once RE2 has expanded its repetitions. */
  private record Piece(String re2, long cost, boolean quantifiable) {}

  private final int[] src;
  private final boolean ignoreCase;
  private final Set<String> groupNames = new HashSet<>();
  private int explicitRanges;
  private int pos;
  private boolean dotAll;
  private boolean multiline;

  private JsRegExp(String pattern, boolean ignoreCase) {
    this.src = pattern.codePoints().toArray();
    this.ignoreCase = ignoreCase;
  }

  /** {@link #translate(String, boolean)} for a pattern that does not ignore case. */
  static Translation translate(String pattern) {
    return translate(pattern, false);
  }

  /**
   * Translates {@code pattern} into an RE2 expression that can be put inside a group. Case folding,
   * when the pattern ignores case, is left to re2j's {@code (?i)}, but for the code points re2j
   * cannot fold ({@link FoldLoops}): those are written with their case variants, unfolded.
   *
   * @throws SyntaxException if JavaScript rejects the expression or RE2 cannot run it
   */
  static Translation translate(String pattern, boolean ignoreCase) {
    JsRegExp parser = new JsRegExp(pattern, ignoreCase);
    Piece piece = parser.disjunction();
    if (parser.pos < parser.src.length) {
      throw parser.error(parser.peek() == ')' ? "unmatched ')'" : "unexpected character");
    }
    if (piece.cost() > UrlPattern.MAX_ESTIMATED_PROGRAM_SIZE) {
      throw new SyntaxException(
          "the expression's repetitions expand to more than "
              + UrlPattern.MAX_ESTIMATED_PROGRAM_SIZE
              + " items, far past MAX_PROGRAM_SIZE ("
              + UrlPattern.MAX_PROGRAM_SIZE
              + ")",
          0);
    }
    return new Translation(piece.re2(), piece.cost(), parser.explicitRanges);
  }

  private SyntaxException error(String message) {
    return new SyntaxException(message, Math.min(pos, src.length));
  }

  private int peek() {
    return pos < src.length ? src[pos] : -1;
  }

  private int peek(int offset) {
    return pos + offset < src.length ? src[pos + offset] : -1;
  }

  private boolean eat(int c) {
    if (peek() == c) {
      pos++;
      return true;
    }
    return false;
  }

  private Piece disjunction() {
    List<Piece> alternatives = new ArrayList<>();
    alternatives.add(alternative());
    while (eat('|')) {
      alternatives.add(alternative());
    }
    if (alternatives.size() == 1) {
      return alternatives.get(0);
    }
    StringBuilder re2 = new StringBuilder();
    long cost = 0;
    for (Piece alternative : alternatives) {
      re2.append(re2.length() == 0 ? "" : "|").append(alternative.re2());
      cost += alternative.cost();
    }
    return new Piece(re2.toString(), cost, false);
  }

  private Piece alternative() {
    StringBuilder re2 = new StringBuilder();
    long cost = 0;
    while (pos < src.length && peek() != '|' && peek() != ')') {
      Piece term = term();
      re2.append(term.re2());
      cost += term.cost();
    }
    return new Piece(re2.toString(), cost, false);
  }

  private Piece term() {
    int start = pos;
    Piece atom = atom();
    int c = peek();
    if (c == '*' || c == '+' || c == '?' || c == '{') {
      if (!atom.quantifiable()) {
        pos = start;
        throw error("nothing to repeat");
      }
      return quantified(atom);
    }
    return atom;
  }

  private Piece quantified(Piece atom) {
    int at = pos;
    long min;
    long max;
    String syntax;
    int c = src[pos++];
    if (c == '*') {
      min = 0;
      max = -1;
      syntax = "*";
    } else if (c == '+') {
      min = 1;
      max = -1;
      syntax = "+";
    } else if (c == '?') {
      min = 0;
      max = 1;
      syntax = "?";
    } else {
      min = number();
      max = min;
      if (eat(',')) {
        max = peek() == '}' ? -1 : number();
      }
      if (!eat('}')) {
        throw error("incomplete quantifier");
      }
      if (max >= 0 && min > max) {
        pos = at;
        throw error("numbers out of order in {} quantifier");
      }
      if (min > MAX_REPEAT || max > MAX_REPEAT) {
        pos = at;
        throw error("a repetition count above " + MAX_REPEAT + " is not supported (RE2's limit)");
      }
      syntax = "{" + min + (max == min ? "" : "," + (max < 0 ? "" : Long.toString(max))) + "}";
    }
    if (eat('?')) {
      syntax += "?";
    }
    long copies = Math.max(1, max < 0 ? min + 1 : max);
    return new Piece("(?:" + atom.re2() + ")" + syntax, atom.cost() * copies, false);
  }

  private long number() {
    int start = pos;
    long value = 0;
    while (peek() >= '0' && peek() <= '9') {
      value = Math.min(value * 10 + (src[pos++] - '0'), Integer.MAX_VALUE);
    }
    if (pos == start) {
      throw error("incomplete quantifier");
    }
    return value;
  }

  private Piece atom() {
    int c = peek();
    switch (c) {
      case '^':
        pos++;
        return new Piece(multiline ? "(?m:^)" : "^", 1, false);
      case '$':
        pos++;
        return new Piece(multiline ? "(?m:$)" : "$", 1, false);
      case '.':
        pos++;
        return new Piece(dotAll ? "(?s:.)" : RegexGenerator.ANY_BUT_LINE_TERMINATOR, 1, true);
      case '(':
        return group();
      case '[':
        return classPiece(characterClass());
      case '\\':
        return atomEscape();
      case '*':
      case '+':
      case '?':
        throw error("nothing to repeat");
      case '{':
        throw error("lone quantifier brackets");
      case '}':
      case ']':
        throw error("lone '" + (char) c + "' (it must be escaped)");
      default:
        pos++;
        return literal(c);
    }
  }

  private Piece classPiece(ClassSet set) {
    explicitRanges += set.explicitRanges();
    if (ignoreCase) {
      CodePointSet unfoldable = set.writtenChars().intersect(FoldLoops.SET);
      if (!unfoldable.isEmpty()) {
        return foldSafeClass(set, unfoldable);
      }
    }
    return new Piece(set.toRe2(), 1, true);
  }

  /**
   * A class with code points re2j's folding would loop on, as re2j would fold it if it did not: the
   * rest and the case variants of those folded, those themselves matched as they are. A negated
   * class cannot be split so (RE2 has no class intersection) and is refused.
   */
  private Piece foldSafeClass(ClassSet set, CodePointSet unfoldable) {
    if (set.writtenNegated() || !set.strings().isEmpty()) {
      throw error(
          String.format(
              "re2j cannot ignore the case of U+%04X in a negated class or with strings",
              unfoldable.codePoints()[0]));
    }
    CodePointSet folded = set.chars().subtract(FoldLoops.SET).union(FoldLoops.variants(unfoldable));
    explicitRanges += folded.rangeCount() + unfoldable.rangeCount();
    String re2 = "(?:" + folded.toRe2() + "|(?-i:" + unfoldable.toRe2() + "))";
    return new Piece(re2, 2, true);
  }

  private Piece literal(int c) {
    if (ignoreCase && FoldLoops.SET.contains(c)) {
      return classPiece(ClassSet.of(CodePointSet.of(c)));
    }
    StringBuilder out = new StringBuilder();
    CodePointSet.appendCodePoint(out, c);
    return new Piece(out.toString(), 1, true);
  }

  private Piece group() {
    int start = pos;
    pos++;
    if (!eat('?')) {
      return capturing();
    }
    int c = peek();
    if (c == ':') {
      pos++;
      return nonCapturing("(?:");
    }
    if (c == '=' || c == '!') {
      pos = start;
      throw error("lookahead is not supported (RE2 matches in linear time without it)");
    }
    if (c == '<' && (peek(1) == '=' || peek(1) == '!')) {
      pos = start;
      throw error("lookbehind is not supported (RE2 matches in linear time without it)");
    }
    if (c == '<') {
      pos++;
      String name = groupName();
      if (!groupNames.add(name)) {
        throw error("duplicate group name '" + name + "'");
      }
      return capturing();
    }
    return modifiers(start);
  }

  private Piece capturing() {
    Piece body = disjunction();
    if (!eat(')')) {
      throw error("unterminated group");
    }
    return new Piece("(" + body.re2() + ")", body.cost(), true);
  }

  private Piece nonCapturing(String open) {
    Piece body = disjunction();
    if (!eat(')')) {
      throw error("unterminated group");
    }
    return new Piece(open + body.re2() + ")", body.cost(), true);
  }

  private String groupName() {
    StringBuilder name = new StringBuilder();
    while (peek() != '>') {
      int c = peek();
      if (c < 0 || !Tokenizer.isValidNameCodePoint(c, name.length() == 0)) {
        throw error("invalid group name");
      }
      name.appendCodePoint(c);
      pos++;
    }
    pos++;
    if (name.length() == 0) {
      throw error("invalid group name");
    }
    return name.toString();
  }

  /** {@code (?ims-ims:...)}: i goes to RE2; s and m are applied by this translator. */
  private Piece modifiers(int start) {
    String add = modifierFlags();
    String remove = eat('-') ? modifierFlags() : null;
    if (!eat(':')) {
      pos = start;
      throw error("invalid group");
    }
    if ((add.isEmpty() && (remove == null || remove.isEmpty()))
        || remove != null && hasCommon(add, remove)) {
      pos = start;
      throw error("invalid regular expression modifiers");
    }
    boolean savedDotAll = dotAll;
    boolean savedMultiline = multiline;
    String all = add + (remove == null ? "" : remove);
    for (int i = 0; i < all.length(); i++) {
      boolean on = i < add.length();
      if (all.charAt(i) == 's') {
        dotAll = on;
      } else if (all.charAt(i) == 'm') {
        multiline = on;
      }
    }
    String open = "(?:";
    if (add.indexOf('i') >= 0) {
      open = "(?i:";
    } else if (remove != null && remove.indexOf('i') >= 0) {
      open = "(?-i:";
    }
    Piece piece = nonCapturing(open);
    dotAll = savedDotAll;
    multiline = savedMultiline;
    return piece;
  }

  private String modifierFlags() {
    StringBuilder flags = new StringBuilder();
    while (peek() == 'i' || peek() == 'm' || peek() == 's') {
      if (flags.indexOf(String.valueOf((char) peek())) >= 0) {
        throw error("repeated regular expression modifier");
      }
      flags.append((char) src[pos++]);
    }
    return flags.toString();
  }

  private static boolean hasCommon(String a, String b) {
    for (int i = 0; i < a.length(); i++) {
      if (b.indexOf(a.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }

  private Piece atomEscape() {
    int start = pos;
    pos++;
    int c = peek();
    if (c < 0) {
      throw error("\\ at end of pattern");
    }
    if (c == 'b' || c == 'B') {
      pos++;
      return new Piece("\\" + (char) c, 1, false);
    }
    if ((c >= '1' && c <= '9') || c == 'k') {
      pos = start;
      throw error("backreferences are not supported (RE2 matches in linear time without them)");
    }
    ClassSet set = classEscape();
    if (set != null) {
      return classPiece(set);
    }
    return literal(characterEscape(false));
  }

  /** {@code \d \D \s \S \w \W \p{..} \P{..}} after the backslash, or null (nothing consumed). */
  private ClassSet classEscape() {
    int c = peek();
    switch (c) {
      case 'd':
        pos++;
        return ClassSet.of(DIGITS);
      case 'D':
        pos++;
        return ClassSet.of(DIGITS.complement());
      case 's':
        pos++;
        return ClassSet.of(WHITE_SPACE);
      case 'S':
        pos++;
        return ClassSet.of(WHITE_SPACE.complement());
      case 'w':
        pos++;
        return ClassSet.of(WORD);
      case 'W':
        pos++;
        return ClassSet.of(WORD.complement());
      case 'p':
      case 'P':
        pos++;
        return property(c == 'P');
      default:
        return null;
    }
  }

  private ClassSet property(boolean negated) {
    int start = pos;
    if (!eat('{')) {
      throw error("invalid property name");
    }
    StringBuilder body = new StringBuilder();
    while (peek() != '}') {
      int c = peek();
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!ok && c != '_' && c != '=') {
        throw error("invalid property name");
      }
      body.appendCodePoint(c);
      pos++;
    }
    pos++;
    Supplier<CodePointSet> exact;
    try {
      exact = UnicodeProperties.exact(body.toString());
    } catch (IllegalArgumentException e) {
      pos = start;
      throw error(e.getMessage());
    }
    List<String> items = UnicodeProperties.nativeItems(body.toString(), negated);
    return ClassSet.property(items, negated ? () -> exact.get().complement() : exact);
  }

  /** A CharacterEscape with the u flag, after the backslash; returns its code point. */
  private int characterEscape(boolean inClass) {
    int c = src[pos++];
    switch (c) {
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return 0x0B;
      case 'c':
        int letter = peek();
        if ((letter >= 'a' && letter <= 'z') || (letter >= 'A' && letter <= 'Z')) {
          pos++;
          return letter % 32;
        }
        throw error("invalid unicode escape");
      case '0':
        if (peek() >= '0' && peek() <= '9') {
          throw error("invalid decimal escape");
        }
        return 0;
      case 'x':
        int hi = Character.digit(peek(), 16);
        int lo = Character.digit(peek(1), 16);
        if (hi < 0 || lo < 0 || peek() > 0x7F || peek(1) > 0x7F) {
          throw error("invalid escape");
        }
        pos += 2;
        return hi * 16 + lo;
      case 'u':
        return unicodeEscape();
      default:
        if (SYNTAX_CHARACTERS.indexOf(c) >= 0 || c == '/') {
          return c;
        }
        if (inClass && (c == 'b')) {
          return 0x08;
        }
        if (inClass && CLASS_SET_RESERVED_PUNCTUATORS.indexOf(c) >= 0) {
          return c;
        }
        pos--;
        throw error("invalid escape '\\" + new String(Character.toChars(c)) + "'");
    }
  }

  private int unicodeEscape() {
    if (eat('{')) {
      long value = 0;
      int digits = 0;
      while (peek() != '}') {
        int d = peek() > 0x7F ? -1 : Character.digit(peek(), 16);
        if (d < 0) {
          throw error("invalid unicode escape");
        }
        value = Math.min(value * 16 + d, Character.MAX_CODE_POINT + 1L);
        digits++;
        pos++;
      }
      pos++;
      if (digits == 0 || value > Character.MAX_CODE_POINT) {
        throw error("invalid unicode escape");
      }
      return (int) value;
    }
    int unit = hex4();
    if (Character.isHighSurrogate((char) unit) && peek() == '\\' && peek(1) == 'u') {
      int saved = pos;
      pos += 2;
      int trail = hex4OrNegative();
      if (trail >= 0 && Character.isLowSurrogate((char) trail)) {
        return Character.toCodePoint((char) unit, (char) trail);
      }
      pos = saved;
    }
    return unit;
  }

  private int hex4() {
    int value = hex4OrNegative();
    if (value < 0) {
      throw error("invalid unicode escape");
    }
    return value;
  }

  private int hex4OrNegative() {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int c = peek(i);
      int d = c > 0x7F ? -1 : Character.digit(c, 16);
      if (d < 0) {
        return -1;
      }
      value = value * 16 + d;
    }
    pos += 4;
    return value;
  }

  // ---- character classes (the v flag's ClassSetExpression) ----

  /** Parses {@code [...]} or {@code [^...]} at {@code pos}. */
  private ClassSet characterClass() {
    int start = pos;
    pos++;
    boolean negated = eat('^');
    ClassSet contents = classContents();
    if (!eat(']')) {
      throw error("unterminated character class");
    }
    if (!negated) {
      return contents;
    }
    if (!contents.strings().isEmpty()) {
      pos = start;
      throw error("a negated character class may contain strings");
    }
    return contents.negate();
  }

  private ClassSet classContents() {
    if (peek() == ']') {
      return ClassSet.of(CodePointSet.EMPTY);
    }
    ClassSet first = classOperandOrRange(true);
    if (peek() == '&' && peek(1) == '&') {
      ClassSet result = first;
      while (peek() == '&' && peek(1) == '&') {
        pos += 2;
        if (peek() == '&') {
          throw error("invalid set operation in character class");
        }
        result = result.intersect(classOperandOrRange(false));
      }
      return expectClassEnd(result);
    }
    if (peek() == '-' && peek(1) == '-') {
      ClassSet result = first;
      while (peek() == '-' && peek(1) == '-') {
        pos += 2;
        result = result.subtract(classOperandOrRange(false));
      }
      return expectClassEnd(result);
    }
    ClassSet result = first;
    while (peek() != ']' && peek() >= 0) {
      if ((peek() == '&' && peek(1) == '&') || (peek() == '-' && peek(1) == '-')) {
        throw error("invalid set operation in character class");
      }
      result = result.union(classOperandOrRange(true));
    }
    return result;
  }

  private ClassSet expectClassEnd(ClassSet result) {
    if (peek() != ']') {
      throw error("invalid set operation in character class");
    }
    return result;
  }

  private ClassSet classOperandOrRange(boolean rangeAllowed) {
    int c = peek();
    if (c < 0) {
      throw error("unterminated character class");
    }
    if (c == '[') {
      return characterClass();
    }
    if (c == '\\') {
      pos++;
      if (peek() == 'q' && peek(1) == '{') {
        pos += 2;
        return classStrings();
      }
      ClassSet set = classEscape();
      if (set != null) {
        return set;
      }
      pos--;
    }
    int from = classSetCharacter();
    if (rangeAllowed && peek() == '-' && peek(1) != '-') {
      pos++;
      int rangeStart = pos;
      int to = classSetCharacter();
      if (to < from) {
        pos = rangeStart;
        throw error("range out of order in character class");
      }
      return ClassSet.of(CodePointSet.range(from, to));
    }
    return ClassSet.of(CodePointSet.of(from));
  }

  private int classSetCharacter() {
    int c = peek();
    if (c < 0) {
      throw error("unterminated character class");
    }
    if (c == '\\') {
      pos++;
      if (peek() < 0) {
        throw error("\\ at end of pattern");
      }
      return characterEscape(true);
    }
    if (CLASS_SET_SYNTAX_CHARACTERS.indexOf(c) >= 0) {
      throw error("'" + (char) c + "' must be escaped in a character class");
    }
    if (CLASS_SET_RESERVED_DOUBLE.indexOf(c) >= 0 && peek(1) == c) {
      throw error("'" + (char) c + (char) c + "' is reserved in a character class");
    }
    pos++;
    return c;
  }

  /** {@code \q{a|bc|}} after the {@code \q{}. */
  private ClassSet classStrings() {
    CodePointSet chars = CodePointSet.EMPTY;
    Set<String> strings = new TreeSet<>();
    StringBuilder current = new StringBuilder();
    while (true) {
      int c = peek();
      if (c < 0) {
        throw error("unterminated class string disjunction");
      }
      if (c == '|' || c == '}') {
        pos++;
        if (current.codePointCount(0, current.length()) == 1) {
          chars = chars.union(CodePointSet.of(current.codePointAt(0)));
        } else {
          strings.add(current.toString());
        }
        current.setLength(0);
        if (c == '}') {
          return ClassSet.strings(chars, strings);
        }
        continue;
      }
      current.appendCodePoint(classSetCharacter());
    }
  }
}
