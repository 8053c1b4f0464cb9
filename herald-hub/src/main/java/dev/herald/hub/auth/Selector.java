package dev.herald.hub.auth;

import dev.herald.hub.mercure.TopicMatcher;
import java.util.function.Predicate;

/** One topic selector of a grant: the wildcard, an exact topic, or a pattern. */
final class Selector {
  private static final Selector WILDCARD = new Selector(null, true, topic -> true);

  private final String exact;
  private final boolean wildcard;
  private final Predicate<String> predicate;

  private Selector(String exact, boolean wildcard, Predicate<String> predicate) {
    this.exact = exact;
    this.wildcard = wildcard;
    this.predicate = predicate;
  }

  /** The selector of a Mercure topic matcher. */
  static Selector of(TopicMatcher matcher) {
    if (matcher.isWildcard()) {
      return WILDCARD;
    }
    if (matcher.isExact()) {
      return exact(matcher.value());
    }
    return new Selector(null, false, matcher::matches);
  }

  /**
   * The selector of a legacy {@code mercure} claim entry: {@code *}, an RFC 6570 URI template, or
   * else an exact topic.
   */
  static Selector legacy(String selector) {
    try {
      return of(TopicMatcher.legacy(selector));
    } catch (IllegalArgumentException e) { // not a valid template: it can only match itself
      return exact(selector);
    }
  }

  private static Selector exact(String value) {
    return new Selector(value, false, value::equals);
  }

  /** The topic this selector matches exactly, or {@code null} if it is not an exact selector. */
  String exact() {
    return exact;
  }

  boolean isWildcard() {
    return wildcard;
  }

  boolean matches(String topic) {
    return predicate.test(topic);
  }
}
