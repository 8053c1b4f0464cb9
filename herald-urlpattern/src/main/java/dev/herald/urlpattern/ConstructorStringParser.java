package dev.herald.urlpattern;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * "Parse a constructor string" of the URL Pattern standard: splits a pattern such as {@code
 * https://*.example.com/books/:id} into component pattern strings, on the lenient token list.
 */
final class ConstructorStringParser {
  private enum State {
    INIT,
    PROTOCOL,
    AUTHORITY,
    USERNAME,
    PASSWORD,
    HOSTNAME,
    PORT,
    PATHNAME,
    SEARCH,
    HASH,
    DONE
  }

  private final int[] input;
  private final List<Token> tokens;
  private final Map<Component.Name, String> result = new EnumMap<>(Component.Name.class);
  private int componentStart;
  private int tokenIndex;
  private int tokenIncrement = 1;
  private int groupDepth;
  private int hostnameIpv6BracketDepth;
  private boolean protocolMatchesSpecialScheme;
  private State state = State.INIT;

  private ConstructorStringParser(String input) {
    this.input = input.codePoints().toArray();
    this.tokens = Tokenizer.tokenize(input, Tokenizer.Policy.LENIENT);
  }

  /** The component pattern strings found in {@code input}; absent components are not in it. */
  static Map<Component.Name, String> parse(String input) {
    ConstructorStringParser parser = new ConstructorStringParser(input);
    parser.run();
    return parser.result;
  }

  private void run() {
    while (tokenIndex < tokens.size()) {
      tokenIncrement = 1;
      if (tokens.get(tokenIndex).type() == Token.Type.END) {
        if (state == State.INIT) {
          rewind();
          if (isHashPrefix()) {
            changeState(State.HASH, 1);
          } else if (isSearchPrefix()) {
            changeState(State.SEARCH, 1);
          } else {
            changeState(State.PATHNAME, 0);
          }
          tokenIndex += tokenIncrement;
          continue;
        }
        if (state == State.AUTHORITY) {
          rewindAndSetState(State.HOSTNAME);
          tokenIndex += tokenIncrement;
          continue;
        }
        changeState(State.DONE, 0);
        break;
      }
      if (tokens.get(tokenIndex).type() == Token.Type.OPEN) {
        groupDepth++;
        tokenIndex += tokenIncrement;
        continue;
      }
      if (groupDepth > 0) {
        if (tokens.get(tokenIndex).type() == Token.Type.CLOSE) {
          groupDepth--;
        } else {
          tokenIndex += tokenIncrement;
          continue;
        }
      }
      step();
      tokenIndex += tokenIncrement;
    }
    if (result.containsKey(Component.Name.HOSTNAME) && !result.containsKey(Component.Name.PORT)) {
      result.put(Component.Name.PORT, "");
    }
  }

  private void step() {
    switch (state) {
      case INIT:
        if (isNonSpecialPatternChar(tokenIndex, ":")) {
          rewindAndSetState(State.PROTOCOL);
        }
        break;
      case PROTOCOL:
        if (isNonSpecialPatternChar(tokenIndex, ":")) {
          protocolSuffix();
        }
        break;
      case AUTHORITY:
        if (isNonSpecialPatternChar(tokenIndex, "@")) {
          rewindAndSetState(State.USERNAME);
        } else if (isNonSpecialPatternChar(tokenIndex, "/") || isSearchPrefix() || isHashPrefix()) {
          rewindAndSetState(State.HOSTNAME);
        }
        break;
      case USERNAME:
        if (isNonSpecialPatternChar(tokenIndex, ":")) {
          changeState(State.PASSWORD, 1);
        } else if (isNonSpecialPatternChar(tokenIndex, "@")) {
          changeState(State.HOSTNAME, 1);
        }
        break;
      case PASSWORD:
        if (isNonSpecialPatternChar(tokenIndex, "@")) {
          changeState(State.HOSTNAME, 1);
        }
        break;
      case HOSTNAME:
        hostname();
        break;
      case PORT:
        endOfAuthority();
        break;
      case PATHNAME:
        if (isSearchPrefix()) {
          changeState(State.SEARCH, 1);
        } else if (isHashPrefix()) {
          changeState(State.HASH, 1);
        }
        break;
      case SEARCH:
        if (isHashPrefix()) {
          changeState(State.HASH, 1);
        }
        break;
      default:
        break;
    }
  }

  private void protocolSuffix() {
    computeProtocolMatchesSpecialScheme();
    State next = State.PATHNAME;
    int skip = 1;
    if (isNonSpecialPatternChar(tokenIndex + 1, "/")
        && isNonSpecialPatternChar(tokenIndex + 2, "/")) {
      next = State.AUTHORITY;
      skip = 3;
    } else if (protocolMatchesSpecialScheme) {
      next = State.AUTHORITY;
    }
    changeState(next, skip);
  }

  private void hostname() {
    if (isNonSpecialPatternChar(tokenIndex, "[")) {
      hostnameIpv6BracketDepth++;
    } else if (isNonSpecialPatternChar(tokenIndex, "]")) {
      hostnameIpv6BracketDepth--;
    } else if (isNonSpecialPatternChar(tokenIndex, ":") && hostnameIpv6BracketDepth == 0) {
      changeState(State.PORT, 1);
    } else {
      endOfAuthority();
    }
  }

  private void endOfAuthority() {
    if (isNonSpecialPatternChar(tokenIndex, "/")) {
      changeState(State.PATHNAME, 0);
    } else if (isSearchPrefix()) {
      changeState(State.SEARCH, 1);
    } else if (isHashPrefix()) {
      changeState(State.HASH, 1);
    }
  }

  private void changeState(State newState, int skip) {
    if (state != State.INIT && state != State.AUTHORITY && state != State.DONE) {
      result.put(componentOf(state), makeComponentString());
    }
    if (state != State.INIT && newState != State.DONE) {
      boolean beforeHostname =
          state == State.PROTOCOL
              || state == State.AUTHORITY
              || state == State.USERNAME
              || state == State.PASSWORD;
      boolean beforePathname = beforeHostname || state == State.HOSTNAME || state == State.PORT;
      if (beforeHostname
          && (newState == State.PORT
              || newState == State.PATHNAME
              || newState == State.SEARCH
              || newState == State.HASH)) {
        result.putIfAbsent(Component.Name.HOSTNAME, "");
      }
      if (beforePathname && (newState == State.SEARCH || newState == State.HASH)) {
        result.putIfAbsent(Component.Name.PATHNAME, protocolMatchesSpecialScheme ? "/" : "");
      }
      if ((beforePathname || state == State.PATHNAME) && newState == State.HASH) {
        result.putIfAbsent(Component.Name.SEARCH, "");
      }
    }
    state = newState;
    tokenIndex += skip;
    componentStart = tokenIndex;
    tokenIncrement = 0;
  }

  private static Component.Name componentOf(State state) {
    return Component.Name.valueOf(state.name());
  }

  private void rewind() {
    tokenIndex = componentStart;
    tokenIncrement = 0;
  }

  private void rewindAndSetState(State newState) {
    rewind();
    state = newState;
  }

  private Token safeToken(int index) {
    return index < tokens.size() ? tokens.get(index) : tokens.get(tokens.size() - 1);
  }

  private boolean isNonSpecialPatternChar(int index, String value) {
    Token token = safeToken(index);
    if (!token.value().equals(value)) {
      return false;
    }
    return token.type() == Token.Type.CHAR
        || token.type() == Token.Type.ESCAPED_CHAR
        || token.type() == Token.Type.INVALID_CHAR;
  }

  private boolean isSearchPrefix() {
    if (isNonSpecialPatternChar(tokenIndex, "?")) {
      return true;
    }
    if (!tokens.get(tokenIndex).value().equals("?")) {
      return false;
    }
    if (tokenIndex - 1 < 0) {
      return true;
    }
    Token.Type previous = safeToken(tokenIndex - 1).type();
    return previous != Token.Type.NAME
        && previous != Token.Type.REGEXP
        && previous != Token.Type.CLOSE
        && previous != Token.Type.ASTERISK;
  }

  private boolean isHashPrefix() {
    return isNonSpecialPatternChar(tokenIndex, "#");
  }

  private String makeComponentString() {
    int start = safeToken(componentStart).index();
    int end = tokens.get(tokenIndex).index();
    return new String(input, start, end - start);
  }

  private void computeProtocolMatchesSpecialScheme() {
    Component protocol =
        Component.compile(Component.Name.PROTOCOL, makeComponentString(), ComponentOptions.DEFAULT);
    protocolMatchesSpecialScheme = protocol.matchesSpecialScheme();
  }
}
