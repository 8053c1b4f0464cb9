package dev.herald.hub.store;

import static dev.herald.hub.store.Updates.gapAfter;
import static dev.herald.hub.store.Updates.range;
import static dev.herald.hub.store.Updates.sparse;
import static dev.herald.hub.store.Updates.tricky;
import static dev.herald.hub.store.Updates.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.mercure.Update;
import dev.herald.server.Cursor;
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
    return updates.stream().map(u -> u.cursor().major()).toList();
  }

  private static List<Long> all(UpdateLog store) {
    return sequences(
        store.read(store.lastEvicted(), store.last(), Integer.MAX_VALUE).orElseThrow());
  }

  @Test
  void keepsEveryFieldAndStampsTheClock() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().clock(clock).build();
    StoredUpdate full = store.append(tricky("1")).join();
    StoredUpdate empty = store.append(sparse("2")).join();

    assertThat(full.update()).isEqualTo(tricky("1"));
    assertThat(full.storedAt()).isEqualTo(clock.instant());
    assertThat(range(store, 0, 10, 10)).containsExactly(full, empty);
  }

  @Test
  void appendsCompleteAtOnceWithConsecutiveSequences() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().build();
    for (int i = 1; i <= 5; i++) {
      CompletableFuture<StoredUpdate> future = store.append(update("u" + i));
      assertThat(future).isCompleted();
      assertThat(future.join().cursor().major()).isEqualTo(i);
    }
    assertThat(store.last().major()).isEqualTo(5);
  }

  @Test
  void listenerSeesConcurrentAppendsInOrderBeforeTheirFutures() throws Exception {
    MemoryUpdateStore store = MemoryUpdateStore.builder().build();
    RecordingListener listener = new RecordingListener();
    store.publishTo(listener.bus());
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
                  if (!listener.saw(stored.cursor().major())) {
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
    assertThat(store.last().major()).isEqualTo(8000);
  }

  @Test
  void sequenceOfARepeatedIdIsTheEarliestHeldThroughEviction() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().maxUpdates(3).build();
    store.append(update("a")).join(); // 1
    store.append(update("b")).join(); // 2
    store.append(update("a")).join(); // 3
    assertThat(store.cursorOf("a")).hasValue(Cursor.of(1));

    store.append(update("a")).join(); // 4, evicts 1
    assertThat(store.cursorOf("a")).hasValue(Cursor.of(3));
    store.append(update("c")).join(); // 5, evicts 2
    assertThat(store.cursorOf("b")).isEmpty();
    store.append(update("c")).join(); // 6, evicts 3
    assertThat(store.cursorOf("a")).hasValue(Cursor.of(4));
    store.append(update("d")).join(); // 7, evicts 4
    assertThat(store.cursorOf("a")).isEmpty();
    assertThat(store.cursorOf("c")).hasValue(Cursor.of(5));
  }

  @Test
  void cursorOfAnUpdateAtOrBehindTheEvictionMarkIsEmpty() {
    MemoryUpdateStore store =
        MemoryUpdateStore.builder().maxUpdates(2).maxAge(Duration.ofHours(1)).clock(clock).build();
    store.append(update("u1")).join();
    store.append(update("u2")).join();
    store.append(update("u3")).join(); // evicts u1

    assertThat(store.lastEvicted()).isEqualTo(Cursor.of(1));
    assertThat(store.cursorOf("u1")).isEmpty();
    Cursor u2 = store.cursorOf("u2").orElseThrow();
    assertThat(store.read(u2, store.last(), 10)).as("no gap after a resolved ID").isPresent();

    clock.advance(Duration.ofHours(2)); // evicts the rest by age, when next asked
    assertThat(store.cursorOf("u2")).isEmpty();
    assertThat(store.cursorOf("u3")).isEmpty();
    assertThat(store.lastEvicted()).isEqualTo(Cursor.of(3));
  }

  @Test
  void readRespectsItsBoundsAndTellsAGap() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().maxUpdates(8).build();
    for (int i = 1; i <= 10; i++) {
      store.append(update("u" + i)).join();
    }

    assertThat(all(store)).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(sequences(range(store, 3, 6, 100))).containsExactly(4L, 5L, 6L);
    assertThat(store.lastEvicted()).isEqualTo(Cursor.of(2));
    assertThat(sequences(range(store, 2, 6, 2))).containsExactly(3L, 4L);
    assertThat(gapAfter(store, 1)).isTrue();
    assertThat(gapAfter(store, 0)).isTrue();
    assertThat(gapAfter(store, 2)).isFalse();
    assertThat(sequences(range(store, 3, 6, 2))).containsExactly(4L, 5L);
    assertThat(range(store, 10, 20, 100)).isEmpty();
    assertThat(range(store, 5, 5, 100)).isEmpty();
    assertThat(range(store, 7, 3, 100)).isEmpty();
    assertThat(range(store, Long.MAX_VALUE, Long.MAX_VALUE, 100)).isEmpty();
    assertThat(range(store, 2, 10, 0)).isEmpty();
    assertThat(store.newest().orElseThrow().cursor()).isEqualTo(Cursor.of(10));
    assertThat(store.last()).isEqualTo(Cursor.of(10));
    assertThatThrownBy(() -> range(store, 0, 1, -1)).isInstanceOf(IllegalArgumentException.class);
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
    assertThat(store.cursorOf("old")).isEmpty();
    clock.advance(Duration.ofHours(1));
    assertThat(store.newest()).isEmpty();
    assertThat(store.lastEvicted()).isEqualTo(Cursor.of(2));
    assertThat(gapAfter(store, 1)).isTrue();
    assertThat(store.append(update("new")).join().cursor().major()).isEqualTo(3);
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
    store.publishTo(listener.bus());
    store.append(update("big", "x".repeat(1000))).join();
    assertThat(listener.updates()).hasSize(1);
    assertThat(store.newest()).isEmpty();
    assertThat(store.last().major()).isEqualTo(1);
  }

  @Test
  void growsPastItsInitialCapacityAndWrapsAround() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().maxUpdates(100).build();
    for (int i = 1; i <= 1000; i++) {
      store.append(update("u" + i)).join();
      if (i % 7 == 0) {
        assertThat(store.newest().orElseThrow().update().id()).isEqualTo("u" + i);
      }
    }
    List<Long> kept = all(store);
    assertThat(kept).hasSize(100).startsWith(901L).endsWith(1000L).isSorted();
    assertThat(store.cursorOf("u950")).hasValue(Cursor.of(950));
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
    assertThat(store.newest()).isPresent();
  }

  @Test
  void aFailingListenerDoesNotFailTheAppend() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().build();
    LocalUpdateBus bus = new LocalUpdateBus();
    bus.listen(
        Cursor.START,
        updates -> {
          throw new IllegalStateException("listener bug (expected by the test)");
        });
    store.publishTo(bus);
    assertThat(store.append(update("u")).join().cursor().major()).isEqualTo(1);
  }

  @Test
  void checksItsArguments() {
    MemoryUpdateStore store = MemoryUpdateStore.builder().build();
    store.publishTo(new LocalUpdateBus());
    assertThatThrownBy(() -> store.publishTo(new LocalUpdateBus()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.append(Update.of("t", "d")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemoryUpdateStore.builder().maxAge(Duration.ZERO))
        .hasMessageContaining("maxAge");
    assertThatThrownBy(() -> MemoryUpdateStore.builder().maxUpdates(-1))
        .hasMessageContaining("maxUpdates");
  }
}
