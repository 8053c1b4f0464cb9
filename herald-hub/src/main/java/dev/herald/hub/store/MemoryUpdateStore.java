package dev.herald.hub.store;

import dev.herald.hub.mercure.Update;
import dev.herald.server.Cursor;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link UpdateLog} that keeps its history in memory only: a restart forgets it. Appends are
 * "durable" at once: {@link #append} publishes the update on the {@linkplain #publishTo bus} on the
 * appending thread, under the store's lock, and returns a completed future.
 *
 * <p>History is bounded by count ({@value #DEFAULT_MAX_UPDATES} updates by default), by size
 * ({@value #DEFAULT_MAX_BYTES} bytes by default, estimated as the update's strings in UTF-16 plus a
 * fixed overhead) and optionally by age; the oldest updates go first. Cursors are {@code
 * Cursor.of(1)}, {@code Cursor.of(2)}, ..., never reused.
 *
 * <pre>{@code
 * UpdateLog log = MemoryUpdateStore.builder().maxUpdates(1_000).maxAge(Duration.ofHours(1)).build();
 * }</pre>
 *
 * <p>Thread-safe. The bus is published to under the store's lock, so its listener must not call
 * back into the store from another thread and wait for it; nothing is published after {@link
 * #close}.
 *
 * @since 0.1
 */
public final class MemoryUpdateStore implements UpdateLog {
  /** The default bound on the number of updates kept. */
  public static final int DEFAULT_MAX_UPDATES = 10_000;

  /** The default bound on the estimated size of the updates kept, 64 MiB. */
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(MemoryUpdateStore.class);

  private final int maxUpdates;
  private final Duration maxAge;
  private final long maxBytes;
  private final InstantSource clock;

  private final Object lock = new Object();
  private final History history = new History();
  // For each ID held: its sequence (a Long), or, when repeated, its sequences oldest first (an
  // ArrayDeque<Long>). Most IDs are unique, so the common case costs one boxed Long.
  private final Map<String, Object> sequencesById = new HashMap<>();
  private UpdateBus bus;
  private long lastSequence;
  private long lastEvicted; // the sequence of the last update evicted, 0 if none
  private boolean closed;

  private MemoryUpdateStore(Builder builder) {
    this.maxUpdates = builder.maxUpdates;
    this.maxAge = builder.maxAge;
    this.maxBytes = builder.maxBytes;
    this.clock = builder.clock;
  }

  /**
   * A builder with the defaults: {@value MemoryUpdateStore#DEFAULT_MAX_UPDATES} updates, no age
   * limit.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void publishTo(UpdateBus bus) {
    Objects.requireNonNull(bus, "bus");
    synchronized (lock) {
      if (this.bus != null) {
        throw new IllegalStateException("the bus is already set");
      }
      this.bus = bus;
    }
  }

  @Override
  public CompletableFuture<StoredUpdate> append(Update update) {
    requireId(update);
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("the store is closed"));
      }
      Instant now = clock.instant();
      StoredUpdate stored = new StoredUpdate(Cursor.of(++lastSequence), now, update);
      history.add(stored, UpdateSizes.utf16(update));
      remember(update.id(), lastSequence);
      evict(now);
      publish(stored);
      return CompletableFuture.completedFuture(stored);
    }
  }

  @Override
  public Optional<Cursor> cursorOf(String id) {
    Objects.requireNonNull(id, "id");
    synchronized (lock) {
      evict(clock.instant());
      Object sequences = sequencesById.get(id);
      if (sequences == null) {
        return Optional.empty();
      }
      return Optional.of(
          Cursor.of(sequences instanceof Long sequence ? sequence : dequeOf(sequences).getFirst()));
    }
  }

  @Override
  public Optional<List<StoredUpdate>> read(Cursor after, Cursor upTo, int limit) {
    requireLimit(limit);
    long from = after.major() + 1; // cursors this store made: Cursor.of(sequence)
    synchronized (lock) {
      evict(clock.instant());
      if (after.major() < lastEvicted) {
        return Optional.empty();
      }
      if (after.major() >= lastSequence) {
        return Optional.of(List.of());
      }
      long to = Math.min(upTo.major(), lastSequence);
      return Optional.of(history.slice(from, Math.min(to, from + limit - 1)));
    }
  }

  @Override
  public Optional<StoredUpdate> newest() {
    synchronized (lock) {
      evict(clock.instant());
      return history.size() == 0 ? Optional.empty() : Optional.of(history.last());
    }
  }

  @Override
  public Cursor last() {
    synchronized (lock) {
      return Cursor.of(lastSequence);
    }
  }

  @Override
  public Cursor lastEvicted() {
    synchronized (lock) {
      evict(clock.instant());
      return Cursor.of(lastEvicted);
    }
  }

  @Override
  public boolean isHealthy() {
    synchronized (lock) {
      return !closed;
    }
  }

  /** The store and its retention, such as {@code MemoryUpdateStore[at most 1000 updates, …]}. */
  @Override
  public String toString() {
    return "MemoryUpdateStore[" + Retention.describe(maxUpdates, maxBytes, maxAge) + "]";
  }

  /** Stops accepting appends; later appends fail with an {@link IllegalStateException}. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  private void publish(StoredUpdate stored) {
    if (bus == null) {
      return;
    }
    try {
      bus.publish(List.of(stored));
    } catch (RuntimeException e) {
      log.warn("Publishing update {} on the bus failed", stored.cursor(), e);
    }
  }

  private void evict(Instant now) {
    Instant oldestKept = maxAge == null ? Instant.MIN : now.minus(maxAge);
    while (history.size() > 0
        && (history.size() > maxUpdates
            || history.bytes() > maxBytes
            || history.first().storedAt().isBefore(oldestKept))) {
      StoredUpdate evicted = history.removeFirst();
      lastEvicted = evicted.cursor().major();
      forget(evicted.update().id());
    }
  }

  private void remember(String id, long sequence) {
    Object sequences = sequencesById.get(id);
    if (sequences == null) {
      sequencesById.put(id, sequence);
    } else if (sequences instanceof Long first) {
      ArrayDeque<Long> deque = new ArrayDeque<>(2);
      deque.add(first);
      deque.add(sequence);
      sequencesById.put(id, deque);
    } else {
      dequeOf(sequences).addLast(sequence);
    }
  }

  // Eviction goes oldest first, so the evicted update is always the earliest one with its ID.
  private void forget(String id) {
    Object sequences = sequencesById.get(id);
    if (sequences instanceof Long) {
      sequencesById.remove(id);
    } else {
      ArrayDeque<Long> deque = dequeOf(sequences);
      deque.removeFirst();
      if (deque.size() == 1) {
        sequencesById.put(id, deque.getFirst());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static ArrayDeque<Long> dequeOf(Object sequences) {
    return (ArrayDeque<Long>) sequences;
  }

  static void requireId(Update update) {
    if (Objects.requireNonNull(update, "update").id() == null) {
      throw new IllegalArgumentException("update: an appended update needs an id");
    }
  }

  static void requireLimit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
  }

  /**
   * The updates held, a ring of consecutive sequences (this store's own numbering: the slice
   * arithmetic is private to it). Guarded by the store's lock.
   */
  private static final class History {
    private StoredUpdate[] updates = new StoredUpdate[16];
    private long[] sizes = new long[16];
    private int head;
    private int size;
    private long bytes;

    int size() {
      return size;
    }

    long bytes() {
      return bytes;
    }

    StoredUpdate first() {
      return updates[head];
    }

    StoredUpdate last() {
      return updates[(head + size - 1) % updates.length];
    }

    void add(StoredUpdate update, long updateBytes) {
      if (size == updates.length) {
        grow();
      }
      int slot = (head + size) % updates.length;
      updates[slot] = update;
      sizes[slot] = updateBytes;
      size++;
      bytes += updateBytes;
    }

    StoredUpdate removeFirst() {
      StoredUpdate first = updates[head];
      updates[head] = null;
      bytes -= sizes[head];
      head = (head + 1) % updates.length;
      size--;
      return first;
    }

    /** The updates from sequence {@code from} to {@code to}, both held or {@code from > to}. */
    List<StoredUpdate> slice(long from, long to) {
      if (from > to) {
        return List.of();
      }
      int offset = (int) (from - updates[head].cursor().major());
      List<StoredUpdate> slice = new ArrayList<>((int) (to - from + 1));
      for (int i = offset; i <= offset + (int) (to - from); i++) {
        slice.add(updates[(head + i) % updates.length]);
      }
      return slice;
    }

    private void grow() {
      StoredUpdate[] grownUpdates = new StoredUpdate[updates.length * 2];
      long[] grownSizes = new long[updates.length * 2];
      for (int i = 0; i < size; i++) {
        grownUpdates[i] = updates[(head + i) % updates.length];
        grownSizes[i] = sizes[(head + i) % updates.length];
      }
      updates = grownUpdates;
      sizes = grownSizes;
      head = 0;
    }
  }

  /** Builds a {@link MemoryUpdateStore}. Not thread-safe. */
  public static final class Builder {
    private int maxUpdates = DEFAULT_MAX_UPDATES;
    private Duration maxAge;
    private long maxBytes = DEFAULT_MAX_BYTES;
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    /**
     * Keeps at most {@code maxUpdates} updates, {@value MemoryUpdateStore#DEFAULT_MAX_UPDATES} by
     * default.
     */
    public Builder maxUpdates(int maxUpdates) {
      this.maxUpdates = Retention.maxUpdates(maxUpdates);
      return this;
    }

    /** Forgets updates stored more than {@code maxAge} ago; by default age is no limit. */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = Retention.maxAge(maxAge);
      return this;
    }

    /**
     * Keeps updates whose estimated size totals at most {@code maxBytes}, {@value
     * MemoryUpdateStore#DEFAULT_MAX_BYTES} by default.
     */
    public Builder maxBytes(long maxBytes) {
      this.maxBytes = Retention.maxBytes(maxBytes);
      return this;
    }

    /** The clock that stamps updates and ages them, the system clock by default. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** A new store. */
    public MemoryUpdateStore build() {
      return new MemoryUpdateStore(this);
    }
  }
}
