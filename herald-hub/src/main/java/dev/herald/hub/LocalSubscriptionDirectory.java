package dev.herald.hub;

import dev.herald.hub.store.ActiveSubscription;
import dev.herald.hub.store.SubscriptionDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The subscription directory of a hub on its own: its subscriptions in a map, found at once.
 * Thread-safe.
 */
final class LocalSubscriptionDirectory implements SubscriptionDirectory {
  private final Map<String, ActiveSubscription> active = new ConcurrentHashMap<>();
  private volatile IntSupplier subscribers = () -> 0;

  @Override
  public void attach(String node, IntSupplier subscribers) {
    this.subscribers = subscribers;
  }

  @Override
  public void add(ActiveSubscription subscription) {
    active.put(subscription.id(), subscription);
  }

  @Override
  public void remove(ActiveSubscription subscription) {
    active.remove(subscription.id());
  }

  @Override
  public CompletionStage<List<ActiveSubscription>> find(
      String matchType, String match, String subscriber) {
    List<ActiveSubscription> found = new ArrayList<>();
    for (ActiveSubscription s : active.values()) {
      if (s.selectedBy(matchType, match, subscriber)) {
        found.add(s);
      }
    }
    return CompletableFuture.completedFuture(found);
  }

  @Override
  public long clusterSubscribers() {
    return subscribers.getAsInt();
  }

  @Override
  public void close() {
    active.clear();
  }
}
