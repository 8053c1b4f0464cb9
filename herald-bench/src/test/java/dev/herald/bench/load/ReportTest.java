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
