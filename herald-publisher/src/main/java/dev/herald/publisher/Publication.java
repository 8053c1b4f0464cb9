package dev.herald.publisher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One update to publish to a Mercure hub: its topics (the first is the canonical one), its data,
 * and optionally an ID (the hub assigns one if absent), an SSE event type, a reconnection time, and
 * whether it is private (sent only to subscribers whose token grants one of its topics).
 *
 * <pre>{@code
 * Publication.builder("https://example.com/users/42/notifications")
 *     .data("{\"text\":\"hello\"}")
 *     .privateUpdate(true)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class Publication {
  /** The most topics one publication may name. */
  public static final int MAX_TOPICS = 100;

  private final List<String> topics;
  private final String data;
  private final String id;
  private final String type;
  private final Duration retry;
  private final boolean privateUpdate;

  private Publication(Builder b) {
    this.topics = List.copyOf(b.topics);
    this.data = b.data;
    this.id = b.id;
    this.type = b.type;
    this.retry = b.retry;
    this.privateUpdate = b.privateUpdate;
  }

  /** A public update of {@code topic} carrying {@code data}. */
  public static Publication of(String topic, String data) {
    return builder(topic).data(data).build();
  }

  /** A builder of an update of {@code topic} and then {@code more} topics. */
  public static Builder builder(String topic, String... more) {
    Builder b = new Builder().topic(topic);
    for (String t : more) {
      b.topic(t);
    }
    return b;
  }

  /** The topics, the canonical one first; never empty. */
  public List<String> topics() {
    return topics;
  }

  /** The data; empty if none. */
  public String data() {
    return data;
  }

  /** The ID, or {@code null} to let the hub assign one. */
  public String id() {
    return id;
  }

  /** The SSE event type, or {@code null}. */
  public String type() {
    return type;
  }

  /** The reconnection time the update tells subscribers, or {@code null}. */
  public Duration retry() {
    return retry;
  }

  /** Whether only subscribers allowed to read one of its topics receive it. */
  public boolean isPrivate() {
    return privateUpdate;
  }

  @Override
  public String toString() {
    return "Publication" + topics + (privateUpdate ? " (private)" : "");
  }

  /** Builds a {@link Publication}. Not thread-safe. */
  public static final class Builder {
    private final List<String> topics = new ArrayList<>();
    private String data = "";
    private String id;
    private String type;
    private Duration retry;
    private boolean privateUpdate;

    private Builder() {}

    /**
     * Adds a topic.
     *
     * @throws IllegalArgumentException if empty, or past {@link #MAX_TOPICS}
     */
    public Builder topic(String topic) {
      if (Objects.requireNonNull(topic, "topic").isEmpty()) {
        throw new IllegalArgumentException("topic: empty");
      }
      if (topics.size() == MAX_TOPICS) {
        throw new IllegalArgumentException("topics: more than " + MAX_TOPICS);
      }
      topics.add(topic);
      return this;
    }

    /** The data (default empty). */
    public Builder data(String data) {
      this.data = Objects.requireNonNull(data, "data");
      return this;
    }

    /**
     * The update's ID; by default the hub assigns one.
     *
     * @throws IllegalArgumentException if empty or holding a line break (it could not be an SSE ID)
     */
    public Builder id(String id) {
      this.id = field("id", id);
      return this;
    }

    /**
     * The SSE event type.
     *
     * @throws IllegalArgumentException if empty or holding a line break
     */
    public Builder type(String type) {
      this.type = field("type", type);
      return this;
    }

    /**
     * The reconnection time the update tells subscribers.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder retry(Duration retry) {
      if (retry.isNegative()) {
        throw new IllegalArgumentException("retry: negative: " + retry);
      }
      this.retry = retry;
      return this;
    }

    /** Whether the update is private (default {@code false}). */
    public Builder privateUpdate(boolean privateUpdate) {
      this.privateUpdate = privateUpdate;
      return this;
    }

    /** The publication. */
    public Publication build() {
      return new Publication(this);
    }

    private static String field(String name, String value) {
      Objects.requireNonNull(value, name);
      if (value.isEmpty() || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
        throw new IllegalArgumentException(name + ": empty or holding a line break");
      }
      return value;
    }
  }
}
