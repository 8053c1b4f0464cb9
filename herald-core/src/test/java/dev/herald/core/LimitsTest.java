package dev.herald.core;

import static dev.herald.core.Streams.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The parser's memory bounds: every overrun is a named exception, never unbounded growth. */
class LimitsTest {

  @Test
  @DisplayName("a line longer than maxLineBytes fails naming the limit, in any chunking")
  void lineTooLong() {
    byte[] stream = utf8("data: ok\n\ndata: " + "x".repeat(20) + "\n\n");
    for (int chunk = 1; chunk <= stream.length; chunk++) {
      int size = chunk;
      RecordingListener recorder = new RecordingListener();
      SseParser parser = SseParser.builder().maxLineBytes(16).build(recorder);
      assertThatThrownBy(() -> feedAll(parser, stream, size))
          .isInstanceOf(SseLimitExceededException.class)
          .hasMessage("a line exceeds maxLineBytes (16)")
          .satisfies(
              e -> {
                SseLimitExceededException limit = (SseLimitExceededException) e;
                assertThat(limit.limitName()).isEqualTo("maxLineBytes");
                assertThat(limit.limit()).isEqualTo(16);
              });
      assertThat(recorder.events).as("events before the long line").hasSize(1);
    }
  }

  @Test
  @DisplayName("a line of exactly maxLineBytes is accepted; the line break does not count")
  void lineAtLimit() {
    String line = "data: " + "x".repeat(10); // 16 bytes
    Streams.Result result =
        Streams.parse(utf8(line + "\r\n\r\n"), () -> SseParser.builder().maxLineBytes(16));
    assertThat(result.only().data()).hasSize(10);
  }

  @Test
  @DisplayName("an unterminated line past the limit fails too, and so do comments")
  void unterminatedAndCommentLines() {
    SseParser parser = SseParser.builder().maxLineBytes(8).build(e -> {});
    assertThatThrownBy(() -> parser.feed(utf8("data: 123456789")))
        .isInstanceOf(SseLimitExceededException.class);
    SseParser comments = SseParser.builder().maxLineBytes(8).build(e -> {});
    assertThatThrownBy(() -> comments.feed(utf8(": heartbeat!\n")))
        .isInstanceOf(SseLimitExceededException.class);
  }

  @Test
  @DisplayName("data past maxEventBytes fails naming the limit: value bytes plus one LF a line")
  void eventSizeAccounting() {
    RecordingListener recorder = new RecordingListener();
    SseParser parser = SseParser.builder().maxEventBytes(10).build(recorder);
    parser.feed(utf8("data: 1234\ndata: 1234\n\n")); // "1234\n1234\n" = 10 bytes: fits
    assertThat(recorder.events).extracting(SseEvent::data).containsExactly("1234\n1234");
    assertThatThrownBy(() -> parser.feed(utf8("data: 12345\ndata: 1234\n\n")))
        .isInstanceOf(SseLimitExceededException.class)
        .hasMessage("the data of an event exceeds maxEventBytes (10)");
    parser.end();
    parser.feed(utf8("event: next\ndata: ok\n\n"));
    assertThat(recorder.events).extracting(SseEvent::data).containsExactly("1234\n1234", "ok");
  }

  @Test
  @DisplayName("many small lines cannot grow the data past the limit either")
  void manyLines() {
    SseParser parser = SseParser.builder().maxEventBytes(1000).build(e -> {});
    assertThatThrownBy(() -> parser.feed(utf8("data\n".repeat(1001))))
        .isInstanceOf(SseLimitExceededException.class);
  }

  @Test
  @DisplayName("limits must be positive")
  void invalidLimits() {
    assertThatThrownBy(() -> SseParser.builder().maxLineBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxLineBytes must be positive: 0");
    assertThatThrownBy(() -> SseParser.builder().maxEventBytes(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEventBytes must be positive: -1");
  }

  @Test
  @DisplayName("the defaults are documented constants")
  void defaults() {
    assertThat(List.of(SseParser.DEFAULT_MAX_LINE_BYTES, SseParser.DEFAULT_MAX_EVENT_BYTES))
        .containsExactly(16 * 1024 * 1024, 64 * 1024 * 1024);
  }

  private static void feedAll(SseParser parser, byte[] stream, int size) {
    for (int off = 0; off < stream.length; off += size) {
      parser.feed(stream, off, Math.min(size, stream.length - off));
    }
    parser.end();
  }
}
