package dev.herald.bench.load;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The scenarios, each run against one {@link Rig}; each returns its result as a tree of maps and
 * lists, ready for JSON, and prints a line of progress per step.
 */
final class Scenarios {
  /** Default subscriber counts of the fan-out scenario. */
  static final List<Integer> FANOUT_SUBSCRIBERS = List.of(100, 1_000, 10_000, 19_000);

  /**
   * Deliveries per second offered by the fan-out warm-up and probe: above what this machine can
   * deliver, even to a server that writes several events at once.
   */
  static final double PROBE_DELIVERIES = 4_000_000;

  /** Seconds of the fan-out probe. */
  static final double PROBE_SECONDS = 3;

  /** Fractions of the probe's delivered rate tried, in order, until one loses nothing. */
  static final double[] TRIAL_FRACTIONS = {1.0, 0.85, 0.7, 0.55, 0.4, 0.25};

  /** How long subscribers may take to receive the last event once it is acknowledged. */
  static final long DRAIN_MILLIS = 2_000;

  /** How long to wait for events still missing after the drain, to tell lost from late. */
  static final long LATE_MILLIS = 20_000;

  /** How far behind its schedule the publisher may fall in a trial that passes. */
  static final long MAX_LAG_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Storms of the same size run before the measured one of the reconnect scenario. */
  static final int STORM_REHEARSALS = 2;

  /** Seconds of publishing to an unread channel before publish throughput is measured. */
  static final double PUBLISH_WARMUP_SECONDS = 5;

  private static final double[] PERCENTILES = {50, 90, 99, 99.9, 100};
  private static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9", "max"};

  private final PrintWriter log;

  Scenarios(PrintWriter log) {
    this.log = log;
  }

  private void say(String format, Object... args) {
    log.printf(format + "%n", args);
    log.flush();
  }

  // ---- fan-out

  /**
   * The most deliveries per second with zero loss at {@code n} subscribers: a warm-up (a JIT
   * compiler that has not compiled the server's write path yet would make the probe measure
   * interpreted code), then a probe well above capacity measures what the server delivers when
   * saturated; then trials at falling fractions of that rate, each on a fresh channel and fresh
   * connections, until one delivers every event to every subscriber, with no gap, duplicate or
   * dropped connection, keeping up with the schedule. The warm-up and the probe publish on the
   * schedule for their seconds and stop there, however far behind.
   */
  Map<String, Object> fanout(Rig rig, int n, int bytes, double seconds, double warmup) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("subscribers", n);
    r.put("bytes", bytes);
    if (warmup > 0) {
      Map<String, Object> w = trial(rig, n, PROBE_DELIVERIES / n, warmup, bytes, false);
      r.put("warmupDeliveriesPerSecond", Math.round((double) w.get("deliveredPerSecondMedian")));
      say(
          "  fanout %s N=%,d %dB: warm-up delivered %,.0f/s",
          rig.server.name, n, bytes, (double) w.get("deliveredPerSecondMedian"));
    }
    Map<String, Object> probe = trial(rig, n, PROBE_DELIVERIES / n, PROBE_SECONDS, bytes, false);
    double saturated = (double) probe.get("deliveredPerSecondMedian");
    r.put("saturatedDeliveriesPerSecond", Math.round(saturated));
    say(
        "  fanout %s N=%,d %dB: saturated at %,.0f deliveries/s",
        rig.server.name, n, bytes, saturated);
    List<Map<String, Object>> trials = new ArrayList<>();
    trials.add(probe);
    Map<String, Object> passed = null;
    for (double f : TRIAL_FRACTIONS) {
      if (saturated <= 0) {
        break;
      }
      Map<String, Object> t = trial(rig, n, f * saturated / n, seconds, bytes, true);
      trials.add(t);
      say(
          "  fanout %s N=%,d: offered %,.0f/s, delivered %,.0f/s: %s",
          rig.server.name,
          n,
          f * saturated,
          (double) t.get("deliveredPerSecond"),
          t.get("verdict"));
      if ((boolean) t.get("zeroLoss")) {
        passed = t;
        break;
      }
    }
    r.put(
        "zeroLossDeliveriesPerSecond",
        passed == null ? null : Math.round((double) passed.get("deliveredPerSecond")));
    r.put("trials", trials);
    return r;
  }

  /** One fan-out trial on a fresh channel; {@code drain}: wait for, and judge, every delivery. */
  private Map<String, Object> trial(
      Rig rig, int n, double ratePerSecond, double seconds, int bytes, boolean drain) {
    String channel = Rig.channel("fan");
    Map<String, Object> t = new LinkedHashMap<>();
    Rig.Connected c = rig.connect(n, channel, 1);
    t.put("offeredDeliveriesPerSecond", Math.round(ratePerSecond * n));
    t.put("publishesPerSecond", ratePerSecond);
    t.put("seconds", seconds);
    t.put("connect", c.toMap());
    if (c.established < n) {
      rig.clear();
      t.put("zeroLoss", false);
      t.put("deliveredPerSecond", 0.0);
      t.put("deliveredPerSecondMedian", 0.0);
      t.put("missing", "-");
      t.put("duplicates", "-");
      return t;
    }
    rig.stats(); // starts a fresh latency interval
    long count = Math.max(1, Math.round(ratePerSecond * seconds));
    Sampler sampler = new Sampler(rig);
    CompletableFuture<Rig.Published> pub =
        CompletableFuture.supplyAsync( // a probe stops on time, however far behind
            () ->
                rig.publish(
                    channel, ratePerSecond, count, bytes, drain ? 0 : Math.round(seconds * 1000)));
    List<Double> perSecond = sampler.run(pub);
    Rig.Published p = pub.join();
    long caught = drain ? rig.await(p.lastSeq, DRAIN_MILLIS) : -1;
    Rig.Received rec = rig.stats();
    long missing = drain ? rig.missing(p.lastSeq) : -1;
    long lost = missing;
    if (missing > 0) { // lost, or only late? waiting longer tells
      rig.await(p.lastSeq, LATE_MILLIS);
      lost = rig.missing(p.lastSeq);
    }
    rig.clear();
    double elapsed = (Math.max(rec.lastEventNanos, p.endNanos) - p.startNanos) / 1e9;
    double delivered = elapsed > 0 ? rec.events / elapsed : 0;
    List<String> faults = new ArrayList<>();
    if (p.failed > 0 || p.acked < count) {
      faults.add((count - p.acked) + " publishes not acknowledged");
    }
    if (p.maxLagNanos > MAX_LAG_NANOS) {
      faults.add(String.format("publisher %.0f ms behind schedule", p.maxLagNanos / 1e6));
    }
    if (lost > 0) {
      faults.add(lost + " events lost");
    }
    if (missing > lost) {
      faults.add((missing - lost) + " events later than " + DRAIN_MILLIS + " ms");
    }
    if (rec.duplicates > 0) {
      faults.add(rec.duplicates + " duplicates");
    }
    if (rec.late > 0) {
      faults.add(rec.late + " events more than " + SequenceTracker.WINDOW + " behind (unchecked)");
    }
    if (rec.open < n) {
      faults.add((n - rec.open) + " connections closed by the server");
    }
    boolean zeroLoss = drain && faults.isEmpty() && caught == n;
    t.put("verdict", !drain ? "probe" : zeroLoss ? "zero loss" : String.join("; ", faults));
    t.put("published", p.acked);
    t.put("publishFailed", p.failed);
    t.put("publisherMaxLagMillis", p.maxLagNanos / 1e6);
    t.put("received", rec.events);
    t.put("expected", p.acked * n);
    t.put("missing", drain ? missing : "-");
    t.put("lost", drain ? lost : "-");
    t.put("duplicates", rec.duplicates);
    t.put("late", rec.late);
    t.put("stillOpen", rec.open);
    t.put("caughtUp", drain ? caught : "-");
    t.put("deliveredPerSecond", delivered);
    t.put("deliveredPerSecondMedian", median(perSecond));
    t.put("deliveredPerSecondSamples", perSecond);
    t.put("latencyMillis", percentiles(rec.latency));
    t.put("zeroLoss", zeroLoss);
    return t;
  }

  /** Samples the delivered rate every half second while a publish runs. */
  private static final class Sampler {
    private final Rig rig;

    Sampler(Rig rig) {
      this.rig = rig;
    }

    List<Double> run(CompletableFuture<?> until) {
      List<Double> rates = new ArrayList<>();
      long lastEvents = rig.count();
      long lastNanos = System.nanoTime();
      while (!until.isDone()) {
        try {
          until.get(500, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          long events = rig.count();
          long now = System.nanoTime();
          rates.add((events - lastEvents) / ((now - lastNanos) / 1e9));
          lastEvents = events;
          lastNanos = now;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          break;
        }
      }
      // the first sample includes the ramp-up, the last may be cut short
      if (rates.size() > 2) {
        return new ArrayList<>(rates.subList(1, rates.size() - 1));
      }
      return rates;
    }
  }

  // ---- latency

  /**
   * Publish-to-receive latency at {@code deliveries} per second over {@code n} subscribers: a
   * warm-up, then the measured part, on an open-loop schedule.
   */
  Map<String, Object> latency(
      Rig rig, int n, double deliveries, int bytes, double warmup, double seconds) {
    String channel = Rig.channel("lat");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("subscribers", n);
    r.put("deliveriesPerSecond", deliveries);
    r.put("bytes", bytes);
    r.put("warmupSeconds", warmup);
    r.put("seconds", seconds);
    Rig.Connected c = rig.connect(n, channel, 1);
    r.put("connect", c.toMap());
    double rate = deliveries / n;
    long count = Math.round(rate * (warmup + seconds));
    CompletableFuture<Rig.Published> pub =
        CompletableFuture.supplyAsync(() -> rig.publish(channel, rate, count, bytes));
    sleep(warmup);
    rig.stats(); // the warm-up's latencies are dropped here
    Rig.Published p = pub.join();
    long caught = rig.await(p.lastSeq, 5_000);
    Rig.Received rec = rig.stats();
    long missing = rig.missing(p.lastSeq);
    rig.clear();
    r.put("published", p.acked);
    r.put("publishFailed", p.failed);
    r.put("publisherMaxLagMillis", p.maxLagNanos / 1e6);
    r.put("measuredEvents", rec.latency.getTotalCount());
    r.put("missing", missing);
    r.put("duplicates", rec.duplicates);
    r.put("caughtUp", caught);
    r.put("latencyMillis", percentiles(rec.latency));
    say(
        "  latency %s N=%,d %,.0f/s: %s, missing %d",
        rig.server.name, n, deliveries, r.get("latencyMillis"), missing);
    return r;
  }

  // ---- idle capacity

  /**
   * Idle subscribers ramped up to {@code max}: at each step the server's live heap (JVMs, after a
   * full collection), its resident and proportional memory, and the kernel's slab; connections
   * refused or failed past the server's limit.
   */
  Map<String, Object> idle(Rig rig, int max) {
    String channel = Rig.channel("idle");
    Map<String, Object> r = new LinkedHashMap<>();
    List<Integer> steps = new ArrayList<>();
    for (int s : new int[] {1_000, 5_000, 10_000, 15_000, 19_000}) {
      if (s < max) {
        steps.add(s);
      }
    }
    steps.add(max);
    Map<String, Object> base = memory(rig);
    r.put("baseline", base);
    say("  idle %s: baseline %s", rig.server.name, base);
    List<Map<String, Object>> rows = new ArrayList<>();
    int asked = 0;
    int established = 0;
    int unsuccessful = 0;
    for (int step : steps) {
      Rig.Connected c = rig.connect(step - asked, channel, 1);
      asked = step;
      established += c.established;
      unsuccessful += c.unsuccessful();
      sleep(2);
      Rig.Received rec = rig.stats();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("asked", step);
      row.put("established", established);
      row.put("open", rec.open);
      row.put("connect", c.toMap());
      Map<String, Object> mem = memory(rig);
      row.put("memory", mem);
      if (rec.open > 0) {
        row.put("perSubscriber", perSubscriber(base, mem, rec.open));
      }
      rows.add(row);
      say(
          "  idle %s: %,d asked, %,d open, %,d not established; %s",
          rig.server.name, step, rec.open, unsuccessful, row.get("perSubscriber"));
    }
    rig.clear();
    r.put("steps", rows);
    return r;
  }

  private static Map<String, Object> memory(Rig rig) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Long> pids = rig.server.pids();
    if (rig.server.jvm && !pids.isEmpty()) {
      m.put("liveHeapBytes", ProcessMetrics.liveHeapBytes(rig.server.pid()));
    }
    ProcessMetrics.Memory mem = ProcessMetrics.memory(pids);
    m.put("rssKib", mem.rssKib);
    m.put("pssKib", mem.pssKib);
    m.put("privateKib", mem.privateKib);
    m.put("slabKib", ProcessMetrics.slabKib());
    return m;
  }

  private static Map<String, Object> perSubscriber(
      Map<String, Object> base, Map<String, Object> now, int n) {
    Map<String, Object> p = new LinkedHashMap<>();
    for (String k : List.of("liveHeapBytes", "rssKib", "pssKib", "privateKib", "slabKib")) {
      if (base.get(k) instanceof Long && now.get(k) instanceof Long) {
        double delta = (long) now.get(k) - (long) base.get(k);
        double perSub = k.endsWith("Bytes") ? delta / 1024 / n : delta / n;
        String name = k.replace("Bytes", "Kib").replace("liveHeapKib", "liveHeapKib");
        p.put(name, Math.round(perSub * 100) / 100.0);
      }
    }
    return p;
  }

  // ---- reconnect storm

  /**
   * {@code n} subscribers lose their connections together; while they are away {@code back} events
   * are published; then all reconnect at once with their {@code Last-Event-ID}. Measures the time
   * until all are connected and until all have caught up, and the gaps and duplicates.
   */
  Map<String, Object> reconnect(Rig rig, int n, int back, int bytes) {
    String channel = Rig.channel("storm");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("subscribers", n);
    r.put("eventsBehind", back);
    // the same storm twice first, on channels of their own: a server just started (a JVM's JIT,
    // and the load processes' own) is still compiling its connection path through a smaller one
    for (int i = 0; i < STORM_REHEARSALS; i++) {
      warmUpStorm(rig, n, back, bytes);
    }
    Rig.Connected c = rig.connect(n, channel, 1);
    r.put("connect", c.toMap());
    int warm = 10;
    Rig.Published first = rig.publish(channel, 100, warm, bytes);
    r.put("caughtUpBefore", rig.await(first.lastSeq, 10_000));
    rig.disconnect();
    Rig.Published away = rig.publish(channel, 1_000, back, bytes);
    long start = System.nanoTime();
    Rig.Connected again = rig.reconnect();
    double connectedMillis = (System.nanoTime() - start) / 1e6;
    long caught = rig.await(away.lastSeq, 120_000);
    double caughtUpMillis = (System.nanoTime() - start) / 1e6;
    Rig.Received rec = rig.stats();
    long missing = rig.missing(away.lastSeq);
    rig.clear();
    r.put("reconnect", again.toMap());
    r.put("allConnectedMillis", Math.round(connectedMillis));
    r.put("allCaughtUpMillis", Math.round(caughtUpMillis));
    r.put("caughtUp", caught);
    r.put("missing", missing);
    r.put("duplicates", rec.duplicates);
    r.put("late", rec.late);
    say(
        "  reconnect %s N=%,d back=%d: connected %.0f ms, caught up %.0f ms (%d of %d), missing"
            + " %d, duplicates %d",
        rig.server.name,
        n,
        back,
        connectedMillis,
        caughtUpMillis,
        caught,
        n,
        missing,
        rec.duplicates);
    return r;
  }

  private static void warmUpStorm(Rig rig, int n, int back, int bytes) {
    String channel = Rig.channel("storm-warmup");
    rig.connect(n, channel, 1);
    Rig.Published first = rig.publish(channel, 100, 10, bytes);
    rig.await(first.lastSeq, 10_000);
    rig.disconnect();
    Rig.Published away = rig.publish(channel, 1_000, back, bytes);
    rig.reconnect();
    rig.await(away.lastSeq, 30_000);
    rig.clear();
  }

  // ---- subscribers held by a cluster

  /** Subscribers the {@code held} scenario opens by default: 15,000 on each of three nodes. */
  static final int CLUSTER_HELD = 45_000;

  /**
   * How many subscribers the target holds at once, spread over its nodes: opens {@code n}, then
   * publishes one event and counts those that receive it (held and live, not merely connected).
   */
  Map<String, Object> held(Rig rig, int n, int bytes) {
    String channel = Rig.channel("held");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("offered", n);
    r.put("nodes", rig.server.subUrls.size());
    Rig.Connected c = rig.connect(n, channel, 1);
    r.put("connect", c.toMap());
    Rig.Published p = rig.publish(channel, 100, 1, bytes);
    long live = rig.await(p.lastSeq, 30_000);
    r.put("held", live);
    r.put("memory", memory(rig));
    rig.clear();
    say(
        "  held %s: %,d of %,d subscribers over %d nodes received an event",
        rig.server.name, live, n, rig.server.subUrls.size());
    return r;
  }

  // ---- publish throughput

  /** Acknowledged publishes per second over several keep-alive connections, as fast as acked. */
  Map<String, Object> publish(Rig rig, int n, int bytes, double seconds) {
    String channel = Rig.channel("pub");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("subscribers", n);
    r.put("connections", rig.settings.publishers);
    r.put("bytes", bytes);
    // publishing to a channel nobody reads first: a server just started (a JVM's JIT) warms up
    rig.flood(Rig.channel("pub-warmup"), Math.round(PUBLISH_WARMUP_SECONDS * 1000), bytes);
    r.put("warmupSeconds", PUBLISH_WARMUP_SECONDS);
    Rig.Connected c = rig.connect(n, channel, 1);
    r.put("connect", c.toMap());
    Rig.Published p = rig.flood(channel, Math.round(seconds * 1000), bytes);
    long caught = rig.await(p.lastSeq, 10_000);
    Rig.Received rec = rig.stats();
    long missing = rig.missing(p.lastSeq);
    rig.clear();
    double acksPerSecond = p.acked / ((p.endNanos - p.startNanos) / 1e9);
    r.put("acked", p.acked);
    r.put("failed", p.failed);
    r.put("ackedPerSecond", Math.round(acksPerSecond));
    r.put("ackLatencyMillis", percentiles(p.ackLatency));
    r.put("missing", missing);
    r.put("duplicates", rec.duplicates);
    r.put("caughtUp", caught);
    say(
        "  publish %s: %,.0f acknowledged publishes/s; subscribers missing %d",
        rig.server.name, acksPerSecond, missing);
    return r;
  }

  // ---- helpers

  static Map<String, Object> percentiles(Histogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < PERCENTILES.length; i++) {
      m.put(PERCENTILE_NAMES[i], Math.round(Histograms.millis(h, PERCENTILES[i]) * 1000) / 1000.0);
    }
    m.put("count", h.getTotalCount());
    return m;
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static void sleep(double seconds) {
    try {
      Thread.sleep(Math.round(seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
