package dev.herald.hub;

/** Pre-1.0 Mercure subscriptions: the {@code topic} parameter, an exact topic or URI template. */
final class CompatTopics {
  private CompatTopics() {}

  static TopicMatcher matcher(String value, String hubUrl) {
    return TopicMatcher.of(TopicMatcher.EXACT, value, hubUrl);
  }
}
