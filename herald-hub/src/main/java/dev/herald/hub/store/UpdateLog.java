package dev.herald.hub.store;

import dev.herald.hub.mercure.Update;
import dev.herald.server.Cursor;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The hub's history: updates in one total order, each at a {@link Cursor} the log assigns, bounded
 * by retention. It only keeps updates; how they reach the hubs that dispatch them is the {@link
 * UpdateBus}'s job. The embedded default is {@link SqliteUpdateStore}; {@link MemoryUpdateStore}
 * keeps history in memory only. herald-redis's {@code RedisUpdateStore} is a Redis Streams log
 * shared by the nodes of a cluster: the stream ID is the cursor ({@code Cursor.of(milliseconds,
 * sequence)}), {@code XADD} appends, {@code XRANGE} reads, and the ID before the stream's first
 * entry, once any is gone, is {@link #lastEvicted}.
 *
 * <p>Cursors are opaque and need not be dense: a caller compares them and hands them back to the
 * log that made them, and learns of a gap only from {@link #read}, never by counting.
 *
 * <p>Implementations are thread-safe. {@link #append} never blocks; the read methods may block (the
 * hub never calls them on an event loop).
 *
 * @since 0.2
 */
public interface UpdateLog extends AutoCloseable {
  /**
   * Publishes every batch of updates this log makes durable on {@code bus}, in log order, one batch
   * at a time, before the {@link #append} futures of the batch complete: a subscriber never sees an
   * update a crash could lose, and a publish is acknowledged only once its place in the order of
   * dispatch is fixed. Set once, before the first append. This is how a log in this process
   * (SQLite, memory) feeds its {@link LocalUpdateBus}, or a test's bus.
   *
   * @throws IllegalStateException if a bus is already set
   * @throws UnsupportedOperationException if the log's own storage is what its bus reads (a Redis
   *     stream, read by every node with {@code XREAD}): such a log is given to a hub with its bus
   */
  void publishTo(UpdateBus bus);

  /**
   * Appends {@code update}, whose ID is set. The future completes once the update is durable (for a
   * durable log) with its cursor, or exceptionally if it could not be stored.
   */
  CompletableFuture<StoredUpdate> append(Update update);

  /**
   * The cursor of the earliest update with {@code id} the log still holds, if any; never one at or
   * before {@link #lastEvicted}, so that a {@link #read} after it reports no gap unless retention
   * removed more since.
   */
  Optional<Cursor> cursorOf(String id);

  /**
   * The updates after {@code after} and at most at {@code upTo}, oldest first, at most {@code
   * limit} of them; an empty list if there is none. Empty (no list) if the log no longer holds
   * every update after {@code after}: retention removed some a reader resuming there would miss
   * (told by the {@linkplain #lastEvicted last cursor evicted}, never by counting).
   *
   * @param after a cursor this log made, or {@link Cursor#START}
   * @param upTo the last cursor the reader wants, one this log made
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  Optional<List<StoredUpdate>> read(Cursor after, Cursor upTo, int limit);

  /** The newest update the log holds, if any. */
  Optional<StoredUpdate> newest();

  /** The cursor of the last update appended, held or not; {@link Cursor#START} if none. */
  Cursor last();

  /**
   * The cursor of the last update retention removed, {@link Cursor#START} if none: the log holds
   * every update after it, so a {@link #read} after it reports no gap and starts at the oldest
   * update held (what {@code Last-Event-ID: earliest} asks for).
   */
  Cursor lastEvicted();

  /** Whether the log can take appends (for {@code /readyz}). */
  boolean isHealthy();

  /**
   * Adds the log's own meters (a remote log's latency, lag, reconnections) to {@code registry}, the
   * hub's; the hub calls it once, when it starts. The log removes them when it closes. Default:
   * none.
   *
   * @since 0.2
   */
  @SuppressWarnings("exports") // Micrometer, an automatic module: the application brings it
  default void bindTo(MeterRegistry registry) {}

  /** Stops accepting appends, finishes the pending ones, and releases the log. */
  @Override
  void close();
}
