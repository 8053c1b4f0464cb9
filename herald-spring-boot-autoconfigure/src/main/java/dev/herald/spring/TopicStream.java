package dev.herald.spring;

import dev.herald.server.Broadcaster;
import dev.herald.server.Interest;
import dev.herald.server.SseStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a Spring MVC or WebFlux controller returns to answer with a Herald event stream on the
 * application's own port: the events a {@link Broadcaster} publishes to some topics, with Herald's
 * semantics — a client that comes back with {@code Last-Event-ID} first gets what it missed from
 * the history, heartbeats keep the connection alive and find dead ones, a client that reads too
 * slowly for its byte budget is disconnected (it resumes from its last event ID), and a closed
 * connection leaves its subscription at once, without an error in the log.
 *
 * <pre>{@code
 * @GetMapping("/news")
 * TopicStream news() {
 *   return TopicStream.of(broadcaster, "sports", "tech");
 * }
 * }</pre>
 *
 * <p>The heartbeat and the budget default to the {@code herald.stream.*} properties; {@link
 * #heartbeat} and {@link #maxPendingBytes} override them for one stream. Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class TopicStream {
  /** How a stream is subscribed once the transport has made it. */
  @FunctionalInterface
  interface Subscribe {
    void subscribe(SseStream stream, String lastEventId);
  }

  private final Subscribe subscribe;
  private final String description;
  private final Duration heartbeat;
  private final int maxPendingBytes;

  private TopicStream(
      Subscribe subscribe, String description, Duration heartbeat, int maxPendingBytes) {
    this.subscribe = subscribe;
    this.description = description;
    this.heartbeat = heartbeat;
    this.maxPendingBytes = maxPendingBytes;
  }

  /** The events {@code broadcaster} publishes to any of {@code topics}. */
  public static TopicStream of(Broadcaster<?> broadcaster, String... topics) {
    Set<String> set = Set.of(topics);
    if (set.isEmpty()) {
      throw new IllegalArgumentException("topics: none");
    }
    Objects.requireNonNull(broadcaster, "broadcaster");
    return new TopicStream(
        (stream, lastEventId) -> broadcaster.subscribe(stream, set, lastEventId),
        "topics " + List.of(topics),
        null,
        0);
  }

  /** The events of {@code broadcaster} that {@code interest} selects. */
  public static <P> TopicStream of(Broadcaster<P> broadcaster, Interest<? super P> interest) {
    Objects.requireNonNull(broadcaster, "broadcaster");
    Objects.requireNonNull(interest, "interest");
    return new TopicStream(
        (stream, lastEventId) -> broadcaster.subscribe(stream, interest, lastEventId),
        "interest " + interest,
        null,
        0);
  }

  /**
   * This stream with a comment sent every {@code interval} while no event is; {@link Duration#ZERO}
   * sends none.
   *
   * @throws IllegalArgumentException if negative
   */
  public TopicStream heartbeat(Duration interval) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("heartbeat: negative: " + interval);
    }
    return new TopicStream(subscribe, description, interval, maxPendingBytes);
  }

  /**
   * This stream with a budget of {@code bytes} written but not yet sent: a client that falls
   * further behind is disconnected.
   *
   * @throws IllegalArgumentException if below 1 KiB
   */
  public TopicStream maxPendingBytes(int bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("maxPendingBytes: below 1024: " + bytes);
    }
    return new TopicStream(subscribe, description, heartbeat, bytes);
  }

  /** The heartbeat interval, or {@code null} for the default. */
  public Duration heartbeat() {
    return heartbeat;
  }

  /** The byte budget, or 0 for the default. */
  public int maxPendingBytes() {
    return maxPendingBytes;
  }

  /** Subscribes {@code stream}, a transport's, resuming after {@code lastEventId} if not null. */
  public void subscribe(SseStream stream, String lastEventId) {
    subscribe.subscribe(stream, lastEventId);
  }

  @Override
  public String toString() {
    return "TopicStream[" + description + "]";
  }
}
