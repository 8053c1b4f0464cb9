package dev.herald.server;

import dev.herald.core.SseEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>Any {@link SseStream} can subscribe. A {@link HeraldServer}'s streams are served by their
 * event loops as described above. A stream of another transport (a servlet container's, say) is
 * served through its {@link SseStream} methods alone on the {@linkplain Builder#deliverOn delivery
 * executor}, with the same guarantees: every event of its topics once and in order, a catch-up page
 * by page ({@link SseStream#whenWritten} paces it) without gap or duplicate, and the end of its
 * subscription when it closes.
 *
 * <p>Thread-safe.
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
  private final Executor streamDelivery;
  private volatile StreamFanout<P> streams; // made by the first stream that is no HeraldServer's

  private Broadcaster(Builder<P> b) {
    this.log = b.log;
    this.windowNanos = b.coalesce.toNanos();
    this.pages = new HistoryPages<>(b.log, b.historyReader);
    this.streamDelivery = b.streamDelivery != null ? b.streamDelivery : Builder.deliveryThread();
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

    private static final AtomicInteger THREADS = new AtomicInteger(); // of deliverOn's default

    private final EventLog<P> log;
    private Duration coalesce = DEFAULT_COALESCE;
    private Executor historyReader = Runnable::run;
    private Executor streamDelivery;

    private Builder(EventLog<P> log) {
      this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * The shortest time between two passes of an event loop over its subscribers ({@link
     * #DEFAULT_COALESCE} by default). A publish that finds the loop idle for longer is written at
     * once; one that comes sooner after the last pass waits for the window to end, and every event
     * published meanwhile leaves with it: one write per connection for all of them, instead of one
     * per event. The cost is at most this much latency while the loop keeps time, and only while
     * events come faster than one per window; the gain is far fewer system calls under load. A loop
     * that runs late stretches the window (by twice its average lateness, to five windows at most:
     * 25 ms by default) until it is on time again, so that it writes more per system call and
     * catches up. {@link Duration#ZERO} writes every event at once.
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

    /**
     * Where the streams that are not a {@link HeraldServer}'s get their events: every call the
     * broadcaster makes to such a stream ({@link SseStream#send}, {@link SseStream#whenWritten},
     * {@link SseStream#close}) runs there, one task at a time, so a stream is never called from two
     * threads at once. By default a daemon thread of the broadcaster's own, {@code
     * herald-broadcast-N}, started by the first such stream and gone after ten idle seconds. A
     * stream's methods must not block: they hold up every other such stream. The executor must run
     * tasks on another thread than the one that submits them (not {@code Runnable::run}: publishes
     * submit under the broadcaster's lock), and should not refuse them: if it does, every such
     * stream is closed, so that its client resumes from its last event ID rather than miss events.
     *
     * @since 0.2
     */
    public Builder<P> deliverOn(Executor executor) {
      this.streamDelivery = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The default of {@link #deliverOn}: one daemon thread, only while there is work. */
    private static Executor deliveryThread() {
      return new ThreadPoolExecutor(
          0,
          1,
          10,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "herald-broadcast-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
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
    long arrived = System.nanoTime(); // the start of what the dispatch latency measures
    synchronized (lock) {
      LoggedEvent<P> logged = log.append(topics, event, payload);
      if (!loops.isEmpty()) {
        ByteBuf chunk = ChunkFrames.of(ByteBufAllocator.DEFAULT, logged.event());
        for (Map.Entry<EventExecutor, LoopFanout<P>> loop : loops.entrySet()) {
          if (loop.getValue().isStopped()) {
            loops.remove(
                loop.getKey(), loop.getValue()); // its server stopped; its streams are gone
          } else {
            loop.getValue().enqueue(new Published<>(logged, chunk.retain(), restricted, arrived));
          }
        }
        chunk.release();
      }
      StreamFanout<P> others = streams;
      if (others != null) {
        others.publish(logged, restricted);
      }
      return logged.event().id();
    }
  }

  /**
   * Subscribes {@code stream} to {@code topics}, after replaying the history after {@code
   * lastEventId} if it is not {@code null}. The subscription ends when the stream does.
   *
   * @return whether the stream resumed, started live, or could not resume (unknown ID)
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
   * <p>A {@link HeraldServer}'s stream is served by its event loop; any other {@link SseStream} on
   * the {@linkplain Builder#deliverOn delivery executor}.
   *
   * @return whether the stream resumed, started live, or could not resume (unknown ID)
   */
  public Replay subscribe(SseStream stream, Interest<? super P> interest, String lastEventId) {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(interest, "interest");
    Optional<Cursor> from = lastEventId == null ? Optional.empty() : log.positionOf(lastEventId);
    start(stream, interest, from);
    return lastEventId == null
        ? Replay.LIVE
        : from.isPresent() ? Replay.RESUMED : Replay.UNKNOWN_ID;
  }

  /**
   * Subscribes {@code stream} to the events {@code interest} selects, after replaying those the
   * history holds after {@code after}: a position the caller has already resolved with this
   * broadcaster's log ({@link EventLog#positionOf}, {@link LoggedEvent#position}, or {@link
   * Cursor#START} for all the history holds), for a caller with rules of its own about which
   * position a last event ID stands for. The subscription ends when the stream does; if the history
   * no longer holds every event after {@code after}, the stream is closed as for {@link
   * #subscribe(SseStream, Interest, String)}.
   */
  public void subscribeAfter(SseStream stream, Interest<? super P> interest, Cursor after) {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(interest, "interest");
    start(stream, interest, Optional.of(Objects.requireNonNull(after, "after")));
  }

  private void start(SseStream stream, Interest<? super P> subscribed, Optional<Cursor> from) {
    if (stream instanceof NettySseStream) {
      NettySseStream s = (NettySseStream) stream;
      LoopSubscription<P> subscription = new LoopSubscription<>(s, subscribed, from);
      synchronized (lock) {
        loops
            .computeIfAbsent(s.executor(), e -> new LoopFanout<>(e, windowNanos, pages, log.last()))
            .enqueue(subscription);
      }
    } else {
      StreamSubscription<P> subscription = new StreamSubscription<>(stream, subscribed, from);
      synchronized (lock) {
        if (streams == null) {
          streams = new StreamFanout<>(streamDelivery, pages, log.last());
        }
        streams.subscribe(subscription);
      }
    }
  }

  /** The number of streams subscribed, across all event loops and other transports. */
  public int subscribers() {
    StreamFanout<P> others = streams;
    return loops.values().stream().mapToInt(LoopFanout::count).sum()
        + (others == null ? 0 : others.count());
  }
}
