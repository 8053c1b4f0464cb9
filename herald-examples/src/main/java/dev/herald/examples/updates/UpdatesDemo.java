package dev.herald.examples.updates;

import dev.herald.core.SseEvent;
import dev.herald.examples.Demo;
import dev.herald.examples.Demos;
import dev.herald.server.Broadcaster;
import dev.herald.server.HeraldServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed JSON events with IDs, every 5 seconds, through a {@link Broadcaster}: {@code event:
 * update}, {@code id:} the update's sequence number, {@code data:} {@code
 * {"seq":7,"time":"…","temperature":21.3}}. A page that reconnects with {@code Last-Event-ID} first
 * receives every update it missed, then the live ones.
 *
 * <pre>
 * GET /updates/events  → event: update, id: 1, data: {"seq":1,…}, …
 * GET /updates/        → the page
 * </pre>
 *
 * <p><b>Across a restart.</b> The broadcaster's history is a {@link dev.herald.server.RingEventLog}
 * of the last {@value #HISTORY_EVENTS} updates that is also written, line by line, to {@value
 * #LOG_FILE} in the data directory, and read back on start. So the numbering continues after a
 * restart, and a page that was open during the restart resumes from its last update: it receives
 * the updates the new server published before the page got back, once each and in order. The
 * updates are made by the server, so while it is down none are made and none can be missed. A page
 * whose last ID the history no longer holds (too old, or the file was deleted) receives a {@code
 * gap} event saying so, then live updates.
 *
 * <p>The temperature is a function of the sequence number, so the curve continues across restarts
 * too.
 *
 * @since 0.1
 */
public final class UpdatesDemo implements Demo {
  /** The demo's name and path: {@value}. */
  public static final String NAME = "updates";

  /** The topic the updates are published to: {@value}. */
  public static final String TOPIC = "updates";

  /** The event type of an update: {@value}. */
  public static final String UPDATE = "update";

  /** The event type that says the history does not reach back to the client's last ID. */
  public static final String GAP = "gap";

  /** The file, in the data directory, that holds the history: {@value}. */
  public static final String LOG_FILE = "updates.log";

  /** How many updates the history holds: {@value}. */
  public static final int HISTORY_EVENTS = 1000;

  /** The default time between updates: 5 s. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(UpdatesDemo.class);

  private final Duration period;
  private final Clock clock;
  private final FileEventLog log;
  private final Broadcaster<Void> broadcaster;
  private final ScheduledExecutorService timer = Demos.timer(NAME);
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicLong lastSequence;

  /** Updates every 5 s, with the history in {@code dataDirectory}. */
  public UpdatesDemo(Path dataDirectory) {
    this(dataDirectory, DEFAULT_PERIOD, Clock.systemUTC());
  }

  /**
   * Updates every {@code period}, with the history in {@code dataDirectory}, stamped with {@code
   * clock}'s time.
   *
   * @throws java.io.UncheckedIOException if the history file cannot be read or created
   */
  public UpdatesDemo(Path dataDirectory, Duration period, Clock clock) {
    this.period = Objects.requireNonNull(period, "period");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.log = FileEventLog.open(dataDirectory.resolve(LOG_FILE), HISTORY_EVENTS);
    this.broadcaster = Broadcaster.create(log);
    try {
      this.lastSequence = new AtomicLong(sequenceOf(log.lastEventId()));
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
  }

  /** Serves this demo alone; see {@link Demos#main} for the arguments. */
  public static void main(String[] args) throws InterruptedException {
    Demos.serve(NAME, args);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String title() {
    return "Updates";
  }

  @Override
  public String description() {
    return "typed JSON update events with ids every 5 s; reconnect or restart the server and"
        + " nothing is lost or repeated";
  }

  /** Mounts the stream and starts publishing, one update every period. */
  @Override
  public void mount(HeraldServer.Builder server) {
    server.sse("/" + NAME + "/events", new UpdatesHandler(broadcaster));
    if (started.compareAndSet(false, true)) {
      long nanos = period.toNanos();
      timer.scheduleAtFixedRate(this::publish, nanos, nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The broadcaster the updates go through. */
  public Broadcaster<Void> broadcaster() {
    return broadcaster;
  }

  /** The sequence number of the latest update, 0 if there is none yet. */
  public long lastSequence() {
    return lastSequence.get();
  }

  private long sequenceOf(String id) {
    try {
      return id == null ? 0 : Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "the history in " + LOG_FILE + " ends with ID " + id + ", not an update's number", e);
    }
  }

  private void publish() {
    try {
      long seq = lastSequence.get() + 1; // only this timer thread publishes
      String json =
          String.format(
              Locale.ROOT,
              "{\"seq\":%d,\"time\":\"%s\",\"temperature\":%.1f}",
              seq,
              clock.instant().truncatedTo(ChronoUnit.MILLIS),
              temperature(seq));
      String id = Long.toString(seq);
      broadcaster.publish(TOPIC, SseEvent.builder().type(UPDATE).id(id).data(json).build());
      lastSequence.set(seq);
    } catch (RuntimeException e) {
      LOG.warn("could not publish an update", e); // the next period tries again
    }
  }

  /** A reading that depends on the sequence number only: a slow wave around 20 °C. */
  static double temperature(long seq) {
    return 20 + 4 * Math.sin(seq * Math.PI / 24) + Math.sin(seq * 0.7);
  }

  /** Stops publishing and closes the history file. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS); // an update may be being written
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.close();
  }
}
