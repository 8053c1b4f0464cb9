package dev.herald.hub;

import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The URL patterns and URI templates (the pre-1.0 {@code topic} parameter's) that connected
 * subscribers use, counted, so that the hub matches each update against each of them once, on the
 * thread that dispatches it, before the update reaches an event loop: there, a subscriber's filter
 * finds the verdicts remembered ({@link TopicMatcher#matches}) instead of running a pattern. A
 * costly pattern (up to {@code UrlPattern.MAX_PROGRAM_SIZE} instructions per component, or {@link
 * dev.herald.hub.mercure.UriTemplateMatcher#MAX_PROGRAM_SIZE} for a template, against a topic of up
 * to {@link Hub#MAX_TOPIC_LENGTH} characters) then slows the dispatch of updates, which publishers
 * feel as a later acknowledgement, and not the event loops, which keep serving every connection.
 * Thread-safe.
 */
final class ActivePatterns {
  private final Map<TopicMatcher, Integer> subscribers = new ConcurrentHashMap<>();

  /** Counts the patterns of {@code subscriber}, until {@link #remove}. */
  void add(Subscriber subscriber) {
    for (TopicMatcher m : subscriber.matchers()) {
      if (m.remembersVerdicts()) {
        subscribers.merge(m, 1, Integer::sum);
      }
    }
  }

  /** Stops counting the patterns of {@code subscriber}. */
  void remove(Subscriber subscriber) {
    for (TopicMatcher m : subscriber.matchers()) {
      if (m.remembersVerdicts()) {
        subscribers.computeIfPresent(m, (pattern, n) -> n == 1 ? null : n - 1);
      }
    }
  }

  /** The number of distinct patterns in use. */
  int size() {
    return subscribers.size();
  }

  /** Matches every pattern in use against the topics of {@code update}; returns how many. */
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
