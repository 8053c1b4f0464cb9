package dev.herald.hub.store;

import dev.herald.hub.mercure.Update;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link UpdateStore} that keeps its history in memory only: a restart forgets it. Appends are
 * "durable" at once: {@link #append} calls the listener on the appending thread, under the store's
 * lock, and returns a completed future.
 *
 * <p>History is bounded by count ({@value #DEFAULT_MAX_UPDATES} updates by default), by size
 * ({@value #DEFAULT_MAX_BYTES} bytes by default, estimated as the update's strings in UTF-16 plus a
 * fixed overhead) and optionally by age; the oldest updates go first. Sequences are never reused.
 *
 * <pre>{@code
 * UpdateStore store = MemoryUpdateStore.builder().maxUpdates(1_000).maxAge(Duration.ofHours(1)).build();
 * }</pre>
 *
 * <p>Thread-safe. The listener runs under the store's lock, so it must not call back into the store
 * from another thread and wait for it; it is not called after {@link #close}.
 *
 * @since 0.1
 */
public final class MemoryUpdateStore implements UpdateStore {
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
  private Consumer<List<StoredUpdate>> listener;
  private long lastSequence;
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
  public void listen(Consumer<List<StoredUpdate>> listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (lock) {
      if (this.listener != null) {
        throw new IllegalStateException("the listener is already set");
      }
      this.listener = listener;
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
      StoredUpdate stored = new StoredUpdate(++lastSequence, now, update);
      history.add(stored, UpdateSizes.utf16(update));
      remember(update.id(), stored.sequence());
      evict(now);
      notifyListener(stored);
      return CompletableFuture.completedFuture(stored);
    }
  }

  @Override
  public OptionalLong sequenceOf(String id) {
    Objects.requireNonNull(id, "id");
    synchronized (lock) {
      evict(clock.instant());
      Object sequences = sequencesById.get(id);
      if (sequences == null) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(
          sequences instanceof Long sequence ? sequence : dequeOf(sequences).getFirst());
    }
  }

  @Override
  public List<StoredUpdate> range(long after, long upTo, int limit) {
    requireLimit(limit);
    synchronized (lock) {
      evict(clock.instant());
      if (after >= lastSequence) {
        return List.of();
      }
      long from = Math.max(after + 1, history.firstSequence(lastSequence));
      long to = Math.min(upTo, lastSequence);
      return history.slice(from, Math.min(to, from + limit - 1));
    }
  }

  @Override
  public List<StoredUpdate> tail(int limit) {
    requireLimit(limit);
    synchronized (lock) {
      evict(clock.instant());
      long from = Math.max(history.firstSequence(lastSequence), lastSequence - limit + 1);
      return history.slice(from, lastSequence);
    }
  }

  @Override
  public long lastSequence() {
    synchronized (lock) {
      return lastSequence;
    }
  }

  @Override
  public boolean isHealthy() {
    synchronized (lock) {
      return !closed;
    }
  }

  /** Stops accepting appends; later appends fail with an {@link IllegalStateException}. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  private void notifyListener(StoredUpdate stored) {
    if (listener == null) {
      return;
    }
    try {
      listener.accept(List.of(stored));
    } catch (RuntimeException e) {
      log.warn("The update store listener failed on update {}", stored.sequence(), e);
    }
  }

  private void evict(Instant now) {
    Instant oldestKept = maxAge == null ? Instant.MIN : now.minus(maxAge);
    while (history.size() > 0
        && (history.size() > maxUpdates
            || history.bytes() > maxBytes
            || history.first().storedAt().isBefore(oldestKept))) {
      StoredUpdate evicted = history.removeFirst();
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

  /** The updates held, a ring of consecutive sequences. Guarded by the store's lock. */
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

    long firstSequence(long lastSequence) {
      return size == 0 ? lastSequence + 1 : updates[head].sequence();
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
      int offset = (int) (from - updates[head].sequence());
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
