package dev.herald.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * When an {@link EventSource} stops trying to connect. A browser never does (S-43 step 2); services
 * often should, to report an outage instead of retrying forever.
 *
 * <p>It judges connection attempts that failed without reaching {@link ReadyState#OPEN OPEN}
 * (network errors, timeouts, too many redirects), counted in a row: an attempt that opens starts
 * the count and the clock over. When it gives up, the source closes and {@link
 * EventSourceListener#onError} receives the last error with {@code willRetry == false}.
 *
 * <pre>{@code
 * ErrorStrategy.alwaysRetry()                                  // the default, as browsers do
 * ErrorStrategy.giveUpAfterAttempts(5)
 * ErrorStrategy.giveUpAfter(Duration.ofMinutes(2)).withMaxAttempts(10)  // whichever comes first
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ErrorStrategy {
  private static final ErrorStrategy ALWAYS = new ErrorStrategy(0, null);

  private final int maxAttempts; // 0: no limit
  private final Duration maxTime; // null: no limit

  private ErrorStrategy(int maxAttempts, Duration maxTime) {
    this.maxAttempts = maxAttempts;
    this.maxTime = maxTime;
  }

  /** Never gives up (the default). */
  public static ErrorStrategy alwaysRetry() {
    return ALWAYS;
  }

  /** Gives up once {@code maxAttempts} attempts in a row have failed; 1 means never retry. */
  public static ErrorStrategy giveUpAfterAttempts(int maxAttempts) {
    return ALWAYS.withMaxAttempts(maxAttempts);
  }

  /** Gives up once attempts have failed for {@code maxTime} since the first failure in a row. */
  public static ErrorStrategy giveUpAfter(Duration maxTime) {
    return ALWAYS.withMaxTime(maxTime);
  }

  /** This strategy, also giving up after {@code maxAttempts} failed attempts in a row. */
  public ErrorStrategy withMaxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    return new ErrorStrategy(maxAttempts, maxTime);
  }

  /** This strategy, also giving up after failing for {@code maxTime}. */
  public ErrorStrategy withMaxTime(Duration maxTime) {
    return new ErrorStrategy(maxAttempts, RetryStrategy.notNegative("maxTime", maxTime));
  }

  /** The limit on failed attempts in a row, if any. */
  public OptionalInt maxAttempts() {
    return maxAttempts == 0 ? OptionalInt.empty() : OptionalInt.of(maxAttempts);
  }

  /** The limit on time spent failing, if any. */
  public Optional<Duration> maxTime() {
    return Optional.ofNullable(maxTime);
  }

  /**
   * Whether to try again after {@code failedAttempts} failed attempts in a row, the first of which
   * failed {@code failingFor} ago.
   */
  public boolean shouldRetry(int failedAttempts, Duration failingFor) {
    if (maxAttempts != 0 && failedAttempts >= maxAttempts) {
      return false;
    }
    return maxTime == null || failingFor.compareTo(maxTime) < 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ErrorStrategy
        && maxAttempts == ((ErrorStrategy) o).maxAttempts
        && Objects.equals(maxTime, ((ErrorStrategy) o).maxTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, maxTime);
  }

  @Override
  public String toString() {
    if (maxAttempts == 0 && maxTime == null) {
      return "ErrorStrategy{alwaysRetry}";
    }
    return "ErrorStrategy{"
        + (maxAttempts == 0 ? "" : "maxAttempts=" + maxAttempts)
        + (maxAttempts != 0 && maxTime != null ? ", " : "")
        + (maxTime == null ? "" : "maxTime=" + maxTime.toMillis() + "ms")
        + "}";
  }
}
