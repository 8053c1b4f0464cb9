package dev.herald.core;

import static dev.herald.core.Streams.event;
import static dev.herald.core.Streams.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Section F of the checklist: the wire format a producer writes. */
class SseWriterTest {

  @Test
  @DisplayName("S-60 events are written as UTF-8")
  void utf8() {
    assertThat(wire(SseEvent.of("caf\u00e9 \u20ac \uD83D\uDE00")))
        .isEqualTo("data: caf\u00e9 \u20ac \uD83D\uDE00\n\n");
    assertThat(SseWriter.encode(SseEvent.of("\u00e9")))
        .containsExactly('d', 'a', 't', 'a', ':', ' ', 0xC3, 0xA9, '\n', '\n');
  }

  @Test
  @DisplayName("S-60 a lone surrogate is written as U+FFFD, as UTF-8 encode does")
  void loneSurrogate() {
    assertThat(wire(SseEvent.of("a\uD800b\uDC00"))).isEqualTo("data: a\uFFFDb\uFFFD\n\n");
  }

  @Test
  @DisplayName("S-61 fields in order, lower-case names, one blank line ending the event")
  void allFields() {
    SseEvent event =
        SseEvent.builder()
            .comment("note")
            .type("update")
            .id("42")
            .retry(Duration.ofSeconds(10))
            .data("{\"n\":42}")
            .build();
    assertThat(wire(event))
        .isEqualTo(": note\nevent: update\nid: 42\nretry: 10000\ndata: {\"n\":42}\n\n");
  }

  @Test
  @DisplayName("S-62 multi-line data (CR, LF, CRLF) becomes several data lines")
  void multiLineData() {
    assertThat(wire(SseEvent.of("a\nb\r\nc\rd")))
        .isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
    assertThat(wire(SseEvent.of("\n"))).isEqualTo("data:\ndata:\n\n");
    assertThat(wire(SseEvent.of("a\r\n"))).isEqualTo("data: a\ndata:\n\n");
    assertThat(wire(SseEvent.of(""))).isEqualTo("data:\n\n");
  }

  @Test
  @DisplayName("S-62 data that tries to inject fields stays data")
  void injectionIsData() {
    String attack = "x\n\nevent: admin\nid: 0\ndata: evil";
    SseEvent event = SseEvent.of(attack);
    assertThat(wire(event))
        .isEqualTo("data: x\ndata:\ndata: event: admin\ndata: id: 0\ndata: data: evil\n\n");
    assertThat(parseOne(event)).isEqualTo(message(attack));
  }

  @Test
  @DisplayName("S-63 a value starting with a space keeps it")
  void leadingSpace() {
    assertThat(wire(SseEvent.of("  two"))).isEqualTo("data:   two\n\n");
    assertThat(parseOne(SseEvent.of("  two"))).isEqualTo(message("  two"));
    SseEvent id = SseEvent.builder().id(" 7").type(" t").data(" x\n y").build();
    assertThat(parseOne(id)).isEqualTo(event(" t", " x\n y", " 7"));
  }

  @Test
  @DisplayName("S-64 comments, multi-line too, become comment lines; a heartbeat is a bare colon")
  void comments() {
    assertThat(wire(SseEvent.ofComment("a\r\nb"))).isEqualTo(": a\n: b\n\n");
    assertThat(wire(SseEvent.ofComment(""))).isEqualTo(":\n\n");
    RecordingListener recorder = new RecordingListener();
    new SseParser(recorder).feed(SseWriter.encode(SseEvent.ofComment(" x\ny")));
    assertThat(recorder.comments).containsExactly(" x", "y");
    assertThat(recorder.events).isEmpty();
  }

  @Test
  @DisplayName("S-66 an empty id is written, and resets the client's last event ID")
  void emptyIdResets() {
    SseEvent reset = SseEvent.builder().resetId().build();
    assertThat(wire(reset)).isEqualTo("id:\n\n");
    RecordingListener recorder = new RecordingListener();
    SseParser parser = SseParser.builder().lastEventId("41").build(recorder);
    parser.feed(SseWriter.encode(reset));
    assertThat(parser.lastEventId()).isEmpty();
  }

  @Test
  @DisplayName("retry is written in decimal milliseconds, clamped for huge durations")
  void retryDigits() {
    assertThat(wire(SseEvent.builder().retry(Duration.ZERO).build())).isEqualTo("retry: 0\n\n");
    assertThat(wire(SseEvent.builder().retry(Duration.ofMillis(1234567)).build()))
        .isEqualTo("retry: 1234567\n\n");
    assertThat(wire(SseEvent.builder().retry(Duration.ofSeconds(Long.MAX_VALUE)).build()))
        .isEqualTo("retry: 9223372036854775807\n\n");
  }

  @Test
  @DisplayName("encodedLength is exact, and encode writes at an offset without touching the rest")
  void encodeIntoArray() {
    SseEvent event = SseEvent.builder().type("t").id("\u00e9").data("a\nb\uD83D\uDE00").build();
    int n = SseWriter.encodedLength(event);
    byte[] dst = new byte[n + 4];
    assertThat(SseWriter.encode(event, dst, 2)).isEqualTo(n);
    assertThat(dst[0]).isZero();
    assertThat(dst[1]).isZero();
    assertThat(new String(dst, 2, n, StandardCharsets.UTF_8)).isEqualTo(wire(event));
    assertThat(dst[n + 2]).isZero();
    assertThatThrownBy(() -> SseWriter.encode(event, new byte[n], 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  @DisplayName("encode into heap and direct ByteBuffers advances the position")
  void encodeIntoBuffers() {
    SseEvent event = SseEvent.of("add", "1");
    for (ByteBuffer buffer :
        new ByteBuffer[] {ByteBuffer.allocate(64), ByteBuffer.allocateDirect(64)}) {
      buffer.position(3);
      SseWriter.encode(event, buffer);
      assertThat(buffer.position()).isEqualTo(3 + SseWriter.encodedLength(event));
      buffer.flip().position(3);
      assertThat(StandardCharsets.UTF_8.decode(buffer).toString())
          .isEqualTo("event: add\ndata: 1\n\n");
    }
    assertThatThrownBy(() -> SseWriter.encode(event, ByteBuffer.allocate(5)))
        .isInstanceOf(BufferOverflowException.class);
  }

  @Test
  @DisplayName("write sends the event to an OutputStream")
  void writeToStream() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SseWriter.write(SseEvent.of("x"), out);
    SseWriter.write(SseEvent.of("y"), out);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("data: x\n\ndata: y\n\n");
  }

  private static String wire(SseEvent event) {
    byte[] bytes = SseWriter.encode(event);
    assertThat(bytes).hasSize(SseWriter.encodedLength(event));
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static SseEvent parseOne(SseEvent event) {
    return Streams.parse(SseWriter.encode(event)).only();
  }
}
