package dev.herald.core;

import static dev.herald.core.Streams.event;
import static dev.herald.core.Streams.message;
import static dev.herald.core.Streams.parseEveryLineEnding;
import static dev.herald.core.Streams.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Section D of the checklist: dispatch. (S-36, delivery after {@code close()}, belongs to the
 * EventSource, not to the parser.)
 */
class DispatchTest {

  @Test
  @DisplayName("S-30 the last event ID persists to later events until an id changes it")
  void idPersists() {
    assertThat(parseEveryLineEnding("id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n").events())
        .containsExactly(
            event("message", "a", "1"), event("message", "b", "1"), event("message", "c", "2"));
  }

  @Test
  @DisplayName("S-31 a block with only an id fires nothing but sets the last event ID")
  void idOnlyBlock() {
    Streams.Result result = parseEveryLineEnding("id: 42\n\n");
    assertThat(result.events()).isEmpty();
    assertThat(result.lastEventId()).isEqualTo("42");
    assertThat(parseEveryLineEnding("id: 42\n\ndata: x\n\n").only())
        .isEqualTo(event("message", "x", "42"));
  }

  @Test
  @DisplayName("S-32 a block without data fires nothing, and its type does not leak")
  void noDataNoEvent() {
    Streams.Result result = parseEveryLineEnding("event: x\n\ndata: y\n\n");
    assertThat(result.only()).isEqualTo(message("y"));
    assertThat(parseEveryLineEnding("event: x\nretry: 5\n: c\n\n").events()).isEmpty();
    assertThat(parseEveryLineEnding("\n\n\n").events()).isEmpty();
  }

  @Test
  @DisplayName("S-33 exactly one trailing LF is removed from the data")
  void oneTrailingLfRemoved() {
    assertThat(parseEveryLineEnding("data\n\n").only().data()).isEmpty();
    assertThat(parseEveryLineEnding("data\ndata\n\n").only().data()).isEqualTo("\n");
    assertThat(parseEveryLineEnding("data: a\ndata\n\n").only().data()).isEqualTo("a\n");
  }

  @Test
  @DisplayName("S-34 the type is message unless named; an empty event field means message")
  void typeOfDispatchedEvent() {
    assertThat(parseEveryLineEnding("data: x\n\n").only().type()).isEqualTo("message");
    assertThat(parseEveryLineEnding("event:\ndata: x\n\n").only().type()).isEqualTo("message");
    assertThat(parseEveryLineEnding("event: add\nevent:\ndata: x\n\n").only().type())
        .isEqualTo("message");
    assertThat(parseEveryLineEnding("event: message\ndata: x\n\n").only().type())
        .isEqualTo("message");
    assertThat(parseEveryLineEnding("event: \u00fcber\nid: 9\ndata: x\n\n").only())
        .isEqualTo(event("\u00fcber", "x", "9"));
  }

  @Test
  @DisplayName("S-35 data and type are reset after dispatch; the ID is kept")
  void buffersReset() {
    assertThat(parseEveryLineEnding("event: a\nid: 3\ndata: 1\n\ndata: 2\n\n").events())
        .containsExactly(event("a", "1", "3"), event("message", "2", "3"));
  }

  @Test
  @DisplayName("S-37 an unterminated block is discarded at the end of the stream")
  void unfinishedBlockDiscarded() {
    assertThat(parseEveryLineEnding("data: a\n\ndata: b\n").data()).containsExactly("a");
    assertThat(parseEveryLineEnding("data: a\n\ndata: b").data()).containsExactly("a");
    assertThat(Streams.parse("data: a\r\n\r\ndata: b\r").data()).containsExactly("a");
  }

  @Test
  @DisplayName("S-37 an id in an unfinished block never reaches the last event ID")
  void unfinishedIdDiscarded() {
    Streams.Result result = parseEveryLineEnding("id: 1\ndata: a\n\nid: 2\ndata: b\n");
    assertThat(result.lastEventId()).isEqualTo("1");
  }

  @Test
  @DisplayName("S-41 after end(), the next response reports the last event ID until an id")
  void lastEventIdAcrossResponses() {
    RecordingListener recorder = new RecordingListener();
    SseParser parser = new SseParser(recorder);
    parser.feed(utf8("id: 5\ndata: a\n\nid: 6\ndata: lost\n"));
    parser.end();
    parser.feed(utf8("data: b\n\nid: 7\ndata: c\n\n"));
    assertThat(recorder.events)
        .containsExactly(
            event("message", "a", "5"), event("message", "b", "5"), event("message", "c", "7"));
  }

  @Test
  @DisplayName("S-41 a parser can start from a known last event ID")
  void initialLastEventId() {
    RecordingListener recorder = new RecordingListener();
    SseParser parser = SseParser.builder().lastEventId("99").build(recorder);
    assertThat(parser.lastEventId()).isEqualTo("99");
    parser.feed(utf8("data: a\n\n"));
    assertThat(recorder.events).containsExactly(event("message", "a", "99"));
  }

  @Test
  @DisplayName("a listener that throws leaves the parser consistent for the next event")
  void throwingListener() {
    RecordingListener recorder = new RecordingListener();
    boolean[] fail = {true};
    SseParser parser =
        new SseParser(
            e -> {
              if (fail[0]) {
                fail[0] = false;
                throw new IllegalStateException("listener failure");
              }
              recorder.onEvent(e);
            });
    try {
      parser.feed(utf8("event: a\ndata: 1\n\ndata: 2\n\n"));
    } catch (IllegalStateException expected) {
      assertThat(expected).hasMessage("listener failure");
    }
    parser.feed(utf8("data: 3\n\n"));
    assertThat(recorder.events).containsExactly(message("3"));
  }
}
