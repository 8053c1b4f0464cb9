package dev.herald.hub.store;

import dev.herald.hub.mercure.Update;
import dev.herald.server.Cursor;
import java.util.List;

/** Updates for tests. */
final class Updates {
  private Updates() {}

  /** The updates {@code log} holds after sequence {@code after} up to {@code upTo}; no gap. */
  static List<StoredUpdate> range(UpdateLog log, long after, long upTo, int limit) {
    return log.read(Cursor.of(after), Cursor.of(upTo), limit).orElseThrow();
  }

  /** Whether {@code log} reports a gap after sequence {@code after}. */
  static boolean gapAfter(UpdateLog log, long after) {
    return log.read(Cursor.of(after), log.last(), 1).isEmpty();
  }

  static Update update(String id) {
    return Update.of("https://example.com/books/1", "data of " + id).withId(id);
  }

  static Update update(String id, String data) {
    return Update.of("https://example.com/books/1", data).withId(id);
  }

  /** An update with every field set, and strings that are hard to store. */
  static Update tricky(String id) {
    return new Update(
        List.of(
            "https://example.com/\"quoted\"/back\\slash",
            "urn:line\nbreak\r\ttab",
            "https://例え.jp/ünïcödé/😀",
            "{\"json\":[1,2]}"),
        "line 1\nline 2\r\nline 3\rnul:\u0000:end 😀 \"q\" \\ é",
        true,
        id,
        "custom-type",
        1234L);
  }

  /** An update with every optional field null. */
  static Update sparse(String id) {
    return new Update(List.of("t"), null, false, id, null, null);
  }
}
