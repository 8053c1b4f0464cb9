package dev.herald.hub;

import dev.herald.hub.auth.ReadAccess;
import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.server.Interest;
import dev.herald.server.LoggedEvent;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One subscriber connection's interest: the updates one of its matchers selects (by canonical or
 * alternate topic) that its {@link ReadAccess} — what the hub's access policy granted it — lets it
 * read (with tokens: every public one, and private ones only if its token grants {@code subscribe}
 * on one of their topics). Decided the same way for live and replayed updates.
 */
final class Subscriber implements Interest<StoredUpdate> {
  private final String id;
  private final List<TopicMatcher> matchers;
  private final Set<String> exact = new HashSet<>();
  private final List<TopicMatcher> patterns;
  private final boolean everyTopic;
  private final ReadAccess access;
  private final Instant since = Instant.now();

  Subscriber(String id, List<TopicMatcher> matchers, ReadAccess access) {
    this.id = id;
    this.matchers = List.copyOf(matchers);
    this.access = access;
    boolean wildcard = false;
    for (TopicMatcher m : matchers) {
      if (m.isExact()) {
        exact.add(m.value());
      }
      wildcard |= m.isWildcard();
    }
    this.patterns = matchers.stream().filter(m -> !m.isExact()).toList();
    this.everyTopic = wildcard || !patterns.isEmpty();
  }

  String id() {
    return id;
  }

  List<TopicMatcher> matchers() {
    return matchers;
  }

  ReadAccess access() {
    return access;
  }

  /** When the subscriber connected. */
  Instant since() {
    return since;
  }

  /**
   * Whether this subscriber receives {@code update}: one of its matchers selects it and its access
   * lets it read it (what {@link #wants} decides once the broadcaster has matched exact topics).
   */
  boolean receives(Update update) {
    return selects(update) && access.mayRead(update);
  }

  @Override
  public Set<String> topics() {
    return exact;
  }

  @Override
  public boolean everyTopic() {
    return everyTopic;
  }

  @Override
  public boolean filters() {
    return true;
  }

  /**
   * Exact topics only: an update of one of them that the policy does not restrict ({@link
   * dev.herald.hub.auth.AccessPolicy#restricts}, with tokens a public one) is always wanted; only
   * restricted ones ask.
   */
  @Override
  public boolean asksRestrictedOnly() {
    return !everyTopic;
  }

  @Override
  public boolean wants(LoggedEvent<? extends StoredUpdate> event) {
    Update update = event.payload().update();
    if (everyTopic && !selects(update)) {
      return false;
    }
    return access.mayRead(update);
  }

  private boolean selects(Update update) {
    for (String topic : update.topics()) {
      if (exact.contains(topic)) {
        return true;
      }
      for (TopicMatcher m : patterns) {
        if (m.matches(topic)) {
          return true;
        }
      }
    }
    return false;
  }
}
