package dev.herald.hub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Records what a store's listener receives, and checks on the way that calls never overlap and that
 * sequences are consecutive.
 */
final class RecordingListener implements Consumer<List<StoredUpdate>> {
  private final AtomicInteger inside = new AtomicInteger();
  private final Set<Long> seen = ConcurrentHashMap.newKeySet();
  private final List<StoredUpdate> updates = new ArrayList<>(); // guarded by this
  private volatile int calls;
  private volatile long last;
  private volatile String problem;

  @Override
  public void accept(List<StoredUpdate> batch) {
    if (inside.incrementAndGet() != 1) {
      problem = "overlapping listener calls";
    }
    for (StoredUpdate update : batch) {
      if (update.sequence() != last + 1) {
        problem = "sequence " + update.sequence() + " after " + last;
      }
      last = update.sequence();
      seen.add(update.sequence());
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
