package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {
  @Test
  void eventsAreDueAtAbsoluteTimesFromTheStart() {
    OpenLoopSchedule s = new OpenLoopSchedule(1_000_000_000L, 1000, 10);
    assertThat(s.scheduledNanos(0)).isEqualTo(1_000_000_000L);
    assertThat(s.scheduledNanos(1)).isEqualTo(1_001_000_000L);
    assertThat(s.scheduledNanos(9)).isEqualTo(1_009_000_000L);
    assertThat(s.endNanos()).isEqualTo(1_009_000_000L);
  }

  @Test
  void howManyAreDueAtAGivenTime() {
    OpenLoopSchedule s = new OpenLoopSchedule(1_000L, 1000, 10);
    assertThat(s.dueAt(999L)).isZero();
    assertThat(s.dueAt(1_000L)).isEqualTo(1);
    assertThat(s.dueAt(1_000_999L)).isEqualTo(1);
    assertThat(s.dueAt(1_001_000L)).isEqualTo(2);
    assertThat(s.dueAt(5_000_000_000L)).isEqualTo(10); // never more than the count
  }

  @Test
  void aStalledPublisherFindsEveryMissedEventDueWithItsOwnTime() {
    // nothing sent for 2.5 s at 20/s: 51 events are due, each keeping its scheduled time
    OpenLoopSchedule s = new OpenLoopSchedule(0, 20, 1000);
    assertThat(s.dueAt(2_500_000_000L)).isEqualTo(51);
    assertThat(s.scheduledNanos(50)).isEqualTo(2_500_000_000L);
    assertThat(s.scheduledNanos(25)).isEqualTo(1_250_000_000L);
  }

  @Test
  void fractionalRatesStayOnSchedule() {
    OpenLoopSchedule s = new OpenLoopSchedule(0, 5.263157894736842, 100); // 100,000/s over 19,000
    assertThat(s.scheduledNanos(5)).isEqualTo(950_000_000L);
    for (long t = 0; t < 19_000_000_000L; t += 7_777_777L) {
      long due = s.dueAt(t);
      assertThat(s.scheduledNanos(due - 1)).isLessThanOrEqualTo(t);
      if (due < s.count()) {
        assertThat(s.scheduledNanos(due)).isGreaterThan(t);
      }
    }
  }

  @Test
  void theRateMustBePositive() {
    assertThatThrownBy(() -> new OpenLoopSchedule(0, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OpenLoopSchedule(0, Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
