package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition that no callback announces, such as a subscription applied on a loop. */
public final class Poll {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private Poll() {}

  /** Returns once {@code condition} holds, checking every 5 ms; fails the test after 20 s. */
  public static void until(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("%s within %s", what, WAIT).isNegative();
      Thread.sleep(5);
    }
  }
}
