package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The window between a loop's passes: the coalescing window, stretched while the loop runs late.
 */
class PassWindowTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  @DisplayName("a loop that keeps time keeps the coalescing window")
  void onTime() {
    PassWindow w = new PassWindow(5 * MS);
    assertThat(w.nanos()).isEqualTo(5 * MS);
    for (int i = 0; i < 100; i++) {
      w.passBegan(i % 2 == 0 ? 0 : -3 * MS); // on time, or early: never shorter
    }
    assertThat(w.nanos()).isEqualTo(5 * MS);
  }

  @Test
  @DisplayName("a loop that runs late stretches its window, to five coalescing windows at most")
  void late() {
    PassWindow w = new PassWindow(5 * MS);
    w.passBegan(8 * MS); // one late pass moves the average by an eighth: 1 ms late on average
    assertThat(w.nanos()).isEqualTo(5 * MS + 2 * MS);
    for (int i = 0; i < 200; i++) {
      w.passBegan(4 * MS);
    }
    // 4 ms late on average: 5 + 2 × 4 = 13 ms (within rounding of the average)
    assertThat(w.nanos()).isBetween(13 * MS - 100, 13 * MS);
    for (int i = 0; i < 200; i++) {
      w.passBegan(50 * MS);
    }
    assertThat(w.nanos()).isEqualTo(PassWindow.MAX_STRETCH * 5 * MS);
  }

  @Test
  @DisplayName("back on time, the window shrinks to the coalescing window again")
  void recovers() {
    PassWindow w = new PassWindow(5 * MS);
    for (int i = 0; i < 200; i++) {
      w.passBegan(20 * MS);
    }
    assertThat(w.nanos()).isEqualTo(25 * MS);
    for (int i = 0; i < 10; i++) {
      w.passBegan(0);
    }
    // 20 × (7/8)^10 ≈ 5.3 ms late on average: 5 + 2 × 5.3 ≈ 15.5 ms
    assertThat(w.nanos()).isBetween(15 * MS, 16 * MS);
    for (int i = 0; i < 300; i++) {
      w.passBegan(0);
    }
    assertThat(w.nanos()).isBetween(5 * MS, 5 * MS + 100);
  }

  @Test
  @DisplayName("a coalescing window of zero (every event written at once) is never stretched")
  void zero() {
    PassWindow w = new PassWindow(0);
    for (int i = 0; i < 100; i++) {
      w.passBegan(30 * MS);
    }
    assertThat(w.nanos()).isZero();
    assertThatThrownBy(() -> new PassWindow(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
