package dev.herald.reliability;

import java.util.concurrent.Callable;

/** Waits for a condition by polling it, in place of a sleep. */
final class Poll {
  private Poll() {}

  /** Polls {@code condition} every 20 ms until true; fails after 30 s. */
  static void until(Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the condition did not hold within 30 s");
      }
      Thread.sleep(20);
    }
  }
}
