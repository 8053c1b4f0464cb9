package dev.herald.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report computes MB/s and events/s from a JMH JSON result, medians over forks. */
class BenchReportTest {
  @TempDir Path dir;

  private String report;

  @BeforeEach
  void report() throws IOException {
    Path json = dir.resolve("jmh-result.json");
    String entries =
        String.join(
            ",",
            entry("ParserBenchmark.herald", "SMALL", "[[1000, 1000], [2000, 2000], [1500, 1500]]"),
            entry("ParserBenchmark.okhttpSse", "SMALL", "[[500, 700]]"),
            entry("ParserBenchmark.launchDarkly", "SMALL", "[[300, 300]]"),
            entry("ParserBenchmark.herald", "LARGE", "[[1000, 1000]]"),
            entry("WriterBenchmark.herald", "SMALL", "[[100, 100]]"));
    Files.writeString(json, "[" + entries + "]");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    new BenchReport(JmhResult.read(json), out).print();
    report = bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void parserFiguresAreMedianMegabytesPerSecondWithTheForkRange() {
    // 1,048,536 bytes per operation; forks at 1000, 1500 and 2000 operations per second
    assertThat(report)
        .contains(
            "| small: 1 × 64 B data line | 1,048,536 | 14,563 | 1,573 [1,049–2,097] | 629 | 315"
                + " | 2.50× | – |");
  }

  @Test
  void missingReferencesShowAsDashes() {
    assertThat(report)
        .contains("| large: 1 × 64 KiB data line | 983,160 | 15 | 983 | – | – | – | – |");
  }

  @Test
  void writerFiguresAreEventsAndMegabytesPerSecond() {
    assertThat(report).contains("| small: 1 × 64 B data line | 1,048,536 | 14,563 | 1.46 | 105 |");
  }

  @Test
  void goalsAreJudgedOnTheMedians() {
    assertThat(report)
        .contains("- At least 2× the faster reference on small events: **met** (2.50×")
        .contains("- At least 1 GB/s on large events: **not met** (Herald 983 MB/s).");
  }

  @Test
  void settingsComeFromTheResult() {
    assertThat(report)
        .startsWith(
            "JMH 1.37, OpenJDK 64-Bit Server VM 17.0.15+6; 3 forks per benchmark, each of 2 measured"
                + " iterations of 1 s after 3 warm-up iterations of 1 s; JVM arguments [-Xms1g,"
                + " -Xmx1g].");
  }

  private static String entry(String benchmark, String shape, String rawData) {
    return """
        {"jmhVersion": "1.37", "benchmark": "dev.herald.bench.jmh.%s", "mode": "thrpt",
         "threads": 1, "forks": 3, "jvmArgs": ["-Xms1g", "-Xmx1g"], "jdkVersion": "17.0.15",
         "vmName": "OpenJDK 64-Bit Server VM", "vmVersion": "17.0.15+6",
         "warmupIterations": 3, "warmupTime": "1 s", "measurementIterations": 2,
         "measurementTime": "1 s", "params": {"shape": "%s"},
         "primaryMetric": {"score": 1.0, "scoreError": "NaN", "scoreUnit": "ops/s",
                           "rawData": %s},
         "secondaryMetrics": {}}
        """
        .formatted(benchmark, shape, rawData);
  }
}
