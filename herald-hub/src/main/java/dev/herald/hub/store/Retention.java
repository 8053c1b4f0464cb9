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

  /**
   * The retention limits in words, for a store's {@code toString} (the dashboard shows it): {@code
   * "at most 1000 updates, 1048576 bytes, PT1H old"}.
   */
  static String describe(int maxUpdates, long maxBytes, Duration maxAge) {
    return "at most "
        + maxUpdates
        + " updates, "
        + maxBytes
        + " bytes, "
        + (maxAge == null ? "any age" : maxAge + " old");
  }

  static long maxBytes(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    return maxBytes;
  }
}
