package dev.herald.hub.auth;

import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The rights a verified access token carries: on which topics its bearer may publish, which private
 * updates it may receive, and the payload attached to its subscriptions. As a {@link ReadAccess},
 * what {@link TokenPolicy} grants a subscriber.
 *
 * <p>Matchers are compiled once, when the token is verified: exact topics are looked up in a hash
 * set and a wildcard answers at once, so the checks are cheap to repeat for every update.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Grants implements ReadAccess {
  private static final Grants NONE = new Grants(null, null, null, List.of(), false);

  private final String issuer;
  private final String subject;
  private final Instant expiresAt;
  private final TopicSet publish;
  private final TopicSet subscribe;
  private final List<Detail> subscribeDetails;
  private final boolean legacy;

  Grants(String issuer, String subject, Instant expiresAt, List<Detail> details, boolean legacy) {
    this.legacy = legacy;
    this.issuer = issuer;
    this.subject = subject;
    this.expiresAt = expiresAt;
    List<Selector> publishSelectors = new ArrayList<>();
    List<Selector> subscribeSelectors = new ArrayList<>();
    List<Detail> subscribing = new ArrayList<>();
    for (Detail detail : details) {
      if (detail.publish()) {
        publishSelectors.addAll(detail.selectors());
      }
      if (detail.subscribe()) {
        subscribeSelectors.addAll(detail.selectors());
        subscribing.add(detail);
      }
    }
    this.publish = new TopicSet(publishSelectors);
    this.subscribe = new TopicSet(subscribeSelectors);
    this.subscribeDetails = List.copyOf(subscribing);
  }

  /** The rights of a client that presented no token: none. */
  public static Grants none() {
    return NONE;
  }

  /**
   * Whether the bearer may receive {@code update}: every public update, and a private one if it may
   * receive private updates of one of its topics (Mercure, "Authorization").
   */
  @Override
  public boolean mayRead(Update update) {
    return !update.isPrivate() || maySubscribeAny(update.topics());
  }

  /** Whether the bearer may publish an update to {@code topic}. */
  public boolean mayPublish(String topic) {
    return publish.contains(Objects.requireNonNull(topic, "topic"));
  }

  /** Whether the bearer may receive private updates of {@code topic}. */
  public boolean maySubscribe(String topic) {
    return subscribe.contains(Objects.requireNonNull(topic, "topic"));
  }

  /**
   * Whether the bearer may receive private updates of at least one of {@code topics}, as for an
   * update that belongs to several topics.
   */
  public boolean maySubscribeAny(Collection<String> topics) {
    for (String topic : topics) {
      if (maySubscribe(topic)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The payload attached to {@code subscription}: that of the first subscribe authorization detail
   * one of whose topic matchers matches the subscription's matcher string taken as a topic ({@code
   * *} matches every one). Empty if no detail matches or the first that matches has no payload.
   *
   * <p>The map is unmodifiable; its values are JSON values as strings, numbers, booleans, {@code
   * null}, unmodifiable lists and unmodifiable maps.
   */
  @Override
  public Optional<Map<String, Object>> payloadFor(TopicMatcher subscription) {
    String value = subscription.value();
    for (Detail detail : subscribeDetails) {
      for (Selector selector : detail.selectors()) {
        if (selector.matches(value)) {
          return Optional.ofNullable(detail.payload());
        }
      }
    }
    return Optional.empty();
  }

  /** When the token expires, or {@code null} if a legacy token has no exp. */
  @Override
  public Instant expiresAt() {
    return expiresAt;
  }

  /**
   * Whether these are the rights of a pre-1.0 token (typed {@code JWT} or untyped, with the {@code
   * mercure} claim) rather than an RFC 9068 access token; see {@link TokenVerifier}.
   *
   * @since 0.2
   */
  public boolean isLegacy() {
    return legacy;
  }

  /** The token's issuer, or {@code null} if a legacy token has none. */
  public String issuer() {
    return issuer;
  }

  /** The token's {@code sub} claim, or {@code null} if it has none. */
  public String subject() {
    return subject;
  }

  @Override
  public String toString() {
    return "Grants{issuer=" + issuer + ", subject=" + subject + ", expiresAt=" + expiresAt + "}";
  }

  /** One Mercure authorization detail: its actions, topics and payload. */
  record Detail(
      boolean publish, boolean subscribe, List<Selector> selectors, Map<String, Object> payload) {}
}
