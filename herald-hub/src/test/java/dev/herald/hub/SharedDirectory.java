package dev.herald.hub;

import dev.herald.hub.store.ActiveSubscription;
import dev.herald.hub.store.SubscriptionDirectory;
import dev.herald.hub.store.UpdateStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * A second {@link SubscriptionDirectory}, for tests: the directory of a cluster in one JVM. Each
 * hub gets a {@link #node()} of its own; every node lists every node's subscriptions and counts
 * every node's subscribers, and {@link #failing} makes lookups fail as an unreachable Redis would.
 */
final class SharedDirectory {
  private final Map<String, ActiveSubscription> all = new ConcurrentHashMap<>();
  private final Map<String, IntSupplier> counts = new ConcurrentHashMap<>();
  volatile boolean failing;

  /** The directory of one more node. */
  SubscriptionDirectory node() {
    return new Node();
  }

  private final class Node implements SubscriptionDirectory {
    private String name;

    @Override
    public void attach(String node, IntSupplier subscribers) {
      this.name = node;
      counts.put(node, subscribers);
    }

    @Override
    public void add(ActiveSubscription subscription) {
      all.put(subscription.id(), subscription);
    }

    @Override
    public void remove(ActiveSubscription subscription) {
      all.remove(subscription.id());
    }

    @Override
    public CompletionStage<List<ActiveSubscription>> find(
        String matchType, String match, String subscriber) {
      if (failing) {
        return CompletableFuture.failedFuture(
            new UpdateStoreException("the directory is down", null));
      }
      // Later, on another thread, as a directory that asks Redis answers.
      return CompletableFuture.supplyAsync(
          () -> {
            List<ActiveSubscription> found = new ArrayList<>();
            for (ActiveSubscription s : all.values()) {
              if (s.selectedBy(matchType, match, subscriber)) {
                found.add(s);
              }
            }
            return found;
          });
    }

    @Override
    public long clusterSubscribers() {
      return counts.values().stream().mapToLong(IntSupplier::getAsInt).sum();
    }

    @Override
    public void close() {
      if (name != null) {
        counts.remove(name);
      }
    }
  }
}
