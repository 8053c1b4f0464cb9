package dev.herald.hub.auth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The topics one right covers: exact topics in a hash set, patterns tried in order. */
final class TopicSet {
  static final TopicSet EMPTY = new TopicSet(List.of());

  private final boolean all;
  private final Set<String> exact = new HashSet<>();
  private final List<Selector> patterns = new ArrayList<>();

  TopicSet(List<Selector> selectors) {
    boolean wildcard = false;
    for (Selector selector : selectors) {
      if (selector.isWildcard()) {
        wildcard = true;
      } else if (selector.exact() != null) {
        exact.add(selector.exact());
      } else {
        patterns.add(selector);
      }
    }
    this.all = wildcard;
  }

  boolean contains(String topic) {
    if (all || exact.contains(topic)) {
      return true;
    }
    for (Selector pattern : patterns) {
      if (pattern.matches(topic)) {
        return true;
      }
    }
    return false;
  }
}
