package dev.herald.redis;

import dev.herald.hub.store.ActiveSubscription;

/**
 * How an {@link ActiveSubscription} is written as one value of a node's directory hash: its
 * subscriber, matcher type and matcher value each as {@code length:text}, then its JSON document
 * (the field is its IRI). Length-prefixed, so that no character of a matcher needs escaping.
 */
final class DirectoryEntries {
  private DirectoryEntries() {}

  static String encode(ActiveSubscription s) {
    StringBuilder out = new StringBuilder(s.json().length() + 128);
    for (String part : new String[] {s.id(), s.subscriber(), s.matchType(), s.match()}) {
      out.append(part.length()).append(':').append(part);
    }
    return out.append(s.json()).toString();
  }

  /**
   * The subscription {@code value} encodes, or null if it is not one (written by another version).
   */
  static ActiveSubscription decode(String value) {
    String[] parts = new String[4];
    int at = 0;
    try {
      for (int i = 0; i < 4; i++) {
        int colon = value.indexOf(':', at);
        int length = Integer.parseInt(value.substring(at, colon));
        parts[i] = value.substring(colon + 1, colon + 1 + length);
        at = colon + 1 + length;
      }
      return new ActiveSubscription(parts[0], parts[1], parts[2], parts[3], value.substring(at));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
