package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.SseEvent;
import dev.herald.core.SseParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Topic broadcast and replay over loopback, with real subscribers. */
class BroadcasterTest {
  private HeraldServer server;
  private final Broadcaster<Void> broadcaster =
      Broadcaster.create(RingEventLog.builder().maxEvents(100_000).maxBytes(64L << 20).build());
  private final BlockingQueue<Replay> replays = new ArrayBlockingQueue<>(100);

  @AfterEach
  void stop() {
    if (server != null) {
      server.close(Duration.ZERO);
    }
  }

  private int start() {
    return start(HeraldServer.DEFAULT_MAX_PENDING_BYTES);
  }

  private int start(int maxPendingBytes) {
    server =
        HeraldServer.builder()
            .port(0)
            .maxPendingBytes(maxPendingBytes)
            .eventLoopThreads(2)
            .sse(
                "/topics",
                "lastEventId",
                (req, stream) ->
                    replays.add(
                        broadcaster.subscribe(
                            stream, Set.copyOf(req.queryAll("topic")), stream.lastEventId())))
            .build()
            .start();
    return server.port();
  }

  private void awaitSubscribers(int n) throws InterruptedException {
    awaitSubscribers(broadcaster, n);
  }

  private static void awaitSubscribers(Broadcaster<Void> b, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (b.subscribers() != n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(b.subscribers()).isEqualTo(n);
  }

  /** A broadcaster of 100 events whose passes are {@code window} apart. */
  private static Broadcaster<Void> windowed(Duration window) {
    return Broadcaster.builder(RingEventLog.builder().maxEvents(100).<Void>build())
        .coalesce(window)
        .build();
  }

  /** Starts a server of one event loop with one SSE route; returns its port. */
  private int startOneLoop(String path, SseHandler handler) {
    server = HeraldServer.builder().port(0).eventLoopThreads(1).sse(path, handler).build().start();
    return server.port();
  }

  @Test
  @DisplayName("an event reaches every subscriber of its topic, once, and nobody else")
  void fanOut() throws Exception {
    int port = start();
    try (RawHttp sports = RawHttp.get(port, "/topics?topic=sports");
        RawHttp both = RawHttp.get(port, "/topics?topic=sports&topic=tech");
        RawHttp tech = RawHttp.get(port, "/topics?topic=tech")) {
      awaitSubscribers(3);
      assertThat(broadcaster.publish("sports", SseEvent.of("goal"))).isEqualTo("1");
      assertThat(broadcaster.publish(Set.of("sports", "tech"), SseEvent.of("both"))).isEqualTo("2");
      assertThat(broadcaster.publish("tech", SseEvent.builder().id("t-1").data("chip").build()))
          .isEqualTo("t-1");
      assertThat(sports.readUntil("both", 5000))
          .isEqualTo("id: 1\ndata: goal\n\nid: 2\ndata: both\n\n");
      assertThat(both.readUntil("chip", 5000))
          .isEqualTo("id: 1\ndata: goal\n\nid: 2\ndata: both\n\nid: t-1\ndata: chip\n\n");
      assertThat(tech.readUntil("chip", 5000))
          .isEqualTo("id: 2\ndata: both\n\nid: t-1\ndata: chip\n\n");
      assertThat(replays).containsOnly(Replay.LIVE);
    }
    awaitSubscribers(0);
  }

  @Test
  @DisplayName(
      "a publish after a quiet coalescing window is written at once; those within the window"
          + " wait for its end and leave together")
  void coalescingWindow() throws Exception {
    Duration window = Duration.ofSeconds(1);
    Broadcaster<Void> windowed = windowed(window);
    int port = startOneLoop("/w", (req, stream) -> windowed.subscribe(stream, Set.of("t"), null));
    try (RawHttp client = RawHttp.get(port, "/w")) {
      awaitSubscribers(windowed, 1);
      Thread.sleep(window.toMillis() + 100); // the subscription's own pass is a window ago
      long first = System.nanoTime();
      windowed.publish("t", SseEvent.of("a"));
      assertThat(client.readUntil("data: a\n\n", 5000)).isEqualTo("id: 1\ndata: a\n\n");
      long firstArrived = System.nanoTime();
      windowed.publish("t", SseEvent.of("b"));
      windowed.publish("t", SseEvent.of("c"));
      assertThat(client.readUntil("data: c\n\n", 5000))
          .isEqualTo("id: 1\ndata: a\n\nid: 2\ndata: b\n\nid: 3\ndata: c\n\n");
      long lastArrived = System.nanoTime();
      assertThat(Duration.ofNanos(firstArrived - first))
          .as("the first event does not wait")
          .isLessThan(window.minusMillis(100));
      assertThat(Duration.ofNanos(lastArrived - first))
          .as("the next ones wait for the window that the first one's pass began")
          .isGreaterThanOrEqualTo(window.minusMillis(10));
    }
    assertThatThrownBy(
            () ->
                Broadcaster.builder(RingEventLog.builder().build()).coalesce(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("coalesce window must be between 0 and PT1S");
    assertThatThrownBy(
            () ->
                Broadcaster.builder(RingEventLog.builder().build()).coalesce(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName(
      "the events of one pass reach every kind of subscriber once and in order: one topic, several,"
          + " filtered, every topic, asked about restricted events only")
  void onePassManyKinds() throws Exception {
    Broadcaster<Void> windowed = windowed(Duration.ofMillis(500)); // the publishes share one pass
    startOneLoop(
        "/kinds",
        (req, stream) -> {
          Set<String> topics = Set.copyOf(req.queryAll("topic"));
          boolean filtered = req.query("filtered") != null;
          boolean all = req.query("all") != null;
          boolean asker = req.query("asker") != null;
          Interest<Object> interest =
              !filtered && !all && !asker
                  ? Interest.of(topics)
                  : new Interest<>() {
                    @Override
                    public Set<String> topics() {
                      return topics;
                    }

                    @Override
                    public boolean everyTopic() {
                      return all;
                    }

                    @Override
                    public boolean filters() {
                      return true;
                    }

                    @Override
                    public boolean asksRestrictedOnly() {
                      return asker;
                    }

                    @Override
                    public boolean wants(LoggedEvent<?> e) {
                      String data = e.event().data();
                      return asker ? !data.startsWith("secret") : !data.equals("skip");
                    }
                  };
          windowed.subscribe(stream, interest, null);
        });
    String[] paths = {
      "/kinds?topic=a",
      "/kinds?topic=a",
      "/kinds?topic=b",
      "/kinds?topic=a&topic=b",
      "/kinds?topic=a&filtered=1",
      "/kinds?all=1",
      "/kinds?topic=a&asker=1",
      "/kinds?topic=a&topic=b&asker=1",
    };
    String secrets = "id: 7\ndata: secret\n\nid: 8\ndata: secret-open\n\n";
    String[] expected = {
      "id: 1\ndata: first\n\nid: 2\ndata: 1\n\nid: 4\ndata: 3\n\nid: 5\ndata: skip\n\n" + secrets,
      "id: 1\ndata: first\n\nid: 2\ndata: 1\n\nid: 4\ndata: 3\n\nid: 5\ndata: skip\n\n" + secrets,
      "id: 3\ndata: 2\n\nid: 4\ndata: 3\n\nid: 6\ndata: 4\n\n",
      "id: 1\ndata: first\n\nid: 2\ndata: 1\n\nid: 3\ndata: 2\n\nid: 4\ndata: 3\n\n"
          + "id: 5\ndata: skip\n\nid: 6\ndata: 4\n\n"
          + secrets,
      "id: 1\ndata: first\n\nid: 2\ndata: 1\n\nid: 4\ndata: 3\n\n" + secrets,
      "id: 1\ndata: first\n\nid: 2\ndata: 1\n\nid: 3\ndata: 2\n\nid: 4\ndata: 3\n\n"
          + "id: 6\ndata: 4\n\n"
          + secrets,
      // asked about restricted events only: the unrestricted secret-open is not asked about
      "id: 1\ndata: first\n\nid: 2\ndata: 1\n\nid: 4\ndata: 3\n\nid: 5\ndata: skip\n\n"
          + "id: 8\ndata: secret-open\n\n",
      // the same over two topics (served event by event, not by a topic batch)
      "id: 1\ndata: first\n\nid: 2\ndata: 1\n\nid: 3\ndata: 2\n\nid: 4\ndata: 3\n\n"
          + "id: 5\ndata: skip\n\nid: 6\ndata: 4\n\nid: 8\ndata: secret-open\n\n",
    };
    List<RawHttp> clients = new ArrayList<>();
    try {
      for (String path : paths) {
        clients.add(RawHttp.get(server.port(), path));
      }
      awaitSubscribers(windowed, paths.length);
      windowed.publish("a", SseEvent.of("first")); // within the window of the subscriptions' pass
      windowed.publish("a", SseEvent.of("1"));
      windowed.publish("b", SseEvent.of("2"));
      windowed.publish(Set.of("a", "b"), SseEvent.of("3"));
      windowed.publish("a", SseEvent.of("skip"));
      windowed.publish("b", SseEvent.of("4"));
      windowed.publish(Set.of("a"), SseEvent.of("secret"), null, true);
      windowed.publish(Set.of("a"), SseEvent.of("secret-open"), null, false);
      for (int i = 0; i < clients.size(); i++) {
        String last = expected[i].substring(expected[i].lastIndexOf("data: "));
        assertThat(clients.get(i).readUntil(last, 5000)).as(paths[i]).isEqualTo(expected[i]);
      }
    } finally {
      for (RawHttp client : clients) {
        client.close();
      }
    }
  }

  @Test
  @DisplayName(
      "a filter that throws costs its own subscriber that event only: later events, and a"
          + " subscription waiting in the same pass, still go through")
  void throwingFilter() throws Exception {
    Broadcaster<Void> windowed = windowed(Duration.ofMillis(500)); // boom, C and after share a pass
    Interest<Object> throwing =
        new Interest<>() {
          @Override
          public Set<String> topics() {
            return Set.of("t");
          }

          @Override
          public boolean filters() {
            return true;
          }

          @Override
          public boolean wants(LoggedEvent<?> e) {
            if (e.event().data().equals("boom")) {
              throw new IllegalStateException("a filter's bug");
            }
            return true;
          }
        };
    int port =
        startOneLoop(
            "/t",
            (req, stream) ->
                windowed.subscribe(
                    stream,
                    req.query("throwing") != null ? throwing : Interest.of(Set.of("t")),
                    null));
    try (RawHttp a = RawHttp.get(port, "/t?throwing=1");
        RawHttp b = RawHttp.get(port, "/t")) {
      awaitSubscribers(windowed, 2);
      Thread.sleep(600); // a window after the subscriptions' passes: the next publish goes at once
      windowed.publish("t", SseEvent.of("warm"));
      b.readUntil("data: warm\n\n", 5000); // its pass began the window that the rest wait for
      windowed.publish("t", SseEvent.of("boom"));
      try (RawHttp c = RawHttp.get(port, "/t")) {
        windowed.publish("t", SseEvent.of("after"));
        assertThat(c.readUntil("data: after\n\n", 5000)).isEqualTo("id: 3\ndata: after\n\n");
      }
      assertThat(a.readUntil("data: after\n\n", 5000))
          .isEqualTo("id: 1\ndata: warm\n\nid: 3\ndata: after\n\n");
      assertThat(b.readUntil("data: after\n\n", 5000))
          .isEqualTo("id: 1\ndata: warm\n\nid: 2\ndata: boom\n\nid: 3\ndata: after\n\n");
    }
  }

  @Test
  @DisplayName("subscribers that leave in any order leave the others subscribed")
  void leaveInAnyOrder() throws Exception {
    int port = start();
    List<RawHttp> clients = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        clients.add(RawHttp.get(port, "/topics?topic=sports"));
      }
      clients.add(RawHttp.get(port, "/topics?topic=sports&topic=tech"));
      clients.add(RawHttp.get(port, "/topics?topic=tech&topic=sports"));
      awaitSubscribers(8);
      for (int i : new int[] {6, 0, 3}) {
        clients.set(i, null).close();
      }
      awaitSubscribers(5);
      broadcaster.publish("sports", SseEvent.of("goal"));
      for (RawHttp client : clients) {
        if (client != null) {
          assertThat(client.readUntil("goal", 5000)).isEqualTo("id: 1\ndata: goal\n\n");
        }
      }
      broadcaster.publish("tech", SseEvent.of("chip"));
      assertThat(clients.get(7).readUntil("chip", 5000)).endsWith("id: 2\ndata: chip\n\n");
    } finally {
      for (RawHttp client : clients) {
        if (client != null) {
          client.close();
        }
      }
    }
    awaitSubscribers(0);
  }

  @Test
  @DisplayName("a subscriber with Last-Event-ID gets every later event, then live ones")
  void resume() throws Exception {
    int port = start();
    for (int i = 1; i <= 10; i++) {
      broadcaster.publish(i % 2 == 0 ? "even" : "odd", SseEvent.of("e" + i));
    }
    try (RawHttp http = RawHttp.get(port, "/topics?topic=even", "Last-Event-ID: 5")) {
      assertThat(replays.poll(5, TimeUnit.SECONDS)).isEqualTo(Replay.RESUMED);
      awaitSubscribers(1);
      broadcaster.publish("even", SseEvent.of("e12"));
      assertThat(http.readUntil("e12", 5000))
          .isEqualTo(
              "id: 6\ndata: e6\n\nid: 8\ndata: e8\n\nid: 10\ndata: e10\n\nid: 11\ndata: e12\n\n");
    }
  }

  @Test
  @DisplayName(
      "clients coming back in the same pass each get exactly their own backlog, whether they share"
          + " it or not")
  void resumeTogether() throws Exception {
    Broadcaster<Void> windowed = windowed(Duration.ofMillis(300)); // the subscriptions share passes
    startOneLoop(
        "/topics",
        (req, stream) ->
            windowed.subscribe(stream, Set.copyOf(req.queryAll("topic")), stream.lastEventId()));
    for (int i = 1; i <= 10; i++) {
      windowed.publish(i % 2 == 0 ? "even" : "odd", SseEvent.of("e" + i));
    }
    String[][] cases = {
      {"/topics?topic=even", "5", "id: 6\ndata: e6\n\nid: 8\ndata: e8\n\nid: 10\ndata: e10\n\n"},
      {"/topics?topic=even", "7", "id: 8\ndata: e8\n\nid: 10\ndata: e10\n\n"},
      {
        "/topics?topic=even&topic=odd",
        "7",
        "id: 8\ndata: e8\n\nid: 9\ndata: e9\n\nid: 10\ndata: e10\n\n"
      },
    };
    List<RawHttp> clients = new ArrayList<>();
    try {
      for (String[] c : cases) { // four in a row from the same ID share one buffer
        for (int i = 0; i < 4; i++) {
          clients.add(RawHttp.get(server.port(), c[0], "Last-Event-ID: " + c[1]));
        }
      }
      for (int i = 0; i < clients.size(); i++) {
        String expected = cases[i / 4][2];
        assertThat(clients.get(i).readUntil("data: e10\n\n", 5000))
            .as("client %d", i)
            .isEqualTo(expected);
      }
      windowed.publish("even", SseEvent.of("live"));
      for (int i = 0; i < clients.size(); i++) {
        assertThat(clients.get(i).readUntil("data: live\n\n", 5000))
            .isEqualTo(cases[i / 4][2] + "id: 11\ndata: live\n\n");
      }
    } finally {
      for (RawHttp client : clients) {
        client.close();
      }
    }
  }

  @Test
  @DisplayName("an unknown last event ID is reported, and the stream starts live")
  void unknownId() throws Exception {
    int port = start();
    broadcaster.publish("a", SseEvent.of("old"));
    try (RawHttp http = RawHttp.get(port, "/topics?topic=a&lastEventId=nope")) {
      assertThat(replays.poll(5, TimeUnit.SECONDS)).isEqualTo(Replay.UNKNOWN_ID);
      awaitSubscribers(1);
      broadcaster.publish("a", SseEvent.of("new"));
      assertThat(http.readUntil("new", 5000)).isEqualTo("id: 2\ndata: new\n\n");
    }
  }

  @Test
  @DisplayName(
      "a broadcaster outlives a server: publishing after a stop is fine, a new server resumes")
  void serverRestart() throws Exception {
    int port = start();
    try (RawHttp http = RawHttp.get(port, "/topics?topic=r")) {
      awaitSubscribers(1);
      broadcaster.publish("r", SseEvent.of("one"));
      http.readUntil("one", 5000);
    }
    server.close(Duration.ZERO);
    assertThat(broadcaster.publish("r", SseEvent.of("two"))).isEqualTo("2");
    assertThat(broadcaster.subscribers()).isZero();
    port = start();
    try (RawHttp http = RawHttp.get(port, "/topics?topic=r", "Last-Event-ID: 1")) {
      assertThat(http.readUntil("two", 5000)).isEqualTo("id: 2\ndata: two\n\n");
    }
  }

  @Test
  @DisplayName("no gap and no duplicate while publishes race the subscribes")
  void raceFree() throws Exception {
    int port = start(32 * 1024 * 1024); // the clients read only at the end
    int total = 20_000;
    broadcaster.publish("race", SseEvent.of("1"));
    AtomicLong last = new AtomicLong(1);
    Thread publisher =
        new Thread(
            () -> {
              for (long i = 2; i <= total; i++) {
                broadcaster.publish("race", SseEvent.of(Long.toString(i)));
                last.set(i);
                if (i % 20 == 0) {
                  sleep(1); // paced, so that subscriptions land in the middle of it
                }
              }
            });
    List<RawHttp> clients = new ArrayList<>();
    List<Long> resumedFrom = new ArrayList<>();
    publisher.start();
    try {
      for (int c = 0; c < 20 && last.get() < total; c++) {
        long from = Math.max(1, last.get() - c * 7); // some already-published event
        resumedFrom.add(from);
        clients.add(RawHttp.get(port, "/topics?topic=race", "Last-Event-ID: " + from));
        assertThat(replays.poll(10, TimeUnit.SECONDS)).isEqualTo(Replay.RESUMED);
      }
      publisher.join(60_000);
      assertThat(publisher.isAlive()).isFalse();
      assertThat(clients).isNotEmpty();
      for (int c = 0; c < clients.size(); c++) {
        List<Long> ids = ids(clients.get(c).readUntil("id: " + total + "\n", 30_000));
        long from = resumedFrom.get(c);
        assertThat(ids).as("client %d resumed from %d", c, from).hasSize((int) (total - from));
        for (int i = 0; i < ids.size(); i++) {
          assertThat(ids.get(i))
              .as("client %d, event %d: no gap, no duplicate", c, i)
              .isEqualTo(from + 1 + i);
        }
      }
    } finally {
      for (RawHttp c : clients) {
        c.close();
      }
    }
  }

  @Test
  @DisplayName("publishes that outpace an event loop do not keep it from answering new requests")
  void publishesDoNotStarveTheLoop() throws Exception {
    // One event loop, and a subscriber whose filter costs that loop a millisecond per event, as a
    // loaded machine might: events come about four times faster than the loop hands them out.
    AtomicBoolean slow = new AtomicBoolean(true);
    Interest<Object> costly =
        new Interest<>() {
          @Override
          public Set<String> topics() {
            return Set.of("busy");
          }

          @Override
          public boolean filters() {
            return true;
          }

          @Override
          public boolean wants(LoggedEvent<?> event) {
            if (slow.get()) {
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            return true;
          }
        };
    server =
        HeraldServer.builder()
            .port(0)
            .eventLoopThreads(1)
            .maxPendingBytes(32 * 1024 * 1024)
            .sse("/busy", (req, stream) -> broadcaster.subscribe(stream, costly, null))
            .sse(
                "/topics",
                (req, stream) -> replays.add(broadcaster.subscribe(stream, Set.of("quiet"), null)))
            .build()
            .start();
    int port = server.port();
    AtomicBoolean stop = new AtomicBoolean();
    Thread publisher =
        new Thread(
            () -> {
              long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
              for (int i = 1; !stop.get() && System.nanoTime() < until; i++) {
                broadcaster.publish("busy", SseEvent.of("x"));
                if (i % 4 == 0) {
                  sleep(1);
                }
              }
            });
    try (RawHttp busy = RawHttp.get(port, "/busy")) {
      awaitSubscribers(1);
      publisher.start();
      Thread.sleep(300); // hundreds of events wait for the loop by now
      long t0 = System.nanoTime();
      try (RawHttp fresh = RawHttp.get(port, "/topics?topic=quiet")) {
        long headMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(fresh.status).isEqualTo(200);
        assertThat(headMillis).as("the new stream's head waited (ms)").isLessThan(2000);
        assertThat(replays.poll(5, TimeUnit.SECONDS)).isEqualTo(Replay.LIVE);
      }
      stop.set(true);
      publisher.join(10_000);
      slow.set(false);
      String last = broadcaster.publish("busy", SseEvent.of("last"));
      assertThat(busy.readUntil("id: " + last + "\n", 30_000)).endsWith("data: last\n\n");
    } finally {
      stop.set(true);
      slow.set(false);
      publisher.join(10_000);
    }
  }

  @Test
  @DisplayName(
      "the history is bounded by count, bytes and age; a repeated id resolves to the earliest")
  void ringBounds() {
    RingEventLog<Void> byCount = RingEventLog.builder().maxEvents(3).build();
    Broadcaster<Void> b = Broadcaster.create(byCount);
    for (int i = 0; i < 5; i++) {
      b.publish("t", SseEvent.of("x" + i));
    }
    assertThat(byCount.size()).isEqualTo(3);
    assertThat(byCount.after("2")).isEmpty();
    assertThat(byCount.after("3").orElseThrow())
        .extracting(e -> e.event().data())
        .containsExactly("x3", "x4");

    RingEventLog<Void> byBytes = RingEventLog.builder().maxBytes(100).build();
    Broadcaster<Void> bb = Broadcaster.create(byBytes);
    for (int i = 0; i < 10; i++) {
      bb.publish("t", SseEvent.of("y".repeat(30)));
    }
    assertThat(byBytes.size()).isEqualTo(2); // "id: n\ndata: 30 bytes\n\n" is 43+ bytes

    MutableClock clock = new MutableClock();
    RingEventLog<Void> byAge =
        RingEventLog.builder().maxAge(Duration.ofSeconds(10)).clock(clock).build();
    byAge.append(Set.of("t"), SseEvent.builder().id("a").data("1").build(), null);
    clock.advance(Duration.ofSeconds(6));
    byAge.append(Set.of("t"), SseEvent.builder().id("a").data("2").build(), null);
    byAge.append(Set.of("t"), SseEvent.builder().id("b").data("3").build(), null);
    assertThat(byAge.after("a").orElseThrow())
        .extracting(e -> e.event().data())
        .containsExactly("2", "3");
    clock.advance(Duration.ofSeconds(5));
    assertThat(byAge.size()).isEqualTo(2);
    assertThat(byAge.after("a"))
        .as("the earliest 'a' expired; the later one is not used")
        .isEmpty();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<Long> ids(String stream) {
    List<Long> ids = new ArrayList<>();
    SseParser parser = new SseParser(e -> ids.add(Long.parseLong(e.id())));
    parser.feed(stream.getBytes(StandardCharsets.UTF_8));
    return ids;
  }

  /** A clock the test moves. */
  static final class MutableClock extends java.time.Clock {
    private java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }
}
