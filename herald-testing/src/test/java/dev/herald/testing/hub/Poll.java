package dev.herald.testing.hub;

import java.util.function.BooleanSupplier;

/**
 * Waits for a condition on state that has no event to wait on, such as a hub's subscriber count.
 */
final class Poll {
  private Poll() {}

  /** Checks {@code condition} every 20 ms; fails after 10 s. */
  static void until(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the condition did not hold within 10 s");
      }
      Thread.sleep(20); // nothing to wait on but the condition itself
    }
  }
}
