package dev.herald.hub.store;

import java.time.Duration;
import java.util.Objects;

/** The checks both stores' builders apply to their retention limits. */
final class Retention {
  private Retention() {}

  static int maxUpdates(int maxUpdates) {
    if (maxUpdates < 0) {
      throw new IllegalArgumentException("maxUpdates must not be negative: " + maxUpdates);
    }
    return maxUpdates;
  }

  static Duration maxAge(Duration maxAge) {
    if (Objects.requireNonNull(maxAge, "maxAge").isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
    }
    return maxAge;
  }

  static long maxBytes(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    return maxBytes;
  }
}
