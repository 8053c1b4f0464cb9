package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RetryStrategy and ErrorStrategy as values: S-47 step 3 and the give-up rules. */
class StrategiesTest {
  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  @DisplayName("S-47: the first reconnection waits exactly the reconnection time")
  void firstReconnectionIsTheReconnectionTime() {
    assertThat(RetryStrategy.defaults().delay(SECOND, 1)).isEqualTo(SECOND);
    assertThat(RetryStrategy.constant().delay(SECOND, 50)).isEqualTo(SECOND);
  }

  @Test
  @DisplayName("S-47 step 3: without jitter the wait doubles up to the maximum")
  void exponentialWithoutJitter() {
    RetryStrategy s = RetryStrategy.builder().jitter(false).maxDelay(Duration.ofSeconds(5)).build();
    assertThat(s.delay(SECOND, 2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.delay(SECOND, 3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(s.delay(SECOND, 4)).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.delay(SECOND, 10_000)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  @DisplayName("jitter keeps the wait between half the backoff and the backoff, never below base")
  void jitterBounds() {
    RetryStrategy s = RetryStrategy.defaults();
    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Duration d = s.delay(SECOND, 4); // backoff 8 s
      assertThat(d).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
      seen.add(d);
      assertThat(s.delay(SECOND, 2)).isBetween(SECOND, Duration.ofSeconds(2));
    }
    assertThat(seen).hasSizeGreaterThan(10);
  }

  @Test
  @DisplayName("a server's retry longer than the maximum is still waited in full")
  void serverRetryBeyondMaximum() {
    Duration hour = Duration.ofHours(1);
    assertThat(RetryStrategy.defaults().delay(hour, 5)).isEqualTo(hour);
    assertThat(RetryStrategy.defaults().delay(Duration.ZERO, 5)).isEqualTo(Duration.ZERO);
  }

  @Test
  @DisplayName("strategies are immutable values with builders and equality")
  void values() {
    RetryStrategy custom =
        RetryStrategy.defaults().toBuilder().maxDelay(Duration.ofMinutes(2)).build();
    assertThat(custom.maxDelay()).isEqualTo(Duration.ofMinutes(2));
    assertThat(RetryStrategy.defaults().maxDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(custom.toBuilder().build()).isEqualTo(custom).hasSameHashCodeAs(custom);
    assertThat(RetryStrategy.defaults().resetAfter()).isEqualTo(Duration.ofMinutes(1));
    assertThatThrownBy(() -> RetryStrategy.builder().multiplier(0.5))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> RetryStrategy.builder().maxDelay(Duration.ofSeconds(-1)))
        .hasMessageContaining("maxDelay");
  }

  @Test
  @DisplayName("ErrorStrategy: always retry by default; limits by attempts, time, or both")
  void errorStrategy() {
    Duration minute = Duration.ofMinutes(1);
    assertThat(ErrorStrategy.alwaysRetry().shouldRetry(1_000_000, Duration.ofDays(9))).isTrue();
    ErrorStrategy three = ErrorStrategy.giveUpAfterAttempts(3);
    assertThat(three.shouldRetry(2, minute)).isTrue();
    assertThat(three.shouldRetry(3, Duration.ZERO)).isFalse();
    ErrorStrategy timed = ErrorStrategy.giveUpAfter(minute);
    assertThat(timed.shouldRetry(100, Duration.ofSeconds(59))).isTrue();
    assertThat(timed.shouldRetry(1, minute)).isFalse();
    ErrorStrategy both = timed.withMaxAttempts(5);
    assertThat(both.shouldRetry(5, Duration.ZERO)).isFalse();
    assertThat(both.shouldRetry(4, minute)).isFalse();
    assertThat(both.maxAttempts()).hasValue(5);
    assertThat(both.maxTime()).hasValue(minute);
    assertThat(both).isEqualTo(ErrorStrategy.giveUpAfterAttempts(5).withMaxTime(minute));
    assertThat(both.toString()).isEqualTo("ErrorStrategy{maxAttempts=5, maxTime=60000ms}");
    assertThatThrownBy(() -> ErrorStrategy.giveUpAfterAttempts(0))
        .hasMessageContaining("maxAttempts");
  }
}
