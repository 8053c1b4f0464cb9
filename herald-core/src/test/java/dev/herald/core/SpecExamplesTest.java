package dev.herald.core;

import static dev.herald.core.Streams.event;
import static dev.herald.core.Streams.message;
import static dev.herald.core.Streams.parseEveryLineEnding;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Section G of the checklist: the examples of the spec's text, exact. */
class SpecExamplesTest {

  @Test
  @DisplayName("G-1 three messages, the second on two lines")
  void threeMessages() {
    String stream =
        "data: This is the first message.\n\n"
            + "data: This is the second message, it\n"
            + "data: has two lines.\n\n"
            + "data: This is the third message.\n\n";
    assertThat(parseEveryLineEnding(stream).events())
        .containsExactly(
            message("This is the first message."),
            message("This is the second message, it\nhas two lines."),
            message("This is the third message."));
  }

  @Test
  @DisplayName("G-2 named events add and remove")
  void namedEvents() {
    String stream =
        "event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n";
    assertThat(parseEveryLineEnding(stream).events())
        .containsExactly(
            event("add", "73857293", ""), event("remove", "2153", ""), event("add", "113411", ""));
  }

  @Test
  @DisplayName("G-3 stock ticker data on three lines")
  void stockTicker() {
    assertThat(parseEveryLineEnding("data: YHOO\ndata: +2\ndata: 10\n\n").only())
        .isEqualTo(message("YHOO\n+2\n10"));
  }

  @Test
  @DisplayName("G-4 comment, ids, id reset and a value starting with a space")
  void idsAndSpaces() {
    String stream =
        ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n";
    assertThat(parseEveryLineEnding(stream).events())
        .containsExactly(
            event("message", "first event", "1"),
            event("message", "second event", ""),
            event("message", " third event", ""));
    String withoutFinalBlankLine = stream.substring(0, stream.length() - 1);
    assertThat(parseEveryLineEnding(withoutFinalBlankLine).events()).hasSize(2);
  }

  @Test
  @DisplayName("G-5 empty data, two empty lines, and an unterminated block discarded")
  void emptyData() {
    assertThat(parseEveryLineEnding("data\n\ndata\ndata\n\ndata:").data())
        .containsExactly("", "\n");
  }

  @Test
  @DisplayName("G-6 one optional space: two identical events")
  void optionalSpace() {
    assertThat(parseEveryLineEnding("data:test\n\ndata: test\n\n").data())
        .containsExactly("test", "test");
  }
}
