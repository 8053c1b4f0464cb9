package dev.herald.hub.mercure;

import java.util.ArrayList;
import java.util.List;

/**
 * Matches topics against an RFC 6570 URI template, as pre-1.0 Mercure hubs did for the selectors of
 * the legacy {@code mercure} claim. The template becomes a small automaton that is run on every
 * state at once (no backtracking), so matching takes time linear in the topic's length whatever the
 * template: at most the topic's length times the template's size.
 *
 * <p>A simple expression such as {@code {id}} matches any run of characters without {@code /};
 * {@code {+path}} matches anything; {@code {#frag}} an optional {@code #} and anything after it;
 * {@code {.x}}, {@code {/x}}, {@code {;x}}, {@code {?x}} and {@code {&x}} their prefixed forms.
 * Everything outside braces is literal.
 *
 * <p>Matching costs at most <em>states × topic length</em> steps, so the automaton is bounded
 * ({@link #MAX_PROGRAM_SIZE}), as a URL pattern's program is: a template of the pre-1.0 {@code
 * topic} subscribe parameter, which any subscriber may send, costs at most 256 × 4,096 ≈ one
 * million steps per topic, paid once per topic and template on the hub's dispatching thread.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class UriTemplateMatcher {
  /** The longest template accepted. */
  public static final int MAX_LENGTH = 4096;

  /**
   * The most states of a template's automaton: {@value}, twice a URL pattern component's program
   * ({@code UrlPattern.MAX_PROGRAM_SIZE}), since a template is a whole URL. A literal character is
   * one state, an expression two to four: a template of about 200 literal characters and a few
   * expressions fits.
   *
   * @since 0.2
   */
  public static final int MAX_PROGRAM_SIZE = 256;

  private final Automaton automaton;

  private UriTemplateMatcher(Automaton automaton) {
    this.automaton = automaton;
  }

  /**
   * Compiles {@code template}.
   *
   * @throws IllegalArgumentException if it is not a valid URI template, is too long, or needs more
   *     than {@link #MAX_PROGRAM_SIZE} states
   */
  public static UriTemplateMatcher compile(String template) {
    if (template.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("URI template longer than " + MAX_LENGTH);
    }
    Automaton.Builder automaton = new Automaton.Builder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '{') {
        int end = template.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed expression at index " + i);
        }
        expression(template.substring(i + 1, end), automaton);
        i = end + 1;
      } else if (c == '}') {
        throw new IllegalArgumentException("unopened '}' at index " + i);
      } else {
        int end = nextBrace(template, i);
        for (int j = i; j < end; j++) {
          automaton.character(template.charAt(j));
        }
        i = end;
      }
    }
    Automaton built = automaton.build();
    if (built.size() > MAX_PROGRAM_SIZE) {
      throw new IllegalArgumentException(
          "URI template too costly to match: its automaton has "
              + built.size()
              + " states, past MAX_PROGRAM_SIZE ("
              + MAX_PROGRAM_SIZE
              + ")");
    }
    return new UriTemplateMatcher(built);
  }

  /** Whether {@code topic} is one of the template's expansions. */
  public boolean matches(String topic) {
    return automaton.matches(topic);
  }

  private static int nextBrace(String template, int from) {
    int i = from;
    while (i < template.length() && template.charAt(i) != '{' && template.charAt(i) != '}') {
      i++;
    }
    return i;
  }

  /** Appends what an expression matches: the regular expression of each form in a comment. */
  private static void expression(String expression, Automaton.Builder automaton) {
    if (expression.isEmpty()) {
      throw new IllegalArgumentException("empty expression");
    }
    char operator = expression.charAt(0);
    boolean hasOperator = "+#./;?&".indexOf(operator) >= 0;
    if ("=,!@|".indexOf(operator) >= 0) {
      throw new IllegalArgumentException("reserved operator " + operator);
    }
    checkVariables(hasOperator ? expression.substring(1) : expression);
    switch (hasOperator ? operator : ' ') {
      case '+': // .*
        automaton.run("");
        break;
      case '#': // (?:#.*)?
        automaton.optional('#', "");
        break;
      case '.': // (?:\.[^/]*)?
        automaton.optional('.', "/");
        break;
      case '/': // (?:/[^/]*)*
        automaton.repeated('/', "/");
        break;
      case ';': // (?:;[^/?#]*)?
        automaton.optional(';', "/?#");
        break;
      case '?': // (?:\?[^#]*)?
        automaton.optional('?', "#");
        break;
      case '&': // (?:&[^#]*)?
        automaton.optional('&', "#");
        break;
      default: // [^/]*
        automaton.run("/");
    }
  }

  private static void checkVariables(String list) {
    for (String spec : list.split(",", -1)) {
      String name = spec;
      if (spec.endsWith("*")) {
        name = spec.substring(0, spec.length() - 1);
      } else if (spec.indexOf(':') >= 0) {
        name = spec.substring(0, spec.indexOf(':'));
        checkPrefixLength(spec.substring(spec.indexOf(':') + 1));
      }
      if (name.isEmpty() || !name.chars().allMatch(UriTemplateMatcher::isVarChar)) {
        throw new IllegalArgumentException("invalid variable name");
      }
    }
  }

  private static void checkPrefixLength(String digits) {
    if (digits.isEmpty()
        || digits.length() > 4
        || digits.charAt(0) == '0'
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("invalid prefix modifier");
    }
  }

  private static boolean isVarChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.'
        || c == '%';
  }

  /**
   * A nondeterministic automaton over the topic's characters, run breadth-first: the set of states
   * reached so far advances one character at a time, so no input makes it backtrack.
   */
  private static final class Automaton {
    /** Consumes the state's character. */
    private static final byte CHARACTER = 0;

    /** Consumes any character but those of the state's excluded set. */
    private static final byte ANY_BUT = 1;

    /** Goes on to both {@code next} and {@code alternative} without consuming anything. */
    private static final byte SPLIT = 2;

    /** The end: the topic matches if the input is used up here. */
    private static final byte MATCH = 3;

    private final byte[] kind;
    private final char[] character;
    private final String[] excluded;
    private final int[] next;
    private final int[] alternative;

    private Automaton(List<State> states) {
      int n = states.size();
      kind = new byte[n];
      character = new char[n];
      excluded = new String[n];
      next = new int[n];
      alternative = new int[n];
      for (int i = 0; i < n; i++) {
        State state = states.get(i);
        kind[i] = state.kind;
        character[i] = state.character;
        excluded[i] = state.excluded;
        next[i] = state.next;
        alternative[i] = state.alternative;
      }
    }

    /** The number of states. */
    int size() {
      return kind.length;
    }

    boolean matches(String input) {
      int n = kind.length;
      int[] current = new int[n];
      int[] following = new int[n];
      int[] seenAt = new int[n]; // the step (1-based) at which each state was last added
      int[] stack = new int[n];
      int count = close(0, current, 0, seenAt, 1, stack);
      for (int i = 0; i < input.length() && count > 0; i++) {
        char c = input.charAt(i);
        int step = i + 2;
        int followingCount = 0;
        for (int j = 0; j < count; j++) {
          int state = current[j];
          boolean consumes =
              kind[state] == CHARACTER
                  ? character[state] == c
                  : kind[state] == ANY_BUT && excluded[state].indexOf(c) < 0;
          if (consumes) {
            followingCount = close(next[state], following, followingCount, seenAt, step, stack);
          }
        }
        int[] swap = current;
        current = following;
        following = swap;
        count = followingCount;
      }
      for (int j = 0; j < count; j++) {
        if (kind[current[j]] == MATCH) {
          return true;
        }
      }
      return false;
    }

    /** Adds {@code start} and every state it reaches through splits to {@code set}. */
    private int close(int start, int[] set, int count, int[] seenAt, int step, int[] stack) {
      int top = 0;
      stack[top++] = start;
      while (top > 0) {
        int state = stack[--top];
        if (seenAt[state] == step) {
          continue;
        }
        seenAt[state] = step;
        if (kind[state] == SPLIT) {
          stack[top++] = alternative[state];
          stack[top++] = next[state];
        } else {
          set[count++] = state;
        }
      }
      return count;
    }

    /** A state while the automaton is built. */
    private static final class State {
      final byte kind;
      final char character;
      final String excluded;
      final int next;
      final int alternative;

      State(byte kind, char character, String excluded, int next, int alternative) {
        this.kind = kind;
        this.character = character;
        this.excluded = excluded;
        this.next = next;
        this.alternative = alternative;
      }
    }

    /** Appends the template's pieces in order; each piece continues at the state after it. */
    static final class Builder {
      private final List<State> states = new ArrayList<>();

      /** One literal character. */
      void character(char c) {
        int at = states.size();
        states.add(new State(CHARACTER, c, null, at + 1, -1));
      }

      /** {@code [^excluded]*}: any run of characters outside {@code excluded}, maybe empty. */
      void run(String excluded) {
        int at = states.size();
        states.add(new State(SPLIT, '\0', null, at + 1, at + 2));
        states.add(new State(ANY_BUT, '\0', excluded, at, -1));
      }

      /** {@code (?:prefix[^excluded]*)?}. */
      void optional(char prefix, String excluded) {
        group(prefix, excluded, false);
      }

      /** {@code (?:prefix[^excluded]*)*}. */
      void repeated(char prefix, String excluded) {
        group(prefix, excluded, true);
      }

      private void group(char prefix, String excluded, boolean repeated) {
        int at = states.size();
        int after = at + 4;
        states.add(new State(SPLIT, '\0', null, at + 1, after));
        states.add(new State(CHARACTER, prefix, null, at + 2, -1));
        states.add(new State(SPLIT, '\0', null, at + 3, repeated ? at : after));
        states.add(new State(ANY_BUT, '\0', excluded, at + 2, -1));
      }

      Automaton build() {
        states.add(new State(MATCH, '\0', null, -1, -1));
        return new Automaton(states);
      }
    }
  }
}
