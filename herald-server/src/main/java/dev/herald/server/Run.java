package dev.herald.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The publishes an event loop delivers together (those between two other messages of its inbox, at
 * most {@link #MAX}), and who takes which of them.
 *
 * <p>Plain subscribers (one topic, no filter) get, per topic, the run's events of that topic as one
 * buffer copied once per loop: one write and one reference count per subscriber however many events
 * the run holds, and no reference count shared with the other loops. The others get the events they
 * accept as one buffer too, shared by those that accept the same ones (a bit mask per run).
 *
 * <p>On the loop.
 *
 * @param <P> the type of the events' payload
 */
final class Run<P> {
  /** The most publishes delivered together: a bit each. */
  static final int MAX = Long.SIZE;

  private final TopicIndex<P> index;
  private final LoopWriter<P> writer;
  private final List<Published<P>> run = new ArrayList<>(MAX);
  private final List<Topic<P>> touched = new ArrayList<>(); // topics with a batch
  private final List<LoopSubscription<P>> masked = new ArrayList<>(); // with a runMask
  private Cursor lastSeen; // the position of the last publish delivered

  /** The runs of a loop created when the last event published had {@code lastSeen}. */
  Run(TopicIndex<P> index, LoopWriter<P> writer, Cursor lastSeen) {
    this.index = index;
    this.writer = writer;
    this.lastSeen = lastSeen;
  }

  /**
   * The position of the last publish delivered (or, before any, the last one published when the
   * loop's fan-out began): a catch-up's cursor never passes it.
   */
  Cursor lastSeen() {
    return lastSeen;
  }

  /** Adds {@code p}; returns whether the run is full. */
  boolean add(Published<P> p) {
    run.add(p);
    return run.size() == MAX;
  }

  /** Delivers the run's publishes, in order, then releases them. */
  void deliver() {
    if (run.isEmpty()) {
      return;
    }
    try {
      long restricted = 0;
      for (int j = 0; j < run.size(); j++) {
        Published<P> p = run.get(j);
        if (p.restricted()) {
          restricted |= 1L << j;
        }
        for (String name : p.event().topics()) {
          Topic<P> topic = index.topic(name);
          if (topic != null && topic.size > topic.complex) {
            if (topic.batch == 0) {
              touched.add(topic);
            }
            topic.batch |= 1L << j;
          }
        }
      }
      for (Topic<P> topic : touched) {
        writeBatch(topic, (topic.batch & restricted) != 0);
      }
      for (int j = 0; j < run.size(); j++) {
        markTakers(run.get(j), 1L << j);
      }
      for (LoopSubscription<P> s : masked) {
        writer.writeEvents(s.stream, s.runMask, run);
      }
    } finally {
      for (Topic<P> topic : touched) {
        topic.batch = 0;
      }
      touched.clear();
      for (LoopSubscription<P> s : masked) {
        s.runMask = 0;
      }
      masked.clear();
      writer.endRun();
      for (Published<P> p : run) {
        p.chunk().release();
      }
      lastSeen = run.get(run.size() - 1).event().position();
      run.clear();
    }
  }

  /**
   * Writes a topic's events of the run to its plain subscribers; those that filter, when the batch
   * holds a {@code restricted} event, are marked for what they take instead.
   */
  private void writeBatch(Topic<P> topic, boolean restricted) {
    LoopWriter<P> writer = this.writer;
    List<Published<P>> run = this.run;
    for (int i = 0; i < topic.size; i++) {
      LoopSubscription<P> s = topic.subscribers[i];
      if (!s.plain) {
        continue;
      }
      if (restricted && s.interest.filters()) {
        for (int j = 0; j < run.size(); j++) {
          Published<P> p = run.get(j);
          if ((topic.batch & (1L << j)) != 0 && s.acceptsLive(p.event(), p.restricted())) {
            mark(s, 1L << j); // written with the subscribers that are not plain
          }
        }
      } else {
        writer.writeEvents(s.stream, topic.batch, run);
      }
    }
  }

  /**
   * Marks, with {@code bit}, the subscribers that are not plain (filtered, several topics, every
   * topic) and take {@code p}; each is asked once, even if listed in several of its topics.
   */
  private void markTakers(Published<P> p, long bit) {
    LoggedEvent<P> e = p.event();
    boolean restricted = p.restricted();
    for (String name : e.topics()) {
      Topic<P> topic = index.topic(name);
      for (int i = 0; topic != null && topic.complex > 0 && i < topic.size; i++) {
        LoopSubscription<P> s = topic.subscribers[i];
        if (!s.plain && !s.catchingUp && (s.runMask & bit) == 0 && s.acceptsLive(e, restricted)) {
          mark(s, bit);
        }
      }
    }
    for (LoopSubscription<P> s : index.everyTopic()) {
      if (!s.catchingUp && s.acceptsLive(e, restricted)) {
        mark(s, bit);
      }
    }
  }

  private void mark(LoopSubscription<P> s, long bit) {
    if (s.runMask == 0) {
      masked.add(s);
    }
    s.runMask |= bit;
  }
}
