package dev.herald.core;

import static dev.herald.core.Streams.bytes;
import static dev.herald.core.Streams.concat;
import static dev.herald.core.Streams.message;
import static dev.herald.core.Streams.parse;
import static dev.herald.core.Streams.parseEveryLineEnding;
import static dev.herald.core.Streams.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Section A of the checklist: byte decoding and line splitting. */
class LineDecodingTest {
  private static final byte[] BOM = bytes(0xEF, 0xBB, 0xBF);

  @Test
  @DisplayName("S-01 the stream is always decoded as UTF-8")
  void alwaysUtf8() {
    assertThat(parseEveryLineEnding("data: caf\u00e9 \u20ac \uD83D\uDE00\n\n").data())
        .containsExactly("caf\u00e9 \u20ac \uD83D\uDE00");
    // windows-1252 "é" is one byte 0xE9: not UTF-8, so not "é" but U+FFFD
    assertThat(parse(concat(utf8("data: caf"), bytes(0xE9), utf8("\n\n"))).data())
        .containsExactly("caf\uFFFD");
  }

  @Test
  @DisplayName("S-02 one leading BOM is stripped")
  void oneLeadingBomStripped() {
    assertThat(parse(concat(BOM, utf8("data: a\n\n"))).data()).containsExactly("a");
  }

  @Test
  @DisplayName("S-02 a second BOM becomes part of the field name, which is then unknown")
  void secondBomIsData() {
    assertThat(parse(concat(BOM, BOM, utf8("data: a\n\ndata: b\n\n"))).data()).containsExactly("b");
  }

  @Test
  @DisplayName("S-02 a BOM later in the stream is data, not stripped")
  void laterBomIsData() {
    assertThat(parse(concat(utf8("data: a\n\n"), BOM, utf8("data: b\n\n"))).data())
        .containsExactly("a");
    assertThat(parse(concat(utf8("data: "), BOM, utf8("b\n\n"))).data()).containsExactly("\uFEFFb");
  }

  @Test
  @DisplayName("S-02 a truncated BOM at the start is ordinary (invalid) bytes")
  void truncatedBomIsData() {
    assertThat(parse(concat(bytes(0xEF, 0xBB), utf8("data: a\n\ndata: b\n\n"))).data())
        .containsExactly("b");
    assertThat(parse(concat(bytes(0xEF, 0xBB), utf8("\n\ndata: b\n\n"))).data())
        .containsExactly("b");
  }

  @Test
  @DisplayName("S-02 each new response of the source may start with its own BOM")
  void bomPerResponse() {
    RecordingListener recorder = new RecordingListener();
    SseParser parser = new SseParser(recorder);
    parser.feed(concat(BOM, utf8("data: a\n\n")));
    parser.end();
    parser.feed(concat(BOM, utf8("data: b\n\n")));
    assertThat(recorder.events).extracting(SseEvent::data).containsExactly("a", "b");
  }

  @Test
  @DisplayName("S-03 invalid UTF-8 decodes to U+FFFD per the Encoding standard")
  void invalidBytesBecomeReplacementCharacters() {
    String fffd = "\uFFFD";
    assertThat(parse(dataLine(0xC0, 0xAF)).only().data()).isEqualTo(fffd + fffd);
    assertThat(parse(dataLine(0xED, 0xA0, 0x80)).only().data()).isEqualTo(fffd.repeat(3));
    assertThat(parse(dataLine(0xE2, 0x82, 'A')).only().data()).isEqualTo(fffd + "A");
    assertThat(parse(dataLine(0xF0, 0x9F, 0x98)).only().data()).isEqualTo(fffd);
    assertThat(parse(dataLine(0xF4, 0x90, 0x80, 0x80)).only().data()).isEqualTo(fffd.repeat(4));
    assertThat(parse(dataLine(0x80, 'x', 0xFF)).only().data()).isEqualTo(fffd + "x" + fffd);
  }

  @Test
  @DisplayName("S-03 a truncated sequence before a line break is one U+FFFD, then the break")
  void truncatedSequenceBeforeLineBreak() {
    byte[] stream = concat(utf8("data: a"), bytes(0xE2, 0x82), utf8("\ndata: b\n\n"));
    assertThat(parse(stream).only().data()).isEqualTo("a\uFFFD\nb");
  }

  @Test
  @DisplayName("S-03 characters split across chunks decode whole")
  void multiByteCharactersAcrossChunks() {
    // Streams.parse feeds 1-, 2- and 3-byte chunks and random splits: every split point is hit.
    assertThat(
            parseEveryLineEnding("event: \u00e9t\u00e9\ndata: \u20ac\uD83D\uDE00\u00e9\n\n").only())
        .isEqualTo(Streams.event("\u00e9t\u00e9", "\u20ac\uD83D\uDE00\u00e9", ""));
  }

  @Test
  @DisplayName("S-04 CRLF, lone LF and lone CR each end one line, mixed in one stream")
  void lineBreaks() {
    assertThat(parse("data: a\r\ndata: b\ndata: c\rdata: d\r\n\r\n").only().data())
        .isEqualTo("a\nb\nc\nd");
    assertThat(parse("data: a\r\n\r\ndata: b\n\ndata: c\r\r").data())
        .containsExactly("a", "b", "c");
    assertThat(parse("data: a\n\rdata: b\r\n").data()).containsExactly("a");
  }

  @Test
  @DisplayName("S-05 a CR ending a chunk dispatches at once; an LF after it is no blank line")
  void crAtEndOfChunk() {
    RecordingListener recorder = new RecordingListener();
    SseParser parser = new SseParser(recorder);
    parser.feed(utf8("data: x\r\r"));
    assertThat(recorder.events).containsExactly(message("x"));

    parser.feed(utf8("data: y\r"));
    parser.feed(utf8("\n"));
    assertThat(recorder.events).as("the LF completes CRLF").containsExactly(message("x"));
    parser.feed(utf8("\r"));
    assertThat(recorder.events).containsExactly(message("x"), message("y"));
  }

  @Test
  @DisplayName("S-05 CR then LF in the next chunk is one line break before another line")
  void crlfSplitAcrossChunks() {
    RecordingListener recorder = new RecordingListener();
    SseParser parser = new SseParser(recorder);
    parser.feed(utf8("data: a\r"));
    parser.feed(utf8("\ndata: b\r"));
    parser.feed(utf8("\n\r"));
    parser.feed(utf8("\n"));
    assertThat(recorder.events).containsExactly(message("a\nb"));
  }

  @Test
  @DisplayName("S-06 NEL, LS, PS, VT and FF are data, not line breaks")
  void otherBreaksAreData() {
    String value = "a\u0085b\u2028c\u2029d\u000Be\u000Cf";
    assertThat(parseEveryLineEnding("data: " + value + "\n\n").only().data()).isEqualTo(value);
  }

  @Test
  @DisplayName("S-07 an event is dispatched as soon as its blank line is fed, without buffering")
  void noBlockBuffering() {
    RecordingListener recorder = new RecordingListener();
    SseParser parser = new SseParser(recorder);
    parser.feed(utf8("data: first\n"));
    assertThat(recorder.events).isEmpty();
    parser.feed(utf8("\n"));
    assertThat(recorder.events).containsExactly(message("first"));
  }

  private static byte[] dataLine(int... value) {
    return concat(utf8("data: "), bytes(value), utf8("\n\n"));
  }
}
