package dev.herald.hub.store;

import dev.herald.hub.mercure.Update;
import dev.herald.server.Cursor;
import java.time.Instant;
import java.util.Objects;

/**
 * An update as a log keeps it: its place in the hub's one total order, when it was stored, and the
 * update with its ID.
 *
 * @param cursor the update's position in its log's total order, after {@link Cursor#START}; later
 *     updates have later cursors
 * @param storedAt when the log accepted it
 * @param update the update; its {@link Update#id()} is set
 * @since 0.1
 */
public record StoredUpdate(Cursor cursor, Instant storedAt, Update update) {
  /** Checks the fields. */
  public StoredUpdate {
    if (!Objects.requireNonNull(cursor, "cursor").isAfter(Cursor.START)) {
      throw new IllegalArgumentException("a stored update's cursor is after START");
    }
    Objects.requireNonNull(storedAt, "storedAt");
    if (Objects.requireNonNull(update, "update").id() == null) {
      throw new IllegalArgumentException("a stored update needs an id");
    }
  }
}
