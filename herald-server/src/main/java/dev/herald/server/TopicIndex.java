package dev.herald.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subscriptions of one event loop, by topic: a {@link Topic} per topic subscribed to, and those
 * that take every topic apart. On the loop.
 *
 * @param <P> the type of the events' payload
 */
final class TopicIndex<P> {
  private final Map<String, Topic<P>> byTopic = new HashMap<>();
  private final Set<LoopSubscription<P>> everyTopic = new LinkedHashSet<>();

  /** The subscribers of {@code name}, or {@code null} if none. */
  Topic<P> topic(String name) {
    return byTopic.get(name);
  }

  /** The subscriptions that take every topic. */
  Set<LoopSubscription<P>> everyTopic() {
    return everyTopic;
  }

  /**
   * Lists {@code s} under its topics. A plain single-topic interest is swapped for the one its
   * topic shares, so that the subscriber's own copy can go; a live subscription that takes the
   * whole of its one topic is plain.
   */
  void add(LoopSubscription<P> s) {
    if (s.interest.everyTopic()) {
      everyTopic.add(s);
    } else if (s.interest.topics().size() == 1) {
      Topic<P> topic = listed(s.interest.topics().iterator().next());
      if (s.interest instanceof TopicInterest<?>) {
        s.interest = topic.shared;
      }
      s.topic = topic;
      s.plain = !s.catchingUp && s.takesWholeTopic();
      topic.add(s);
    } else {
      List<Topic<P>> topics = new ArrayList<>(s.interest.topics().size());
      for (String name : s.interest.topics()) {
        topics.add(listed(name));
      }
      s.several = new LoopSubscription.Listings<>(topics);
      for (Topic<P> topic : topics) {
        topic.add(s);
      }
    }
  }

  /** {@code s} has caught up: from now on it takes live events, in topic batches if it can. */
  void live(LoopSubscription<P> s) {
    s.catchingUp = false;
    if (s.topic != null && s.takesWholeTopic()) {
      s.plain = true;
      s.topic.complex--;
    }
  }

  /** Takes {@code s} off its topics. */
  void remove(LoopSubscription<P> s) {
    if (s.topic != null) {
      unlist(s, s.topic);
    } else if (s.several != null) {
      for (Topic<P> topic : s.several.topics) {
        unlist(s, topic);
      }
    } else {
      everyTopic.remove(s);
    }
  }

  private Topic<P> listed(String name) {
    return byTopic.computeIfAbsent(name, Topic::new);
  }

  private void unlist(LoopSubscription<P> s, Topic<P> topic) {
    if (topic.remove(s)) {
      byTopic.remove(topic.name);
    }
  }
}
