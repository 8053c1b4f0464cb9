package dev.herald.server;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The delivery of a {@link Broadcaster}'s events to the streams of one Netty event loop: the fast
 * path. Publishes and subscriptions enter its {@link LoopInbox} in the order the broadcaster's lock
 * gave them, and the loop applies them in that order, which is what makes a catch-up gap-free and
 * duplicate-free. Publishes between two other messages travel as one {@link Run}; a {@link
 * LoopWriter} writes and flushes each stream once per pass; subscriptions are found in a {@link
 * TopicIndex}; catch-ups take their steps in {@link LoopCatchUp}.
 *
 * <p>On the loop, but for {@link #enqueue}, {@link #unsubscribe} and the counters.
 *
 * @param <P> the type of the events' payload
 */
final class LoopFanout<P> {
  private final EventExecutor loop;
  private final TopicIndex<P> index = new TopicIndex<>();
  private final LoopWriter<P> writer = new LoopWriter<>();
  private final Run<P> run;
  private final LoopCatchUp<P> catchUp;
  private final LoopInbox<P> inbox;
  private final List<LoopSubscription<P>> ahead =
      new ArrayList<>(); // wait for lastSeen to reach them
  private long[] arrivals = new long[Run.MAX]; // of the pass's publishes, for the dispatch latency
  private int arrived;
  private volatile int count;

  /** The fan-out of {@code loop}, created when the last event published had {@code lastSeen}. */
  LoopFanout(EventExecutor loop, long windowNanos, HistoryPages<P> pages, Cursor lastSeen) {
    this.loop = loop;
    this.run = new Run<>(index, writer, lastSeen);
    this.catchUp = new LoopCatchUp<>(this, pages, writer);
    this.inbox = new LoopInbox<>(loop, windowNanos, this);
  }

  /** Whether its loop is stopping: its server stopped, and its streams are gone. */
  boolean isStopped() {
    return loop.isShuttingDown();
  }

  /** The number of streams subscribed; from any thread. */
  int count() {
    return count;
  }

  /** From any thread: {@code message} joins the inbox. */
  void enqueue(LoopMessage<P> message) {
    inbox.add(message);
  }

  /** The position of the last publish delivered. */
  Cursor lastSeen() {
    return run.lastSeen();
  }

  /** A publish: joins the run, delivered once the run is full or another message comes. */
  void take(Published<P> p) {
    if (arrived == arrivals.length) {
      arrivals = Arrays.copyOf(arrivals, arrived * 2);
    }
    arrivals[arrived++] = p.arrived();
    if (run.add(p)) {
      deliverRun(); // so that the pass's time limit sees the work
    }
  }

  /** A subscription: after the publishes before it, before its replay and live events. */
  void subscribeAfterRun(LoopSubscription<P> s) {
    try {
      deliverRun();
    } finally {
      subscribe(s); // even if a subscriber's filter threw
    }
  }

  /** A catch-up step: after the publishes before it. */
  void catchUpAfterRun(CatchUpStep<P> c) {
    try {
      deliverRun();
    } finally {
      catchUp.take(c);
    }
  }

  /** The end of a pass: what is left of the run, then the flushes. */
  void endPass() {
    try {
      deliverRun();
    } finally {
      writer.endPass(arrivals, arrived);
      arrived = 0;
    }
  }

  /** Delivers the run, then steps the catch-ups it has brought the loop up to. */
  private void deliverRun() {
    try {
      run.deliver();
    } finally {
      if (!ahead.isEmpty()) {
        stepReached();
      }
    }
  }

  /**
   * A catch-up whose cursor is past {@link #lastSeen}: it takes its next step once the loop has
   * delivered up to its cursor.
   */
  void waitForLoop(LoopSubscription<P> s) {
    ahead.add(s);
  }

  private void stepReached() {
    Cursor seen = run.lastSeen();
    for (int i = ahead.size() - 1; i >= 0; i--) {
      LoopSubscription<P> s = ahead.get(i);
      if (!s.stream.isOpen()) {
        ahead.remove(i);
      } else if (!s.ahead(seen)) {
        ahead.remove(i);
        catchUp.step(s);
      }
    }
  }

  /** {@code s} has caught up and takes live events from now on. */
  void live(LoopSubscription<P> s) {
    index.live(s);
  }

  private void subscribe(LoopSubscription<P> s) {
    if (!s.stream.isOpen()) {
      return;
    }
    index.add(s);
    count++;
    s.fanout = this;
    s.stream.onClose(s);
    if (s.catchingUp) {
      catchUp.step(s);
    }
  }

  /** Takes {@code s}, whose stream has ended, off the index; from any thread. */
  void unsubscribe(LoopSubscription<P> s) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> unsubscribe(s));
      return;
    }
    index.remove(s);
    ahead.remove(s);
    count--;
  }
}
