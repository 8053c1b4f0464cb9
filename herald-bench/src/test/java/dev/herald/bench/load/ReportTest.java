package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path dir;

  @Test
  void hubIsNotAReferenceAndIsComparedWithHerald() throws Exception {
    String md =
        report(Map.of("herald", 1_000_000.0, "hub", 900_000.0, "nchan", 500_000.0)).write(dir);

    assertThat(md).contains("| hub / herald | hub / best reference |");
    // herald / best reference is over nchan (500,000), not over the hub (900,000)
    assertThat(md).contains("| 2.00× | – | 0.90× | 1.80× |");
  }

  @Test
  void withoutHubTheTableHasNoHubColumns() throws Exception {
    String md = report(Map.of("herald", 1_000_000.0, "nchan", 500_000.0)).write(dir);

    assertThat(md).doesNotContain("hub /");
    assertThat(md).contains("| 2.00× | – |\n");
  }

  @Test
  void hubSqliteIsNotAReferenceEither() throws Exception {
    String md = report(Map.of("herald", 1_000_000.0, "hub-sqlite", 2_000_000.0)).write(dir);

    assertThat(md).contains("| hub-sqlite / herald | hub-sqlite / best reference |");
    assertThat(md).contains("| – | – | 2.00× | – |");
  }

  @Test
  void theLatencyCurveIsATableWithChartsAndEachProbeSaysWhetherTheGeneratorSaturated()
      throws Exception {
    Map<String, Object> targets = new LinkedHashMap<>();
    targets.put(
        "herald",
        Map.of(
            "latency-curve", List.of(curve(900_000, 1.0, 2.0, 0.1, 0.2, generator(12.5, true)))));
    targets.put(
        "nchan",
        Map.of(
            "latency-curve", List.of(curve(400_000, 3.0, 4.0, null, null, generator(1.2, false)))));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("command", "./herald bench compare --scenarios latency-curve");
    doc.put("date", "today");
    doc.put("machine", "test");
    doc.put("cpu", "Test CPU 9000");
    doc.put("runs", List.of(Map.of("targets", targets)));

    String md = new Report(doc).write(dir);

    assertThat(md).contains("CPU: **Test CPU 9000**");
    assertThat(md)
        .contains(
            "### Latency against load, publish → receive (ms): 1,000 subscribers (Test CPU 9000)");
    assertThat(md).contains("| saturated (deliveries/s) | 900,000 | 400,000 |");
    assertThat(md).contains("| 10 % | 1.00 / 2.00 (0.10 / 0.20) | 3.00 / 4.00 |");
    assertThat(dir.resolve("latency-curve-1000-p50.svg")).exists();
    assertThat(dir.resolve("latency-curve-1000-p99.svg"))
        .content()
        .contains("<svg", "herald", "nchan");
    // the generator's verdict per probe: herald saturated, nchan's probe did not offer enough
    assertThat(md)
        .contains("### Can the load generator saturate what it measures? (Test CPU 9000)");
    assertThat(md)
        .contains("| latency-curve | herald | 1,000 | 1 | 4,000 | 4,000 | 330 | 320 | 12.50× |");
    assertThat(md).contains("| **no**: offered only 1.20× what the server took (needs ≥ 1.5×) |");
    // against every server it showed at least 384/s (nchan's 1.2 × 320): 1.20× herald's 320
    assertThat(md)
        .contains(
            "- latency-curve, 1,000 subscribers: the fastest server took 320 publishes/s (herald,"
                + " run 1); the generator showed at least 384/s against every server: 1.20× (goal"
                + " ≥ 1.5×: **not met**).");
  }

  @Test
  void aServerThatTookEveryPublishAndFellBehindDeliveringWasSaturatedByItsFanOut()
      throws Exception {
    // the probe offered no more than the hub took (1.00×), but the hub owed its subscribers three
    // times what they received: its fan-out, not the offer, was the limit
    Map<String, Object> g = generator(1.0, true);
    g.put("leastOwedOverDelivered", 3.0);
    Map<String, Object> fanout = new LinkedHashMap<>();
    fanout.put("subscribers", 1000);
    fanout.put("bytes", 64);
    fanout.put("zeroLossDeliveriesPerSecond", 3_000_000.0);
    fanout.put("saturatedDeliveriesPerSecond", 3_200_000.0);
    fanout.put("generator", g);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("command", "./herald bench compare --targets hub --scenarios fanout");
    doc.put("date", "today");
    doc.put("machine", "test");
    doc.put("runs", List.of(Map.of("targets", Map.of("hub", Map.of("fanout", List.of(fanout))))));

    String md = new Report(doc).write(dir);

    assertThat(md)
        .contains("| fanout | hub | 1,000 | 1 | 4,000 | 320 | 330 | 320 | 1.00× | 3.00× |");
    assertThat(md)
        .contains(
            "- fanout, 1,000 subscribers: the fastest server took 320 publishes/s (hub, run 1); the"
                + " generator showed at least 320/s against every server: 1.00× (goal ≥ 1.5×, or"
                + " the server owing that much more than it delivered: 3.00×: met).");
  }

  @Test
  void calibrationComparesDeliveriesAtSaturationWithSseloadRunByRunAndByMedian() throws Exception {
    Map<String, Object> doc =
        calibrateDoc(
            List.of(
                Map.of("targets", Map.of("herald", Map.of("calibrate", calibration(0.7)))),
                Map.of("targets", Map.of("herald", Map.of("calibrate", calibration(0.9)))),
                Map.of("targets", Map.of("herald", Map.of("calibrate", calibration(0.85)))),
                Map.of("targets", Map.of("herald", Map.of("calibrate", calibration(0.1))))));

    String md = new Report(doc).write(dir);

    assertThat(md).contains("### Calibration against sseload (herald, 1,000 subscribers");
    assertThat(md)
        .contains("### Deliveries/s at saturation against sseload (Test CPU)")
        .contains(
            "1,000 subscribers; the same publisher offers 12,000,000 deliveries/s until it has"
                + " sent the run's publishes (what the server took in 20.0 s of warm-up");
    assertThat(md)
        .contains(
            "| herald | 1 | 120,000 | 700,000 | 1,000,000 | 700,000 | 0.7× | warm-up: saturates the"
                + " server; all received; all received; all received |")
        .contains("| herald | 2 | 120,000 | 900,000 | 1,000,000 | 900,000 | 0.9× |")
        // a run whose parts did not all receive every event gives no ratio
        .contains(
            "| herald | 4 | 120,000 | 100,000 | 1,000,000 | 100,000 | – | warm-up: saturates the"
                + " server; all received; all received; 6 of 7 received: 1 events lost |");
    // the median of 0.7, 0.9 and 0.85 (run 4 has none) is within 20 % of 1
    assertThat(md)
        .contains(
            "Median ratio (load generator / sseload), herald: **0.85×** over 3 run(s) — agrees"
                + " (goal: within 20 %).");
  }

  @Test
  void aCalibrationThatFailedShowsItsErrorNotAnException() throws Exception {
    Map<String, Object> doc =
        calibrateDoc(
            List.of(
                Map.of(
                    "targets",
                    Map.of("herald", Map.of("calibrate", Map.of("error", "sseload is missing"))))));

    String md = new Report(doc).write(dir);

    assertThat(md).contains("### Calibration against sseload (herald): sseload is missing");
  }

  @Test
  void deliveriesThatFailedInEveryRunShowTheirErrorsAndNoInventedFigures() throws Exception {
    Map<String, Object> cal = calibration(0.9);
    cal.put("deliveries", Map.of("error", "the warm-up took no publishes: 3 not established"));
    Map<String, Object> doc =
        calibrateDoc(List.of(Map.of("targets", Map.of("herald", Map.of("calibrate", cal)))));

    String md = new Report(doc).write(dir);

    assertThat(md)
        .contains("### Deliveries/s at saturation against sseload (Test CPU)")
        .contains(
            "| herald | 1 | – | – | – | – | – | the warm-up took no publishes: 3 not established |")
        .doesNotContain("until it has sent the run's publishes")
        .doesNotContain("Median ratio");
  }

  /** A results document of a calibrate run with these runs. */
  private static Map<String, Object> calibrateDoc(List<Map<String, Object>> runs) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("command", "./herald bench calibrate");
    doc.put("date", "today");
    doc.put("machine", "test");
    doc.put("cpu", "Test CPU");
    doc.put("runs", runs);
    return doc;
  }

  /**
   * A calibrate result whose generator read {@code ratio} times sseload's 1,000,000/s; below 0.5,
   * one of its parts lost an event, so the run gives no ratio.
   */
  private static Map<String, Object> calibration(double ratio) {
    long ours = Math.round(1_000_000 * ratio);
    boolean lost = ratio < 0.5;
    Map<String, Object> deliveries = new LinkedHashMap<>();
    deliveries.put("subscribers", 1000);
    deliveries.put("offeredDeliveriesPerSecond", 12_000_000.0);
    deliveries.put("warmupSeconds", 20.0);
    deliveries.put("warmupVerdict", "saturates the server");
    deliveries.put("publishes", 120_000L);
    deliveries.put(
        "parts",
        List.of(
            Map.of(
                "client", "load generator", "deliveredPerSecond", ours, "verdict", "all received"),
            Map.of(
                "client", "sseload", "deliveredPerSecond", 1_000_000L, "verdict", "all received"),
            Map.of(
                "client",
                "load generator",
                "deliveredPerSecond",
                ours,
                "verdict",
                lost ? "6 of 7 received: 1 events lost" : "all received")));
    deliveries.put("loadGenerator", ours);
    deliveries.put("sseload", 1_000_000L);
    deliveries.put("allReceived", !lost);
    if (!lost) {
      deliveries.put("ratio", ratio);
    }
    Map<String, Object> cal = new LinkedHashMap<>();
    cal.put("subscribers", 1000);
    cal.put("deliveriesPerSecond", 50_000.0);
    cal.put("seconds", 10.0);
    cal.put(
        "loadGenerator", Map.of("events", 500_000L, "cpuSeconds", 2.0, "cpuMicrosPerEvent", 4.0));
    cal.put("sseload", Map.of("events", 500_000L, "cpuSeconds", 1.0, "cpuMicrosPerEvent", 2.0));
    cal.put("ratio", 2.0);
    cal.put("deliveries", deliveries);
    return cal;
  }

  @Test
  void theSpringTargetsReadDeliveriesAndThreadsSideBySideAndAreNoReferences() throws Exception {
    Map<String, Object> targets = new LinkedHashMap<>();
    targets.put(
        "herald",
        Map.of(
            "fanout",
            List.of(
                point(1000, 1_000_000.0, 900_000.0, 40), point(10_000, 800_000.0, 700_000.0, 40))));
    targets.put(
        "spring-herald",
        Map.of(
            "fanout",
            List.of(
                point(1000, 300_000.0, 400_000.0, 60), point(10_000, 200_000.0, 250_000.0, 62))));
    // the emitter lost events at every rate at 10,000: no zero-loss figure; its threads unknown
    targets.put(
        "spring-emitter",
        Map.of(
            "fanout",
            List.of(point(1000, 100_000.0, 200_000.0, 230), point(10_000, null, 50_000.0, null))));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("command", "./herald bench compare --targets spring-herald,spring-emitter");
    doc.put("date", "today");
    doc.put("machine", "test");
    doc.put("cpu", "Test CPU");
    doc.put("runs", List.of(Map.of("targets", targets)));

    String md = new Report(doc).write(dir);

    // neither Spring target is a reference: Herald / best reference has none
    assertThat(md).contains("| 1,000 | 64 | 1,000,000 | 300,000 | 100,000 | – | – |\n");
    assertThat(md).contains("Threads used:");
    assertThat(md).contains("| 1,000 | 64 | 40 | 60 | 230 |\n");
    assertThat(md).contains("| 10,000 | 64 | 40 | 62 | – |\n");
    assertThat(md).contains("#### Spring MVC: a controller returning a Herald stream against");
    assertThat(md)
        .contains(
            "| 1,000 | 64 | 300,000 | 400,000 | 60 | 100,000 | 200,000 | 230 | 3.00× | 2.00× |");
    assertThat(md)
        .contains("| 10,000 | 64 | 200,000 | 250,000 | 62 | – | 50,000 | – | – | 5.00× |");
  }

  @Test
  void aFanOutPointMissingItsFiguresShowsDashesNotAnException() throws Exception {
    Map<String, Object> broken = new LinkedHashMap<>();
    broken.put("bytes", 64); // no subscribers: not a point of any row
    Map<String, Object> bare = new LinkedHashMap<>();
    bare.put("subscribers", 1000);
    bare.put("bytes", 64);
    bare.put("saturatedSamples", List.of(1L)); // samples, but no lowest, highest or median
    bare.put("generator", Map.of("verdict", "probe"));
    Map<String, Object> targets = new LinkedHashMap<>();
    targets.put("spring-herald", Map.of("fanout", List.of(broken, bare)));
    targets.put("spring-emitter", Map.of("fanout", Map.of("error", "it failed")));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("command", "./herald bench compare");
    doc.put("date", "today");
    doc.put("machine", "test");
    doc.put("runs", List.of(Map.of("targets", targets)));

    String md = new Report(doc).write(dir);

    assertThat(md).contains("| 1,000 | 64 | – | – | – | – |\n");
    assertThat(md).contains("| 1,000 | 64 | – (1 sample) | – |\n");
    assertThat(md).doesNotContain("Threads used:");
    assertThat(md).contains("| 1,000 | 64 | – | – | – | – | – | – | – | – |\n");
  }

  /** A fan-out point at {@code n} subscribers and 64 bytes with threads used; nulls are absent. */
  private static Map<String, Object> point(
      int n, Double zeroLoss, Double saturated, Integer threads) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("subscribers", n);
    f.put("bytes", 64);
    f.put("zeroLossDeliveriesPerSecond", zeroLoss);
    f.put("saturatedDeliveriesPerSecond", saturated);
    f.put("serverThreadsPeak", threads);
    return f;
  }

  private static Map<String, Object> curve(
      double saturated, double p50, double p99, Double own50, Double own99, Map<String, Object> g) {
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("percent", 10);
    point.put("latencyMillis", Map.of("p50", p50, "p99", p99));
    if (own50 != null) {
      point.put("heraldOwnMillis", Map.of("p50", own50, "p99", own99));
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("subscribers", 1000);
    c.put("bytes", 64);
    c.put("saturatedDeliveriesPerSecond", saturated);
    c.put("generator", g);
    c.put("points", List.of(point));
    return c;
  }

  private static Map<String, Object> generator(double offeredOverTaken, boolean saturates) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("offeredPublishesPerSecond", 4000.0);
    g.put("sentPublishesPerSecond", 330.0);
    g.put("takenPublishesPerSecond", 320.0);
    g.put("offeredOverTaken", offeredOverTaken);
    g.put("shownOfferPublishesPerSecond", offeredOverTaken * 320.0);
    g.put("shownOverTaken", offeredOverTaken);
    g.put("publisherWaitedOnServerShare", 0.97);
    g.put("answerMillis", Map.of("p50", 20.0, "p99", 40.0));
    g.put("publisherCpu", 0.2);
    g.put("busiestSubscriberThreadCpu", 0.5);
    g.put("saturates", saturates);
    g.put(
        "verdict",
        saturates
            ? "saturates the server"
            : "offered only " + offeredOverTaken + "0× what the server took (needs ≥ 1.5×)");
    return g;
  }

  /** One run of fan-out at 1,000 subscribers and 64 bytes, one figure per target. */
  private static Report report(Map<String, Double> zeroLoss) {
    Map<String, Object> targets = new LinkedHashMap<>();
    for (String t : List.of("herald", "hub", "hub-sqlite", "nchan")) {
      if (zeroLoss.containsKey(t)) {
        Map<String, Object> fanout = new LinkedHashMap<>();
        fanout.put("subscribers", 1000);
        fanout.put("bytes", 64);
        fanout.put("zeroLossDeliveriesPerSecond", zeroLoss.get(t));
        fanout.put("saturatedDeliveriesPerSecond", zeroLoss.get(t));
        targets.put(t, Map.of("fanout", List.of(fanout)));
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("command", "./herald bench compare");
    doc.put("date", "today");
    doc.put("machine", "test");
    doc.put("runs", List.of(Map.of("targets", targets)));
    return new Report(doc);
  }
}
