package dev.herald.hub.store;

import dev.herald.hub.mercure.Update;
import dev.herald.server.Cursor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sqlite.SQLiteConfig;

/**
 * The embedded, durable {@link UpdateLog}: one SQLite file in WAL mode.
 *
 * <pre>{@code
 * UpdateLog log = SqliteUpdateStore.builder().path(Path.of("data/herald.db")).build();
 * }</pre>
 *
 * <h2>Durability</h2>
 *
 * One platform thread, {@code herald-sqlite-writer}, owns the database for writing. It takes every
 * update queued (at most {@linkplain Builder#maxBatch max batch} of them), inserts them in one
 * transaction and commits: a group commit, so the cost of a commit is shared by all the updates
 * that queued while the previous one ran. Only after the commit does it publish the batch on the
 * {@linkplain #publishTo bus} and then complete the {@link #append} futures, on the writer thread
 * (chain with the {@code *Async} methods for slow work). A failed commit fails the batch's futures
 * with an {@link UpdateStoreException}, never reaches the bus, and makes {@link #isHealthy} false
 * until a later commit succeeds.
 *
 * <p>With {@link Synchronous#FULL} (the default), SQLite syncs the write-ahead log to disk before
 * each commit returns: an acknowledged update survives the process being killed and the machine
 * losing power (as far as the disk honours {@code fsync}). With {@link Synchronous#NORMAL}, the log
 * is synced only at checkpoints: an acknowledged update survives the process crashing ({@code kill
 * -9}) but the last ones may be lost if the machine loses power; the database stays consistent
 * either way. Cursors are the rows' sequences ({@code Cursor.of(1)}, {@code Cursor.of(2)}, ...),
 * never reused, not even after retention deleted every row: the high-water mark is kept in the
 * database.
 *
 * <h2>Retention</h2>
 *
 * History is bounded by count ({@value #DEFAULT_MAX_UPDATES} updates by default), by size ({@value
 * #DEFAULT_MAX_BYTES} bytes by default, the sum of the stored rows' text in UTF-8 plus a fixed
 * overhead per row; the file itself is larger, and SQLite reuses freed pages rather than shrink the
 * file) and optionally by age. The writer deletes the oldest rows after a commit that leaves the
 * store more than 1 % over a limit, and checks age at least every second while the store is idle:
 * the store may briefly hold up to 1 % more than its limits, and up to a second older updates.
 *
 * <p>Thread-safe. Reads use a small pool of their own connections and may block. The bus is
 * published to on the writer thread, one batch at a time, in log order; never after {@link #close}
 * returns.
 *
 * @since 0.1
 */
public final class SqliteUpdateStore implements UpdateLog {
  /** The default bound on the number of updates kept. */
  public static final int DEFAULT_MAX_UPDATES = 1_000_000;

  /** The default bound on the size of the updates kept, 1 GiB. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  /** The default bound on the number of updates committed in one transaction. */
  public static final int DEFAULT_MAX_BATCH = 1024;

  /** How SQLite syncs to disk: the trade between durability and commit latency. */
  public enum Synchronous {
    /** Syncs the log at every commit: acknowledged updates survive a power loss. */
    FULL,
    /** Syncs the log at checkpoints only: acknowledged updates survive a process crash. */
    NORMAL
  }

  private static final int READERS = 2;

  private final Path path;
  private final String retention;
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private final SqliteWriter writer;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean readersClosed;

  private SqliteUpdateStore(Builder builder) throws SQLException {
    this.path = builder.path;
    this.retention = Retention.describe(builder.maxUpdates, builder.maxBytes, builder.maxAge);
    SqliteWriter opened = new SqliteWriter(builder, connect(builder, true));
    try {
      for (int i = 0; i < READERS; i++) {
        readers.add(connect(builder, false));
      }
    } catch (SQLException e) {
      opened.close();
      closeReaders();
      throw e;
    }
    this.writer = opened;
    writer.start();
  }

  /** A builder with the defaults; {@link Builder#path} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void publishTo(UpdateBus bus) {
    writer.publishTo(Objects.requireNonNull(bus, "bus"));
  }

  @Override
  public CompletableFuture<StoredUpdate> append(Update update) {
    MemoryUpdateStore.requireId(update);
    return writer.enqueue(update);
  }

  @Override
  public Optional<Cursor> cursorOf(String id) {
    Objects.requireNonNull(id, "id");
    long evicted = writer.lastEvicted();
    Optional<Cursor> found =
        read(
            connection -> {
              try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT min(seq) FROM updates WHERE id = ? AND seq > ?")) {
                select.setString(1, id);
                select.setLong(2, evicted);
                try (ResultSet row = select.executeQuery()) {
                  row.next(); // an aggregate: always one row, NULL when no update has the ID
                  long sequence = row.getLong(1);
                  return row.wasNull() ? Optional.empty() : Optional.of(Cursor.of(sequence));
                }
              }
            });
    // Checked after the query, as read does: rows retention has announced but not yet deleted are
    // not held, so an ID this resolves is one that a read after its cursor finds no gap behind.
    return found.filter(cursor -> cursor.major() > writer.lastEvicted());
  }

  @Override
  public Optional<List<StoredUpdate>> read(Cursor after, Cursor upTo, int limit) {
    MemoryUpdateStore.requireLimit(limit);
    List<StoredUpdate> page =
        read(
            connection -> {
              try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT "
                          + SqliteSchema.COLUMNS
                          + " FROM updates WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
                select.setLong(1, after.major()); // cursors this store made: Cursor.of(seq)
                select.setLong(2, upTo.major());
                select.setInt(3, limit);
                return readAll(select);
              }
            });
    // Checked after the query: retention announces a cut before deleting, so rows that vanished
    // under the query are reported as the gap they are.
    return after.major() < writer.lastEvicted() ? Optional.empty() : Optional.of(page);
  }

  @Override
  public Optional<StoredUpdate> newest() {
    List<StoredUpdate> newest =
        read(
            connection -> {
              try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT "
                          + SqliteSchema.COLUMNS
                          + " FROM updates ORDER BY seq DESC LIMIT 1")) {
                return readAll(select);
              }
            });
    return newest.stream().findFirst();
  }

  @Override
  public Cursor last() {
    return Cursor.of(writer.lastSequence());
  }

  @Override
  public Cursor lastEvicted() {
    return Cursor.of(writer.lastEvicted());
  }

  @Override
  public boolean isHealthy() {
    return writer.isHealthy();
  }

  /**
   * Stops accepting appends (later ones fail with an {@link IllegalStateException}), commits the
   * pending ones, checkpoints the log into the database, and closes the connections. Waits for all
   * that; idempotent.
   */
  @Override
  public void close() {
    writer.close();
    closeReaders();
  }

  /** The number of commits of appended updates so far: less than the number of updates. */
  long commits() {
    return writer.commits();
  }

  /** The file this store writes. */
  public Path path() {
    return path;
  }

  @Override
  public String toString() {
    return "SqliteUpdateStore[" + path + "; " + retention + "]";
  }

  private void closeReaders() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    readersClosed = true;
    for (int i = 0; i < READERS; i++) {
      try {
        Connection connection = readers.poll(10, TimeUnit.SECONDS);
        if (connection != null) {
          connection.close();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (SQLException e) {
        // Closing is best effort; the connection is gone either way.
      }
    }
  }

  private interface Query<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T read(Query<T> query) {
    Connection connection;
    try {
      while ((connection = readers.poll(100, TimeUnit.MILLISECONDS)) == null) {
        if (readersClosed) {
          throw new IllegalStateException("the store is closed");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpdateStoreException("interrupted while waiting for a connection", e);
    }
    try {
      return query.run(connection);
    } catch (SQLException e) {
      throw new UpdateStoreException("cannot read " + path, e);
    } finally {
      readers.add(connection);
    }
  }

  private static List<StoredUpdate> readAll(PreparedStatement select) throws SQLException {
    List<StoredUpdate> updates = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        updates.add(SqliteSchema.read(rows));
      }
    }
    return updates;
  }

  private static Connection connect(Builder builder, boolean writer) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(10_000);
    if (writer) {
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(builder.synchronous.name()));
      if (builder.maxPageCount > 0) {
        config.setMaxPageCount(builder.maxPageCount);
      }
    }
    return config.createConnection("jdbc:sqlite:" + builder.path.toAbsolutePath());
  }

  /** Builds a {@link SqliteUpdateStore}. Not thread-safe. */
  public static final class Builder {
    Path path;
    int maxUpdates = DEFAULT_MAX_UPDATES;
    Duration maxAge;
    long maxBytes = DEFAULT_MAX_BYTES;
    int maxBatch = DEFAULT_MAX_BATCH;
    Synchronous synchronous = Synchronous.FULL;
    InstantSource clock = InstantSource.system();
    int maxPageCount;

    private Builder() {}

    /** The database file; its parent directories are created if need be. Required. */
    public Builder path(Path path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    /**
     * Keeps at most {@code maxUpdates} updates, {@value SqliteUpdateStore#DEFAULT_MAX_UPDATES} by
     * default.
     */
    public Builder maxUpdates(int maxUpdates) {
      this.maxUpdates = Retention.maxUpdates(maxUpdates);
      return this;
    }

    /** Deletes updates stored more than {@code maxAge} ago; by default age is no limit. */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = Retention.maxAge(maxAge);
      return this;
    }

    /**
     * Keeps rows whose sizes total at most {@code maxBytes}, {@value
     * SqliteUpdateStore#DEFAULT_MAX_BYTES} by default.
     */
    public Builder maxBytes(long maxBytes) {
      this.maxBytes = Retention.maxBytes(maxBytes);
      return this;
    }

    /**
     * Commits at most {@code maxBatch} updates in one transaction, {@value
     * SqliteUpdateStore#DEFAULT_MAX_BATCH} by default.
     */
    public Builder maxBatch(int maxBatch) {
      if (maxBatch < 1) {
        throw new IllegalArgumentException("maxBatch must be positive: " + maxBatch);
      }
      this.maxBatch = maxBatch;
      return this;
    }

    /** How commits reach the disk, {@link Synchronous#FULL} by default. */
    public Builder synchronous(Synchronous synchronous) {
      this.synchronous = Objects.requireNonNull(synchronous, "synchronous");
      return this;
    }

    /** The clock that stamps updates and ages them, the system clock by default. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Caps the database at {@code pages} pages, so that tests can fill it. */
    Builder maxPageCount(int pages) {
      this.maxPageCount = pages;
      return this;
    }

    /**
     * Opens (or creates) the database and starts the writer thread.
     *
     * @throws UpdateStoreException if the file cannot be created or is not a Herald database
     */
    public SqliteUpdateStore build() {
      if (path == null) {
        throw new IllegalStateException("path is required");
      }
      try {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        return new SqliteUpdateStore(this);
      } catch (IOException | SQLException e) {
        throw new UpdateStoreException("cannot open the update store at " + path, e);
      }
    }
  }
}
