package dev.herald.server;

import dev.herald.core.SseEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An event as kept in an {@link EventLog}: its position in the log's total order, the topics it was
 * published to, the time it was appended, the event itself, whose {@link SseEvent#id()} is set, and
 * the publisher's payload.
 *
 * @param <P> the type of the payload: what the publisher passes along for {@link Interest#wants}
 *     (for example who may read the event); {@link Void} if none
 * @param position the event's place in the log's total order: later events have later cursors
 * @param topics the topics it was published to
 * @param appendedAt when it was appended
 * @param event the event, with its ID
 * @param payload what the publisher passed along; {@code null} if nothing
 * @since 0.1
 */
public record LoggedEvent<P>(
    Cursor position, Set<String> topics, Instant appendedAt, SseEvent event, P payload) {
  /** Checks the fields and copies the topics. */
  public LoggedEvent {
    Objects.requireNonNull(position, "position");
    topics = Set.copyOf(topics);
    Objects.requireNonNull(appendedAt, "appendedAt");
    if (Objects.requireNonNull(event, "event").id() == null) {
      throw new IllegalArgumentException("a logged event needs an id");
    }
  }
}
