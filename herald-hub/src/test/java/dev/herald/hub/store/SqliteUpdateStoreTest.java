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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteUpdateStoreTest {
  @TempDir Path dir;

  private final List<SqliteUpdateStore> stores = new ArrayList<>();

  @AfterEach
  void closeStores() {
    stores.forEach(SqliteUpdateStore::close);
  }

  private SqliteUpdateStore open() {
    return open(builder -> builder);
  }

  private SqliteUpdateStore open(UnaryOperator<SqliteUpdateStore.Builder> configure) {
    SqliteUpdateStore store =
        configure.apply(SqliteUpdateStore.builder().path(dir.resolve("herald.db"))).build();
    stores.add(store);
    return store;
  }

  private static List<StoredUpdate> all(UpdateLog store) {
    return store.read(store.lastEvicted(), store.last(), Integer.MAX_VALUE).orElseThrow();
  }

  private static List<Long> sequences(List<StoredUpdate> updates) {
    return updates.stream().map(u -> u.cursor().major()).toList();
  }

  @Test
  void roundTripsEveryField() {
    SqliteUpdateStore store = open();
    StoredUpdate full = store.append(tricky("id-\n\"1\"")).join();
    StoredUpdate empty = store.append(sparse("2")).join();

    assertThat(all(store)).containsExactly(full, empty);
    store.close();
    assertThat(all(open())).containsExactly(full, empty);
    assertThat(full.update()).isEqualTo(tricky("id-\n\"1\""));
  }

  @Test
  void assignsConsecutiveSequencesFromOne() {
    SqliteUpdateStore store = open();
    for (int i = 1; i <= 5; i++) {
      assertThat(store.append(update("u" + i)).join().cursor().major()).isEqualTo(i);
    }
    assertThat(store.last().major()).isEqualTo(5);
    assertThat(sequences(all(store))).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(all(store).get(2).update().id()).isEqualTo("u3");
  }

  @Test
  void listenerSeesConcurrentAppendsInOrderBeforeTheirFutures() throws Exception {
    SqliteUpdateStore store = open();
    RecordingListener listener = new RecordingListener();
    store.publishTo(listener.bus());
    AtomicInteger seenTooLate = new AtomicInteger();
    ExecutorService appenders = Executors.newFixedThreadPool(8);
    List<Future<List<StoredUpdate>>> results = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      results.add(
          appenders.submit(
              () -> {
                List<StoredUpdate> mine = new ArrayList<>();
                for (int i = 0; i < 250; i++) {
                  CompletableFuture<StoredUpdate> future = store.append(update(thread + "-" + i));
                  future.thenAccept(
                      stored -> {
                        if (!listener.saw(stored.cursor().major())) {
                          seenTooLate.incrementAndGet();
                        }
                      });
                  mine.add(future.join());
                }
                return mine;
              }));
    }
    List<Long> acknowledged = new ArrayList<>();
    for (Future<List<StoredUpdate>> result : results) {
      List<Long> mine = sequences(result.get());
      assertThat(mine).as("one appender's sequences").isSorted().doesNotHaveDuplicates();
      acknowledged.addAll(mine);
    }
    appenders.shutdown();

    listener.assertConsistent();
    assertThat(seenTooLate).hasValue(0);
    assertThat(sequences(listener.updates())).hasSize(2000).isSorted().doesNotHaveDuplicates();
    assertThat(acknowledged).containsExactlyInAnyOrderElementsOf(sequences(listener.updates()));
    assertThat(listener.updates().get(1999).cursor().major()).isEqualTo(2000);
    assertThat(all(store)).isEqualTo(listener.updates());
  }

  @Test
  void groupCommitSharesCommitsBetweenAppends() throws Exception {
    SqliteUpdateStore store = open();
    ExecutorService appenders = Executors.newFixedThreadPool(4);
    List<Future<List<CompletableFuture<StoredUpdate>>>> results = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      results.add(
          appenders.submit(
              () -> {
                List<CompletableFuture<StoredUpdate>> mine = new ArrayList<>();
                for (int i = 0; i < 2500; i++) {
                  mine.add(store.append(update(thread + "-" + i)));
                }
                return mine;
              }));
    }
    for (Future<List<CompletableFuture<StoredUpdate>>> result : results) {
      result.get().forEach(CompletableFuture::join);
    }
    appenders.shutdown();

    assertThat(store.last().major()).isEqualTo(10_000);
    assertThat(store.commits()).isLessThan(1_000);
  }

  @Test
  void maxBatchBoundsTheUpdatesPerCommit() {
    SqliteUpdateStore store = open(builder -> builder.maxBatch(10));
    List<CompletableFuture<StoredUpdate>> futures = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      futures.add(store.append(update("u" + i)));
    }
    futures.forEach(CompletableFuture::join);
    assertThat(store.commits()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void sequenceOfARepeatedIdIsTheEarliestHeld() {
    SqliteUpdateStore store = open(builder -> builder.maxUpdates(3));
    store.append(update("a")).join();
    store.append(update("b")).join();
    store.append(update("a")).join();

    assertThat(store.cursorOf("a")).hasValue(Cursor.of(1));
    assertThat(store.cursorOf("b")).hasValue(Cursor.of(2));
    assertThat(store.cursorOf("c")).isEmpty();

    store.append(update("c")).join();
    store.close(); // retention has run by the time close returns
    SqliteUpdateStore reopened = open();
    assertThat(reopened.cursorOf("a")).hasValue(Cursor.of(3));
    assertThat(reopened.cursorOf("b")).hasValue(Cursor.of(2));
  }

  @Test
  void readRespectsItsBounds() {
    SqliteUpdateStore store = open();
    for (int i = 1; i <= 10; i++) {
      store.append(update("u" + i)).join();
    }

    assertThat(sequences(range(store, 3, 6, 100))).containsExactly(4L, 5L, 6L);
    assertThat(sequences(range(store, 3, 6, 2))).containsExactly(4L, 5L);
    assertThat(sequences(range(store, 0, 100, 100))).hasSize(10);
    assertThat(range(store, 10, 20, 100)).isEmpty();
    assertThat(range(store, 5, 5, 100)).isEmpty();
    assertThat(range(store, 0, 10, 0)).isEmpty();
    assertThat(store.newest().orElseThrow().cursor()).isEqualTo(Cursor.of(10));
    assertThat(store.lastEvicted()).isEqualTo(Cursor.START);
    assertThatThrownBy(() -> range(store, 0, 1, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retentionKeepsTheNewestUpdatesByCount() {
    SqliteUpdateStore store = open(builder -> builder.maxUpdates(10));
    for (int i = 1; i <= 50; i++) {
      store.append(update("u" + i)).join();
    }
    store.close();

    SqliteUpdateStore reopened = open(builder -> builder.maxUpdates(10));
    assertThat(sequences(all(reopened)))
        .containsExactly(41L, 42L, 43L, 44L, 45L, 46L, 47L, 48L, 49L, 50L);
    assertThat(reopened.cursorOf("u40")).isEmpty();
    assertThat(reopened.lastEvicted()).isEqualTo(Cursor.of(40));
    assertThat(gapAfter(reopened, 39)).isTrue();
    assertThat(gapAfter(reopened, 40)).isFalse();
  }

  @Test
  void retentionDeletesUpdatesOlderThanMaxAge() {
    TestClock clock = new TestClock();
    UnaryOperator<SqliteUpdateStore.Builder> config =
        builder -> builder.maxAge(Duration.ofHours(1)).clock(clock);
    SqliteUpdateStore store = open(config);
    for (int i = 1; i <= 5; i++) {
      store.append(update("old" + i)).join();
    }
    clock.advance(Duration.ofMinutes(30));
    store.append(update("recent")).join();
    clock.advance(Duration.ofMinutes(45));
    store.append(update("new")).join();
    store.close();

    assertThat(all(open(config))).extracting(s -> s.update().id()).containsExactly("recent", "new");
  }

  @Test
  void retentionKeepsTheStoredBytesUnderMaxBytes() {
    SqliteUpdateStore store = open(builder -> builder.maxBytes(10_000));
    String kilobyte = "x".repeat(1000);
    for (int i = 1; i <= 100; i++) {
      store.append(update("u" + i, kilobyte)).join();
    }
    store.close();

    List<Long> kept = sequences(all(open()));
    assertThat(kept).hasSizeBetween(8, 9).endsWith(100L);
    assertThat(kept.get(kept.size() - 1) - kept.get(0)).isEqualTo(kept.size() - 1);
  }

  @Test
  void sequencesContinueAfterReopening() {
    SqliteUpdateStore store = open();
    store.append(update("a")).join();
    store.append(update("b")).join();
    store.close();

    SqliteUpdateStore reopened = open();
    assertThat(reopened.last().major()).isEqualTo(2);
    assertThat(reopened.append(update("c")).join().cursor().major()).isEqualTo(3);
  }

  @Test
  void sequencesContinueAfterRetentionDeletedEverything() {
    SqliteUpdateStore store = open(builder -> builder.maxUpdates(0));
    RecordingListener listener = new RecordingListener();
    store.publishTo(listener.bus());
    for (int i = 0; i < 3; i++) {
      store.append(update("u" + i)).join();
    }
    store.close();
    assertThat(sequences(listener.updates())).containsExactly(1L, 2L, 3L);

    SqliteUpdateStore reopened = open();
    assertThat(reopened.newest()).isEmpty();
    assertThat(reopened.lastEvicted()).isEqualTo(Cursor.of(3));
    assertThat(gapAfter(reopened, 2)).isTrue();
    assertThat(reopened.last().major()).isEqualTo(3);
    assertThat(reopened.append(update("u3")).join().cursor().major()).isEqualTo(4);
  }

  @Test
  void closeCommitsPendingAppendsAndRefusesLaterOnes() {
    SqliteUpdateStore store = open();
    List<CompletableFuture<StoredUpdate>> futures = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      futures.add(store.append(update("u" + i)));
    }
    store.close();

    assertThat(futures).allMatch(future -> future.isDone() && !future.isCompletedExceptionally());
    assertThat(store.append(update("late")))
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
    assertThat(store.isHealthy()).isFalse();
    assertThatThrownBy(() -> store.newest()).isInstanceOf(IllegalStateException.class);
    store.close();
    assertThat(all(open())).hasSize(2000);
  }

  @Test
  void aFailedCommitFailsItsAppendsWithoutTellingTheListener() {
    // A database capped at 16 pages of 4 KiB cannot take an update of 200 KB: SQLITE_FULL.
    SqliteUpdateStore store = open(builder -> builder.maxPageCount(16));
    RecordingListener listener = new RecordingListener();
    store.publishTo(listener.bus());

    CompletableFuture<StoredUpdate> tooBig = store.append(update("big", "x".repeat(200_000)));

    assertThatThrownBy(tooBig::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(UpdateStoreException.class);
    assertThat(store.isHealthy()).isFalse();
    assertThat(listener.calls()).isZero();
    assertThat(store.last().major()).isZero();

    StoredUpdate small = store.append(update("small")).join();
    assertThat(small.cursor().major()).isEqualTo(1);
    assertThat(store.isHealthy()).isTrue();
    assertThat(listener.updates()).containsExactly(small);
    assertThat(all(store)).containsExactly(small);
  }

  /** Runs {@code sql} on the store's file through a connection of the test's own. */
  private void execute(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The number of rows in the store's file, counted through a connection of the test's own. */
  private long rows() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet count = statement.executeQuery("SELECT count(*) FROM updates")) {
      count.next();
      return count.getLong(1);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("herald.db"));
  }

  @Test
  void cursorOfAnUpdateAtOrBehindTheEvictionMarkIsEmpty() throws Exception {
    // Rows retention has cut that are still in the table, as a reader sees them between retention
    // announcing its cut and committing the DELETE: held still by a trigger that skips every row.
    TestClock clock = new TestClock();
    SqliteUpdateStore store = open(builder -> builder.maxAge(Duration.ofHours(1)).clock(clock));
    store.append(update("a")).join(); // 1
    store.append(update("b")).join(); // 2
    execute("CREATE TRIGGER keep_rows BEFORE DELETE ON updates BEGIN SELECT RAISE(IGNORE); END");
    clock.advance(Duration.ofHours(2));
    store.append(update("a")).join(); // 3; retention cuts 1 and 2 (at the latest after this)
    store.append(update("c")).join(); // 4; taken after that retention, and the clock stands still

    assertThat(store.lastEvicted()).isEqualTo(Cursor.of(2));
    assertThat(rows()).isEqualTo(4);
    assertThat(store.cursorOf("a")).as("the a behind the mark is not held").hasValue(Cursor.of(3));
    assertThat(store.cursorOf("b")).as("at the mark").isEmpty();
    assertThat(store.cursorOf("c")).hasValue(Cursor.of(4));
    assertThat(gapAfter(store, 1)).isTrue();
    assertThat(gapAfter(store, 2)).isFalse();
  }

  @Test
  void aFailedRetentionSetsTheEvictionMarkBack() throws Exception {
    // The DELETE fails, as it would for a full disk: every row stays, and so must the mark.
    UnaryOperator<SqliteUpdateStore.Builder> config = builder -> builder.maxUpdates(2);
    SqliteUpdateStore store = open(config);
    store.append(update("u1")).join();
    store.append(update("u2")).join();
    execute(
        "CREATE TRIGGER refuse_deletes BEFORE DELETE ON updates"
            + " BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    store.append(update("u3")).join(); // retention is due after it, and fails
    store.close(); // the writer's last retention has failed too by the time close returns

    assertThat(rows()).isEqualTo(3);
    assertThat(store.lastEvicted()).isEqualTo(Cursor.START);

    execute("DROP TRIGGER refuse_deletes");
    SqliteUpdateStore reopened = open(config);
    reopened.append(update("u4")).join();
    reopened.close(); // retention has run by the time close returns
    assertThat(rows()).isEqualTo(2);
    assertThat(reopened.lastEvicted()).isEqualTo(Cursor.of(2));
  }

  @Test
  void refusesAFileThatIsNotADatabase() throws Exception {
    Files.writeString(dir.resolve("herald.db"), "not a database, just some text ".repeat(200));
    assertThatThrownBy(this::open)
        .isInstanceOf(UpdateStoreException.class)
        .hasMessageContaining("herald.db");
  }

  @Test
  void createsTheParentDirectories() {
    Path nested = dir.resolve("a/b/c/herald.db");
    SqliteUpdateStore store = SqliteUpdateStore.builder().path(nested).build();
    stores.add(store);
    store.append(update("u")).join();
    assertThat(nested).exists();
  }

  @Test
  void theListenerIsSetOnce() {
    SqliteUpdateStore store = open();
    store.publishTo(new LocalUpdateBus());
    assertThatThrownBy(() -> store.publishTo(new LocalUpdateBus()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFailingListenerDoesNotFailTheAppend() {
    SqliteUpdateStore store = open();
    LocalUpdateBus bus = new LocalUpdateBus();
    bus.listen(
        Cursor.START,
        updates -> {
          throw new IllegalStateException("listener bug (expected by the test)");
        });
    store.publishTo(bus);
    assertThat(store.append(update("u")).join().cursor().major()).isEqualTo(1);
    assertThat(store.isHealthy()).isTrue();
  }

  @Test
  void appendChecksItsArgument() {
    SqliteUpdateStore store = open();
    Update withoutId = Update.of("t", "d");
    assertThatThrownBy(() -> store.append(withoutId)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesAheadToALogAndCheckpointsItOnClose() throws Exception {
    for (SqliteUpdateStore.Synchronous mode : SqliteUpdateStore.Synchronous.values()) {
      Path file = dir.resolve(mode + ".db");
      Path log = dir.resolve(mode + ".db-wal");
      SqliteUpdateStore store = SqliteUpdateStore.builder().path(file).synchronous(mode).build();
      StoredUpdate stored = store.append(tricky("1")).join();
      assertThat(log).as("the write-ahead log").exists();
      store.close();
      assertThat(Files.exists(log) ? Files.size(log) : 0).as("the log after close").isZero();

      try (SqliteUpdateStore reopened = SqliteUpdateStore.builder().path(file).build()) {
        assertThat(reopened.newest()).hasValue(stored);
      }
    }
  }

  @Test
  void readsRunConcurrentlyWithAppends() throws Exception {
    SqliteUpdateStore store = open(builder -> builder.maxUpdates(500));
    ExecutorService readers = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      done.add(
          readers.submit(
              () -> {
                for (int i = 0; i < 200; i++) {
                  long last = store.last().major();
                  List<Long> oldest =
                      store
                          .read(store.lastEvicted(), store.last(), 50)
                          .map(SqliteUpdateStoreTest::sequences)
                          .orElse(List.of()); // evicted under the read: a gap, which is right
                  long after = Math.max(0, last - 20);
                  Optional<List<StoredUpdate>> page =
                      store.read(Cursor.of(after), Cursor.of(last), 100);
                  if (page.isEmpty()) { // only once retention has passed it
                    assertThat(store.lastEvicted().major()).isGreaterThan(after);
                  }
                  List<Long> range = page.map(SqliteUpdateStoreTest::sequences).orElse(List.of());
                  if (!range.isEmpty()) {
                    assertThat(range.get(0)).as("no hole before the page").isEqualTo(after + 1);
                  }
                  assertThat(oldest).isSorted().doesNotHaveDuplicates();
                  if (!oldest.isEmpty()) {
                    assertThat(oldest.get(oldest.size() - 1) - oldest.get(0))
                        .isEqualTo(oldest.size() - 1);
                  }
                  assertThat(range).allMatch(sequence -> sequence <= last);
                }
                return null;
              }));
    }
    List<CompletableFuture<StoredUpdate>> appends = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      appends.add(store.append(update("u" + i)));
    }
    for (Future<?> future : done) {
      future.get();
    }
    readers.shutdown();
    appends.forEach(CompletableFuture::join);
    assertThat(store.last().major()).isEqualTo(3000);
  }
}
