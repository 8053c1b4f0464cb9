package dev.herald.server;

import dev.herald.core.SseEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Topic broadcast with history: publish an event to a topic and every stream subscribed to it
 * receives it; a stream that subscribes with a last event ID first receives every later event the
 * history holds, then live ones, with no gap and no duplicate even while publishes race the
 * subscribe.
 *
 * <pre>{@code
 * Broadcaster<Void> news = Broadcaster.create(RingEventLog.builder().maxEvents(1000).build());
 * HeraldServer.builder()
 *     .sse("/news", (request, stream) ->
 *         news.subscribe(stream, Set.of("sports", "tech"), stream.lastEventId()))
 *     ...
 * news.publish("sports", SseEvent.of("goal"));
 * }</pre>
 *
 * <p>An event is encoded once; every subscriber's connection gets a duplicate of the same bytes.
 * Events for the streams of one event loop travel as one hand-off to that loop, which writes them
 * and flushes each stream once per pass; passes are at least a {@linkplain Builder#coalesce
 * coalescing window} apart, so that under load the events of a window leave in one write per
 * connection. An event published without an ID gets its position in the history as ID.
 *
 * <p>A stream that subscribes with a last event ID catches up page by page ({@link EventLog#read}):
 * the next page is read only while its connection is writable (below the high water mark of its
 * budget), so a backlog of any size reaches a reader that keeps reading, paced by its socket, while
 * the server holds at most its budget and a page for it; live events wait in the history meanwhile,
 * and follow the backlog without gap or duplicate. A catch-up that makes no progress for a
 * heartbeat interval is ended as a slow consumer (see {@link SlowConsumerPolicy}). If the history
 * loses events the catch-up still needed (a bound evicted them), the stream is closed, so that the
 * client resumes from its last event ID and is told.
 *
 * <p>A publisher may pass a payload of type {@code P} along with an event, which the log keeps with
 * it and the subscriptions' {@link Interest#wants} read (for example who may read the event). A
 * broadcaster of plain events is a {@code Broadcaster<Void>}, as above.
 *
 * <p>Thread-safe. Works with the streams of a {@link HeraldServer}.
 *
 * @param <P> the type of the events' payload; {@link Void} if none
 * @since 0.1
 */
public final class Broadcaster<P> {
  private final EventLog<P> log;
  private final Object lock = new Object();
  private final Map<EventExecutor, LoopFanout<P>> loops = new ConcurrentHashMap<>();
  private final long windowNanos;
  private final HistoryPages<P> pages;

  private Broadcaster(Builder<P> b) {
    this.log = b.log;
    this.windowNanos = b.coalesce.toNanos();
    this.pages = new HistoryPages<>(b.log, b.historyReader);
  }

  /** A broadcaster keeping its history in {@code log}, with the default settings. */
  public static <P> Broadcaster<P> create(EventLog<P> log) {
    return builder(log).build();
  }

  /** A builder of a broadcaster keeping its history in {@code log}. */
  public static <P> Builder<P> builder(EventLog<P> log) {
    return new Builder<>(log);
  }

  /**
   * Settings of a {@link Broadcaster}.
   *
   * @param <P> the type of the events' payload
   * @since 0.1
   */
  public static final class Builder<P> {
    /** The default {@link #coalesce} window: 5 ms. */
    public static final Duration DEFAULT_COALESCE = Duration.ofMillis(5);

    /** The longest {@link #coalesce} window: 1 s. */
    public static final Duration MAX_COALESCE = Duration.ofSeconds(1);

    private final EventLog<P> log;
    private Duration coalesce = DEFAULT_COALESCE;
    private Executor historyReader = Runnable::run;

    private Builder(EventLog<P> log) {
      this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * The shortest time between two passes of an event loop over its subscribers ({@link
     * #DEFAULT_COALESCE} by default). A publish that finds the loop idle for longer is written at
     * once; one that comes sooner after the last pass waits for the window to end, and every event
     * published meanwhile leaves with it: one write per connection for all of them, instead of one
     * per event. The cost is at most this much latency, and only while events come faster than one
     * per window; the gain is far fewer system calls under load. {@link Duration#ZERO} writes every
     * event at once.
     *
     * @throws IllegalArgumentException if negative or longer than {@link #MAX_COALESCE}
     */
    public Builder<P> coalesce(Duration window) {
      this.coalesce = checkCoalesce(window);
      return this;
    }

    /**
     * Returns {@code window} if it is a valid {@link #coalesce} window.
     *
     * @throws IllegalArgumentException if negative or longer than {@link #MAX_COALESCE}
     */
    public static Duration checkCoalesce(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.compareTo(MAX_COALESCE) > 0) {
        throw new IllegalArgumentException(
            "coalesce window must be between 0 and " + MAX_COALESCE + ": " + window);
      }
      return window;
    }

    /**
     * Where pages of history are read for subscriptions catching up ({@link EventLog#read}). By
     * default where they are asked for, which is an event loop: fine for an in-memory log such as
     * {@link RingEventLog}; a log whose reads block (a database) needs a pool of its own here.
     */
    public Builder<P> readHistoryOn(Executor reader) {
      this.historyReader = Objects.requireNonNull(reader, "reader");
      return this;
    }

    /** The broadcaster. */
    public Broadcaster<P> build() {
      return new Broadcaster<>(this);
    }
  }

  /** Publishes {@code event} to {@code topic}; returns its ID. */
  public String publish(String topic, SseEvent event) {
    return publish(Set.of(topic), event);
  }

  /**
   * Publishes {@code event} to every subscriber of any of {@code topics}, once each; returns its
   * ID: the event's own, or its position in the history if it has none.
   */
  public String publish(Set<String> topics, SseEvent event) {
    return publish(topics, event, null);
  }

  /**
   * Publishes {@code event} to {@code topics} with a {@code payload} that subscriptions' {@link
   * Interest#wants} can read (for example who may read the event); returns its ID.
   */
  public String publish(Set<String> topics, SseEvent event, P payload) {
    return publish(topics, event, payload, true);
  }

  /**
   * Publishes {@code event} to {@code topics} with a {@code payload}; returns its ID. An event that
   * is not {@code restricted} is sent, live, without asking the {@link Interest#wants} of
   * subscriptions that {@linkplain Interest#asksRestrictedOnly ask about restricted events only}.
   */
  public String publish(Set<String> topics, SseEvent event, P payload, boolean restricted) {
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("an event needs at least one topic");
    }
    synchronized (lock) {
      LoggedEvent<P> logged = log.append(topics, event, payload);
      if (!loops.isEmpty()) {
        ByteBuf chunk = ChunkFrames.of(ByteBufAllocator.DEFAULT, logged.event());
        for (LoopFanout<P> loop : loops.values()) {
          if (loop.loop.isShuttingDown()) {
            loops.remove(loop.loop, loop); // its server stopped; its streams are gone
          } else {
            loop.enqueue(new Published<>(logged, chunk.retain(), restricted));
          }
        }
        chunk.release();
      }
      return logged.event().id();
    }
  }

  /**
   * Subscribes {@code stream} to {@code topics}, after replaying the history after {@code
   * lastEventId} if it is not {@code null}. The subscription ends when the stream does.
   *
   * @return whether the stream resumed, started live, or could not resume (unknown ID)
   * @throws IllegalArgumentException if {@code stream} is not a {@link HeraldServer} stream
   */
  public Replay subscribe(SseStream stream, Set<String> topics, String lastEventId) {
    return subscribe(stream, Interest.of(topics), lastEventId);
  }

  /**
   * Subscribes {@code stream} to the events {@code interest} selects, after replaying those the
   * history holds after {@code lastEventId} if it is not {@code null}. The subscription ends when
   * the stream does. The ID is looked up ({@link EventLog#positionOf}) on the calling thread: with
   * a log whose lookups block, do not call this from an event loop.
   *
   * @return whether the stream resumed, started live, or could not resume (unknown ID)
   * @throws IllegalArgumentException if {@code stream} is not a {@link HeraldServer} stream
   */
  public Replay subscribe(SseStream stream, Interest<? super P> interest, String lastEventId) {
    if (!(stream instanceof NettySseStream)) {
      throw new IllegalArgumentException("not a stream of a HeraldServer: " + stream);
    }
    NettySseStream s = (NettySseStream) stream;
    Interest<? super P> subscribed = Objects.requireNonNull(interest, "interest");
    Optional<Cursor> from = lastEventId == null ? Optional.empty() : log.positionOf(lastEventId);
    Subscription<P> subscription = new Subscription<>(s, subscribed, from);
    synchronized (lock) {
      loops
          .computeIfAbsent(s.executor(), e -> new LoopFanout<>(e, windowNanos, pages, log.last()))
          .enqueue(subscription);
    }
    return lastEventId == null
        ? Replay.LIVE
        : from.isPresent() ? Replay.RESUMED : Replay.UNKNOWN_ID;
  }

  /** The number of streams subscribed, across all event loops. */
  public int subscribers() {
    return loops.values().stream().mapToInt(l -> l.count).sum();
  }

  /**
   * What a loop's inbox holds, in the order the broadcaster's lock gave it: the loop applies each
   * on its thread.
   */
  private interface Message<P> {
    /** Applies this message on its loop. */
    void applyOn(LoopFanout<P> fanout);

    /** Releases what it holds: its loop has stopped and will never apply it. */
    default void discard() {}
  }

  /** A publish: delivered with the other publishes of its run. */
  private record Published<P>(LoggedEvent<P> event, ByteBuf chunk, boolean restricted)
      implements Message<P> {
    @Override
    public void applyOn(LoopFanout<P> fanout) {
      fanout.take(this);
    }

    @Override
    public void discard() {
      chunk.release();
    }
  }

  /**
   * A step of a subscription's catch-up, taken on its loop in inbox order: a {@code page} read (or
   * the {@code failure} of its read), or, with neither, word that the last page has been written.
   */
  private record CatchUp<P>(
      Subscription<P> subscription, HistoryPages.Page<P> page, Throwable failure)
      implements Message<P> {
    @Override
    public void applyOn(LoopFanout<P> fanout) {
      fanout.catchUpAfterRun(this);
    }
  }

  /**
   * One stream's subscription: in its loop's topic lists until the stream ends, when it runs (as
   * the stream's close callback) to take itself off them. One object per subscriber, so kept small:
   * a plain single-topic interest is swapped for the one its topic shares. As a message, it enters
   * its loop's lists.
   *
   * <p>While it catches up, it is in the lists but takes no live event: the events published
   * meanwhile are in the history, and it reads them there, after its {@code cursor}.
   */
  private static final class Subscription<P> implements Message<P>, Runnable {
    private final NettySseStream stream;
    private Interest<? super P> interest;
    private boolean catchingUp; // on the loop
    private Cursor cursor; // while catching up: the position of the last event it has been given
    private LoopFanout<P> fanout; // once in its loop's lists
    private Topic<P> topic; // the one topic it is listed in, if one; on the loop
    private int slot; // its index in its one topic's array
    private Listings<P> several; // if listed in several topics: each, and its index there
    // Listed in one topic, takes all of its events, and live: served by topic batches. A catch-up
    // is not plain until it goes live, so that the batches, which visit every subscriber of a
    // topic, need to read no other field to skip it.
    private boolean plain;
    private long runMask; // not plain: the events of the current run it takes, a bit each

    Subscription(
        NettySseStream stream, Interest<? super P> interest, Optional<Cursor> resumeAfter) {
      this.stream = stream;
      this.interest = interest;
      this.catchingUp = resumeAfter.isPresent();
      this.cursor = resumeAfter.orElse(null);
    }

    @Override
    public void applyOn(LoopFanout<P> fanout) {
      fanout.subscribeAfterRun(this);
    }

    NettySseStream stream() {
      return stream;
    }

    Interest<? super P> interest() {
      return interest;
    }

    int slot(Topic<P> topic) {
      return several == null ? slot : several.slots[several.topics.indexOf(topic)];
    }

    void slot(Topic<P> topic, int at) {
      if (several == null) {
        slot = at;
      } else {
        several.slots[several.topics.indexOf(topic)] = at;
      }
    }

    /** Whether a candidate (an event of an indexed topic, or any event if every topic) is sent. */
    boolean accepts(LoggedEvent<P> e) {
      return !interest.filters() || interest.wants(e);
    }

    /** Whether a live candidate is sent: as {@link #accepts(LoggedEvent)}, unless not asked. */
    boolean accepts(Published<P> p) {
      return !interest.filters()
          || (!p.restricted() && interest.asksRestrictedOnly())
          || interest.wants(p.event());
    }

    boolean wants(LoggedEvent<P> e) {
      if (interest.everyTopic()) {
        return accepts(e);
      }
      Set<String> topics = interest.topics();
      for (String topic : e.topics()) {
        if (topics.contains(topic)) {
          return accepts(e);
        }
      }
      return false;
    }

    @Override
    public void run() {
      fanout.unsubscribe(this);
    }
  }

  /** The several topics a subscription is listed in, and its index in each one's array. */
  private static final class Listings<P> {
    private final List<Topic<P>> topics;
    private final int[] slots;

    Listings(List<Topic<P>> topics) {
      this.topics = topics;
      this.slots = new int[topics.size()];
    }
  }

  /**
   * The subscribers of one topic on one loop, in an array: a subscriber costs a slot, and leaves by
   * swapping the last one into its place.
   */
  private static final class Topic<P> {
    private final String name;
    private final Interest<Object> shared;
    private Subscription<P>[] subscribers = newArray(2);
    private int size;
    private int complex; // subscribers that are not plain: served event by event
    private long batch; // during a run: its events, a bit each

    Topic(String name) {
      this.name = name;
      this.shared = Interest.of(Set.of(name));
    }

    // The one generic array: created empty, it only ever holds the Subscription<P>s added below.
    @SuppressWarnings("unchecked")
    private static <P> Subscription<P>[] newArray(int size) {
      return (Subscription<P>[]) new Subscription<?>[size];
    }

    void add(Subscription<P> s) {
      if (size == subscribers.length) {
        subscribers = Arrays.copyOf(subscribers, size * 2);
      }
      s.slot(this, size);
      subscribers[size++] = s;
      if (!s.plain) {
        complex++;
      }
    }

    /** Returns whether the topic has no subscriber left. */
    boolean remove(Subscription<P> s) {
      if (!s.plain) {
        complex--;
      }
      int at = s.slot(this);
      Subscription<P> last = subscribers[--size];
      subscribers[size] = null;
      if (last != s) {
        subscribers[at] = last;
        last.slot(this, at);
      }
      return size == 0;
    }
  }

  /**
   * The subscribers of one event loop. Publishes and subscriptions enter one FIFO inbox, in the
   * order the broadcaster's lock gave them; the loop applies them in that order, which is what
   * makes replay gap-free and duplicate-free.
   *
   * <p>A pass begins at once when the last one began at least the coalescing window ago, else when
   * the window ends; messages that arrive meanwhile wait for it. The loop applies them in passes of
   * at most {@link #PASS_NANOS}. A pass that leaves messages behind comes back as a scheduled task,
   * which the loop runs only after it has served its connections again: when publishes arrive
   * faster than the loop can hand them out (a loaded machine, many subscribers), an unbounded pass
   * would never end, and the loop would accept, read and answer nothing meanwhile — a new stream
   * would not even get its response head.
   */
  private static final class LoopFanout<P> {
    private static final long PASS_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int MAX_RUN = Long.SIZE; // publishes delivered together: a bit each

    private final EventExecutor loop;
    private final long windowNanos;
    private final HistoryPages<P> pages;
    private Cursor lastSeen; // the position of the last publish delivered; on the loop
    private volatile long passStarted; // when the last pass began (System.nanoTime())
    private final Queue<Message<P>> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Map<String, Topic<P>> byTopic = new HashMap<>();
    private final Set<Subscription<P>> everyTopic = new LinkedHashSet<>();
    private final List<NettySseStream> dirty = new ArrayList<>(); // each once: its dirty flag
    private ServerMetrics passMetrics; // the loop's server's, once a pass wrote
    private long passEvents; // written in this pass, counted into passMetrics at its end
    private long passBytes;
    private volatile int count;
    private Cursor[] replayPositions; // the events in replayBytes; during a pass, on the loop
    private ByteBuf replayBytes;
    private final List<Published<P>> run = new ArrayList<>(); // publishes since the last other
    private final List<Topic<P>> touched = new ArrayList<>(); // topics with a batch, during a run
    private final List<Subscription<P>> masked = new ArrayList<>(); // with a runMask, in a run
    private final Map<Long, ByteBuf> joinedByMask = new HashMap<>(); // during a run
    private long lastMask; // the last one looked up in joinedByMask, and its buffer
    private ByteBuf lastJoined;

    /** The fan-out of {@code loop}, created when the last event published had {@code lastSeen}. */
    LoopFanout(EventExecutor loop, long windowNanos, HistoryPages<P> pages, Cursor lastSeen) {
      this.loop = loop;
      this.windowNanos = windowNanos;
      this.pages = pages;
      this.lastSeen = lastSeen;
      this.passStarted = System.nanoTime() - windowNanos;
      // A pass still waiting when the loop stops is cancelled with the loop's scheduled tasks.
      loop.terminationFuture().addListener(f -> discard());
    }

    void enqueue(Message<P> message) {
      inbox.add(message);
      if (scheduled.compareAndSet(false, true)) {
        try {
          long wait = windowNanos == 0 ? 0 : passStarted + windowNanos - System.nanoTime();
          if (wait <= 0) {
            loop.execute(this::drain);
          } else {
            loop.schedule(this::drain, wait, TimeUnit.NANOSECONDS);
          }
        } catch (RejectedExecutionException stopped) {
          discard(); // the server has stopped: its streams are gone
        }
      }
    }

    private void discard() {
      for (Message<P> m = inbox.poll(); m != null; m = inbox.poll()) {
        m.discard();
      }
      scheduled.set(false);
    }

    /**
     * One pass, on the loop. {@code scheduled} stays set while a pass is running or waiting, so
     * producers schedule none meanwhile; it is cleared only once the inbox is found empty.
     */
    private void drain() {
      long start = System.nanoTime();
      passStarted = start;
      long deadline = start + PASS_NANOS;
      boolean more = true; // whether another pass must follow (also if a message throws)
      try {
        for (; ; ) {
          Message<P> m = inbox.poll();
          if (m == null) {
            scheduled.set(false);
            // A message added since the poll found the flag set and scheduled no pass: take it on.
            if (inbox.isEmpty() || !scheduled.compareAndSet(false, true)) {
              more = false;
              break;
            }
            continue;
          }
          m.applyOn(this);
          if (System.nanoTime() - deadline >= 0) {
            break;
          }
        }
      } finally {
        try {
          deliverRun();
        } finally {
          try {
            releaseReplay();
            flushDirty();
          } finally {
            // Also after an exception: `scheduled` is still set, so nobody else would.
            if (more) {
              try {
                // Not execute(): the loop would run it in the same round of tasks, before any I/O.
                loop.schedule(this::drain, 0, TimeUnit.NANOSECONDS);
              } catch (RejectedExecutionException stopped) {
                discard(); // the server has stopped: its streams are gone
              }
            }
          }
        }
      }
    }

    /** A publish: joins the run, delivered once the run is full or something else comes. */
    void take(Published<P> p) {
      run.add(p);
      if (run.size() == MAX_RUN) {
        deliverRun(); // so that the pass's time limit sees the work
      }
    }

    /** A subscription: after the publishes before it, before its replay and live events. */
    void subscribeAfterRun(Subscription<P> s) {
      try {
        deliverRun();
      } finally {
        subscribe(s); // even if a subscriber's filter threw
      }
    }

    /** A catch-up step: after the publishes before it. */
    void catchUpAfterRun(CatchUp<P> c) {
      try {
        deliverRun();
      } finally {
        catchUp(c);
      }
    }

    private void flushDirty() {
      if (passMetrics != null) { // counted before they can arrive
        passMetrics.eventsQueued(passEvents, passBytes);
        passEvents = 0;
        passBytes = 0;
      }
      for (NettySseStream stream : dirty) {
        stream.dirty = false;
        stream.flushShared();
      }
      dirty.clear();
    }

    /**
     * Delivers the publishes of {@link #run}, in order, then releases them. Plain subscribers (one
     * topic, no filter) get, per topic, the run's events of that topic as one buffer copied once
     * per loop: one write and one reference count per subscriber however many events the run holds,
     * and no reference count shared with the other loops. The others get the events they accept as
     * one buffer too, shared by those that accept the same ones.
     */
    private void deliverRun() {
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
            Topic<P> topic = byTopic.get(name);
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
        for (Subscription<P> s : masked) {
          writeEvents(s.stream(), s.runMask);
        }
      } finally {
        for (Topic<P> topic : touched) {
          topic.batch = 0;
        }
        touched.clear();
        for (Subscription<P> s : masked) {
          s.runMask = 0;
        }
        masked.clear();
        for (ByteBuf joined : joinedByMask.values()) {
          joined.release();
        }
        joinedByMask.clear();
        lastJoined = null;
        for (Published<P> p : run) {
          p.chunk().release();
        }
        lastSeen = run.get(run.size() - 1).event().position();
        run.clear();
      }
    }

    /**
     * Writes a topic's events of the run to its plain subscribers; those that filter, when the
     * batch holds a {@code restricted} event, are marked for what they take instead.
     */
    private void writeBatch(Topic<P> topic, boolean restricted) {
      for (int i = 0; i < topic.size; i++) {
        Subscription<P> s = topic.subscribers[i];
        if (!s.plain) {
          continue;
        }
        if (restricted && s.interest().filters()) {
          for (int j = 0; j < run.size(); j++) {
            if ((topic.batch & (1L << j)) != 0 && s.accepts(run.get(j))) {
              mark(s, 1L << j); // written with the subscribers that are not plain
            }
          }
        } else {
          writeEvents(s.stream(), topic.batch);
        }
      }
    }

    /**
     * Marks, with {@code bit}, the subscribers that are not plain (filtered, several topics, every
     * topic) and take {@code p}; each is asked once, even if listed in several of its topics.
     */
    private void markTakers(Published<P> p, long bit) {
      for (String name : p.event().topics()) {
        Topic<P> topic = byTopic.get(name);
        for (int i = 0; topic != null && topic.complex > 0 && i < topic.size; i++) {
          Subscription<P> s = topic.subscribers[i];
          if (!s.plain && !s.catchingUp && (s.runMask & bit) == 0 && s.accepts(p)) {
            mark(s, bit);
          }
        }
      }
      for (Subscription<P> s : everyTopic) {
        if (!s.catchingUp && s.accepts(p)) {
          mark(s, bit);
        }
      }
    }

    private void mark(Subscription<P> s, long bit) {
      if (s.runMask == 0) {
        masked.add(s);
      }
      s.runMask |= bit;
    }

    /**
     * Writes the run's events in {@code mask} to {@code stream}: over HTTP/1.1 as one buffer,
     * joined once per pass for all streams taking the same events; over HTTP/2 each event's own
     * bytes.
     */
    private void writeEvents(NettySseStream stream, long mask) {
      if (!stream.writesChunks()) { // HTTP/2 sends each event's bytes without the chunk framing
        for (int j = 0; j < run.size(); j++) {
          if ((mask & (1L << j)) != 0) {
            write(stream, run.get(j).chunk().retainedDuplicate(), 1);
          }
        }
        return;
      }
      ByteBuf joined = mask == lastMask ? lastJoined : joinedByMask.get(mask);
      if (joined == null) {
        int length = 0;
        for (int j = 0; j < run.size(); j++) {
          if ((mask & (1L << j)) != 0) {
            length += run.get(j).chunk().readableBytes();
          }
        }
        joined = ByteBufAllocator.DEFAULT.directBuffer(length);
        joinedByMask.put(mask, joined);
        for (int j = 0; j < run.size(); j++) {
          if ((mask & (1L << j)) != 0) {
            ByteBuf chunk = run.get(j).chunk();
            joined.writeBytes(chunk, chunk.readerIndex(), chunk.readableBytes());
          }
        }
      }
      lastMask = mask; // streams of a topic mostly take the same events
      lastJoined = joined;
      write(stream, joined.retainedDuplicate(), Long.bitCount(mask));
    }

    /** Writes {@code chunk}, which holds {@code events} events, to {@code stream}. */
    private void write(NettySseStream stream, ByteBuf chunk, int events) {
      int bytes = chunk.readableBytes();
      if (stream.writeShared(chunk, events)) {
        written(stream, events, bytes);
      }
    }

    /** Counts a write to {@code stream} and marks it for the flush at the end of the pass. */
    private void written(NettySseStream stream, int events, int bytes) {
      passMetrics = stream.metrics();
      passEvents += events;
      passBytes += bytes;
      if (!stream.dirty) {
        stream.dirty = true;
        dirty.add(stream);
      }
    }

    private void subscribe(Subscription<P> s) {
      if (!s.stream().isOpen()) {
        return;
      }
      if (s.interest().everyTopic()) {
        everyTopic.add(s);
      } else if (s.interest().topics().size() == 1) {
        Topic<P> topic = topic(s.interest().topics().iterator().next());
        if (s.interest instanceof TopicInterest<?>) {
          s.interest = topic.shared; // the subscriber's own copy can go
        }
        s.topic = topic;
        s.plain = !s.catchingUp && takesWholeTopic(s);
        topic.add(s);
      } else {
        List<Topic<P>> topics = new ArrayList<>(s.interest().topics().size());
        for (String name : s.interest().topics()) {
          topics.add(topic(name));
        }
        s.several = new Listings<>(topics);
        for (Topic<P> topic : topics) {
          topic.add(s);
        }
      }
      count++;
      s.fanout = this;
      s.stream().onClose(s);
      if (s.catchingUp) {
        step(s);
      }
    }

    private Topic<P> topic(String name) {
      return byTopic.computeIfAbsent(name, Topic::new);
    }

    /** Whether {@code s}, listed in one topic, takes all of its events (unless restricted). */
    private static boolean takesWholeTopic(Subscription<?> s) {
      return !s.interest().filters() || s.interest().asksRestrictedOnly();
    }

    /**
     * The next step of a catch-up, in inbox order: live once it has been given every event this
     * loop has delivered (later ones will reach it live), else a read of the page after its cursor.
     * A cursor never passes {@link #lastSeen}, so once it equals it nothing is missed or repeated.
     */
    private void step(Subscription<P> s) {
      if (!s.stream().isOpen()) {
        return;
      }
      if (!lastSeen.isAfter(s.cursor)) {
        NettySseStream stream = s.stream();
        if (stream.headSent() && !stream.roomForLive()) {
          // Pages filled the connection up to its high water mark: live events now would find it
          // unwritable and close a reader that is keeping up. Go live once it has drained.
          stream.whenSent(() -> enqueue(new CatchUp<>(s, null, null)));
          written(stream, 0, 0);
          return;
        }
        s.catchingUp = false;
        if (s.topic != null && takesWholeTopic(s)) {
          s.plain = true;
          s.topic.complex--;
        }
        return;
      }
      pages
          .after(s.cursor)
          .whenComplete((page, failure) -> enqueue(new CatchUp<>(s, page, failure)));
    }

    /**
     * Takes a step of a catch-up: writes a page read, or goes on once one has been written. A
     * failure (a filter that throws) ends the stream: its client resumes from its last event ID.
     */
    private void catchUp(CatchUp<P> c) {
      try {
        takeStep(c);
      } catch (RuntimeException e) {
        c.subscription().stream().log().warn("a catch-up failed", e);
        c.subscription().stream().close();
      }
    }

    private void takeStep(CatchUp<P> c) {
      Subscription<P> s = c.subscription();
      NettySseStream stream = s.stream();
      HistoryPages.Page<P> page = c.page();
      if (!stream.isOpen()) {
        return;
      }
      if (c.failure() != null) {
        stream.log().warn("reading history for {} failed", stream.request(), c.failure());
        stream.close();
        return;
      }
      if (page == null) {
        step(s); // the last page has left
        return;
      }
      if (page.gap()) {
        stream.close(); // the client resumes from its last event ID, and is told of the gap
        return;
      }
      if (!stream.headSent()) {
        stream.afterHead(() -> enqueue(c)); // the head is held: the page waits for it
        return;
      }
      // Events this loop has yet to deliver are left out: they may still be on their way here (a
      // read can see an event appended before its publish reached the inbox), and will reach the
      // subscription live or in a later page.
      int[] wanted = new int[page.events().size()];
      int n = 0;
      for (int i = 0; i < wanted.length; i++) {
        LoggedEvent<P> e = page.events().get(i);
        if (e.position().isAfter(lastSeen)) {
          break;
        }
        if (e.position().isAfter(s.cursor) && s.wants(e)) {
          wanted[n++] = i;
        }
      }
      Cursor reached = page.last().isAfter(lastSeen) ? lastSeen : page.last();
      if (reached.isAfter(s.cursor)) {
        s.cursor = reached;
      }
      if (n == 0) {
        step(s);
      } else {
        writePage(s, page, Arrays.copyOf(wanted, n));
      }
    }

    /**
     * Writes the {@code wanted} events of {@code page}; the next step comes once the stream can
     * take more: at once while its connection stays below its high water mark, else once they have
     * left.
     */
    private void writePage(Subscription<P> s, HistoryPages.Page<P> page, int[] wanted) {
      NettySseStream stream = s.stream();
      Runnable written = () -> enqueue(new CatchUp<>(s, null, null));
      if (stream.writesChunks()) {
        ByteBuf replay = sharedReplay(page, wanted);
        int bytes = replay.readableBytes();
        if (stream.writePage(replay, written)) {
          written(stream, wanted.length, bytes);
        }
        return;
      }
      for (int i = 0; i < wanted.length; i++) { // HTTP/2: a DATA frame each
        byte[] chunk = page.chunks()[wanted[i]];
        if (stream.writePage(
            Unpooled.wrappedBuffer(chunk), i == wanted.length - 1 ? written : null)) {
          written(stream, 1, chunk.length);
        }
      }
    }

    /**
     * The chunks of {@code page}'s {@code wanted} events in one direct buffer, shared (a retained
     * duplicate each) by the subscriptions of this pass that take the same events of the same page:
     * in a reconnection storm thousands of clients come back from the same ID in the same few
     * passes. Released when the pass ends.
     */
    private ByteBuf sharedReplay(HistoryPages.Page<P> page, int[] wanted) {
      Cursor[] positions = replayPositions;
      boolean same = positions != null && positions.length == wanted.length;
      for (int i = 0; same && i < positions.length; i++) {
        same = positions[i].equals(page.events().get(wanted[i]).position());
      }
      if (!same) {
        releaseReplay();
        positions = new Cursor[wanted.length];
        int length = 0;
        for (int i = 0; i < wanted.length; i++) {
          positions[i] = page.events().get(wanted[i]).position();
          length += page.chunks()[wanted[i]].length;
        }
        ByteBuf bytes = ByteBufAllocator.DEFAULT.directBuffer(length);
        for (int i : wanted) {
          bytes.writeBytes(page.chunks()[i]);
        }
        replayPositions = positions;
        replayBytes = bytes;
      }
      return replayBytes.retainedDuplicate();
    }

    private void releaseReplay() {
      if (replayBytes != null) {
        replayBytes.release();
        replayBytes = null;
        replayPositions = null;
      }
    }

    private void unsubscribe(Subscription<P> s) {
      if (!loop.inEventLoop()) {
        loop.execute(() -> unsubscribe(s));
        return;
      }
      if (s.topic != null) {
        unlist(s, s.topic);
      } else if (s.several != null) {
        for (Topic<P> topic : s.several.topics) {
          unlist(s, topic);
        }
      } else {
        everyTopic.remove(s);
      }
      count--;
    }

    private void unlist(Subscription<P> s, Topic<P> topic) {
      if (topic.remove(s)) {
        byTopic.remove(topic.name);
      }
    }
  }
}
