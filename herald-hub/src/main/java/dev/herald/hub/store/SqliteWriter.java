package dev.herald.hub.store;

import dev.herald.hub.mercure.Update;
import dev.herald.server.Cursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer thread of {@link SqliteUpdateStore}: drains the queue of appends, commits them in
 * groups, publishes them on the bus, completes the futures, and applies retention. Everything but
 * the queue and the volatile fields is confined to the writer thread.
 */
final class SqliteWriter implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(SqliteWriter.class);
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long AGE_CHECK_MILLIS = 1000;
  private static final int RETENTION_CHUNK = 10_000;

  private record Pending(Update update, CompletableFuture<StoredUpdate> future) {}

  private final int maxUpdates;
  private final Duration maxAge;
  private final long maxBytes;
  private final int maxBatch;
  private final InstantSource clock;
  private final Connection connection;
  // Transactions are explicit (autocommit stays on): after an error such as SQLITE_FULL, SQLite
  // may have rolled back already, and the JDBC driver's own bookkeeping would be out of step.
  private final Statement control;
  private final PreparedStatement insert;
  private final PreparedStatement setMeta;
  private final Thread thread;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition queued = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by lock
  private boolean closed; // guarded by lock

  private volatile UpdateBus bus;
  private volatile long lastSequence;
  // The last sequence retention deletes: set before the rows go, so that a reader that checks it
  // after its query never mistakes rows deleted under it for the end of history; set back if they
  // do not go (a failed DELETE or COMMIT, SQLITE_FULL say).
  private volatile long lastEvicted;
  private volatile boolean healthy = true;
  private volatile long commits;

  // Confined to the writer thread (or the constructor).
  private long firstSequence;
  private long bytes;
  private long lastAgeCheck;
  private boolean retentionBehind;

  SqliteWriter(SqliteUpdateStore.Builder builder, Connection connection) throws SQLException {
    this.maxUpdates = builder.maxUpdates;
    this.maxAge = builder.maxAge;
    this.maxBytes = builder.maxBytes;
    this.maxBatch = builder.maxBatch;
    this.clock = builder.clock;
    this.connection = connection;
    try {
      SqliteSchema.migrate(connection);
      lastSequence = SqliteSchema.meta(connection, SqliteSchema.LAST_SEQUENCE);
      bytes = SqliteSchema.meta(connection, SqliteSchema.BYTES);
      Long first = SqliteSchema.queryLong(connection, "SELECT min(seq) FROM updates");
      firstSequence = first == null ? lastSequence + 1 : first;
      lastEvicted = firstSequence - 1; // this store's sequences are dense: none below is held
      lastAgeCheck = clock.millis() - AGE_CHECK_MILLIS;
      control = connection.createStatement();
      insert = connection.prepareStatement(SqliteSchema.INSERT);
      setMeta = connection.prepareStatement(SqliteSchema.SET_META);
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    thread = new Thread(this, "herald-sqlite-writer");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void publishTo(UpdateBus bus) {
    lock.lock();
    try {
      if (this.bus != null) {
        throw new IllegalStateException("the bus is already set");
      }
      this.bus = bus;
    } finally {
      lock.unlock();
    }
  }

  CompletableFuture<StoredUpdate> enqueue(Update update) {
    CompletableFuture<StoredUpdate> future = new CompletableFuture<>();
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("the store is closed"));
      }
      queue.add(new Pending(update, future));
      if (queue.size() == 1) {
        queued.signal();
      }
    } finally {
      lock.unlock();
    }
    return future;
  }

  long lastSequence() {
    return lastSequence;
  }

  long lastEvicted() {
    return lastEvicted;
  }

  boolean isHealthy() {
    return healthy && thread.isAlive();
  }

  long commits() {
    return commits;
  }

  /** Stops accepting appends and waits for the writer to commit the pending ones and finish. */
  void close() {
    lock.lock();
    try {
      closed = true;
      queued.signal();
    } finally {
      lock.unlock();
    }
    if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
      closeConnection();
      return;
    }
    if (Thread.currentThread() == thread) {
      return; // Called by the bus's listener: the loop ends after this batch.
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    List<Pending> batch = new ArrayList<>();
    try {
      boolean last = false;
      while (!last) {
        last = take(batch);
        if (!batch.isEmpty()) {
          write(batch);
          batch.clear();
        }
        if (retentionDue()) {
          retain();
        }
      }
      checkpoint();
    } finally {
      // Normally empty; after an Error (out of memory, say) no append must wait forever.
      failQueued(batch);
      closeConnection();
    }
  }

  private void failQueued(List<Pending> batch) {
    lock.lock();
    try {
      closed = true;
      batch.addAll(queue);
      queue.clear();
    } finally {
      lock.unlock();
    }
    IllegalStateException failure = new IllegalStateException("the store's writer has stopped");
    batch.forEach(pending -> pending.future().completeExceptionally(failure));
  }

  /** Waits a while for appends and moves up to a batch of them to {@code batch}. */
  private boolean take(List<Pending> batch) {
    lock.lock();
    try {
      long nanos = IDLE_NANOS;
      while (queue.isEmpty() && !closed && nanos > 0) {
        nanos = queued.awaitNanos(nanos);
      }
      while (batch.size() < maxBatch && !queue.isEmpty()) {
        batch.add(queue.poll());
      }
      return closed && queue.isEmpty();
    } catch (InterruptedException e) {
      // Nobody interrupts this thread but the JVM going down; finish what is queued.
      closed = true;
      while (!queue.isEmpty()) {
        batch.add(queue.poll());
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void write(List<Pending> batch) {
    Instant storedAt = Instant.ofEpochMilli(clock.millis());
    List<StoredUpdate> stored = new ArrayList<>(batch.size());
    long sequence = lastSequence;
    long batchBytes = 0;
    try {
      control.execute("BEGIN IMMEDIATE");
      for (Pending pending : batch) {
        StoredUpdate update = new StoredUpdate(Cursor.of(++sequence), storedAt, pending.update());
        batchBytes += SqliteSchema.bind(insert, update);
        insert.addBatch();
        stored.add(update);
      }
      insert.executeBatch();
      setMeta(SqliteSchema.LAST_SEQUENCE, sequence);
      setMeta(SqliteSchema.BYTES, bytes + batchBytes);
      control.execute("COMMIT");
    } catch (SQLException | RuntimeException e) {
      rollback();
      healthy = false;
      log.error("Could not store {} updates in the update store", batch.size(), e);
      UpdateStoreException failure = new UpdateStoreException("could not store the update", e);
      batch.forEach(pending -> pending.future().completeExceptionally(failure));
      return;
    }
    bytes += batchBytes;
    lastSequence = sequence;
    commits++;
    healthy = true;
    publish(stored);
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).future().complete(stored.get(i));
    }
  }

  private void setMeta(String name, long value) throws SQLException {
    setMeta.setLong(1, value);
    setMeta.setString(2, name);
    setMeta.executeUpdate();
  }

  private void publish(List<StoredUpdate> stored) {
    UpdateBus current = bus;
    if (current == null) {
      return;
    }
    try {
      current.publish(stored);
    } catch (RuntimeException e) {
      log.warn(
          "Publishing updates {} to {} on the bus failed",
          stored.get(0).cursor(),
          stored.get(stored.size() - 1).cursor(),
          e);
    }
  }

  private boolean retentionDue() {
    long count = lastSequence - firstSequence + 1;
    return retentionBehind
        || count > maxUpdates + maxUpdates / 100L
        || bytes - maxBytes / 100 > maxBytes
        || (maxAge != null && clock.millis() - lastAgeCheck >= AGE_CHECK_MILLIS);
  }

  /** Deletes the oldest rows that break a limit, at most a chunk of them. */
  private void retain() {
    long now = clock.millis();
    lastAgeCheck = now;
    long oldestKept = maxAge == null ? Long.MIN_VALUE : now - maxAge.toMillis();
    long cut = firstSequence - 1;
    long evictedBefore = lastEvicted;
    long freed = 0;
    int rows = 0;
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT seq, stored_at, size FROM updates WHERE seq >= ? ORDER BY seq LIMIT ?")) {
      control.execute("BEGIN IMMEDIATE");
      select.setLong(1, firstSequence);
      select.setInt(2, RETENTION_CHUNK);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          long sequence = row.getLong(1);
          boolean expired =
              lastSequence - sequence + 1 > maxUpdates
                  || bytes - freed > maxBytes
                  || row.getLong(2) < oldestKept;
          if (!expired) {
            break;
          }
          cut = sequence;
          freed += row.getLong(3);
          rows++;
        }
      }
      if (rows == 0) {
        retentionBehind = false;
        control.execute("COMMIT");
        return;
      }
      lastEvicted = cut;
      try (PreparedStatement delete =
          connection.prepareStatement("DELETE FROM updates WHERE seq <= ?")) {
        delete.setLong(1, cut);
        delete.executeUpdate();
      }
      setMeta(SqliteSchema.BYTES, bytes - freed);
      control.execute("COMMIT");
    } catch (SQLException e) {
      rollback();
      lastEvicted = evictedBefore; // the rows are still held: reads after them have no gap
      log.warn("Could not apply retention to the update store", e);
      return;
    }
    firstSequence = cut + 1;
    bytes -= freed;
    retentionBehind = rows == RETENTION_CHUNK;
  }

  private void rollback() {
    try {
      insert.clearBatch();
      control.execute("ROLLBACK");
    } catch (SQLException e) {
      // SQLite rolls back by itself after some errors; then there is nothing left to undo.
      log.debug("Nothing to roll back in the update store", e);
    }
  }

  private void checkpoint() {
    try {
      control.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      log.warn("Could not checkpoint the update store", e);
    }
  }

  private void closeConnection() {
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("Could not close the update store", e);
    }
  }
}
