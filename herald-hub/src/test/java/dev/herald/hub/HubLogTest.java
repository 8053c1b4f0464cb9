package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.server.Cursor;
import dev.herald.server.LoggedEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The hub's history as the broadcaster reads it, over a log whose cursors are far from dense:
 * positions are the log's cursors, pages come from the memory tail and the log, and a gap is what
 * the log says.
 */
class HubLogTest {
  private final SparseLog updates = new SparseLog();
  private final List<StoredUpdate> stored = new ArrayList<>();

  private void store(int count) {
    for (int i = 0; i < count; i++) {
      stored.add(
          updates.append(Update.of("https://example.com/t", "u").withId(Ids.update())).join());
    }
  }

  private static LoggedEvent<StoredUpdate> dispatch(HubLog log, StoredUpdate u) {
    return log.append(HubLog.topicSet(u.update()), HubLog.toEvent(u.update()), u);
  }

  /** The cursors of {@code events}, as indexes into {@link #stored} from 1. */
  private List<Integer> numbers(List<LoggedEvent<StoredUpdate>> events) {
    List<Cursor> cursors = stored.stream().map(StoredUpdate::cursor).toList();
    return events.stream().map(e -> cursors.indexOf(e.position()) + 1).toList();
  }

  private Cursor cursor(int number) {
    return stored.get(number - 1).cursor();
  }

  @Test
  @DisplayName("positions are the log's cursors; the tail and the log together read without a gap")
  void positionsAreTheLogsCursors() {
    HubLog log = new HubLog(updates, 3);
    store(6);
    for (StoredUpdate u : stored) {
      LoggedEvent<StoredUpdate> logged = dispatch(log, u);
      assertThat(logged.position()).isEqualTo(u.cursor());
      assertThat(log.last()).isEqualTo(u.cursor());
    }
    // 4..6 are in the tail, 1..3 only in the log
    assertThat(numbers(log.read(Cursor.START, 10, Long.MAX_VALUE).orElseThrow()))
        .containsExactly(1, 2, 3);
    assertThat(numbers(log.read(cursor(1), 10, Long.MAX_VALUE).orElseThrow()))
        .containsExactly(2, 3);
    assertThat(numbers(log.read(cursor(3), 10, Long.MAX_VALUE).orElseThrow()))
        .containsExactly(4, 5, 6);
    assertThat(numbers(log.read(cursor(4), 1, Long.MAX_VALUE).orElseThrow())).containsExactly(5);
    assertThat(log.read(cursor(6), 10, Long.MAX_VALUE).orElseThrow()).isEmpty();
    assertThat(log.beforeOldest()).isEqualTo(Cursor.START);
    assertThat(log.positionOf(stored.get(3).update().id())).hasValue(cursor(4));
    assertThat(log.lastEventId()).isEqualTo(stored.get(5).update().id());
  }

  @Test
  @DisplayName("an update whose dispatch failed is read from the log: no hole in a catch-up")
  void aMissedUpdateIsReadFromTheLog() {
    HubLog log = new HubLog(updates, 10);
    store(5);
    for (StoredUpdate u : stored) {
      if (u == stored.get(2)) {
        log.missed(u); // as if its dispatch had failed
        continue;
      }
      dispatch(log, u);
    }
    assertThat(numbers(log.read(Cursor.START, 10, Long.MAX_VALUE).orElseThrow()))
        .containsExactly(1, 2, 3);
    assertThat(numbers(log.read(cursor(3), 10, Long.MAX_VALUE).orElseThrow()))
        .containsExactly(4, 5);
    assertThatThrownBy(() -> dispatch(log, stored.get(1)))
        .as("an update not after the last one dispatched")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a gap is what the log reports; earliest starts after the last cursor it evicted")
  void gapsAreWhatTheLogReports() {
    HubLog log = new HubLog(updates, 2);
    store(6);
    stored.forEach(u -> dispatch(log, u));
    updates.evict(2); // 1 and 2 are gone; 3 and 4 only in the log; 5 and 6 in the tail

    assertThat(log.read(Cursor.START, 10, Long.MAX_VALUE)).isEmpty();
    assertThat(log.read(cursor(1), 10, Long.MAX_VALUE)).isEmpty();
    assertThat(numbers(log.read(cursor(2), 10, Long.MAX_VALUE).orElseThrow()))
        .containsExactly(3, 4);
    assertThat(log.beforeOldest()).isEqualTo(cursor(2));
    assertThat(log.positionOf(stored.get(0).update().id())).isEmpty();

    updates.evict(3); // the log now holds less than the tail: earliest is the tail's start
    assertThat(log.beforeOldest()).isEqualTo(cursor(4));
    assertThat(numbers(log.read(cursor(4), 10, Long.MAX_VALUE).orElseThrow()))
        .containsExactly(5, 6);
  }

  @Test
  @DisplayName(
      "a hub started over a log that holds updates: live after its last, earlier ones read")
  void startsAfterTheLogsLast() {
    store(3);
    HubLog log = new HubLog(updates, 5);
    assertThat(log.last()).isEqualTo(cursor(3));
    assertThat(log.lastEventId()).isEqualTo(stored.get(2).update().id());
    store(1);
    dispatch(log, stored.get(3));
    assertThat(numbers(log.read(Cursor.START, 10, Long.MAX_VALUE).orElseThrow()))
        .containsExactly(1, 2, 3);
    assertThat(numbers(log.read(cursor(3), 10, Long.MAX_VALUE).orElseThrow())).containsExactly(4);
  }
}
