package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.cli.Cli.Result;
import org.junit.jupiter.api.Test;

class HeraldCommandTest {
  @Test
  void versionNamesHeraldsVersionFromTheBuildAndTheJvm() {
    Result r = Cli.run("", "--version");

    assertThat(r.status()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "herald " + System.getProperty("herald.version"),
            "JVM: "
                + System.getProperty("java.version")
                + " ("
                + System.getProperty("java.vendor")
                + " "
                + System.getProperty("java.vm.name")
                + ")");
  }

  @Test
  void helpListsTheCommands() {
    Result r = Cli.run("", "--help");

    assertThat(r.status()).isZero();
    assertThat(r.out())
        .startsWith("Usage: herald [-hV] [COMMAND]")
        .contains("  parse  Prints the events of a stream as JSON lines.")
        .contains("  help ");
  }

  @Test
  void helpCommandShowsACommandsUsage() {
    Result r = Cli.run("", "help", "parse");

    assertThat(r.status()).isZero();
    assertThat(r.out())
        .startsWith("Usage: herald parse")
        .contains("--max-line-bytes=BYTES")
        .contains("(default: 16777216)")
        .contains("--max-event-bytes=BYTES")
        .contains("(default: 67108864)");
  }

  @Test
  void noCommandIsAUsageError() {
    Result r = Cli.run("");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("Missing a command").contains("Usage: herald");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    Result r = Cli.run("", "frobnicate");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("frobnicate");
  }
}
