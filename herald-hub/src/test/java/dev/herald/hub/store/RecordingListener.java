package dev.herald.hub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records what the listener of a store's bus receives, and checks on the way that calls never
 * overlap and that sequences (this store's cursors) are consecutive.
 */
final class RecordingListener implements UpdateBus.Listener {
  private final AtomicInteger inside = new AtomicInteger();
  private final Set<Long> seen = ConcurrentHashMap.newKeySet();
  private final List<StoredUpdate> updates = new ArrayList<>(); // guarded by this
  private volatile int calls;
  private volatile long last;
  private volatile String problem;

  /** A local bus that hands what is published to this listener. */
  UpdateBus bus() {
    LocalUpdateBus bus = new LocalUpdateBus();
    bus.listen(dev.herald.server.Cursor.START, this);
    return bus;
  }

  @Override
  public void onUpdates(List<StoredUpdate> batch) {
    if (inside.incrementAndGet() != 1) {
      problem = "overlapping listener calls";
    }
    for (StoredUpdate update : batch) {
      long sequence = update.cursor().major();
      if (sequence != last + 1) {
        problem = "sequence " + sequence + " after " + last;
      }
      last = sequence;
      seen.add(sequence);
    }
    synchronized (this) {
      updates.addAll(batch);
    }
    calls++;
    inside.decrementAndGet();
  }

  /** Whether the listener has received the update with {@code sequence}. */
  boolean saw(long sequence) {
    return seen.contains(sequence);
  }

  int calls() {
    return calls;
  }

  synchronized List<StoredUpdate> updates() {
    return new ArrayList<>(updates);
  }

  void assertConsistent() {
    assertThat(problem).as("listener contract").isNull();
  }
}
