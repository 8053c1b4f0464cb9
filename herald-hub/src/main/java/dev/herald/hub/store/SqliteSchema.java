package dev.herald.hub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.mercure.Update;
import dev.herald.server.Cursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/** The SQLite tables of {@link SqliteUpdateStore}, and rows to and from updates. */
final class SqliteSchema {
  static final int VERSION = 1;

  static final String INSERT =
      "INSERT INTO updates(seq, id, stored_at, topics, data, private, type, retry, size)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static final String COLUMNS = "seq, id, stored_at, topics, data, private, type, retry";
  static final String SET_META = "UPDATE meta SET value = ? WHERE name = ?";
  static final String LAST_SEQUENCE = "last_sequence";
  static final String BYTES = "bytes";

  /** What a row costs beyond its text: the integers and SQLite's record and index overhead. */
  private static final int ROW_OVERHEAD = 48;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> TOPICS = new TypeReference<>() {};

  private SqliteSchema() {}

  /** Creates the tables in an empty database, or checks the version of an existing one. */
  static void migrate(Connection connection) throws SQLException {
    int version = queryLong(connection, "PRAGMA user_version").intValue();
    if (version == VERSION) {
      return;
    }
    if (version != 0) {
      throw new SQLException("unknown schema version " + version + ", expected " + VERSION);
    }
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate("BEGIN IMMEDIATE");
      statement.executeUpdate(
          "CREATE TABLE updates(seq INTEGER PRIMARY KEY, id TEXT NOT NULL,"
              + " stored_at INTEGER NOT NULL, topics TEXT NOT NULL, data TEXT,"
              + " private INTEGER NOT NULL, type TEXT, retry INTEGER, size INTEGER NOT NULL)");
      statement.executeUpdate("CREATE INDEX updates_id ON updates(id)");
      // The high-water mark survives retention deleting every row: sequences are never reused.
      statement.executeUpdate("CREATE TABLE meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
      statement.executeUpdate("INSERT INTO meta VALUES ('last_sequence', 0), ('bytes', 0)");
      statement.executeUpdate("PRAGMA user_version = " + VERSION);
      statement.executeUpdate("COMMIT");
    }
  }

  /** The value of a {@code meta} row. */
  static long meta(Connection connection, String name) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
      select.setString(1, name);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new SQLException("meta." + name + " is missing");
        }
        return row.getLong(1);
      }
    }
  }

  /** The single value {@code sql} selects, {@code null} if it is SQL NULL. */
  static Long queryLong(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      long value = row.getLong(1);
      return row.wasNull() ? null : value;
    }
  }

  /** Binds {@code stored} to the {@link #INSERT} statement; returns the row's size. */
  static long bind(PreparedStatement insert, StoredUpdate stored) throws SQLException {
    Update update = stored.update();
    String topics = encodeTopics(update.topics());
    insert.setLong(1, stored.cursor().major());
    insert.setString(2, update.id());
    insert.setLong(3, stored.storedAt().toEpochMilli());
    insert.setString(4, topics);
    setNullableString(insert, 5, update.data());
    insert.setInt(6, update.isPrivate() ? 1 : 0);
    setNullableString(insert, 7, update.type());
    if (update.retryMillis() == null) {
      insert.setNull(8, Types.INTEGER);
    } else {
      insert.setLong(8, update.retryMillis());
    }
    long size =
        ROW_OVERHEAD
            + UpdateSizes.utf8(update.id())
            + UpdateSizes.utf8(topics)
            + UpdateSizes.utf8(update.data())
            + UpdateSizes.utf8(update.type());
    insert.setLong(9, size);
    return size;
  }

  /** The update in the current row of a result selecting {@link #COLUMNS}. */
  static StoredUpdate read(ResultSet row) throws SQLException {
    long sequence = row.getLong(1);
    String id = row.getString(2);
    Instant storedAt = Instant.ofEpochMilli(row.getLong(3));
    List<String> topics = decodeTopics(row.getString(4));
    String data = row.getString(5);
    boolean isPrivate = row.getInt(6) != 0;
    String type = row.getString(7);
    long retry = row.getLong(8);
    Long retryMillis = row.wasNull() ? null : retry;
    return new StoredUpdate(
        Cursor.of(sequence), storedAt, new Update(topics, data, isPrivate, id, type, retryMillis));
  }

  private static void setNullableString(PreparedStatement statement, int index, String value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  static String encodeTopics(List<String> topics) {
    try {
      return JSON.writeValueAsString(topics);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode topics", e);
    }
  }

  static List<String> decodeTopics(String json) throws SQLException {
    try {
      return JSON.readValue(json, TOPICS);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable topics: " + json, e);
    }
  }
}
