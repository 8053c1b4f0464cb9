package dev.herald.hub.store;

import static dev.herald.hub.store.Updates.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.server.Cursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalUpdateBusTest {
  private static StoredUpdate stored(long sequence) {
    return new StoredUpdate(Cursor.of(sequence), Instant.EPOCH, update("u" + sequence));
  }

  @Test
  void deliversOnThePublishingThreadBeforePublishReturns() {
    LocalUpdateBus bus = new LocalUpdateBus();
    List<StoredUpdate> received = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    bus.listen(
        Cursor.START,
        updates -> {
          received.addAll(updates);
          threads.add(Thread.currentThread());
        });
    bus.publish(List.of(stored(1), stored(2)));
    assertThat(received).containsExactly(stored(1), stored(2));
    assertThat(threads).containsExactly(Thread.currentThread());
  }

  @Test
  void nothingIsDeliveredWithoutListenerOrAfterClose() {
    LocalUpdateBus bus = new LocalUpdateBus();
    bus.publish(List.of(stored(1))); // no listener yet: dropped
    List<StoredUpdate> received = new ArrayList<>();
    bus.listen(Cursor.START, received::addAll);
    bus.close();
    bus.publish(List.of(stored(2)));
    assertThat(received).isEmpty();
  }

  @Test
  void theListenerIsSetOnce() {
    LocalUpdateBus bus = new LocalUpdateBus();
    bus.listen(Cursor.START, updates -> {});
    assertThatThrownBy(() -> bus.listen(Cursor.START, updates -> {}))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new LocalUpdateBus().listen(Cursor.START, null))
        .isInstanceOf(NullPointerException.class);
  }
}
