package dev.herald.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catch-up of a large backlog completes: subscribers resuming with {@code Last-Event-ID} from far
 * behind — one alone, then many at once — receive every later update exactly once, in order, from a
 * hub process whose history is mostly in SQLite (a small in-memory window), while updates keep
 * being published; none is cut off as a slow consumer. Three shapes of backlog: many small updates,
 * few large ones, and one beyond every buffer (the slow-consumer budget, the page cache, the
 * sockets').
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatchUpTest {
  private static final int BACKLOG_PUBLISHERS = 4;
  private static final int MANY = 200;
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

  private HubProcess hub;
  private Publisher publisher;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    hub =
        HubProcess.builder(dir)
            .option("--sqlite=" + dir.resolve("herald.db"))
            .option("--sqlite-synchronous=NORMAL") // durability is KillNineTest's subject
            .option("--history-window=1000")
            .option("--anonymous-publishers")
            .option("--anonymous-subscribers")
            .start();
    publisher = new Publisher(hub);
  }

  @AfterAll
  void stop() {
    hub.close();
  }

  @Test
  @DisplayName("20,000 updates of 200 B: caught up by 1 subscriber, then by 200 at once")
  void manySmall() throws Exception {
    catchUp("many-small", 20_000, 200, MANY);
  }

  @Test
  @DisplayName("100 updates of 100 KiB: caught up by 1 subscriber, then by 200 at once")
  void fewLarge() throws Exception {
    catchUp("few-large", 100, 100 * 1024, MANY);
  }

  @Test
  @DisplayName("64 updates of 512 KiB (32 MiB): caught up by 1 subscriber, then by 50 at once")
  void beyondEveryBuffer() throws Exception {
    catchUp("beyond-buffers", 64, 512 * 1024, 50);
  }

  /** Publishes the backlog, then runs one subscriber, then {@code many}, and prints the figure. */
  private void catchUp(String name, int updates, int bytes, int many) throws Exception {
    String topic = "catchup-" + name;
    String marker = "marker-" + name; // unique: an ID resolves to the first update bearing it
    publisher.publish(topic, marker, "marker");
    // publisher -> [from, to) of the indices a resuming subscriber must receive
    Map<Integer, int[]> expected = publishBacklog(topic, updates, "x".repeat(bytes));
    long backlogBytes = (long) updates * bytes;
    List<String> runs = new ArrayList<>();
    long[] totals = new long[3]; // lost, duplicated, reordered
    int run = 0;
    for (int clients : new int[] {1, many}) {
      run++;
      String request = SseReaders.subscribeRequest(hub.port(), "match=" + topic, marker);
      AtomicBoolean caughtUp = new AtomicBoolean();
      long started = System.nanoTime();
      try (SseReaders readers =
          SseReaders.open(hub.port(), request, clients, Math.min(clients, 2), run, List.of())) {
        int live = publishLive(topic, 10 + run, run, readers, updates, caughtUp);
        expected.put(10 + run, new int[] {0, live});
        expected.put(IdTally.END, new int[] {1, run + 1});
        assertThat(readers.await(RUN_TIMEOUT)).as("every subscriber reached the end").isTrue();
        double seconds = (System.nanoTime() - started) / 1e9;
        Set<Long> sequences = new HashSet<>();
        for (SseReaders.Reader r : readers.readers()) {
          IdTally t = r.tally;
          assertThat(r.scanner.status()).isEqualTo(200);
          assertThat(r.scanner.head().toLowerCase(Locale.ROOT))
              .contains("mercure-last-event-id: " + marker);
          assertThat(t.endSeen()).as("the end came before the stream ended").isTrue();
          totals[0] += t.lost(expected);
          totals[1] += t.duplicates();
          totals[2] += t.reordered();
          assertThat(t.foreign(expected)).as("updates not published here").isZero();
          sequences.add(t.sequenceHash());
        }
        assertThat(totals).as("lost, duplicated, reordered").containsExactly(0, 0, 0);
        assertThat(sequences).as("every subscriber received the same sequence").hasSize(1);
        runs.add(
            String.format(
                Locale.ROOT,
                "%d subscriber%s in %.1f s (%,d live updates during)",
                clients,
                clients == 1 ? "" : "s at once",
                seconds,
                live));
      }
      assertThat(publisher.metric("herald_streams_slow_total")).as("cut off as slow").isZero();
    }
    Figures.print(
        "catch-up " + name,
        "%,d x %,d B = %.1f MB from SQLite (in-memory window 1,000) caught up by %s and %s"
            + " (%,.0f MB delivered); %d lost, %d duplicated, %d reordered; 0 slow-consumer"
            + " cut-offs",
        updates,
        bytes,
        backlogBytes / 1e6,
        runs.get(0),
        runs.get(1),
        backlogBytes * (1 + many) / 1e6,
        totals[0],
        totals[1],
        totals[2]);
  }

  /** Publishes {@code updates} on {@link #BACKLOG_PUBLISHERS} connections; returns the ranges. */
  private Map<Integer, int[]> publishBacklog(String topic, int updates, String data)
      throws Exception {
    Map<Integer, int[]> expected = new LinkedHashMap<>();
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = new ArrayList<>();
    for (int p = 0; p < BACKLOG_PUBLISHERS; p++) {
      int from = 0;
      int to = from + updates / BACKLOG_PUBLISHERS + (p < updates % BACKLOG_PUBLISHERS ? 1 : 0);
      expected.put(p, new int[] {from, to});
      int mine = p;
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int i = from; i < to; i++) {
                    publisher.publish(topic, mine, i, data);
                  }
                } catch (Exception e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              },
              "backlog-" + p);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
    return expected;
  }

  /**
   * Publishes small updates as publisher {@code live} every 5 ms until every subscriber has
   * received at least the backlog, then the end update {@code END-run}; returns how many.
   */
  private int publishLive(
      String topic, int live, int run, SseReaders readers, int backlog, AtomicBoolean caughtUp)
      throws Exception {
    AtomicInteger count = new AtomicInteger();
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (readers.fewestEvents() < backlog && System.nanoTime() < deadline) {
      publisher.publish(topic, live, count.getAndIncrement(), "live");
      Thread.sleep(5);
    }
    caughtUp.set(true);
    publisher.publish(topic, IdTally.END, run, "end");
    return count.get();
  }
}
