package dev.herald.urlpattern;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Parses a pattern string into a part list ("parse a pattern string" of the URL Pattern standard).
 * Fixed text goes through the component's encoding callback; regexp groups are checked by {@link
 * JsRegExp} so that an invalid or unsupported one is reported at its position.
 */
final class PatternParser {
  static final String FULL_WILDCARD_REGEXP = ".*";

  private final List<Token> tokens;
  private final UnaryOperator<String> encoding;
  private final ComponentOptions options;
  private final String segmentWildcardRegexp;
  private final List<Part> parts = new ArrayList<>();
  private final StringBuilder pendingFixedValue = new StringBuilder();
  private int index;
  private int nextNumericName;

  private PatternParser(String input, ComponentOptions options, UnaryOperator<String> encoding) {
    this.tokens = Tokenizer.tokenize(input, Tokenizer.Policy.STRICT);
    this.encoding = encoding;
    this.options = options;
    this.segmentWildcardRegexp = segmentWildcardRegexp(options);
  }

  /** Parses {@code input}; throws {@link UrlPatternException} if it is not well formed. */
  static List<Part> parse(String input, ComponentOptions options, UnaryOperator<String> encoding) {
    PatternParser parser = new PatternParser(input, options, encoding);
    parser.run();
    return parser.parts;
  }

  /** The regexp of a segment wildcard, in JavaScript syntax: {@code [^<delimiter>]+?}. */
  static String segmentWildcardRegexp(ComponentOptions options) {
    return "[^" + RegexGenerator.escapeRegexpString(options.delimiter()) + "]+?";
  }

  private void run() {
    while (index < tokens.size()) {
      Token charToken = tryConsume(Token.Type.CHAR);
      Token nameToken = tryConsume(Token.Type.NAME);
      Token regexpOrWildcard = tryConsumeRegexpOrWildcard(nameToken);
      if (nameToken != null || regexpOrWildcard != null) {
        String prefix = charToken == null ? "" : charToken.value();
        if (!prefix.isEmpty() && !prefix.equals(options.prefix())) {
          pendingFixedValue.append(prefix);
          prefix = "";
        }
        maybeAddPartFromPendingFixedValue();
        Token modifier = tryConsumeModifier();
        addPart(prefix, nameToken, regexpOrWildcard, "", modifier);
        continue;
      }
      Token fixed = charToken != null ? charToken : tryConsume(Token.Type.ESCAPED_CHAR);
      if (fixed != null) {
        pendingFixedValue.append(fixed.value());
        continue;
      }
      if (tryConsume(Token.Type.OPEN) != null) {
        group();
        continue;
      }
      maybeAddPartFromPendingFixedValue();
      consumeRequired(Token.Type.END);
    }
  }

  private void group() {
    String prefix = consumeText();
    Token nameToken = tryConsume(Token.Type.NAME);
    Token regexpOrWildcard = tryConsumeRegexpOrWildcard(nameToken);
    String suffix = consumeText();
    consumeRequired(Token.Type.CLOSE);
    Token modifier = tryConsumeModifier();
    addPart(prefix, nameToken, regexpOrWildcard, suffix, modifier);
  }

  private Token tryConsume(Token.Type type) {
    Token next = tokens.get(index);
    if (next.type() != type) {
      return null;
    }
    index++;
    return next;
  }

  private Token tryConsumeModifier() {
    Token token = tryConsume(Token.Type.OTHER_MODIFIER);
    return token != null ? token : tryConsume(Token.Type.ASTERISK);
  }

  private Token tryConsumeRegexpOrWildcard(Token nameToken) {
    Token token = tryConsume(Token.Type.REGEXP);
    if (nameToken == null && token == null) {
      token = tryConsume(Token.Type.ASTERISK);
    }
    return token;
  }

  private void consumeRequired(Token.Type type) {
    if (tryConsume(type) == null) {
      Token next = tokens.get(index);
      String expected = type == Token.Type.END ? "the end of the pattern" : "'}'";
      throw new UrlPatternException(
          "expected " + expected + " but found " + describe(next), next.index());
    }
  }

  private static String describe(Token token) {
    switch (token.type()) {
      case END:
        return "the end of the pattern";
      case NAME:
        return "the group name ':" + token.value() + "'";
      case REGEXP:
        return "the regular expression group '(" + token.value() + ")'";
      default:
        return "'" + token.value() + "'";
    }
  }

  private String consumeText() {
    StringBuilder result = new StringBuilder();
    while (true) {
      Token token = tryConsume(Token.Type.CHAR);
      if (token == null) {
        token = tryConsume(Token.Type.ESCAPED_CHAR);
      }
      if (token == null) {
        return result.toString();
      }
      result.append(token.value());
    }
  }

  private void maybeAddPartFromPendingFixedValue() {
    if (pendingFixedValue.length() == 0) {
      return;
    }
    String encoded = encoding.apply(pendingFixedValue.toString());
    pendingFixedValue.setLength(0);
    parts.add(Part.fixed(encoded, Part.Modifier.NONE));
  }

  private void addPart(
      String prefix, Token nameToken, Token regexpOrWildcard, String suffix, Token modifierToken) {
    Part.Modifier modifier = modifier(modifierToken);
    if (nameToken == null && regexpOrWildcard == null && modifier == Part.Modifier.NONE) {
      pendingFixedValue.append(prefix);
      return;
    }
    maybeAddPartFromPendingFixedValue();
    if (nameToken == null && regexpOrWildcard == null) {
      if (!prefix.isEmpty()) {
        parts.add(Part.fixed(encoding.apply(prefix), modifier));
      }
      return;
    }
    String regexpValue;
    if (regexpOrWildcard == null) {
      regexpValue = segmentWildcardRegexp;
    } else if (regexpOrWildcard.type() == Token.Type.ASTERISK) {
      regexpValue = FULL_WILDCARD_REGEXP;
    } else {
      regexpValue = regexpOrWildcard.value();
    }
    Part.Type type = Part.Type.REGEXP;
    if (regexpValue.equals(segmentWildcardRegexp)) {
      type = Part.Type.SEGMENT_WILDCARD;
      regexpValue = "";
    } else if (regexpValue.equals(FULL_WILDCARD_REGEXP)) {
      type = Part.Type.FULL_WILDCARD;
      regexpValue = "";
    } else {
      checkRegexp(regexpOrWildcard);
    }
    String name;
    if (nameToken != null) {
      name = nameToken.value();
    } else {
      name = Integer.toString(nextNumericName++);
    }
    for (Part part : parts) {
      if (part.name().equals(name)) {
        int at = nameToken != null ? nameToken.index() : regexpOrWildcard.index();
        throw new UrlPatternException("the group name '" + name + "' is used twice", at);
      }
    }
    parts.add(
        new Part(
            type, regexpValue, modifier, name, encoding.apply(prefix), encoding.apply(suffix)));
  }

  private void checkRegexp(Token token) {
    try {
      JsRegExp.translate(token.value(), options.ignoreCase());
    } catch (JsRegExp.SyntaxException e) {
      throw new UrlPatternException(
          "in the regular expression '(" + token.value() + ")': " + e.getMessage(),
          token.index() + 1 + e.index());
    }
  }

  private static Part.Modifier modifier(Token token) {
    if (token == null) {
      return Part.Modifier.NONE;
    }
    switch (token.value()) {
      case "?":
        return Part.Modifier.OPTIONAL;
      case "*":
        return Part.Modifier.ZERO_OR_MORE;
      default:
        return Part.Modifier.ONE_OR_MORE;
    }
  }
}
