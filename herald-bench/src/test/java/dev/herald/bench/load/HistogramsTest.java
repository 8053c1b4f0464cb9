package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistogramsTest {
  /** Latencies of 1, 2, … 10,000 microseconds, once each. */
  private static Histogram uniform() {
    Histogram h = new Histogram(LoopStats.MAX_MICROS, 3);
    for (long us = 1; us <= 10_000; us++) {
      h.recordValue(us);
    }
    return h;
  }

  @Test
  void percentilesOfAKnownDistribution() {
    Map<String, Object> p = Scenarios.percentiles(uniform());
    // three significant digits: each value is within 0.1 % of the exact one
    assertThat((double) p.get("p50")).isCloseTo(5.0, within(0.005));
    assertThat((double) p.get("p90")).isCloseTo(9.0, within(0.009));
    assertThat((double) p.get("p99")).isCloseTo(9.9, within(0.01));
    assertThat((double) p.get("p99.9")).isCloseTo(9.99, within(0.01));
    assertThat((double) p.get("max")).isCloseTo(10.0, within(0.01));
    assertThat(p.get("count")).isEqualTo(10_000L);
  }

  @Test
  void aSingleStallDominatesTheTail() {
    Histogram h = new Histogram(LoopStats.MAX_MICROS, 3);
    h.recordValueWithCount(1_000, 999);
    h.recordValue(2_000_000); // one event 2 s late
    assertThat(Histograms.millis(h, 50)).isCloseTo(1.0, within(0.001));
    assertThat(Histograms.millis(h, 99.9)).isCloseTo(1.0, within(0.001));
    assertThat(Histograms.millis(h, 100)).isCloseTo(2000, within(2.0));
  }

  @Test
  void anEmptyHistogramHasNoPercentiles() {
    assertThat(Histograms.millis(new Histogram(LoopStats.MAX_MICROS, 3), 50)).isNaN();
  }

  @Test
  void encodingKeepsEveryCount() {
    Histogram h = uniform();
    Histogram back = Histograms.decode(Histograms.encode(h));
    assertThat(back.getTotalCount()).isEqualTo(10_000);
    assertThat(back.getValueAtPercentile(99)).isEqualTo(h.getValueAtPercentile(99));
    assertThat(back.getMaxValue()).isEqualTo(h.getMaxValue());
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Scenarios.median(java.util.List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Scenarios.median(java.util.List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
  }
}
