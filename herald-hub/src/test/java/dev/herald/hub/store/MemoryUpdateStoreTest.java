package dev.herald.hub.store;

import static dev.herald.hub.store.Updates.sparse;
import static dev.herald.hub.store.Updates.tricky;
import static dev.herald.hub.store.Updates.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.mercure.Update;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoryUpdateStoreTest {
  private final TestClock clock = new TestClock();

  private static List<Long> sequences(List<StoredUpdate> updates) {
    return updates.stream().map(StoredUpdate::sequence).toList();
  }

  private static List<Long> all(UpdateStore store) {
    return sequences(store.range(0, Long.MAX_VALUE, Integer.MAX_VALUE));
  }

  @Test
  void keepsEveryFieldAndStampsTheClock() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().clock(clock).build();
    StoredUpdate full = store.append(tricky("1")).join();
    StoredUpdate empty = store.append(sparse("2")).join();

    assertThat(full.update()).isEqualTo(tricky("1"));
    assertThat(full.storedAt()).isEqualTo(clock.instant());
    assertThat(store.range(0, 10, 10)).containsExactly(full, empty);
  }

  @Test
  void appendsCompleteAtOnceWithConsecutiveSequences() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().build();
    for (int i = 1; i <= 5; i++) {
      CompletableFuture<StoredUpdate> future = store.append(update("u" + i));
      assertThat(future).isCompleted();
      assertThat(future.join().sequence()).isEqualTo(i);
    }
    assertThat(store.lastSequence()).isEqualTo(5);
  }

  @Test
  void listenerSeesConcurrentAppendsInOrderBeforeTheirFutures() throws Exception {
    MemoryUpdateStore store = MemoryUpdateStore.builder().build();
    RecordingListener listener = new RecordingListener();
    store.listen(listener);
    AtomicInteger seenTooLate = new AtomicInteger();
    ExecutorService appenders = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      done.add(
          appenders.submit(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  StoredUpdate stored = store.append(update(thread + "-" + i)).join();
                  if (!listener.saw(stored.sequence())) {
                    seenTooLate.incrementAndGet();
                  }
                }
              }));
    }
    for (Future<?> future : done) {
      future.get();
    }
    appenders.shutdown();

    listener.assertConsistent();
    assertThat(seenTooLate).hasValue(0);
    assertThat(sequences(listener.updates())).hasSize(8000).isSorted().doesNotHaveDuplicates();
    assertThat(store.lastSequence()).isEqualTo(8000);
  }

  @Test
  void sequenceOfARepeatedIdIsTheEarliestHeldThroughEviction() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().maxUpdates(3).build();
    store.append(update("a")).join(); // 1
    store.append(update("b")).join(); // 2
    store.append(update("a")).join(); // 3
    assertThat(store.sequenceOf("a")).hasValue(1);

    store.append(update("a")).join(); // 4, evicts 1
    assertThat(store.sequenceOf("a")).hasValue(3);
    store.append(update("c")).join(); // 5, evicts 2
    assertThat(store.sequenceOf("b")).isEmpty();
    store.append(update("c")).join(); // 6, evicts 3
    assertThat(store.sequenceOf("a")).hasValue(4);
    store.append(update("d")).join(); // 7, evicts 4
    assertThat(store.sequenceOf("a")).isEmpty();
    assertThat(store.sequenceOf("c")).hasValue(5);
  }

  @Test
  void rangeAndTailRespectTheirBounds() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().maxUpdates(8).build();
    for (int i = 1; i <= 10; i++) {
      store.append(update("u" + i)).join();
    }

    assertThat(all(store)).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(sequences(store.range(3, 6, 100))).containsExactly(4L, 5L, 6L);
    assertThat(sequences(store.range(0, 6, 2))).containsExactly(3L, 4L);
    assertThat(sequences(store.range(3, 6, 2))).containsExactly(4L, 5L);
    assertThat(store.range(10, 20, 100)).isEmpty();
    assertThat(store.range(5, 5, 100)).isEmpty();
    assertThat(store.range(7, 3, 100)).isEmpty();
    assertThat(store.range(Long.MAX_VALUE, Long.MAX_VALUE, 100)).isEmpty();
    assertThat(store.range(0, 10, 0)).isEmpty();
    assertThat(sequences(store.tail(3))).containsExactly(8L, 9L, 10L);
    assertThat(sequences(store.tail(100))).hasSize(8);
    assertThat(store.tail(0)).isEmpty();
    assertThatThrownBy(() -> store.range(0, 1, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void evictsByAge() {
    MemoryUpdateStore store =
        MemoryUpdateStore.builder().maxAge(Duration.ofHours(1)).clock(clock).build();
    store.append(update("old")).join();
    clock.advance(Duration.ofMinutes(30));
    store.append(update("recent")).join();
    clock.advance(Duration.ofMinutes(45));

    assertThat(all(store)).containsExactly(2L);
    assertThat(store.sequenceOf("old")).isEmpty();
    clock.advance(Duration.ofHours(1));
    assertThat(store.tail(10)).isEmpty();
    assertThat(store.append(update("new")).join().sequence()).isEqualTo(3);
  }

  @Test
  void evictsByEstimatedBytes() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().maxBytes(10_000).build();
    String kilobyte = "x".repeat(1000); // 2,000 bytes in UTF-16
    for (int i = 1; i <= 20; i++) {
      store.append(update("u" + i, kilobyte)).join();
    }
    assertThat(all(store)).containsExactly(17L, 18L, 19L, 20L);
  }

  @Test
  void anUpdateLargerThanMaxBytesIsDeliveredButNotKept() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().maxBytes(100).build();
    RecordingListener listener = new RecordingListener();
    store.listen(listener);
    store.append(update("big", "x".repeat(1000))).join();
    assertThat(listener.updates()).hasSize(1);
    assertThat(store.tail(1)).isEmpty();
    assertThat(store.lastSequence()).isEqualTo(1);
  }

  @Test
  void growsPastItsInitialCapacityAndWrapsAround() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().maxUpdates(100).build();
    for (int i = 1; i <= 1000; i++) {
      store.append(update("u" + i)).join();
      if (i % 7 == 0) {
        assertThat(store.tail(1).get(0).update().id()).isEqualTo("u" + i);
      }
    }
    List<Long> kept = all(store);
    assertThat(kept).hasSize(100).startsWith(901L).endsWith(1000L).isSorted();
    assertThat(store.sequenceOf("u950")).hasValue(950);
  }

  @Test
  void closeRefusesLaterAppends() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().build();
    store.append(update("u")).join();
    store.close();
    assertThat(store.isHealthy()).isFalse();
    assertThat(store.append(update("late")))
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
    assertThat(store.tail(1)).hasSize(1);
  }

  @Test
  void aFailingListenerDoesNotFailTheAppend() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().build();
    store.listen(
        updates -> {
          throw new IllegalStateException("listener bug (expected by the test)");
        });
    assertThat(store.append(update("u")).join().sequence()).isEqualTo(1);
  }

  @Test
  void checksItsArguments() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().build();
    store.listen(updates -> {});
    assertThatThrownBy(() -> store.listen(updates -> {})).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.append(Update.of("t", "d")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemoryUpdateStore.builder().maxAge(Duration.ZERO))
        .hasMessageContaining("maxAge");
    assertThatThrownBy(() -> MemoryUpdateStore.builder().maxUpdates(-1))
        .hasMessageContaining("maxUpdates");
  }
}
