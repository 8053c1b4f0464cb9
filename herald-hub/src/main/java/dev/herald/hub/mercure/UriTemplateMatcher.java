package dev.herald.hub.mercure;

import com.google.re2j.Pattern;

/**
 * Matches topics against an RFC 6570 URI template, as pre-1.0 Mercure hubs did for the selectors of
 * the legacy {@code mercure} claim. Each expression becomes a fixed regular expression evaluated by
 * re2j, so matching is linear in the topic's length whatever the template.
 *
 * <p>A simple expression such as {@code {id}} matches any run of characters without {@code /};
 * {@code {+path}} matches anything; {@code {#frag}} an optional {@code #} and anything after it;
 * {@code {.x}}, {@code {/x}}, {@code {;x}}, {@code {?x}} and {@code {&x}} their prefixed forms.
 * Everything outside braces is literal.
 *
 * <p>Matching costs at most <em>program size × topic length</em> steps, so the compiled program is
 * bounded ({@link #MAX_PROGRAM_SIZE}), as a URL pattern's is: a template of the pre-1.0 {@code
 * topic} subscribe parameter, which any subscriber may send, costs at most 256 × 4,096 ≈ one
 * million steps per topic, paid once per topic and template on the hub's dispatching thread.
 */
public final class UriTemplateMatcher {
  /** The longest template accepted. */
  public static final int MAX_LENGTH = 4096;

  /**
   * The most instructions of a template's compiled re2j program: {@value}, twice a URL pattern
   * component's ({@code UrlPattern.MAX_PROGRAM_SIZE}), since a template is a whole URL. A template
   * of about 200 literal characters and a few expressions fits.
   *
   * @since 0.2
   */
  public static final int MAX_PROGRAM_SIZE = 256;

  private final Pattern pattern;

  private UriTemplateMatcher(Pattern pattern) {
    this.pattern = pattern;
  }

  /**
   * Compiles {@code template}.
   *
   * @throws IllegalArgumentException if it is not a valid URI template, is too long, or compiles to
   *     more than {@link #MAX_PROGRAM_SIZE} instructions
   */
  public static UriTemplateMatcher compile(String template) {
    if (template.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("URI template longer than " + MAX_LENGTH);
    }
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '{') {
        int end = template.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed expression at index " + i);
        }
        regex.append(expression(template.substring(i + 1, end)));
        i = end + 1;
      } else if (c == '}') {
        throw new IllegalArgumentException("unopened '}' at index " + i);
      } else {
        int end = nextBrace(template, i);
        regex.append(Pattern.quote(template.substring(i, end)));
        i = end;
      }
    }
    Pattern pattern = Pattern.compile(regex.toString(), Pattern.DOTALL);
    if (pattern.programSize() > MAX_PROGRAM_SIZE) {
      throw new IllegalArgumentException(
          "URI template too costly to match: its program has "
              + pattern.programSize()
              + " instructions, past MAX_PROGRAM_SIZE ("
              + MAX_PROGRAM_SIZE
              + ")");
    }
    return new UriTemplateMatcher(pattern);
  }

  /** Whether {@code topic} is one of the template's expansions. */
  public boolean matches(String topic) {
    return pattern.matches(topic);
  }

  private static int nextBrace(String template, int from) {
    int i = from;
    while (i < template.length() && template.charAt(i) != '{' && template.charAt(i) != '}') {
      i++;
    }
    return i;
  }

  private static String expression(String expression) {
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
      case '+':
        return ".*";
      case '#':
        return "(?:#.*)?";
      case '.':
        return "(?:\\.[^/]*)?";
      case '/':
        return "(?:/[^/]*)*";
      case ';':
        return "(?:;[^/?#]*)?";
      case '?':
        return "(?:\\?[^#]*)?";
      case '&':
        return "(?:&[^#]*)?";
      default:
        return "[^/]*";
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
}
