package dev.herald.hub.store;

import dev.herald.server.Cursor;
import java.util.List;

/**
 * How durable updates reach the hubs that dispatch them: what an {@link UpdateLog} made durable is
 * published on the bus, and each hub listens to its bus and fans the updates out to its
 * subscribers. A single hub uses a {@link LocalUpdateBus}, which hands each batch to its listener
 * on the publishing thread. A cluster's bus also delivers the updates other nodes appended: a Redis
 * Streams bus reads the shared stream with {@code XREAD BLOCK} on a thread of its own (publishing
 * is then {@code XADD} itself, so its log is given to the hub together with its bus).
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.2
 */
public interface UpdateBus extends AutoCloseable {
  /**
   * Publishes a batch of durable updates, in log order. Returns once their order of delivery is
   * fixed; a local bus has delivered them to its listener by then.
   */
  void publish(List<StoredUpdate> updates);

  /**
   * Sets the listener that receives every update after {@code after}, in log order, on one thread
   * at a time. Set once, before the first publish. A bus that reads a shared history (Redis) starts
   * reading after {@code after}; a {@link LocalUpdateBus} delivers what is published from now on.
   *
   * @param after the last cursor the listener has seen (the log's last when a hub starts)
   * @throws IllegalStateException if a listener is already set
   */
  void listen(Cursor after, Listener listener);

  /** Stops delivering; idempotent. */
  @Override
  void close();

  /**
   * Receives the updates of a bus. An interface of its own, not a {@code Consumer}, so that it can
   * grow: a bus whose history can be lost (a Redis stream reset by a restart without persistence)
   * tells its listener through {@link #onHistoryLost}, which listeners written before then inherit.
   *
   * @since 0.2
   */
  @FunctionalInterface
  interface Listener {
    /** Receives durable updates, in log order; never called concurrently. */
    void onUpdates(List<StoredUpdate> updates);

    /**
     * The shared history was lost (a Redis restarted without persistence, flushed, or its stream
     * deleted), or retention removed updates before this bus delivered them (a node that fell
     * further behind than the history's length): updates after the last one delivered may be gone
     * without having been delivered, and the IDs of earlier ones may no longer resolve. Called on
     * the thread that delivers updates, never concurrently with {@link #onUpdates}, before any
     * update of the new history. The log's cursors continue after every cursor delivered so far.
     * Default: nothing.
     *
     * @since 0.2
     */
    default void onHistoryLost() {}
  }
}
