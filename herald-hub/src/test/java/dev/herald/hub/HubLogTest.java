package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.MemoryUpdateStore;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.server.Cursor;
import dev.herald.server.LoggedEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The hub's history as the broadcaster reads it: positions are store sequences, pages from both.
 */
class HubLogTest {
  private final List<StoredUpdate> dispatched = new ArrayList<>();
  private final MemoryUpdateStore store = MemoryUpdateStore.builder().build();

  HubLogTest() {
    store.listen(dispatched::addAll);
  }

  private void store(int count) {
    for (int i = 0; i < count; i++) {
      store.append(Update.of("https://example.com/t", "u").withId(Ids.generate())).join();
    }
  }

  private static List<Long> positions(List<LoggedEvent<StoredUpdate>> events) {
    return events.stream().map(e -> e.position().major()).toList();
  }

  @Test
  @DisplayName("an update that was never dispatched leaves no hole: positions stay store sequences")
  void positionsAreSequences() {
    HubLog log = new HubLog(store, 3);
    store(5);
    for (StoredUpdate u : dispatched) {
      if (u.sequence() == 2) {
        continue; // as if its dispatch had failed
      }
      LoggedEvent<StoredUpdate> logged =
          log.append(HubLog.topicSet(u.update()), HubLog.toEvent(u.update()), u);
      assertThat(logged.position()).isEqualTo(Cursor.of(u.sequence()));
      assertThat(log.last()).isEqualTo(Cursor.of(u.sequence()));
    }
    // 3..5 are in memory, 1..2 only in the store; a catch-up reads both, without a gap.
    assertThat(positions(log.read(Cursor.START, 10, Long.MAX_VALUE).orElseThrow()))
        .containsExactly(1L, 2L);
    assertThat(positions(log.read(Cursor.of(2), 10, Long.MAX_VALUE).orElseThrow()))
        .containsExactly(3L, 4L, 5L);
    assertThat(log.positionOf("earliest")).hasValue(Cursor.START);
    assertThat(log.positionOf(dispatched.get(3).update().id())).hasValue(Cursor.of(4));
  }
}
