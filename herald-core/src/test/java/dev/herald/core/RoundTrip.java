package dev.herald.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What a client must see for a sequence of written events: the model the round-trip tests hold the
 * writer and parser to.
 */
final class RoundTrip {
  private RoundTrip() {}

  /** The events a browser dispatches for {@code written}, in order. */
  static List<SseEvent> expectedEvents(List<SseEvent> written) {
    List<SseEvent> expected = new ArrayList<>();
    String lastEventId = "";
    for (SseEvent e : written) {
      if (e.id() != null) {
        lastEventId = wellFormed(e.id());
      }
      if (e.data() != null) {
        String type = e.type() == null || e.type().isEmpty() ? "message" : wellFormed(e.type());
        expected.add(SseEvent.dispatched(type, lines(e.data()), lastEventId));
      }
    }
    return expected;
  }

  /** The retry values a client sees, in order. */
  static List<Long> expectedRetries(List<SseEvent> written) {
    return written.stream()
        .filter(e -> e.retry() != null)
        .map(e -> SseWriter.millis(e.retry()))
        .toList();
  }

  /** Line breaks as the parser reports them (LF), and lone surrogates as U+FFFD. */
  static String lines(String s) {
    return wellFormed(s.replace("\r\n", "\n").replace('\r', '\n'));
  }

  /** {@code s} with each lone surrogate replaced by U+FFFD, as UTF-8 encode does. */
  static String wellFormed(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else {
        b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }
}
