package dev.herald.urlpattern;

import java.util.ArrayList;
import java.util.List;

/**
 * The URL Pattern tokenizer. The strict policy throws on a tokenizing error; the lenient policy,
 * used by the constructor string parser, turns it into an {@link Token.Type#INVALID_CHAR} token.
 */
final class Tokenizer {
  /** How tokenizing errors are handled. */
  enum Policy {
    STRICT,
    LENIENT
  }

  private final int[] input;
  private final Policy policy;
  private final List<Token> tokens = new ArrayList<>();
  private int index;
  private int nextIndex;
  private int codePoint;

  private Tokenizer(String input, Policy policy) {
    this.input = input.codePoints().toArray();
    this.policy = policy;
  }

  /** Tokenizes {@code input}; the list always ends with an {@link Token.Type#END} token. */
  static List<Token> tokenize(String input, Policy policy) {
    Tokenizer tokenizer = new Tokenizer(input, policy);
    tokenizer.run();
    return tokenizer.tokens;
  }

  /** Whether {@code cp} may appear in a group name; {@code first} for the first code point. */
  static boolean isValidNameCodePoint(int cp, boolean first) {
    if (cp == '$' || cp == '_') {
      return true;
    }
    if (first) {
      return Character.isUnicodeIdentifierStart(cp);
    }
    if (cp == 0x200C || cp == 0x200D) {
      return true;
    }
    return Character.isUnicodeIdentifierPart(cp) && !Character.isIdentifierIgnorable(cp);
  }

  private void run() {
    while (index < input.length) {
      seekAndGetNextCodePoint(index);
      switch (codePoint) {
        case '*':
          addToken(Token.Type.ASTERISK);
          break;
        case '+':
        case '?':
          addToken(Token.Type.OTHER_MODIFIER);
          break;
        case '\\':
          escapedChar();
          break;
        case '{':
          addToken(Token.Type.OPEN);
          break;
        case '}':
          addToken(Token.Type.CLOSE);
          break;
        case ':':
          name();
          break;
        case '(':
          regexp();
          break;
        default:
          addToken(Token.Type.CHAR);
      }
    }
    addToken(Token.Type.END, index, index);
  }

  private void escapedChar() {
    if (index == input.length - 1) {
      error(nextIndex, index, "a pattern cannot end with a backslash");
      return;
    }
    int escapedIndex = nextIndex;
    getNextCodePoint();
    addToken(Token.Type.ESCAPED_CHAR, nextIndex, escapedIndex);
  }

  private void name() {
    int namePosition = nextIndex;
    int nameStart = namePosition;
    while (namePosition < input.length) {
      seekAndGetNextCodePoint(namePosition);
      if (!isValidNameCodePoint(codePoint, namePosition == nameStart)) {
        break;
      }
      namePosition = nextIndex;
    }
    if (namePosition <= nameStart) {
      error(nameStart, index, "a ':' must be followed by a group name");
      return;
    }
    addToken(Token.Type.NAME, namePosition, nameStart);
  }

  private void regexp() {
    int depth = 1;
    int position = nextIndex;
    int start = position;
    while (position < input.length) {
      seekAndGetNextCodePoint(position);
      if (codePoint > 0x7F) {
        error(start, index, "a regular expression group may contain ASCII code points only");
        return;
      }
      if (position == start && codePoint == '?') {
        error(start, index, "a regular expression group cannot start with '?'");
        return;
      }
      if (codePoint == '\\') {
        if (position == input.length - 1) {
          error(start, index, "a regular expression group cannot end with a backslash");
          return;
        }
        getNextCodePoint();
        if (codePoint > 0x7F) {
          error(start, index, "a regular expression group may contain ASCII code points only");
          return;
        }
        position = nextIndex;
        continue;
      }
      if (codePoint == ')') {
        if (--depth == 0) {
          position = nextIndex;
          break;
        }
      } else if (codePoint == '(') {
        depth++;
        if (position == input.length - 1) {
          error(start, index, "the regular expression group is not closed");
          return;
        }
        int temporaryPosition = nextIndex;
        getNextCodePoint();
        if (codePoint != '?') {
          error(
              start,
              index,
              "a regular expression cannot contain a capturing group; use '(?:' or a named group");
          return;
        }
        nextIndex = temporaryPosition;
      }
      position = nextIndex;
    }
    if (depth != 0) {
      error(start, index, "the regular expression group is not closed");
      return;
    }
    int length = position - start - 1;
    if (length == 0) {
      error(start, index, "a regular expression group cannot be empty");
      return;
    }
    addToken(Token.Type.REGEXP, position, start, length);
  }

  private void getNextCodePoint() {
    codePoint = input[nextIndex];
    nextIndex++;
  }

  private void seekAndGetNextCodePoint(int at) {
    nextIndex = at;
    getNextCodePoint();
  }

  private void addToken(Token.Type type, int nextPosition, int valuePosition, int valueLength) {
    String value = new String(input, valuePosition, valueLength);
    tokens.add(new Token(type, index, value));
    index = nextPosition;
  }

  private void addToken(Token.Type type, int nextPosition, int valuePosition) {
    addToken(type, nextPosition, valuePosition, nextPosition - valuePosition);
  }

  private void addToken(Token.Type type) {
    addToken(type, nextIndex, index);
  }

  private void error(int nextPosition, int valuePosition, String reason) {
    if (policy == Policy.STRICT) {
      throw new UrlPatternException(reason, index);
    }
    addToken(Token.Type.INVALID_CHAR, nextPosition, valuePosition);
  }
}
