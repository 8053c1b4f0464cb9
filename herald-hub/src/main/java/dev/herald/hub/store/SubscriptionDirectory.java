package dev.herald.hub.store;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;

/**
 * Who is subscribed, across every hub that shares a history: what the subscription API ({@code GET
 * /.well-known/mercure/subscriptions}) lists and the dashboard counts. A hub on its own keeps its
 * subscriptions in memory (the default); the nodes of a cluster share a directory (Redis: a hash
 * per node, refreshed by a heartbeat, so that a killed node's entries expire), so that any node
 * answers for all of them.
 *
 * <p>The subscription <em>events</em> need no directory: they are updates, appended to the shared
 * log, so every node's subscribers receive them.
 *
 * <p>Implementations are thread-safe, and no method blocks: {@link #add} and {@link #remove} are
 * called on event loops, {@link #find} completes later on a thread of the directory's choosing.
 *
 * @since 0.2
 */
public interface SubscriptionDirectory extends AutoCloseable {
  /**
   * Called once by the hub the directory serves, before {@link #add}: the name of its node (unique
   * in the cluster) and its count of connected subscribers, which the directory may read on any
   * thread (to publish it with its heartbeat).
   */
  void attach(String node, IntSupplier subscribers);

  /**
   * Records an active subscription of this node; only with the subscription API enabled. Never
   * blocks: a shared directory writes in the background, and bounds what it holds (past its bound,
   * a subscription is left out of the listing, and the directory says so in its log).
   */
  void add(ActiveSubscription subscription);

  /** Forgets a subscription of this node that ended; never blocks. */
  void remove(ActiveSubscription subscription);

  /**
   * The active subscriptions of every node that {@link ActiveSubscription#selectedBy} selects, in
   * no particular order; completes exceptionally (an {@link UpdateStoreException}) when the shared
   * directory cannot be read. Never blocks the caller.
   */
  CompletionStage<List<ActiveSubscription>> find(String matchType, String match, String subscriber);

  /**
   * The subscribers connected to every node, as last known: this node's own count now, the other
   * nodes' as of their last heartbeat. Never blocks.
   */
  long clusterSubscribers();

  /** Stops, forgetting this node's subscriptions where it can; idempotent. */
  @Override
  void close();
}
