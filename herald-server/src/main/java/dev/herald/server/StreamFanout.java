package dev.herald.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery of a {@link Broadcaster}'s events to streams that are not a {@link HeraldServer}'s
 * (a servlet container's, say), through nothing but {@link SseStream}: each event is {@linkplain
 * SseStream#send sent} to each subscription that takes it, and a catch-up is sent page by page, the
 * next page once the stream says the last one has been written ({@link SseStream#whenWritten}).
 *
 * <p>The same rules as on an event loop ({@link Subscription}): publishes and subscriptions enter
 * one inbox in the order the broadcaster's lock gave them and are applied in that order, on the
 * delivery executor, one task at a time; so a stream is called by one thread at a time, never
 * concurrently. A pass lasts at most {@link #PASS_NANOS}, then gives the executor back.
 *
 * @param <P> the type of the events' payload
 */
final class StreamFanout<P> {
  private static final Logger LOG = LoggerFactory.getLogger(Broadcaster.class);
  private static final long PASS_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final Executor executor;
  private final HistoryPages<P> pages;
  private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Map<String, Set<StreamSubscription<P>>> byTopic = new HashMap<>();
  private final Set<StreamSubscription<P>> everyTopic = new LinkedHashSet<>();
  private final Set<StreamSubscription<P>> ahead = new LinkedHashSet<>(); // wait for lastSeen
  private Cursor lastSeen; // the position of the last publish delivered; on the executor
  // Every subscription until its stream closes, listed or still in the inbox: what stop() ends.
  private final Set<StreamSubscription<P>> subscribed = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped; // the executor refused a pass
  private volatile int count;

  /**
   * The fan-out on {@code executor}, created when the last event published had {@code lastSeen}.
   */
  StreamFanout(Executor executor, HistoryPages<P> pages, Cursor lastSeen) {
    this.executor = executor;
    this.pages = pages;
    this.lastSeen = lastSeen;
  }

  /** The number of streams subscribed; from any thread. */
  int count() {
    return count;
  }

  /** From any thread, under the broadcaster's lock: {@code event} follows what came before. */
  void publish(LoggedEvent<P> event, boolean restricted) {
    enqueue(() -> deliver(event, restricted));
  }

  /** From any thread, under the broadcaster's lock: {@code s} starts after what came before. */
  void subscribe(StreamSubscription<P> s) {
    subscribed.add(s);
    s.stream.onClose(() -> subscribed.remove(s));
    if (stopped) {
      s.stream.close();
      return;
    }
    enqueue(() -> list(s));
  }

  /** From any thread: {@code message} follows what came before. */
  private void enqueue(Runnable message) {
    if (stopped) {
      return;
    }
    inbox.add(message);
    if (scheduled.compareAndSet(false, true)) {
      schedule();
    }
  }

  private void schedule() {
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException refused) {
      stop();
    }
  }

  /**
   * The executor refused a pass: what waits in the inbox can no longer be delivered in order, so
   * every stream ends (its client resumes from its last event ID, and is told of any gap) rather
   * than miss events silently; streams subscribed later are closed at once.
   */
  private void stop() {
    stopped = true;
    LOG.warn("the broadcaster's delivery executor refused work: its streams are closed");
    inbox.clear();
    for (StreamSubscription<P> s : subscribed) {
      s.stream.close();
    }
  }

  /** One pass; {@code scheduled} stays set while a pass is running or waiting. */
  private void drain() {
    long deadline = System.nanoTime() + PASS_NANOS;
    for (; ; ) {
      Runnable m = inbox.poll();
      if (m == null) {
        scheduled.set(false);
        // A message added since the poll found the flag set and scheduled no pass: take it on.
        if (inbox.isEmpty() || !scheduled.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      boolean ran = false;
      try {
        m.run();
        ran = true;
      } catch (RuntimeException e) {
        ran = true;
        LOG.warn("delivering to a stream failed", e);
      } finally {
        if (!ran) {
          schedule(); // an Error: the rest in a pass of its own, so that no stream stalls for ever
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        schedule(); // the rest in a pass of its own
        return;
      }
    }
  }

  private void deliver(LoggedEvent<P> e, boolean restricted) {
    lastSeen = e.position();
    // A subscription listed in several of the event's topics takes it once.
    Set<StreamSubscription<P>> sent =
        e.topics().size() > 1 ? Collections.newSetFromMap(new IdentityHashMap<>()) : null;
    for (String topic : e.topics()) {
      Set<StreamSubscription<P>> subscribers = byTopic.get(topic);
      if (subscribers != null) {
        for (StreamSubscription<P> s : subscribers) {
          if (sent == null || sent.add(s)) {
            deliver(s, e, restricted);
          }
        }
      }
    }
    for (StreamSubscription<P> s : everyTopic) {
      deliver(s, e, restricted);
    }
    if (!ahead.isEmpty()) {
      stepReached();
    }
  }

  /** Steps the catch-ups waiting for the delivery to reach their cursor, once it has. */
  private void stepReached() {
    List<StreamSubscription<P>> reached = new ArrayList<>();
    for (StreamSubscription<P> s : ahead) {
      if (!s.ahead(lastSeen)) {
        reached.add(s);
      }
    }
    for (StreamSubscription<P> s : reached) {
      ahead.remove(s);
      step(s);
    }
  }

  private void deliver(StreamSubscription<P> s, LoggedEvent<P> e, boolean restricted) {
    try {
      if (!s.catchingUp && s.acceptsLive(e, restricted)) {
        s.stream.send(e.event()); // false: the stream handles its slow consumer
      }
    } catch (
        RuntimeException failure) { // a filter's or a stream's bug costs that stream this event
      LOG.warn("delivering event {} to {} failed", e.event().id(), s.stream, failure);
    }
  }

  private void list(StreamSubscription<P> s) {
    if (!s.stream.isOpen()) {
      return;
    }
    if (s.interest.everyTopic()) {
      everyTopic.add(s);
    } else {
      for (String topic : s.interest.topics()) {
        byTopic.computeIfAbsent(topic, t -> new LinkedHashSet<>()).add(s);
      }
    }
    s.listed = true;
    count++;
    s.stream.onClose(() -> enqueue(() -> unlist(s)));
    if (s.catchingUp) {
      step(s);
    }
  }

  private void unlist(StreamSubscription<P> s) {
    if (!s.listed) {
      return;
    }
    s.listed = false;
    ahead.remove(s);
    if (s.interest.everyTopic()) {
      everyTopic.remove(s);
    } else {
      for (String topic : s.interest.topics()) {
        Set<StreamSubscription<P>> subscribers = byTopic.get(topic);
        if (subscribers.remove(s) && subscribers.isEmpty()) {
          byTopic.remove(topic);
        }
      }
    }
    count--;
  }

  /** The next step of a catch-up: live if it has caught up, else a read of the next page. */
  private void step(StreamSubscription<P> s) {
    if (!s.listed || !s.stream.isOpen()) {
      return;
    }
    if (s.ahead(lastSeen)) {
      ahead.add(s); // stepped again once the delivery has handed out its cursor's event
      return;
    }
    if (s.caughtUp(lastSeen)) {
      s.catchingUp = false;
      return;
    }
    pages
        .after(s.cursor)
        .whenComplete((page, failure) -> enqueue(() -> takePage(s, page, failure)));
  }

  /**
   * Sends the events of a page read that {@code s} takes, and asks for the next page once they have
   * been written. A failure ends the stream: its client resumes from its last event ID.
   */
  private void takePage(StreamSubscription<P> s, HistoryPages.Page<P> page, Throwable failure) {
    if (!s.listed || !s.stream.isOpen()) {
      return;
    }
    try {
      if (failure != null) {
        LOG.warn("reading history for {} failed", s.stream, failure);
        s.stream.close();
        return;
      }
      if (page.gap()) {
        s.stream.close(); // the client resumes from its last event ID, and is told of the gap
        return;
      }
      int[] wanted = s.take(page, lastSeen);
      for (int i : wanted) {
        s.stream.send(page.events().get(i).event()); // false: the stream handles its slow consumer
      }
      if (wanted.length == 0) {
        step(s);
      } else {
        s.stream.whenWritten(() -> enqueue(() -> step(s)));
      }
    } catch (RuntimeException e) {
      LOG.warn("a catch-up of {} failed", s.stream, e);
      s.stream.close();
    }
  }
}
