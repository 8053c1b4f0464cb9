package dev.herald.hub.store;

import dev.herald.hub.mercure.Update;
import java.time.Instant;
import java.util.Objects;

/**
 * An update as a store keeps it: its place in the hub's one total order, when it was stored, and
 * the update with its ID.
 *
 * @param sequence the update's position in the store's total order, from 1; later is larger
 * @param storedAt when the store accepted it
 * @param update the update; its {@link Update#id()} is set
 * @since 0.1
 */
public record StoredUpdate(long sequence, Instant storedAt, Update update) {
  /** Checks the fields. */
  public StoredUpdate {
    if (sequence < 1) {
      throw new IllegalArgumentException("sequences start at 1: " + sequence);
    }
    Objects.requireNonNull(storedAt, "storedAt");
    if (Objects.requireNonNull(update, "update").id() == null) {
      throw new IllegalArgumentException("a stored update needs an id");
    }
  }
}
