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

/**
 * {@link BenchReport} turns {@link ClientBenchmark} results into events per second, next to the
 * wire-format results in the same files.
 */
class ClientReportTest {
  @TempDir Path dir;

  private String report;

  @BeforeEach
  void report() throws IOException {
    Path json = dir.resolve("jmh-result.json");
    String entries =
        String.join(
            ",",
            entry("HERALD", "SMALL", "CHUNKED", "0", "[[20, 20], [30, 30], [25, 25]]"),
            entry("HERALD_STREAM", "SMALL", "CHUNKED", "0", "[[10, 10]]"),
            entry("OKHTTP_SSE", "SMALL", "CHUNKED", "0", "[[20, 20]]"),
            entry("LAUNCHDARKLY", "SMALL", "CHUNKED", "0", "[[10, 30]]"),
            entry("HERALD", "SMALL", "CHUNKED", "1", "[[500, 500]]"),
            entry("OKHTTP_SSE", "KIB", "CLOSE", "0", "[[50, 50]]"),
            """
            {"jmhVersion": "1.37", "benchmark": "dev.herald.bench.jmh.ParserBenchmark.herald",
             "mode": "thrpt", "forks": 1, "jvmArgs": [], "params": {"shape": "SMALL"},
             "primaryMetric": {"scoreUnit": "ops/s", "rawData": [[1000]]}}
            """);
    Files.writeString(json, "[" + entries + "]");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new BenchReport(JmhResult.read(json), new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .print();
    report = bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void figuresAreMedianMillionEventsPerSecondWithTheForkRangeAndTheRatio() {
    // 100,000 events per operation; Herald's forks at 20, 25 and 30 operations per second
    assertThat(report)
        .contains(
            "| 64 B | chunked, a chunk per event | 100,000 | 2.50 [2.00–3.00] | 1.00 | 2.00 | 2.00 |"
                + " 1.25× |");
  }

  @Test
  void otherStreamLengthsGetRowsOfTheirOwn() {
    assertThat(report)
        .contains("| 64 B | chunked, a chunk per event | 1 | 0.000500 | – | – | – | – |");
  }

  @Test
  void kibibyteEventsCountTheirOwnDefault() {
    assertThat(report).contains("| 1 KiB | none, until close | 10,000 | – | – | 0.500 | – | – |");
  }

  @Test
  void headerNamesEveryClient() {
    assertThat(report)
        .contains(
            "| data | framing | events/op | Herald | Herald, pull (`openStream`) | okhttp-sse 4.12.0"
                + " | okhttp-eventsource 4.3.0 | Herald / best reference |");
  }

  @Test
  void wireFormatTablesStillComeFirstAndForksAreCountedPerParameterSet() {
    assertThat(report).contains("| small: 1 × 64 B data line | 1,048,536 | 14,563 | 1,049 |");
    assertThat(report.indexOf("#### Parsers")).isLessThan(report.indexOf("#### Clients"));
    assertThat(report).contains("; 3 forks per benchmark,");
  }

  private static String entry(
      String client, String payload, String framing, String events, String rawData) {
    return """
        {"jmhVersion": "1.37", "benchmark": "dev.herald.bench.jmh.ClientBenchmark.receive",
         "mode": "thrpt", "threads": 1, "forks": 3, "jvmArgs": ["-Xms1g", "-Xmx1g"],
         "vmName": "OpenJDK 64-Bit Server VM", "vmVersion": "17.0.15+6",
         "warmupIterations": 3, "warmupTime": "2 s", "measurementIterations": 5,
         "measurementTime": "2 s",
         "params": {"client": "%s", "events": "%s", "framing": "%s", "payload": "%s"},
         "primaryMetric": {"score": 1.0, "scoreError": "NaN", "scoreUnit": "ops/s",
                           "rawData": %s},
         "secondaryMetrics": {}}
        """
        .formatted(client, events, framing, payload, rawData);
  }
}
