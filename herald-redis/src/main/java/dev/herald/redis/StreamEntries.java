package dev.herald.redis;

import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.server.Cursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How an update is written in a stream entry, and how stream IDs are cursors: the entry ID {@code
 * ms-seq} is {@code Cursor.of(ms, seq)}. Fields: {@code id}, {@code topics} (each topic as its
 * length, a colon and the topic, so that any character may appear in one), and, when set, {@code
 * data}, {@code private}, {@code type}, {@code retry}.
 */
final class StreamEntries {
  private StreamEntries() {}

  /** The stream ID of {@code cursor}, {@code ms-seq}. */
  static String id(Cursor cursor) {
    return cursor.major() + "-" + cursor.minor();
  }

  /** The cursor of stream ID {@code id}. */
  static Cursor cursor(String id) {
    int dash = id.indexOf('-');
    if (dash < 0) {
      throw new IllegalArgumentException("not a stream ID: " + id);
    }
    return Cursor.of(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
  }

  /** The fields and values of {@code update}'s entry, in order, its ID first. */
  static List<String> fields(Update update) {
    List<String> fields = new ArrayList<>(12);
    fields.add("id");
    fields.add(update.id());
    fields.add("topics");
    StringBuilder topics = new StringBuilder();
    for (String topic : update.topics()) {
      topics.append(topic.length()).append(':').append(topic);
    }
    fields.add(topics.toString());
    if (update.data() != null) {
      fields.add("data");
      fields.add(update.data());
    }
    if (update.isPrivate()) {
      fields.add("private");
      fields.add("1");
    }
    if (update.type() != null) {
      fields.add("type");
      fields.add(update.type());
    }
    if (update.retryMillis() != null) {
      fields.add("retry");
      fields.add(update.retryMillis().toString());
    }
    return fields;
  }

  /**
   * The stored update of entry {@code id} with {@code fields}, or {@code null} if the entry is not
   * an update (a marker of the stream's own).
   *
   * @throws IllegalArgumentException if the entry claims to be an update but is malformed
   */
  static StoredUpdate decode(String id, Map<String, String> fields) {
    String updateId = fields.get("id");
    String topics = fields.get("topics");
    if (updateId == null || topics == null) {
      return null;
    }
    String retry = fields.get("retry");
    Update update =
        new Update(
            topics(topics),
            fields.get("data"),
            fields.containsKey("private"),
            updateId,
            fields.get("type"),
            retry == null ? null : Long.valueOf(retry));
    Cursor cursor = cursor(id);
    return new StoredUpdate(cursor, Instant.ofEpochMilli(cursor.major()), update);
  }

  private static List<String> topics(String encoded) {
    List<String> topics = new ArrayList<>(1);
    int i = 0;
    while (i < encoded.length()) {
      int colon = encoded.indexOf(':', i);
      if (colon < 0) {
        throw new IllegalArgumentException("malformed topics field");
      }
      int length = Integer.parseInt(encoded.substring(i, colon));
      topics.add(encoded.substring(colon + 1, colon + 1 + length));
      i = colon + 1 + length;
    }
    return topics;
  }
}
