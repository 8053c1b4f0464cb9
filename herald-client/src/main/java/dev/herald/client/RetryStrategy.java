package dev.herald.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long an {@link EventSource} waits before it reconnects: the reconnection time (3 s, or what
 * the server set with {@code retry}, S-23, S-40), and after repeated failures an exponential
 * backoff with jitter on top of it (S-47 step 3).
 *
 * <p>After the {@code n}-th reconnection in a row, the wait is the reconnection time for {@code n
 * == 1}; beyond, it is the reconnection time times {@link #multiplier()}{@code ^(n-1)}, capped at
 * {@link #maxDelay()}, less a random part of up to half of it when {@link #jitter()} is on, and
 * never less than the reconnection time. A connection that stays open for {@link #resetAfter()}
 * resets {@code n}.
 *
 * <pre>{@code
 * RetryStrategy.defaults()                         // 2x backoff, at most 30 s, jitter
 * RetryStrategy.constant()                         // a browser: the reconnection time, always
 * RetryStrategy.defaults().toBuilder().maxDelay(Duration.ofMinutes(2)).build()
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class RetryStrategy {
  /** Default for {@link Builder#maxDelay}: {@value} ms. */
  public static final long DEFAULT_MAX_DELAY_MILLIS = 30_000;

  /** Default for {@link Builder#resetAfter}: {@value} ms. */
  public static final long DEFAULT_RESET_AFTER_MILLIS = 60_000;

  /** Default for {@link Builder#multiplier}: {@value}. */
  public static final double DEFAULT_MULTIPLIER = 2;

  private static final RetryStrategy DEFAULTS = new Builder().build();
  private static final RetryStrategy CONSTANT = new Builder().multiplier(1).jitter(false).build();

  private final Duration maxDelay;
  private final double multiplier;
  private final boolean jitter;
  private final Duration resetAfter;

  private RetryStrategy(Builder b) {
    this.maxDelay = b.maxDelay;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.resetAfter = b.resetAfter;
  }

  /**
   * Exponential backoff by {@value #DEFAULT_MULTIPLIER}, at most {@value #DEFAULT_MAX_DELAY_MILLIS}
   * ms, with jitter, reset after {@value #DEFAULT_RESET_AFTER_MILLIS} ms of stable connection.
   */
  public static RetryStrategy defaults() {
    return DEFAULTS;
  }

  /** No backoff and no jitter: always the reconnection time, as browsers do. */
  public static RetryStrategy constant() {
    return CONSTANT;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this strategy's settings. */
  public Builder toBuilder() {
    return new Builder()
        .maxDelay(maxDelay)
        .multiplier(multiplier)
        .jitter(jitter)
        .resetAfter(resetAfter);
  }

  /** The longest backoff; a reconnection time longer than it is still waited in full. */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** The factor by which the wait grows with each failure in a row; 1 for none. */
  public double multiplier() {
    return multiplier;
  }

  /** Whether the backoff is randomised (down to half of it) to spread clients out. */
  public boolean jitter() {
    return jitter;
  }

  /** How long a connection must stay open for the backoff to start over. */
  public Duration resetAfter() {
    return resetAfter;
  }

  /**
   * The wait before the {@code reconnections}-th reconnection in a row, given the reconnection time
   * in effect.
   *
   * @param reconnectionTime the reconnection time (the server's {@code retry}, or the initial one)
   * @param reconnections 1 for the first reconnection since the last stable connection
   */
  public Duration delay(Duration reconnectionTime, int reconnections) {
    long base = reconnectionTime.toMillis();
    if (reconnections <= 1 || multiplier == 1 || base >= maxDelay.toMillis()) {
      return reconnectionTime;
    }
    double grown = base * Math.pow(multiplier, reconnections - 1.0);
    long cap = (long) Math.min(maxDelay.toMillis(), grown);
    long wait = jitter ? cap - ThreadLocalRandom.current().nextLong(cap / 2 + 1) : cap;
    return Duration.ofMillis(Math.max(base, wait));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryStrategy
        && maxDelay.equals(((RetryStrategy) o).maxDelay)
        && multiplier == ((RetryStrategy) o).multiplier
        && jitter == ((RetryStrategy) o).jitter
        && resetAfter.equals(((RetryStrategy) o).resetAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxDelay, multiplier, jitter, resetAfter);
  }

  @Override
  public String toString() {
    return "RetryStrategy{maxDelay="
        + maxDelay.toMillis()
        + "ms, multiplier="
        + multiplier
        + ", jitter="
        + jitter
        + ", resetAfter="
        + resetAfter.toMillis()
        + "ms}";
  }

  /** Builds a {@link RetryStrategy}; each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private Duration maxDelay = Duration.ofMillis(DEFAULT_MAX_DELAY_MILLIS);
    private double multiplier = DEFAULT_MULTIPLIER;
    private boolean jitter = true;
    private Duration resetAfter = Duration.ofMillis(DEFAULT_RESET_AFTER_MILLIS);

    private Builder() {}

    /** The longest backoff; default {@value #DEFAULT_MAX_DELAY_MILLIS} ms. */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = notNegative("maxDelay", maxDelay);
      return this;
    }

    /** The growth factor per failure in a row, at least 1; default {@value #DEFAULT_MULTIPLIER}. */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("multiplier must be a number >= 1: " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /** Whether to randomise the backoff; default on. */
    public Builder jitter(boolean jitter) {
      this.jitter = jitter;
      return this;
    }

    /**
     * How long a connection must stay open for the backoff to start over; default {@value
     * #DEFAULT_RESET_AFTER_MILLIS} ms.
     */
    public Builder resetAfter(Duration resetAfter) {
      this.resetAfter = notNegative("resetAfter", resetAfter);
      return this;
    }

    /** The strategy. */
    public RetryStrategy build() {
      return new RetryStrategy(this);
    }
  }

  static Duration notNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
    return value;
  }
}
