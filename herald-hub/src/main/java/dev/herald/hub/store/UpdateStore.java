package dev.herald.hub.store;

import dev.herald.hub.mercure.Update;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where the hub keeps its history and from which it learns of new updates: the one total order of
 * updates. The embedded default is {@link SqliteUpdateStore}; {@link MemoryUpdateStore} keeps
 * history in memory only. A cluster transport (Redis Streams) implements the same interface: its
 * listener then also sees the updates other hubs appended.
 *
 * <p>Implementations are thread-safe. {@link #append} never blocks; the read methods may block (the
 * hub never calls them on an event loop).
 *
 * @since 0.1
 */
public interface UpdateStore extends AutoCloseable {
  /**
   * Sets the listener that receives every update appended to the store, in sequence order, once it
   * is durable, on one thread at a time, before the {@link #append} futures of those updates
   * complete. Set once, before the first append.
   */
  void listen(Consumer<List<StoredUpdate>> listener);

  /**
   * Appends {@code update}, whose ID is set. The future completes once the update is durable (for a
   * durable store) with its sequence, or exceptionally if it could not be stored.
   */
  CompletableFuture<StoredUpdate> append(Update update);

  /** The sequence of the earliest stored update with {@code id}, if the store still holds one. */
  OptionalLong sequenceOf(String id);

  /**
   * The stored updates with a sequence greater than {@code after} and at most {@code upTo}, oldest
   * first, at most {@code limit} of them.
   */
  List<StoredUpdate> range(long after, long upTo, int limit);

  /** The newest {@code limit} stored updates, oldest first. */
  List<StoredUpdate> tail(int limit);

  /** The sequence of the last durable update, 0 if there is none. */
  long lastSequence();

  /** Whether the store can take appends (for {@code /readyz}). */
  boolean isHealthy();

  /** Stops accepting appends, finishes the pending ones, and releases the store. */
  @Override
  void close();
}
