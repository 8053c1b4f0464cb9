package dev.herald.server;

import dev.herald.core.SseEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An event as kept in an {@link EventLog}: its position in the log's total order, the topics it was
 * published to, the time it was appended, and the event itself, whose {@link SseEvent#id()} is set.
 *
 * @param position the event's place in the log's total order; later events have larger positions
 * @param topics the topics it was published to
 * @param appendedAt when it was appended
 * @param event the event, with its ID
 * @param attachment what the publisher attached, for {@link Interest#wants}; {@code null} if none
 * @since 0.1
 */
public record LoggedEvent(
    long position, Set<String> topics, Instant appendedAt, SseEvent event, Object attachment) {
  /** An event without attachment. */
  public LoggedEvent(long position, Set<String> topics, Instant appendedAt, SseEvent event) {
    this(position, topics, appendedAt, event, null);
  }

  /** Checks the fields and copies the topics. */
  public LoggedEvent {
    topics = Set.copyOf(topics);
    Objects.requireNonNull(appendedAt, "appendedAt");
    if (Objects.requireNonNull(event, "event").id() == null) {
      throw new IllegalArgumentException("a logged event needs an id");
    }
  }
}
