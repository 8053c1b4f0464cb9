package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Herald's own latency from two scrapes of Prometheus text: the difference of the buckets. */
class DispatchLatencyTest {
  /** Micrometer's text: cumulative buckets with bounds in seconds, some in scientific notation. */
  private static String scrape(long a, long b, long c, long d) {
    return "# HELP herald_dispatch_latency_seconds from a publish to the flush\n"
        + "# TYPE herald_dispatch_latency_seconds histogram\n"
        + "herald_dispatch_latency_seconds_bucket{le=\"5.0E-4\"} "
        + a
        + "\n"
        + "herald_dispatch_latency_seconds_bucket{le=\"0.001\"} "
        + b
        + "\n"
        + "herald_dispatch_latency_seconds_bucket{le=\"0.002\"} "
        + c
        + "\n"
        + "herald_dispatch_latency_seconds_bucket{le=\"+Inf\"} "
        + d
        + "\n"
        + "herald_dispatch_latency_seconds_count "
        + d
        + "\n"
        + "herald_events_sent_total 12.0\n";
  }

  @Test
  void aPointsHistogramIsTheDifferenceOfTwoScrapes() {
    DispatchLatency before = DispatchLatency.parse(scrape(100, 100, 100, 100));
    // 100 more: 50 up to 1 ms (in (0.5, 1]), 50 in (1, 2] ms
    DispatchLatency after = DispatchLatency.parse(scrape(100, 150, 200, 200));
    DispatchLatency point = after.since(before);

    assertThat(point.count()).isEqualTo(100);
    // the 50th of 100 is the last of the (0.5, 1] bucket; interpolated linearly within buckets
    assertThat(point.millis(0.5)).isCloseTo(1.0, within(1e-9));
    assertThat(point.millis(0.25)).isCloseTo(0.75, within(1e-9));
    assertThat(point.millis(0.99)).isCloseTo(1.98, within(1e-9));
    assertThat(point.toMap()).containsEntry("count", 100L).containsEntry("p50", 1.0);
  }

  @Test
  void whatLiesPastTheLastFiniteBoundIsReadAsThatBound() {
    DispatchLatency h = DispatchLatency.parse(scrape(0, 0, 0, 10));
    assertThat(h.millis(0.5)).isEqualTo(2.0);
  }

  @Test
  void nothingRecordedHasNoQuantilesAndATextWithoutTheHistogramIsNone() {
    DispatchLatency h = DispatchLatency.parse(scrape(3, 3, 3, 3));
    assertThat(h.since(h).count()).isZero();
    assertThat(h.since(h).millis(0.5)).isNaN();
    assertThat(h.since(h).toMap()).containsEntry("p50", null);
    assertThat(DispatchLatency.parse("herald_events_sent_total 12.0\n")).isNull();
    assertThat(DispatchLatency.scrape("http://127.0.0.1:9/metrics")).isNull(); // nothing there
  }
}
