package dev.herald.bench.load;

/**
 * An open-loop publishing schedule: event {@code i} (from 0) is due at {@code start + i / rate},
 * whatever happened to the events before it. Each event carries its scheduled time, not the time it
 * was sent, so a server that stalls the publisher shows the stall as latency instead of hiding it
 * (coordinated omission).
 *
 * <p>Immutable and thread-safe.
 */
final class OpenLoopSchedule {
  private final long startNanos;
  private final double ratePerSecond;
  private final long count;

  /** {@code count} events at {@code ratePerSecond}, the first due at {@code startNanos}. */
  OpenLoopSchedule(long startNanos, double ratePerSecond, long count) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
    this.startNanos = startNanos;
    this.ratePerSecond = ratePerSecond;
    this.count = count;
  }

  /** When event {@code i} is due ({@link System#nanoTime()} scale). */
  long scheduledNanos(long i) {
    return startNanos + (long) Math.floor(i * 1e9 / ratePerSecond);
  }

  /** How many events are due at {@code nowNanos}: those with a scheduled time not after it. */
  long dueAt(long nowNanos) {
    if (nowNanos < startNanos) {
      return 0;
    }
    long n = (long) Math.floor((nowNanos - startNanos) * ratePerSecond / 1e9) + 1;
    // floating point may be one off at the boundary: settle it against scheduledNanos itself
    while (n > 0 && scheduledNanos(n - 1) > nowNanos) {
      n--;
    }
    while (n < count && scheduledNanos(n) <= nowNanos) {
      n++;
    }
    return Math.min(n, count);
  }

  /** The number of events. */
  long count() {
    return count;
  }

  /** When the last event is due. */
  long endNanos() {
    return count == 0 ? startNanos : scheduledNanos(count - 1);
  }
}
