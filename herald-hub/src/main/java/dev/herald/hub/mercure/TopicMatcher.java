package dev.herald.hub.mercure;

import dev.herald.urlpattern.UrlPattern;
import dev.herald.urlpattern.UrlPatternException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Mercure topic matcher: an expression of a matcher type, matched against topics. The value
 * {@code *} matches every topic whatever the type; {@code exact} compares code unit for code unit
 * (byte for byte in UTF-8), without normalization; {@code urlpattern} evaluates a WHATWG URL
 * Pattern, relative patterns and topics resolved against the hub's URL, in linear time (re2j).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class TopicMatcher {
  /** The matcher type name of exact matching, the default. */
  public static final String EXACT = "exact";

  /** The matcher type name of URL Pattern matching. */
  public static final String URLPATTERN = "urlpattern";

  /** The reserved wildcard value. */
  public static final String WILDCARD = "*";

  /** The longest matcher value accepted, in UTF-16 code units. */
  public static final int MAX_LENGTH = UrlPattern.MAX_PATTERN_LENGTH;

  /** The matcher type name of pre-1.0 URI template selectors ({@link #legacy}). */
  public static final String URITEMPLATE = "uritemplate";

  /**
   * URL pattern verdicts kept, at most: the map is cleared when full. Enough for the verdicts of
   * every update in flight when the hub matches them before they reach the event loops (its
   * ActivePatterns): a thousand patterns in use against the topics of several updates.
   */
  private static final int VERDICTS = 16_384;

  private record Verdict(String type, String pattern, String baseUrl, String topic) {}

  // Many subscribers send the same pattern (every tab of one application does): one evaluation per
  // pattern and topic is enough, made before the update reaches the event loops (ActivePatterns).
  // At most VERDICTS keys, whose strings are the pattern's and the update's own: about 1 MiB.
  private static final Map<Verdict, Boolean> URLPATTERN_VERDICTS = new ConcurrentHashMap<>();

  private final String type;
  private final String value;
  private final String baseUrl;
  private final UrlPattern pattern;
  private final UriTemplateMatcher template;

  private TopicMatcher(String type, String value, String baseUrl, UrlPattern pattern) {
    this(type, value, baseUrl, pattern, null);
  }

  private TopicMatcher(
      String type, String value, String baseUrl, UrlPattern pattern, UriTemplateMatcher template) {
    this.type = type;
    this.value = value;
    this.baseUrl = baseUrl;
    this.pattern = pattern;
    this.template = template;
  }

  /**
   * A pre-1.0 Mercure {@code topic} selector (subscribe parameter or legacy claim): {@code *}, an
   * RFC 6570 URI template such as {@code https://example.com/books/{id}} (type {@link
   * #URITEMPLATE}), or an exact topic.
   *
   * @throws IllegalArgumentException if it is too long or holds a character no topic may hold
   */
  public static TopicMatcher legacy(String selector) {
    if (selector.indexOf('{') < 0) {
      return of(EXACT, selector, null);
    }
    String invalid = Topics.invalidCharacter(selector);
    if (invalid != null) {
      throw new IllegalArgumentException("selector " + invalid);
    }
    return new TopicMatcher(
        URITEMPLATE, selector, null, null, UriTemplateMatcher.compile(selector));
  }

  /**
   * A matcher of {@code type} ({@code exact} or {@code urlpattern}) for {@code value}; relative URL
   * patterns and relative topics resolve against {@code hubUrl}.
   *
   * @throws IllegalArgumentException naming the problem if the type is not supported, the value is
   *     longer than {@link #MAX_LENGTH}, holds a character no topic may hold, or is not a valid URL
   *     pattern
   */
  public static TopicMatcher of(String type, String value, String hubUrl) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "matcher longer than " + MAX_LENGTH + " characters: " + value.length());
    }
    String invalid = Topics.invalidCharacter(value);
    if (invalid != null) {
      throw new IllegalArgumentException("matcher " + invalid);
    }
    if (!type.equals(EXACT) && !type.equals(URLPATTERN)) {
      throw new IllegalArgumentException("unsupported matcher type: " + type);
    }
    if (value.equals(WILDCARD) || type.equals(EXACT)) {
      return new TopicMatcher(type, value, hubUrl, null);
    }
    try {
      return new TopicMatcher(type, value, hubUrl, UrlPattern.compile(value, hubUrl));
    } catch (UrlPatternException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** An exact matcher. */
  public static TopicMatcher exact(String value) {
    return of(EXACT, value, null);
  }

  /** The matcher type name. */
  public String type() {
    return type;
  }

  /** The matcher's value as given. */
  public String value() {
    return value;
  }

  /** Whether this is the wildcard {@code *}, which matches every topic. */
  public boolean isWildcard() {
    return value.equals(WILDCARD);
  }

  /** Whether this is an exact matcher other than the wildcard. */
  public boolean isExact() {
    return pattern == null && template == null && !isWildcard();
  }

  /** Whether this is a URL pattern (other than the wildcard). */
  public boolean isUrlPattern() {
    return pattern != null;
  }

  /**
   * Whether {@link #matches} remembers this matcher's verdicts: a URL pattern's or a URI template's
   * (other than the wildcard). Matching it once against a topic ahead of time makes later matches a
   * lookup.
   *
   * @since 0.2
   */
  public boolean remembersVerdicts() {
    return pattern != null || template != null;
  }

  /** Whether the verdict of this matcher on {@code topic} is remembered; for tests. */
  boolean remembers(String topic) {
    return remembersVerdicts()
        && URLPATTERN_VERDICTS.containsKey(new Verdict(type, value, baseUrl, topic));
  }

  /**
   * Whether {@code topic} matches. A topic that does not parse as a URL matches no URL pattern. The
   * verdicts of URL patterns and URI templates are remembered (thousands, shared by every matcher
   * of the same pattern), so the same pattern is evaluated once per topic however many subscribers
   * send it.
   */
  public boolean matches(String topic) {
    if (!remembersVerdicts()) {
      return isWildcard() || value.equals(topic);
    }
    Verdict key = new Verdict(type, value, baseUrl, topic);
    Boolean verdict = URLPATTERN_VERDICTS.get(key);
    if (verdict == null) {
      verdict = test(topic);
      if (URLPATTERN_VERDICTS.size() >= VERDICTS) {
        URLPATTERN_VERDICTS.clear();
      }
      URLPATTERN_VERDICTS.put(key, verdict);
    }
    return verdict;
  }

  private boolean test(String topic) {
    if (template != null) {
      return value.equals(topic) || template.matches(topic);
    }
    try {
      return pattern.test(topic, baseUrl);
    } catch (UrlPatternException e) {
      return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopicMatcher
        && ((TopicMatcher) o).type.equals(type)
        && ((TopicMatcher) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + value.hashCode();
  }

  @Override
  public String toString() {
    return type + ":" + value;
  }
}
