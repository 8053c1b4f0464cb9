package dev.herald.hub.auth;

import dev.herald.hub.TopicMatcher;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** STUB until the hub-auth branch lands. */
public final class Grants {
  Grants() {}

  /** Stub. */
  public boolean mayPublish(String topic) {
    return false;
  }

  /** Stub. */
  public boolean maySubscribe(String topic) {
    return false;
  }

  /** Stub. */
  public boolean maySubscribeAny(Collection<String> topics) {
    return false;
  }

  /** Stub. */
  public Optional<Map<String, Object>> payloadFor(TopicMatcher m) {
    return Optional.empty();
  }

  /** Stub. */
  public Instant expiresAt() {
    return null;
  }

  /** Stub. */
  public String subject() {
    return null;
  }
}
