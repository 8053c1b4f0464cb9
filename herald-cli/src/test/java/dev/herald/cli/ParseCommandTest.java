package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.cli.Cli.Result;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParseCommandTest {
  @TempDir Path dir;

  @Test
  void specExampleStreamGivesOneLinePerEventWithTheLastEventIdInEffect() {
    Result r =
        Cli.run(
            ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third"
                + " event\n\n",
            "parse",
            "-");

    assertThat(r.status()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.outLines())
        .containsExactly(
            "{\"type\":\"message\",\"data\":\"first event\",\"lastEventId\":\"1\",\"retry\":null}",
            "{\"type\":\"message\",\"data\":\"second event\",\"lastEventId\":\"\",\"retry\":null}",
            "{\"type\":\"message\",\"data\":\" third event\",\"lastEventId\":\"\",\"retry\":null}");
  }

  @Test
  void namedEventsReportTheirTypeAndTheTypeResetsAfterEachEvent() {
    Result r = Cli.run("event: add\ndata: 73857293\n\ndata: plain\n\n", "parse", "-");

    assertThat(r.outLines())
        .containsExactly(
            "{\"type\":\"add\",\"data\":\"73857293\",\"lastEventId\":\"\",\"retry\":null}",
            "{\"type\":\"message\",\"data\":\"plain\",\"lastEventId\":\"\",\"retry\":null}");
  }

  @Test
  void retryIsNullUntilTheStreamSetsItThenStaysInEffect() {
    Result r =
        Cli.run(
            "data: a\n\nretry: 3000\ndata: b\n\ndata: c\n\nretry: soon\ndata: d\n\n", "parse", "-");

    assertThat(r.outLines())
        .containsExactly(
            "{\"type\":\"message\",\"data\":\"a\",\"lastEventId\":\"\",\"retry\":null}",
            "{\"type\":\"message\",\"data\":\"b\",\"lastEventId\":\"\",\"retry\":3000}",
            "{\"type\":\"message\",\"data\":\"c\",\"lastEventId\":\"\",\"retry\":3000}",
            "{\"type\":\"message\",\"data\":\"d\",\"lastEventId\":\"\",\"retry\":3000}");
  }

  @Test
  void retryInABlockWithoutDataStillAppliesToLaterEvents() {
    Result r = Cli.run("retry: 500\n\ndata: x\n\n", "parse", "-");

    assertThat(r.outLines())
        .containsExactly(
            "{\"type\":\"message\",\"data\":\"x\",\"lastEventId\":\"\",\"retry\":500}");
  }

  @Test
  void multiLineDataIsJoinedWithLineFeedsAndEscapedAsJson() {
    Result r =
        Cli.run("data: {\"n\": 1}\ndata: back\\slash\ttab\ndata: bell\u0007\r\n\r\n", "parse", "-");

    assertThat(r.outLines())
        .containsExactly(
            "{\"type\":\"message\",\"data\":\"{\\\"n\\\": 1}\\nback\\\\slash\\ttab\\nbell\\u0007\","
                + "\"lastEventId\":\"\",\"retry\":null}");
  }

  @Test
  void nonAsciiTextIsPrintedAsUtf8AndInvalidBytesAsReplacementCharacters() {
    byte[] stream =
        concat(
            "event: grüße\nid: ✓\ndata: 日本 😀 ".getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xFF, '\n', '\n'});

    Result r = Cli.run(new ByteArrayInputStream(stream), "parse", "-");

    assertThat(r.outLines())
        .containsExactly(
            "{\"type\":\"grüße\",\"data\":\"日本 😀 \uFFFD\",\"lastEventId\":\"✓\",\"retry\":null}");
  }

  @Test
  void anUnterminatedLastBlockIsNotDispatched() {
    Result r = Cli.run("data: done\n\ndata: cut off\n", "parse", "-");

    assertThat(r.status()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "{\"type\":\"message\",\"data\":\"done\",\"lastEventId\":\"\",\"retry\":null}");
  }

  @Test
  void anEmptyStreamPrintsNothing() {
    Result r = Cli.run("", "parse", "-");

    assertThat(r.status()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void readsAFile() throws IOException {
    Path file = dir.resolve("events.txt");
    Files.writeString(file, "id: 42\nevent: tick\ndata: 1\n\n", StandardCharsets.UTF_8);

    Result r = Cli.run("data: not this\n\n", "parse", file.toString());

    assertThat(r.status()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "{\"type\":\"tick\",\"data\":\"1\",\"lastEventId\":\"42\",\"retry\":null}");
  }

  @Test
  void readsAFileLargerThanOneChunkWithEventsAcrossChunkBoundaries() throws IOException {
    StringBuilder stream = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      stream.append("id: ").append(i).append("\ndata: event number ").append(i).append("\n\n");
    }
    Path file = dir.resolve("many.txt");
    Files.writeString(file, stream, StandardCharsets.UTF_8);

    Result r = Cli.run("", "parse", file.toString());

    assertThat(r.outLines())
        .hasSize(2000)
        .element(1234)
        .isEqualTo(
            "{\"type\":\"message\",\"data\":\"event number 1234\",\"lastEventId\":\"1234\","
                + "\"retry\":null}");
  }

  @Test
  void aMissingFileFailsWithAMessageNamingIt() {
    Path missing = dir.resolve("missing.txt");

    Result r = Cli.run("", "parse", missing.toString());

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("herald parse: cannot read " + missing + ": no such file\n");
  }

  @Test
  void aDirectoryFailsWithAMessageNamingIt() {
    Result r = Cli.run("", "parse", dir.toString());

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).startsWith("herald parse: cannot read " + dir + ": ");
  }

  @Test
  void aLineOverTheLimitFailsNamingTheLimitAfterPrintingTheEventsBeforeIt() {
    Result r =
        Cli.run(
            "data: short\n\ndata: " + "x".repeat(64) + "\n\n", "parse", "--max-line-bytes=32", "-");

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.outLines())
        .containsExactly(
            "{\"type\":\"message\",\"data\":\"short\",\"lastEventId\":\"\",\"retry\":null}");
    assertThat(r.err())
        .isEqualTo(
            "herald parse: standard input: a line exceeds maxLineBytes (32);"
                + " raise it with --max-line-bytes\n");
  }

  @Test
  void anEventOverTheLimitFailsNamingTheLimit() {
    Result r =
        Cli.run("data: 0123456789\ndata: 0123456789\n\n", "parse", "--max-event-bytes", "16", "-");

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("maxEventBytes (16)")
        .endsWith("raise it with --max-event-bytes\n");
  }

  @Test
  void aLimitAboveTheStreamLetsItThrough() {
    String data = "y".repeat(5000);

    Result r = Cli.run("data: " + data + "\n\n", "parse", "--max-line-bytes", "5006", "-");

    assertThat(r.status()).isZero();
    assertThat(r.outLines()).singleElement().asString().contains(data);
  }

  @Test
  void aLimitThatIsNotPositiveIsAUsageError() {
    Result r = Cli.run("", "parse", "--max-line-bytes", "0", "-");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).startsWith("--max-line-bytes must be a positive number of bytes: 0");
  }

  @Test
  void aMissingFileArgumentIsAUsageError() {
    Result r = Cli.run("", "parse");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("FILE").contains("Usage: herald parse");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
