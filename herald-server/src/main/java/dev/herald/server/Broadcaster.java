package dev.herald.server;

import dev.herald.core.SseEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
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
 * Broadcaster news = Broadcaster.create(RingEventLog.builder().maxEvents(1000).build());
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
 * <p>Thread-safe. Works with the streams of a {@link HeraldServer}.
 *
 * @since 0.1
 */
public final class Broadcaster {
  private final EventLog log;
  private final Clock clock;
  private final Object lock = new Object();
  private final Map<EventExecutor, LoopFanout> loops = new ConcurrentHashMap<>();
  private final long windowNanos;
  private final HistoryPages pages;

  private Broadcaster(Builder b) {
    this.log = b.log;
    this.clock = Clock.systemUTC();
    this.windowNanos = b.coalesce.toNanos();
    this.pages = new HistoryPages(b.log, b.historyReader);
  }

  /** A broadcaster keeping its history in {@code log}, with the default settings. */
  public static Broadcaster create(EventLog log) {
    return builder(log).build();
  }

  /** A builder of a broadcaster keeping its history in {@code log}. */
  public static Builder builder(EventLog log) {
    return new Builder(log);
  }

  /**
   * Settings of a {@link Broadcaster}.
   *
   * @since 0.1
   */
  public static final class Builder {
    /** The default {@link #coalesce} window: 5 ms. */
    public static final Duration DEFAULT_COALESCE = Duration.ofMillis(5);

    /** The longest {@link #coalesce} window: 1 s. */
    public static final Duration MAX_COALESCE = Duration.ofSeconds(1);

    private final EventLog log;
    private Duration coalesce = DEFAULT_COALESCE;
    private Executor historyReader = Runnable::run;

    private Builder(EventLog log) {
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
    public Builder coalesce(Duration window) {
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
    public Builder readHistoryOn(Executor reader) {
      this.historyReader = Objects.requireNonNull(reader, "reader");
      return this;
    }

    /** The broadcaster. */
    public Broadcaster build() {
      return new Broadcaster(this);
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
   * Publishes {@code event} to {@code topics} with an {@code attachment} that subscriptions' {@link
   * Interest#wants} can read (for example who may read the event); returns its ID.
   */
  public String publish(Set<String> topics, SseEvent event, Object attachment) {
    return publish(topics, event, attachment, true);
  }

  /**
   * Publishes {@code event} to {@code topics} with an {@code attachment}; returns its ID. An event
   * that is not {@code restricted} is sent, live, without asking the {@link Interest#wants} of
   * subscriptions that {@linkplain Interest#asksRestrictedOnly ask about restricted events only}.
   */
  public String publish(Set<String> topics, SseEvent event, Object attachment, boolean restricted) {
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("an event needs at least one topic");
    }
    synchronized (lock) {
      long position = log.nextPosition();
      SseEvent withId =
          event.id() != null ? event : event.toBuilder().id(Long.toString(position)).build();
      LoggedEvent logged = new LoggedEvent(position, topics, clock.instant(), withId, attachment);
      log.append(logged);
      if (!loops.isEmpty()) {
        ByteBuf chunk = ChunkFrames.of(ByteBufAllocator.DEFAULT, withId);
        for (LoopFanout loop : loops.values()) {
          if (loop.loop.isShuttingDown()) {
            loops.remove(loop.loop, loop); // its server stopped; its streams are gone
          } else {
            loop.enqueue(new Published(logged, chunk.retain(), restricted));
          }
        }
        chunk.release();
      }
      return withId.id();
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
  public Replay subscribe(SseStream stream, Interest interest, String lastEventId) {
    if (!(stream instanceof NettySseStream)) {
      throw new IllegalArgumentException("not a stream of a HeraldServer: " + stream);
    }
    NettySseStream s = (NettySseStream) stream;
    Interest subscribed = java.util.Objects.requireNonNull(interest, "interest");
    OptionalLong from = lastEventId == null ? OptionalLong.empty() : log.positionOf(lastEventId);
    Subscription subscription = new Subscription(s, subscribed, from);
    synchronized (lock) {
      loops
          .computeIfAbsent(
              s.executor(), e -> new LoopFanout(e, windowNanos, pages, log.nextPosition() - 1))
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

  private record Published(LoggedEvent event, ByteBuf chunk, boolean restricted) {}

  /**
   * A step of a subscription's catch-up, taken on its loop in inbox order: a {@code page} read (or
   * the {@code failure} of its read), or, with neither, word that the last page has been written.
   */
  private record CatchUp(Subscription subscription, HistoryPages.Page page, Throwable failure) {}

  /**
   * One stream's subscription: in its loop's topic lists until the stream ends, when it runs (as
   * the stream's close callback) to take itself off them. One object per subscriber, so kept small:
   * a plain single-topic interest is swapped for the one its topic shares.
   *
   * <p>While it catches up, it is in the lists but takes no live event: the events published
   * meanwhile are in the history, and it reads them there, after its {@code cursor}.
   */
  private static final class Subscription implements Runnable {
    private final NettySseStream stream;
    private Interest interest;
    private boolean catchingUp; // on the loop
    private long cursor; // while catching up: the position of the last event it has been given
    private LoopFanout fanout; // once in its loop's lists
    private Object listed; // the Topic it is listed in, or a Topic[] if several; on the loop
    private int[] slots; // its index in each of several topics' arrays
    private int slot; // its index in its one topic's array
    // Listed in one topic, takes all of its events, and live: served by topic batches. A catch-up
    // is not plain until it goes live, so that the batches, which visit every subscriber of a
    // topic,
    // need to read no other field to skip it.
    private boolean plain;
    private long runMask; // not plain: the events of the current run it takes, a bit each

    Subscription(NettySseStream stream, Interest interest, OptionalLong resumeAfter) {
      this.stream = stream;
      this.interest = interest;
      this.catchingUp = resumeAfter.isPresent();
      this.cursor = resumeAfter.orElse(0);
    }

    NettySseStream stream() {
      return stream;
    }

    Interest interest() {
      return interest;
    }

    int slot(Topic topic) {
      return slots == null ? slot : slots[indexOf(topic)];
    }

    void slot(Topic topic, int at) {
      if (slots == null) {
        slot = at;
      } else {
        slots[indexOf(topic)] = at;
      }
    }

    private int indexOf(Topic topic) {
      Topic[] topics = (Topic[]) listed;
      for (int i = 0; ; i++) {
        if (topics[i] == topic) {
          return i;
        }
      }
    }

    /** Whether a candidate (an event of an indexed topic, or any event if every topic) is sent. */
    boolean accepts(LoggedEvent e) {
      return !interest.filters() || interest.wants(e);
    }

    /** Whether a live candidate is sent: as {@link #accepts(LoggedEvent)}, unless not asked. */
    boolean accepts(Published p) {
      return !interest.filters()
          || (!p.restricted() && interest.asksRestrictedOnly())
          || interest.wants(p.event());
    }

    boolean wants(LoggedEvent e) {
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

  /**
   * The subscribers of one topic on one loop, in an array: a subscriber costs a slot, and leaves by
   * swapping the last one into its place.
   */
  private static final class Topic {
    private final String name;
    private final Interest shared;
    private Subscription[] subscribers = new Subscription[2];
    private int size;
    private int complex; // subscribers that are not plain: served event by event
    private long batch; // during a run: its events, a bit each

    Topic(String name) {
      this.name = name;
      this.shared = Interest.of(Set.of(name));
    }

    void add(Subscription s) {
      if (size == subscribers.length) {
        subscribers = java.util.Arrays.copyOf(subscribers, size * 2);
      }
      s.slot(this, size);
      subscribers[size++] = s;
      if (!s.plain) {
        complex++;
      }
    }

    /** Returns whether the topic has no subscriber left. */
    boolean remove(Subscription s) {
      if (!s.plain) {
        complex--;
      }
      int at = s.slot(this);
      Subscription last = subscribers[--size];
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
  private static final class LoopFanout {
    private static final long PASS_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int MAX_RUN = Long.SIZE; // publishes delivered together: a bit each

    private final EventExecutor loop;
    private final long windowNanos;
    private final HistoryPages pages;
    private long lastSeen; // the position of the last publish delivered; on the loop
    private volatile long passStarted; // when the last pass began (System.nanoTime())
    private final Queue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Map<String, Topic> byTopic = new HashMap<>();
    private final Set<Subscription> everyTopic = new LinkedHashSet<>();
    private final List<NettySseStream> dirty = new ArrayList<>(); // each once: its dirty flag
    private ServerMetrics passMetrics; // the loop's server's, once a pass wrote
    private long passEvents; // written in this pass, counted into passMetrics at its end
    private long passBytes;
    private volatile int count;
    private long[] replayPositions; // the events in replayBytes; during a pass, on the loop
    private ByteBuf replayBytes;
    private final List<Published> run = new ArrayList<>(); // publishes since the last subscription
    private final List<Topic> touched = new ArrayList<>(); // topics with a batch, during a run
    private final List<Subscription> masked = new ArrayList<>(); // with a runMask, during a run
    private final Map<Long, ByteBuf> joinedByMask = new HashMap<>(); // during a run
    private long lastMask; // the last one looked up in joinedByMask, and its buffer
    private ByteBuf lastJoined;

    /** The fan-out of {@code loop}, created when the last event published had {@code lastSeen}. */
    LoopFanout(EventExecutor loop, long windowNanos, HistoryPages pages, long lastSeen) {
      this.loop = loop;
      this.windowNanos = windowNanos;
      this.pages = pages;
      this.lastSeen = lastSeen;
      this.passStarted = System.nanoTime() - windowNanos;
      // A pass still waiting when the loop stops is cancelled with the loop's scheduled tasks.
      loop.terminationFuture().addListener(f -> discard());
    }

    void enqueue(Object message) {
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
      for (Object m = inbox.poll(); m != null; m = inbox.poll()) {
        if (m instanceof Published) {
          ((Published) m).chunk().release();
        }
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
          Object m = inbox.poll();
          if (m == null) {
            scheduled.set(false);
            // A message added since the poll found the flag set and scheduled no pass: take it on.
            if (inbox.isEmpty() || !scheduled.compareAndSet(false, true)) {
              more = false;
              break;
            }
            continue;
          }
          if (m instanceof Published) {
            run.add((Published) m);
            if (run.size() == MAX_RUN) {
              deliverRun(); // so that the pass's time limit sees the work
            }
          } else {
            try {
              deliverRun(); // the publishes before it, before its replay and live events
            } finally {
              if (m instanceof Subscription) {
                subscribe((Subscription) m); // even if a subscriber's filter threw
              } else {
                catchUp((CatchUp) m);
              }
            }
          }
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
          Published p = run.get(j);
          if (p.restricted()) {
            restricted |= 1L << j;
          }
          for (String name : p.event().topics()) {
            Topic topic = byTopic.get(name);
            if (topic != null && topic.size > topic.complex) {
              if (topic.batch == 0) {
                touched.add(topic);
              }
              topic.batch |= 1L << j;
            }
          }
        }
        for (Topic topic : touched) {
          writeBatch(topic, (topic.batch & restricted) != 0);
        }
        for (int j = 0; j < run.size(); j++) {
          markTakers(run.get(j), 1L << j);
        }
        for (Subscription s : masked) {
          writeEvents(s.stream(), s.runMask);
        }
      } finally {
        for (Topic topic : touched) {
          topic.batch = 0;
        }
        touched.clear();
        for (Subscription s : masked) {
          s.runMask = 0;
        }
        masked.clear();
        for (ByteBuf joined : joinedByMask.values()) {
          joined.release();
        }
        joinedByMask.clear();
        lastJoined = null;
        for (Published p : run) {
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
    private void writeBatch(Topic topic, boolean restricted) {
      for (int i = 0; i < topic.size; i++) {
        Subscription s = topic.subscribers[i];
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
    private void markTakers(Published p, long bit) {
      for (String name : p.event().topics()) {
        Topic topic = byTopic.get(name);
        for (int i = 0; topic != null && topic.complex > 0 && i < topic.size; i++) {
          Subscription s = topic.subscribers[i];
          if (!s.plain && !s.catchingUp && (s.runMask & bit) == 0 && s.accepts(p)) {
            mark(s, bit);
          }
        }
      }
      for (Subscription s : everyTopic) {
        if (!s.catchingUp && s.accepts(p)) {
          mark(s, bit);
        }
      }
    }

    private void mark(Subscription s, long bit) {
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

    private void subscribe(Subscription s) {
      if (!s.stream().isOpen()) {
        return;
      }
      if (s.interest().everyTopic()) {
        everyTopic.add(s);
      } else if (s.interest().topics().size() == 1) {
        Topic topic = byTopic.computeIfAbsent(s.interest().topics().iterator().next(), Topic::new);
        if (s.interest instanceof TopicInterest) {
          s.interest = topic.shared; // the subscriber's own copy can go
        }
        s.listed = topic;
        s.plain = !s.catchingUp && takesWholeTopic(s);
        topic.add(s);
      } else {
        Topic[] topics = new Topic[s.interest().topics().size()];
        int i = 0;
        for (String name : s.interest().topics()) {
          topics[i++] = byTopic.computeIfAbsent(name, Topic::new);
        }
        s.listed = topics;
        s.slots = new int[topics.length];
        for (Topic topic : topics) {
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

    /** Whether {@code s}, listed in one topic, takes all of its events (unless restricted). */
    private static boolean takesWholeTopic(Subscription s) {
      return !s.interest().filters() || s.interest().asksRestrictedOnly();
    }

    /**
     * The next step of a catch-up, in inbox order: live once it has been given every event this
     * loop has delivered (later ones will reach it live), else a read of the page after its cursor.
     * A cursor never passes {@link #lastSeen}, so once it equals it nothing is missed or repeated.
     */
    private void step(Subscription s) {
      if (!s.stream().isOpen()) {
        return;
      }
      if (s.cursor >= lastSeen) {
        NettySseStream stream = s.stream();
        if (stream.headSent() && !stream.roomForLive()) {
          // Pages filled the connection up to its high water mark: live events now would find it
          // unwritable and close a reader that is keeping up. Go live once it has drained.
          stream.whenSent(() -> enqueue(new CatchUp(s, null, null)));
          written(stream, 0, 0);
          return;
        }
        s.catchingUp = false;
        if (s.listed instanceof Topic && takesWholeTopic(s)) {
          s.plain = true;
          ((Topic) s.listed).complex--;
        }
        return;
      }
      pages.after(s.cursor).whenComplete((page, failure) -> enqueue(new CatchUp(s, page, failure)));
    }

    /**
     * Takes a step of a catch-up: writes a page read, or goes on once one has been written. A
     * failure (a filter that throws) ends the stream: its client resumes from its last event ID.
     */
    private void catchUp(CatchUp c) {
      try {
        takeStep(c);
      } catch (RuntimeException e) {
        c.subscription().stream().log().warn("a catch-up failed", e);
        c.subscription().stream().close();
      }
    }

    private void takeStep(CatchUp c) {
      Subscription s = c.subscription();
      NettySseStream stream = s.stream();
      HistoryPages.Page page = c.page();
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
        LoggedEvent e = page.events().get(i);
        if (e.position() > lastSeen) {
          break;
        }
        if (e.position() > s.cursor && s.wants(e)) {
          wanted[n++] = i;
        }
      }
      s.cursor = Math.max(s.cursor, Math.min(page.last(), lastSeen));
      if (n == 0) {
        step(s);
      } else {
        writePage(s, page, java.util.Arrays.copyOf(wanted, n));
      }
    }

    /**
     * Writes the {@code wanted} events of {@code page}; the next step comes once the stream can
     * take more: at once while its connection stays below its high water mark, else once they have
     * left.
     */
    private void writePage(Subscription s, HistoryPages.Page page, int[] wanted) {
      NettySseStream stream = s.stream();
      Runnable written = () -> enqueue(new CatchUp(s, null, null));
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
    private ByteBuf sharedReplay(HistoryPages.Page page, int[] wanted) {
      long[] positions = replayPositions;
      boolean same = positions != null && positions.length == wanted.length;
      for (int i = 0; same && i < positions.length; i++) {
        same = positions[i] == page.events().get(wanted[i]).position();
      }
      if (!same) {
        releaseReplay();
        positions = new long[wanted.length];
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

    private void unsubscribe(Subscription s) {
      if (!loop.inEventLoop()) {
        loop.execute(() -> unsubscribe(s));
        return;
      }
      if (s.listed == null) {
        everyTopic.remove(s);
      } else {
        for (Topic topic :
            s.listed instanceof Topic ? new Topic[] {(Topic) s.listed} : (Topic[]) s.listed) {
          if (topic.remove(s)) {
            byTopic.remove(topic.name);
          }
        }
      }
      count--;
    }
  }
}
