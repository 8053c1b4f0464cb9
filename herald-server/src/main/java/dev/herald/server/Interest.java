package dev.herald.server;

import java.util.Set;

/**
 * What a {@link Broadcaster} subscription receives: the events of some topics, looked up by topic,
 * or every event, each of which {@link #wants} may still refuse — for pattern subscriptions, or for
 * events only some subscribers may read. The same decision applies to replayed and live events.
 *
 * <p>{@link #wants} runs on an event loop for every candidate event: it must be fast, must not
 * block, and should not throw: an exception loses the events being delivered together with that one
 * for the subscriptions that filter (the broadcaster itself carries on).
 *
 * <p>{@code P} is the type of the events' payload ({@link LoggedEvent#payload}) that {@link #wants}
 * reads; an interest that reads none works for any broadcaster:
 *
 * <pre>{@code
 * Interest<Object> questions = new Interest<>() {
 *   public Set<String> topics() { return Set.of("questions"); }
 *   public boolean filters() { return true; }
 *   public boolean wants(LoggedEvent<?> event) { return event.event().data().endsWith("?"); }
 * };
 * }</pre>
 *
 * @param <P> the type of the payload it reads
 * @since 0.1
 */
public interface Interest<P> {
  /** Exact topics: events published to any of them are candidates. */
  Set<String> topics();

  /** Whether every event is a candidate, not only those of {@link #topics()}. */
  default boolean everyTopic() {
    return false;
  }

  /** Whether {@link #wants} must be asked for each candidate; if not, every candidate is sent. */
  default boolean filters() {
    return everyTopic();
  }

  /**
   * Whether {@link #wants} need only be asked about events published as restricted (see {@link
   * Broadcaster#publish(Set, dev.herald.core.SseEvent, Object, boolean)}): every other candidate is
   * sent without asking, live. Replayed events are all asked about. Lets a broadcaster write a
   * topic's unrestricted events to all such subscriptions as one shared buffer. Default false.
   */
  default boolean asksRestrictedOnly() {
    return false;
  }

  /** Whether to send {@code event}, a candidate. */
  default boolean wants(LoggedEvent<? extends P> event) {
    return true;
  }

  /** The events of {@code topics}. */
  static <P> Interest<P> of(Set<String> topics) {
    return new TopicInterest<>(Set.copyOf(topics));
  }
}
