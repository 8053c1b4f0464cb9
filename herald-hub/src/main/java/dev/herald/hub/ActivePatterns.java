package dev.herald.hub;

import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The URL patterns that connected subscribers use, counted, so that the hub matches each update
 * against each of them once, on the thread that dispatches it, before the update reaches an event
 * loop: there, a subscriber's filter finds the verdicts remembered ({@link TopicMatcher#matches})
 * instead of running a pattern. A costly pattern (up to {@code UrlPattern.MAX_PROGRAM_SIZE}
 * instructions against a topic of up to {@link Hub#MAX_TOPIC_LENGTH} characters) then slows the
 * dispatch of updates, which publishers feel as a later acknowledgement, and not the event loops,
 * which keep serving every connection. Thread-safe.
 */
final class ActivePatterns {
  private final Map<TopicMatcher, Integer> subscribers = new ConcurrentHashMap<>();

  /** Counts the URL patterns of {@code subscriber}, until {@link #remove}. */
  void add(Subscriber subscriber) {
    for (TopicMatcher m : subscriber.matchers()) {
      if (m.isUrlPattern()) {
        subscribers.merge(m, 1, Integer::sum);
      }
    }
  }

  /** Stops counting the URL patterns of {@code subscriber}. */
  void remove(Subscriber subscriber) {
    for (TopicMatcher m : subscriber.matchers()) {
      if (m.isUrlPattern()) {
        subscribers.computeIfPresent(m, (pattern, n) -> n == 1 ? null : n - 1);
      }
    }
  }

  /** The number of distinct URL patterns in use. */
  int size() {
    return subscribers.size();
  }

  /** Matches every URL pattern in use against the topics of {@code update}; returns how many. */
  int match(Update update) {
    int matched = 0;
    for (TopicMatcher pattern : subscribers.keySet()) {
      for (String topic : update.topics()) {
        pattern.matches(topic);
        matched++;
      }
    }
    return matched;
  }
}
