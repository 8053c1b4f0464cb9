package dev.herald.hub;

import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.hub.store.UpdateBus;
import dev.herald.hub.store.UpdateLog;
import dev.herald.server.Cursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * An update log for tests whose cursors are far from dense, as a Redis stream's IDs are ({@code
 * Cursor.of(1000 * n, 7)}), and whose retention is a call: what reads of such a log must rely on is
 * the cursor order and the last cursor evicted, nothing else. Appends are not published anywhere.
 */
final class SparseLog implements UpdateLog {
  private final NavigableMap<Cursor, StoredUpdate> held = new TreeMap<>();
  private Cursor last = Cursor.START;
  private Cursor lastEvicted = Cursor.START;
  private long appended;

  @Override
  public void publishTo(UpdateBus bus) {
    throw new UnsupportedOperationException("a sparse log is read, not published");
  }

  @Override
  public synchronized CompletableFuture<StoredUpdate> append(Update update) {
    appended++;
    last = Cursor.of(1000 * appended, 7);
    StoredUpdate stored = new StoredUpdate(last, Instant.EPOCH, update);
    held.put(last, stored);
    return CompletableFuture.completedFuture(stored);
  }

  /** Forgets the {@code count} oldest updates. */
  synchronized void evict(int count) {
    for (int i = 0; i < count && !held.isEmpty(); i++) {
      lastEvicted = held.pollFirstEntry().getKey();
    }
  }

  @Override
  public synchronized Optional<Cursor> cursorOf(String id) {
    return held.values().stream()
        .filter(u -> u.update().id().equals(id))
        .map(StoredUpdate::cursor)
        .findFirst();
  }

  @Override
  public synchronized Optional<List<StoredUpdate>> read(Cursor after, Cursor upTo, int limit) {
    if (after.compareTo(lastEvicted) < 0) {
      return Optional.empty();
    }
    List<StoredUpdate> page = new ArrayList<>();
    for (Map.Entry<Cursor, StoredUpdate> e : held.tailMap(after, false).entrySet()) {
      if (page.size() == limit || e.getKey().isAfter(upTo)) {
        break;
      }
      page.add(e.getValue());
    }
    return Optional.of(page);
  }

  @Override
  public synchronized Optional<StoredUpdate> newest() {
    return held.isEmpty() ? Optional.empty() : Optional.of(held.lastEntry().getValue());
  }

  @Override
  public synchronized Cursor last() {
    return last;
  }

  @Override
  public synchronized Cursor lastEvicted() {
    return lastEvicted;
  }

  @Override
  public boolean isHealthy() {
    return true;
  }

  @Override
  public void close() {}
}
