package dev.herald.hub;

import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.server.Cursor;
import dev.herald.server.LoggedEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the dashboard's history browser reads: the updates of the hub's history that one reader
 * receives (a {@link Subscriber}: its matchers select the update and its access lets it read it),
 * as JSON-ready documents, oldest first. Every answer is bounded: at most {@code limit} updates,
 * {@value #MAX_SCANNED} looked at, and about {@value #MAX_CHARS} characters of data (past the first
 * update); {@code more} says whether it stopped at a bound. {@link #after} may read the update log,
 * which may block: called on the replay threads, never on an event loop.
 */
final class DashboardHistory {
  /** The most updates one answer looks at, matching or not. */
  static final int MAX_SCANNED = 10_000;

  /** The most characters of data one answer holds, past its first update. */
  static final int MAX_CHARS = 1 << 20;

  /** The updates read from the history at once, after an ID. */
  private static final int PAGE = 256;

  private final HubLog log;

  DashboardHistory(HubLog log) {
    this.log = log;
  }

  /**
   * The most recent updates {@code reader} receives among those this node holds in memory (its last
   * {@code historyWindow}): {@code {"updates": [...], "more": …}}, {@code more} if older ones might
   * be left out. Never reads the log.
   */
  Map<String, Object> recent(Subscriber reader, int limit) {
    List<StoredUpdate> held = log.recent();
    Deque<Map<String, Object>> found = new ArrayDeque<>();
    long chars = 0;
    boolean more = false;
    int scanned = 0;
    for (int i = held.size() - 1; i >= 0; i--) {
      if (found.size() == limit || ++scanned > MAX_SCANNED) {
        more = true;
        break;
      }
      Update update = held.get(i).update();
      if (!reader.receives(update)) {
        continue;
      }
      chars += update.data() == null ? 0 : update.data().length();
      if (chars > MAX_CHARS && !found.isEmpty()) {
        more = true;
        break;
      }
      found.addFirst(document(held.get(i)));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("updates", found);
    doc.put("more", more);
    return doc;
  }

  /**
   * The updates {@code reader} receives after the earliest one with ID {@code after} ({@code
   * earliest}: from the oldest held): {@code {"updates": [...], "next": ID, "more": …}}, {@code
   * next} the ID of the last update looked at (to continue after it), {@code more} if it stopped at
   * a bound. Empty if the history does not hold the ID.
   */
  Optional<Map<String, Object>> after(Subscriber reader, String after, int limit) {
    Reconciliation.Resumption from = Reconciliation.resolve(after, log);
    if (from.gap()) {
      return Optional.empty();
    }
    List<Map<String, Object>> found = new ArrayList<>();
    Cursor position = from.after().get();
    String next = null;
    long chars = 0;
    int scanned = 0;
    boolean more = false;
    reading:
    while (true) {
      Optional<List<LoggedEvent<StoredUpdate>>> page = log.read(position, PAGE, MAX_CHARS);
      if (page.isEmpty() || page.get().isEmpty()) {
        break; // the end, or evicted since: what was read is what there is
      }
      for (LoggedEvent<StoredUpdate> e : page.get()) {
        if (found.size() == limit || scanned == MAX_SCANNED) {
          more = true;
          break reading;
        }
        Update update = e.payload().update();
        if (reader.receives(update)) {
          chars += update.data() == null ? 0 : update.data().length();
          if (chars > MAX_CHARS && !found.isEmpty()) {
            more = true;
            break reading;
          }
          found.add(document(e.payload()));
        }
        scanned++;
        position = e.position();
        next = update.id();
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("updates", found);
    doc.put("next", next);
    doc.put("more", more);
    return Optional.of(doc);
  }

  private static Map<String, Object> document(StoredUpdate stored) {
    Update update = stored.update();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("id", update.id());
    doc.put("topics", update.topics());
    doc.put("type", update.type() == null ? "message" : update.type());
    doc.put("data", update.data() == null ? "" : update.data());
    doc.put("private", update.isPrivate());
    doc.put("retry", update.retryMillis());
    doc.put("time", stored.storedAt().toString());
    return doc;
  }
}
