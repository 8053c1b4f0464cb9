package dev.herald.hub.auth;

import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What one subscriber may read, as its {@link AccessPolicy} decided when it subscribed: the hub
 * asks {@link #mayRead} about every update the subscriber's matchers select, live and replayed
 * alike, so a rule here holds on both paths. {@link Grants}, a verified token's rights, is the
 * token policy's.
 *
 * <p>{@link #mayRead} runs on an event loop for every candidate update: it must be fast, must not
 * block, and should not throw. Implementations must be thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ReadAccess {
  /** Whether the subscriber may receive {@code update}, which one of its matchers selected. */
  boolean mayRead(Update update);

  /**
   * When the subscriber's right to read ends, such as its token's expiry: the hub closes the
   * subscription then. Default {@code null}: never.
   */
  default Instant expiresAt() {
    return null;
  }

  /**
   * The payload the subscription API and subscription events show for the subscriber's {@code
   * subscription} (Mercure, "Active Subscriptions"). Default: none.
   */
  default Optional<Map<String, Object>> payloadFor(TopicMatcher subscription) {
    return Optional.empty();
  }

  /**
   * This access narrowed by {@code rule}: an update is readable only if this access and the rule
   * both allow it. The expiry and the payloads stay this access's.
   */
  default ReadAccess and(Predicate<Update> rule) {
    Objects.requireNonNull(rule, "rule");
    ReadAccess granted = this;
    return new ReadAccess() {
      @Override
      public boolean mayRead(Update update) {
        return granted.mayRead(update) && rule.test(update);
      }

      @Override
      public Instant expiresAt() {
        return granted.expiresAt();
      }

      @Override
      public Optional<Map<String, Object>> payloadFor(TopicMatcher subscription) {
        return granted.payloadFor(subscription);
      }
    };
  }
}
