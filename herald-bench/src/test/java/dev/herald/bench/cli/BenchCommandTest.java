package dev.herald.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's checks; runs no scenario (that needs servers and minutes). */
class BenchCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return new CommandLine(new BenchCommand())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void helpNamesEveryScenario() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .startsWith("Usage: bench")
        .contains(
            "fanout",
            "latency",
            "latency-curve",
            "idle",
            "reconnect",
            "publish",
            "calibrate",
            "compare")
        .contains("--pipeline", "--time-wait-below", "--probe-seconds", "--curve")
        .contains("install-references.sh");
  }

  @Test
  void anUnknownScenarioIsAUsageError() {
    assertThat(run("throughput")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown scenario 'throughput'");
  }

  @Test
  void anExternalServerNeedsBothUrls() {
    assertThat(run("fanout", "--sub-url", "http://127.0.0.1:9/sub/{ch}")).isEqualTo(2);
    assertThat(err.toString()).contains("--sub-url and --pub-url go together");
  }

  @Test
  void aLatencyCaseIsSubscribersAtRate() {
    assertThat(run("latency", "--latency", "1000x20000")).isEqualTo(2);
    assertThat(err.toString()).contains("SUBSCRIBERS@RATE");
  }

  @Test
  void aCurvePointIsAPercentAndThePipelineAtLeastOne() {
    assertThat(run("latency-curve", "--curve", "10,120")).isEqualTo(2);
    assertThat(err.toString()).contains("a latency-curve point is 1–100 (%): 120");
    assertThat(run("fanout", "--pipeline", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--pipeline must be positive: 0");
  }

  @Test
  void countsMustBePositive() {
    assertThat(run("fanout", "--publishers", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--publishers must be positive: 0");
  }
}
