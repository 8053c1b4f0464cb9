package dev.herald.core;

import java.time.Duration;
import java.util.Objects;

/**
 * One server-sent event: the fields of a {@code text/event-stream} block, as an immutable value.
 *
 * <p>Every field is optional; an absent field is {@code null} and is not written. The values are
 * checked when the event is built, so an event can always be written without injecting fields: an
 * {@code event} type or {@code id} with CR or LF, and an {@code id} with NUL (which clients would
 * ignore, S-22), are rejected with an {@link IllegalArgumentException} that names the field. {@code
 * data} and {@code comment} may span lines; the writer turns each line into a line of its own
 * (S-62).
 *
 * <pre>{@code
 * SseEvent tick = SseEvent.of("tick 1");
 * SseEvent add = SseEvent.of("add", "73857293");
 * SseEvent update = SseEvent.builder().type("update").id("42").data("{\"n\":42}").build();
 * SseEvent forget = SseEvent.builder().resetId().build(); // the client sends no Last-Event-ID
 * }</pre>
 *
 * <p>Events that {@link SseParser} dispatches carry the type ({@code message} when the stream named
 * none), the data and, as {@link #id()}, the last event ID in effect at dispatch, exactly as a
 * browser's {@code MessageEvent} reports them.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class SseEvent {
  /** The type a client reports for an event whose stream named no type. */
  public static final String DEFAULT_TYPE = "message";

  private final String type;
  private final String data;
  private final String id;
  private final Duration retry;
  private final String comment;

  private SseEvent(String type, String data, String id, Duration retry, String comment) {
    this.type = type;
    this.data = data;
    this.id = id;
    this.retry = retry;
    this.comment = comment;
  }

  /** Used by the parser, whose fields are valid by construction. */
  static SseEvent dispatched(String type, String data, String lastEventId) {
    return new SseEvent(type, data, lastEventId, null, null);
  }

  /** An unnamed event ({@code message} to the client) with the given data. */
  public static SseEvent of(String data) {
    return builder().data(data).build();
  }

  /** An event of the given type with the given data. */
  public static SseEvent of(String type, String data) {
    return builder().type(type).data(data).build();
  }

  /** A comment only, such as a heartbeat; clients ignore it. */
  public static SseEvent ofComment(String comment) {
    return builder().comment(comment).build();
  }

  /** A new builder with no field set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this event's fields. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.type = type;
    b.data = data;
    b.id = id;
    b.retry = retry;
    b.comment = comment;
    return b;
  }

  /** The {@code event} field, or {@code null}. */
  public String type() {
    return type;
  }

  /** The data, lines separated by LF, CR or CRLF; or {@code null} when the event has none. */
  public String data() {
    return data;
  }

  /**
   * The {@code id} field, or {@code null}. The empty string resets the client's last event ID
   * (S-66).
   */
  public String id() {
    return id;
  }

  /** The reconnection time to send as {@code retry}, or {@code null}. */
  public Duration retry() {
    return retry;
  }

  /** The comment, lines separated by LF, CR or CRLF; or {@code null}. */
  public String comment() {
    return comment;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SseEvent
        && Objects.equals(type, ((SseEvent) o).type)
        && Objects.equals(data, ((SseEvent) o).data)
        && Objects.equals(id, ((SseEvent) o).id)
        && Objects.equals(retry, ((SseEvent) o).retry)
        && Objects.equals(comment, ((SseEvent) o).comment);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, data, id, retry, comment);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("SseEvent{");
    appendField(s, "type", type);
    appendField(s, "id", id);
    appendField(s, "retry", retry == null ? null : retry.toMillis() + "ms");
    appendField(s, "comment", comment);
    appendField(s, "data", data);
    if (s.charAt(s.length() - 1) == ' ') {
      s.setLength(s.length() - 2);
    }
    return s.append('}').toString();
  }

  private static void appendField(StringBuilder s, String name, String value) {
    if (value != null) {
      s.append(name).append("='").append(value).append("', ");
    }
  }

  /** Builds an {@link SseEvent}; each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private String type;
    private String data;
    private String id;
    private Duration retry;
    private String comment;

    private Builder() {}

    /**
     * Sets the {@code event} field.
     *
     * @throws IllegalArgumentException if {@code type} contains CR or LF
     */
    public Builder type(String type) {
      this.type = checkNoLineBreak("event", type);
      return this;
    }

    /** Sets the data; it may contain line breaks (each line becomes a {@code data} line). */
    public Builder data(String data) {
      this.data = data;
      return this;
    }

    /**
     * Sets the {@code id} field; the empty string resets the client's last event ID (S-66).
     *
     * @throws IllegalArgumentException if {@code id} contains CR, LF or NUL
     */
    public Builder id(String id) {
      checkNoLineBreak("id", id);
      if (id != null && id.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("id must not contain NUL (U+0000): clients ignore it");
      }
      this.id = id;
      return this;
    }

    /** Sets an empty {@code id}, which tells the client to forget its last event ID (S-66). */
    public Builder resetId() {
      return id("");
    }

    /**
     * Sets the reconnection time, written as {@code retry} in whole milliseconds.
     *
     * @throws IllegalArgumentException if {@code retry} is negative
     */
    public Builder retry(Duration retry) {
      if (retry != null && retry.isNegative()) {
        throw new IllegalArgumentException("retry must not be negative: " + retry);
      }
      this.retry = retry;
      return this;
    }

    /** Sets a comment; it may contain line breaks (each line becomes a comment line). */
    public Builder comment(String comment) {
      this.comment = comment;
      return this;
    }

    /** The event holding the fields set so far. */
    public SseEvent build() {
      return new SseEvent(type, data, id, retry, comment);
    }

    private static String checkNoLineBreak(String field, String value) {
      if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
        throw new IllegalArgumentException(
            field + " must not contain CR or LF: it would inject fields into the stream");
      }
      return value;
    }
  }
}
