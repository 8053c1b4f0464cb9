package dev.herald.hub.mercure;

import java.util.List;
import java.util.Objects;

/**
 * A Mercure update: what a publisher sends and subscribers receive.
 *
 * @param topics the topics, at least one: the first is the canonical topic, the others alternates
 * @param data the content, or {@code null}
 * @param isPrivate whether only subscribers authorized for one of its topics may receive it
 * @param id the SSE {@code id}; {@code null} until the hub assigns one (or the publisher's own)
 * @param type the SSE {@code event} type, or {@code null} for {@code message}
 * @param retryMillis the SSE {@code retry} field, or {@code null}
 * @since 0.1
 */
public record Update(
    List<String> topics, String data, boolean isPrivate, String id, String type, Long retryMillis) {
  /** Checks the fields and copies the topics. */
  public Update {
    topics = List.copyOf(topics);
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("an update needs at least one topic");
    }
    if (retryMillis != null && retryMillis < 0) {
      throw new IllegalArgumentException("retry must not be negative: " + retryMillis);
    }
  }

  /** A public update of {@code data} to one topic. */
  public static Update of(String topic, String data) {
    return new Update(List.of(topic), data, false, null, null, null);
  }

  /** This update with {@code id}. */
  public Update withId(String id) {
    return new Update(topics, data, isPrivate, Objects.requireNonNull(id, "id"), type, retryMillis);
  }
}
