package dev.herald.core;

import static dev.herald.core.Streams.event;
import static dev.herald.core.Streams.message;
import static dev.herald.core.Streams.parse;
import static dev.herald.core.Streams.parseEveryLineEnding;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sections B and C of the checklist: lines and fields. */
class FieldParsingTest {

  @Test
  @DisplayName("S-10 the buffers start empty: no type, no data, last event ID \"\"")
  void initialState() {
    SseParser parser = new SseParser(e -> {});
    assertThat(parser.lastEventId()).isEmpty();
    assertThat(parser.retry()).isEmpty();
    assertThat(parseEveryLineEnding("data: x\n\n").only()).isEqualTo(event("message", "x", ""));
  }

  @Test
  @DisplayName("S-11 a line starting with a colon is a comment and is ignored")
  void commentsIgnored() {
    Streams.Result result = parseEveryLineEnding(": hello\n:\ndata: x\n: between\n\n");
    assertThat(result.only()).isEqualTo(message("x"));
    assertThat(result.comments()).containsExactly("hello", "", "between");
  }

  @Test
  @DisplayName("S-11 field and value split at the first colon; exactly one space is stripped")
  void fieldValueSplit() {
    assertThat(parseEveryLineEnding("data:plain\n\n").only().data()).isEqualTo("plain");
    assertThat(parseEveryLineEnding("data: one\n\n").only().data()).isEqualTo("one");
    assertThat(parseEveryLineEnding("data:  two\n\n").only().data()).isEqualTo(" two");
    assertThat(parseEveryLineEnding("data:\ttab\n\n").only().data()).isEqualTo("\ttab");
    assertThat(parseEveryLineEnding("data: \n\n").only().data()).isEmpty();
  }

  @Test
  @DisplayName("S-11 a line without a colon is a field with an empty value")
  void fieldWithoutColon() {
    assertThat(parseEveryLineEnding("data\n\n").only().data()).isEmpty();
    assertThat(parseEveryLineEnding("id: 1\ndata: x\nid\n\n").only().id()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Data", " data", "data\0", "da-ta", "data_5", "DATA", "data "})
  @DisplayName("S-12 field names match exactly, case-sensitive, untrimmed")
  void fieldNamesAreLiteral(String name) {
    assertThat(parseEveryLineEnding(name + ": x\n\n").events()).isEmpty();
  }

  @Test
  @DisplayName("S-13 values may hold NUL and further colons")
  void valuesHoldNulAndColons() {
    assertThat(parseEveryLineEnding("data: a:b: c\n\n").only().data()).isEqualTo("a:b: c");
    assertThat(parseEveryLineEnding("data: a\0b\n\n").only().data()).isEqualTo("a\0b");
    assertThat(parseEveryLineEnding("event: x:y\ndata\n\n").only().type()).isEqualTo("x:y");
  }

  @Test
  @DisplayName("S-20 event sets the type of the event being built")
  void eventField() {
    assertThat(parseEveryLineEnding("event: add\ndata: 1\n\n").only())
        .isEqualTo(event("add", "1", ""));
    assertThat(parseEveryLineEnding("event: a\nevent: b\ndata: 1\n\n").only().type())
        .isEqualTo("b");
  }

  @Test
  @DisplayName("S-21 each data field appends its value and one LF")
  void dataAccumulates() {
    assertThat(parseEveryLineEnding("data: a\ndata\ndata:\ndata: b\n\n").only().data())
        .isEqualTo("a\n\n\nb");
  }

  @Test
  @DisplayName("S-22 an id with NUL is ignored; the ID keeps its previous value")
  void idWithNulIgnored() {
    Streams.Result result = parseEveryLineEnding("id: 1\n\nid: 2\0x\ndata: a\n\n");
    assertThat(result.only().id()).isEqualTo("1");
    assertThat(result.lastEventId()).isEqualTo("1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"id", "id:", "id: "})
  @DisplayName("S-22 an empty id resets the last event ID")
  void emptyIdResets(String reset) {
    Streams.Result result = parseEveryLineEnding("id: 1\ndata: a\n\n" + reset + "\ndata: b\n\n");
    assertThat(result.events()).containsExactly(event("message", "a", "1"), message("b"));
    assertThat(result.lastEventId()).isEmpty();
  }

  @Test
  @DisplayName("S-22 an id keeps spaces after the first and any other character")
  void idValue() {
    assertThat(parseEveryLineEnding("id:  \u00e9 x:1\ndata\n\n").only().id())
        .isEqualTo(" \u00e9 x:1");
  }

  @Test
  @DisplayName("S-23 retry of ASCII digits sets the reconnection time, leading zeros decimal")
  void retryDigits() {
    Streams.Result result = parseEveryLineEnding("retry: 03000\ndata: x\n\nretry:10\n\n");
    assertThat(result.retries()).containsExactly(3000L, 10L);
    assertThat(result.only()).isEqualTo(message("x"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "+1", "1.5", " 1", "1 ", "x", "1e3", "", "\u0661", "0x10"})
  @DisplayName("S-23 retry with anything but digits, or empty, is ignored; the block still fires")
  void retryBogusIgnored(String value) {
    Streams.Result result = parseEveryLineEnding("retry: " + value + "\ndata: x\n\n");
    assertThat(result.retries()).isEmpty();
    assertThat(result.only()).isEqualTo(message("x"));
  }

  @Test
  @DisplayName("S-23 a huge retry is clamped to Long.MAX_VALUE, never an exception")
  void hugeRetryClamped() {
    String digits = "9".repeat(400);
    Streams.Result result = parseEveryLineEnding("retry: " + digits + "\ndata\n\n");
    assertThat(result.retries()).containsExactly(Long.MAX_VALUE);
    assertThat(parseEveryLineEnding("retry: 9223372036854775807\n\n").retries())
        .containsExactly(Long.MAX_VALUE);
    assertThat(parseEveryLineEnding("retry: 9223372036854775808\n\n").retries())
        .containsExactly(Long.MAX_VALUE);
    assertThat(parseEveryLineEnding("retry: 922337203685477580\n\n").retries())
        .containsExactly(922337203685477580L);
  }

  @Test
  @DisplayName("S-24 unknown fields are ignored")
  void unknownFields() {
    assertThat(parseEveryLineEnding("foo: bar\nretry2: 1\ndata: x\nrandom\n\n").only())
        .isEqualTo(message("x"));
  }

  @Test
  @DisplayName("S-25 retry takes effect as the line is read, even if its block never dispatches")
  void retryImmediate() {
    RecordingListener recorder = new RecordingListener();
    SseParser parser = new SseParser(recorder);
    parser.feed(Streams.utf8("data: x\nretry: 500\n"));
    assertThat(recorder.retries).containsExactly(500L);
    assertThat(parser.retry()).isEqualTo(OptionalLong.of(500));
    parser.end();
    assertThat(recorder.events).isEmpty();
    assertThat(parser.retry()).isEqualTo(OptionalLong.of(500));
  }

  @Test
  @DisplayName("S-25 an id changes the last event ID string only at the blank line")
  void idAtDispatch() {
    RecordingListener recorder = new RecordingListener();
    SseParser parser = new SseParser(recorder);
    parser.feed(Streams.utf8("id: 7\n"));
    assertThat(parser.lastEventId()).isEmpty();
    parser.feed(Streams.utf8("\n"));
    assertThat(parser.lastEventId()).isEqualTo("7");
  }

  @Test
  @DisplayName("S-25 the retry callback comes in stream order, before the event of its block")
  void retryOrder() {
    RecordingListener recorder = new RecordingListener();
    new SseParser(recorder).feed(Streams.utf8("data: a\nretry: 1\n\n"));
    assertThat(recorder.log).containsExactly("retry:1", "event:message/a/");
    assertThat(parse("data: a\nretry: 1\n\n").retries()).containsExactly(1L);
  }
}
