package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {
  private static SequenceTracker fed(long first, long... seqs) {
    SequenceTracker t = new SequenceTracker(first);
    for (long s : seqs) {
      t.accept(s);
    }
    return t;
  }

  @Test
  void anUnbrokenSequenceHasNoGapOrDuplicate() {
    SequenceTracker t = new SequenceTracker(1);
    for (long s = 1; s <= 100_000; s++) {
      t.accept(s);
    }
    assertThat(t.missing(100_000)).isZero();
    assertThat(t.duplicates()).isZero();
    assertThat(t.distinct()).isEqualTo(100_000);
    assertThat(t.highest()).isEqualTo(100_000);
  }

  @Test
  void injectedGapsAreCounted() {
    SequenceTracker t = fed(1, 1, 2, 4, 5, 9, 10);
    assertThat(t.missing(10)).isEqualTo(4); // 3, 6, 7, 8
    assertThat(t.duplicates()).isZero();
  }

  @Test
  void eventsThatNeverCameAfterTheLastSeenAreGapsToo() {
    assertThat(fed(1, 1, 2, 3).missing(10)).isEqualTo(7);
    assertThat(fed(1).missing(5)).isEqualTo(5);
  }

  @Test
  void injectedDuplicatesAreCounted() {
    SequenceTracker t = fed(1, 1, 2, 2, 3, 1, 3, 4);
    assertThat(t.duplicates()).isEqualTo(3);
    assertThat(t.missing(4)).isZero();
  }

  @Test
  void neighboursSwappedByTwoPublisherConnectionsAreNeitherGapNorDuplicate() {
    SequenceTracker t = fed(1, 2, 1, 4, 3, 6, 5);
    assertThat(t.missing(6)).isZero();
    assertThat(t.duplicates()).isZero();
  }

  @Test
  void aResumedSubscriberExpectsFromItsFirstNumber() {
    SequenceTracker t = fed(101, 100, 101, 102);
    assertThat(t.duplicates()).isEqualTo(1); // 100 was before the subscription
    assertThat(t.missing(102)).isZero();
  }

  @Test
  void aNumberFarBelowTheWindowArrivedLate() {
    SequenceTracker t = new SequenceTracker(1);
    long last = 2L * SequenceTracker.WINDOW;
    for (long s = 2; s <= last; s++) {
      t.accept(s);
    }
    assertThat(t.missing(last)).isEqualTo(1);
    t.accept(1);
    assertThat(t.late()).isEqualTo(1);
    assertThat(t.duplicates()).isZero();
    assertThat(t.missing(last)).isZero();
  }

  @Test
  void duplicatesAreFoundAcrossTheWholeWindowAfterItMoves() {
    SequenceTracker t = new SequenceTracker(1);
    for (long s = 1; s <= 3 * SequenceTracker.WINDOW; s++) {
      t.accept(s);
    }
    t.accept(3L * SequenceTracker.WINDOW - 5);
    t.accept(2L * SequenceTracker.WINDOW + 1);
    assertThat(t.duplicates()).isEqualTo(2);
    assertThat(t.missing(3L * SequenceTracker.WINDOW)).isZero();
  }

  @Test
  void seeingTheLastNumberIsNotHavingAllUpToIt() {
    SequenceTracker t = fed(1, 1, 2, 3, 5); // 4 was sent on another connection, still on its way
    assertThat(t.highest()).isEqualTo(5);
    assertThat(t.hasAllUpTo(5)).isFalse();
    assertThat(t.hasAllUpTo(3)).isTrue();
    t.accept(4);
    assertThat(t.hasAllUpTo(5)).isTrue();
    assertThat(t.hasAllUpTo(6)).isFalse();
  }

  @Test
  void missingUpToAnEarlierNumberIgnoresLaterOnes() {
    SequenceTracker t = fed(1, 1, 2, 4, 5, 6);
    assertThat(t.missing(4)).isEqualTo(1);
  }

  @Test
  void theFirstNumberMustBePositive() {
    assertThatThrownBy(() -> new SequenceTracker(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("first");
  }
}
