package dev.herald.bench.load;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
   * Deliveries per second offered by the fan-out warm-up and probe, and by calibrate's parts at
   * saturation: above what this machine can deliver, even to a server that writes several events at
   * once. (4,000,000 until one hub, read by a cheaper generator, took all of it: 3.7 million/s at
   * 1,000 subscribers.)
   */
  static final double PROBE_DELIVERIES = 12_000_000;

  /** Seconds of the fan-out probe. */
  static final double PROBE_SECONDS = 3;

  /**
   * Seconds of the fan-out probe of a cluster: its deliveries pass through Redis and three nodes'
   * queues, and climb for a few seconds of each probe as the nodes' passes grow; 3 s would sample
   * mostly that climb.
   */
  static final double CLUSTER_PROBE_SECONDS = 8;

  /**
   * Seconds of a cluster's fan-out warm-up: three JVMs (and the generator's) share two cores, and
   * their compilers are still at work after the single server's 5 s; measured on this machine, a
   * cluster's deliveries in its probes still grew after 30 s of load and no longer after 60 s.
   */
  static final double CLUSTER_WARMUP_SECONDS = 60;

  /** Samples (half a second each) a saturated rate rests on at least: probes repeat until then. */
  static final int MIN_PROBE_SAMPLES = 3;

  /** Probes run at most for one saturated rate. */
  static final int MAX_PROBES = 4;

  /**
   * How much more a server may take from a probe with twice the requests in flight before the first
   * probe counts as held back by the generator's window (run-to-run spread is about 10 %).
   */
  static final double WINDOW_GAIN = 1.2;

  /** What a probe's schedule must offer over what the server takes for the rate to count. */
  static final double MIN_OFFERED_OVER_TAKEN = 1.5;

  /** A load process busier than this share of its cores may be what limits a probe. */
  static final double BUSY_CPU = 0.9;

  /** How late the publisher may send on its own, not waiting on the server, in a probe. */
  static final long MAX_OWN_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** Warm-up seconds before each point of the latency curve (the JIT is warm by then). */
  static final double CURVE_POINT_WARMUP_SECONDS = 1;

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

  /**
   * Seconds of publishing to an unread channel before publish throughput is measured: a hub's JIT
   * spent half of its CPU compiling over its first 15 s of publishing, 2 % from then on (profiled,
   * session 11); after 5 s a hub on SQLite was measured at 27,062 publishes/s while it compiled,
   * over 37,000 once it was done.
   */
  static final double PUBLISH_WARMUP_SECONDS = 20;

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
    try (ThreadPeak threads = ThreadPeak.start(rig.server.pids())) {
      Map<String, Object> r = fanoutPoint(rig, n, bytes, seconds, warmup);
      // the threads the server used for this point: what a thread per connection costs shows here
      r.put("serverThreadsBefore", threads.before() < 0 ? null : threads.before());
      r.put("serverThreadsPeak", threads.peak() < 0 ? null : threads.peak());
      say(
          "  fanout %s N=%,d: server threads %s before, %s at most",
          rig.server.name,
          n,
          threads.before() < 0 ? "–" : threads.before(),
          threads.peak() < 0 ? "–" : threads.peak());
      return r;
    }
  }

  private Map<String, Object> fanoutPoint(
      Rig rig, int n, int bytes, double seconds, double warmup) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("subscribers", n);
    r.put("bytes", bytes);
    r.put("warmupSeconds", warmup);
    r.put("clientThreadsPerLoadProcess", rig.clientThreads());
    drain(rig, r);
    if (warmup > 0) {
      Map<String, Object> w = trial(rig, n, PROBE_DELIVERIES / n, warmup, bytes, false);
      requireConnected(rig, n, "warm-up", w);
      r.put("warmupDeliveriesPerSecond", Math.round((double) w.get("deliveredPerSecondMedian")));
      say(
          "  fanout %s N=%,d %dB: warm-up delivered %,.0f/s",
          rig.server.name, n, bytes, (double) w.get("deliveredPerSecondMedian"));
    }
    List<Map<String, Object>> probes = probe(rig, n, bytes, r);
    double saturated = ((Number) r.get("saturatedDeliveriesPerSecond")).doubleValue();
    List<Map<String, Object>> trials = new ArrayList<>(probes);
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
      if (t.get("generator") == null) {
        // the server no longer takes the subscribers: lower rates would only wait for it again
        r.put("trialsStopped", t.get("verdict"));
        say(
            "  fanout %s N=%,d: trials stopped: the subscribers could not connect",
            rig.server.name, n);
        break;
      }
    }
    r.put(
        "zeroLossDeliveriesPerSecond",
        passed == null ? null : Math.round((double) passed.get("deliveredPerSecond")));
    r.put("trials", trials);
    return r;
  }

  /**
   * The saturated rate at {@code n} subscribers: probes offering {@link #PROBE_DELIVERIES}, each on
   * fresh connections. The first and third have the settings' requests in flight (publisher
   * connections × pipeline depth), the second twice as many: a server that took more than {@link
   * #WINDOW_GAIN} times as much from the second as from the better of the others was held back by
   * the generator's window, not saturated, and only the second counts (flagged); otherwise all
   * three count. Probes repeat (at most {@link #MAX_PROBES}) until their half-second samples number
   * {@link #MIN_PROBE_SAMPLES}. Puts the median of the samples, their spread and the generator's
   * verdict into {@code r}; returns the probes.
   */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> probe(Rig rig, int n, int bytes, Map<String, Object> r) {
    double seconds =
        rig.settings.probeSeconds > 0
            ? rig.settings.probeSeconds
            : rig.server.severalNodes() ? CLUSTER_PROBE_SECONDS : PROBE_SECONDS;
    double rate = PROBE_DELIVERIES / n;
    int depth = rig.settings.pipeline;
    double shownBefore = offer(rig, rate, bytes, 2 * depth);
    // the settings' window, twice that, the settings' again: a server still warming up (or a
    // machine drifting) then favours neither window
    Map<String, Object> first = trial(rig, n, rate, seconds, bytes, false, depth);
    requireConnected(rig, n, "probe", first);
    Map<String, Object> doubled = trial(rig, n, rate, seconds, bytes, false, 2 * depth);
    requireConnected(rig, n, "probe", doubled);
    Map<String, Object> again = trial(rig, n, rate, seconds, bytes, false, depth);
    requireConnected(rig, n, "probe", again);
    double takenFirst = Math.max(taken(first), taken(again));
    double takenDoubled = taken(doubled);
    boolean windowBound = takenDoubled > WINDOW_GAIN * takenFirst;
    List<Map<String, Object>> probes = new ArrayList<>(List.of(first, doubled, again));
    List<Map<String, Object>> counted =
        new ArrayList<>(windowBound ? List.of(doubled) : List.of(first, doubled, again));
    List<Double> samples = new ArrayList<>();
    counted.forEach(t -> samples.addAll((List<Double>) t.get("deliveredPerSecondSamples")));
    while (probes.size() < MAX_PROBES && samples.size() < MIN_PROBE_SAMPLES) {
      Map<String, Object> t =
          trial(rig, n, rate, seconds, bytes, false, windowBound ? 2 * depth : depth);
      requireConnected(rig, n, "probe", t);
      probes.add(t);
      counted.add(t);
      samples.addAll((List<Double>) t.get("deliveredPerSecondSamples"));
    }
    // shown before and after the probes: a server (or publisher) still warming up shows less
    double shown = Math.max(shownBefore, offer(rig, rate, bytes, 2 * depth));
    Map<String, Object> worst = null;
    for (Map<String, Object> t : counted) {
      Map<String, Object> g = (Map<String, Object>) t.get("generator");
      if (worst == null
          || ((Number) g.get("offeredOverTaken")).doubleValue()
              < ((Number) worst.get("offeredOverTaken")).doubleValue()) {
        worst = g;
      }
    }
    Map<String, Object> verdict = new LinkedHashMap<>(worst);
    Map<String, Object> check = new LinkedHashMap<>();
    check.put("inFlight", ((Map<String, Object>) first.get("generator")).get("inFlightCap"));
    check.put("takenPublishesPerSecond", Math.round(takenFirst));
    check.put(
        "inFlightDoubled", ((Map<String, Object>) doubled.get("generator")).get("inFlightCap"));
    check.put("takenPublishesPerSecondDoubled", Math.round(takenDoubled));
    check.put("windowBound", windowBound);
    verdict.put("windowCheck", check);
    double takenMost = Math.max(takenFirst, takenDoubled);
    verdict.put("shownOfferPublishesPerSecond", Math.round(shown));
    verdict.put(
        "shownOverTaken", takenMost > 0 ? Math.round(shown / takenMost * 100) / 100.0 : 999.0);
    List<String> limits = new ArrayList<>();
    // a server that took more than it could deliver, in every counted probe, was saturated by its
    // fan-out whatever the publisher could add
    double leastBehind =
        counted.stream()
            .mapToDouble(
                t ->
                    ((Number) ((Map<String, Object>) t.get("generator")).get("owedOverDelivered"))
                        .doubleValue())
            .min()
            .orElse(0);
    verdict.put("leastOwedOverDelivered", leastBehind);
    if (shown < MIN_OFFERED_OVER_TAKEN * takenMost && leastBehind < MIN_OFFERED_OVER_TAKEN) {
      limits.add(
          String.format(
              "the generator pushed only %,.0f publishes/s even to a channel nobody reads, under"
                  + " %.1f× the %,.0f/s the server took with %,d subscribers",
              shown, MIN_OFFERED_OVER_TAKEN, takenMost, n));
    }
    if (windowBound) {
      limits.add(
          String.format(
              "the in-flight window held the server back (%,.0f publishes/s taken with %s in"
                  + " flight at best, %,.0f with %s; the rate is from the latter): raise --pipeline"
                  + " or --publishers",
              takenFirst, check.get("inFlight"), takenDoubled, check.get("inFlightDoubled")));
    }
    if (!Boolean.TRUE.equals(worst.get("saturates"))) {
      limits.add(String.valueOf(worst.get("verdict")));
    }
    verdict.put("saturates", limits.isEmpty());
    verdict.put("verdict", limits.isEmpty() ? "saturates the server" : String.join("; ", limits));
    double saturated = median(samples);
    double lo = samples.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double hi = samples.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    r.put("saturatedDeliveriesPerSecond", Math.round(saturated));
    r.put("saturatedSamples", samples.stream().map(Math::round).toList());
    r.put("saturatedLowest", Math.round(lo));
    r.put("saturatedHighest", Math.round(hi));
    r.put("probes", probes.size());
    r.put("probeSeconds", seconds);
    r.put("generator", verdict);
    say(
        "  %s N=%,d %dB: saturated at %,.0f deliveries/s (median of %d samples, %,.0f–%,.0f);"
            + " generator: %s",
        rig.server.name, n, bytes, saturated, samples.size(), lo, hi, verdict.get("verdict"));
    if (samples.size() < MIN_PROBE_SAMPLES) {
      String why = shortProbes(probes, seconds);
      r.put("samplesWarning", why);
      say(
          "  warning: only %d samples after %d probes%s",
          samples.size(), probes.size(), why.isEmpty() ? "" : ": " + why);
    }
    return probes;
  }

  /**
   * Why probes gave too few samples, if their publishing ended early: a probe is sampled only while
   * its publish runs, and a server that closes the publisher's keep-alive connections (Tomcat's 100
   * requests per connection, say) ends the run when the last one goes. "" if none ended early.
   */
  static String shortProbes(List<Map<String, Object>> probes, double seconds) {
    for (Map<String, Object> t : probes) {
      Object ran = t.get("publishSeconds");
      if (ran instanceof Number && ((Number) ran).doubleValue() < seconds * 0.75) {
        return String.format(
            Locale.ROOT,
            "a probe published for %.2f s of %.2f (%s publishes acknowledged, %s failed): did the"
                + " server close the publisher's connections?",
            ((Number) ran).doubleValue(),
            seconds,
            t.get("published"),
            t.get("publishFailed"));
      }
    }
    return "";
  }

  /**
   * Fails the fan-out point if not every subscriber of a warm-up or probe connected: it measured
   * nothing then (a server that sends its response head only with the first event never gets its
   * subscribers counted as connected).
   */
  private static void requireConnected(Rig rig, int n, String what, Map<String, Object> t) {
    if (t.get("generator") == null) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT, "%s N=%,d %s: %s", rig.server.name, n, what, t.get("verdict")));
    }
  }

  /** Seconds of publishing to a channel nobody reads, to show what the generator can offer. */
  static final double OFFER_SECONDS = 2;

  /**
   * What the generator can offer, shown: publishes per second acknowledged when it publishes on the
   * probe's schedule, with {@code depth} in flight per connection, to a channel nobody reads —
   * through its own publisher and the server's publish path, without the fan-out. At least {@link
   * #MIN_OFFERED_OVER_TAKEN} times what a server takes at a fan-out point, it can saturate that
   * point. Run before and after a point's probes; the higher counts.
   */
  private static double offer(Rig rig, double rate, int bytes, int depth) {
    Rig.Published p =
        rig.publish(
            Rig.channel("offer"),
            rate,
            Math.max(1, Math.round(rate * OFFER_SECONDS)),
            bytes,
            Math.round(OFFER_SECONDS * 1000),
            depth);
    double window = (Math.max(p.lastAckNanos, p.startNanos + 1) - p.startNanos) / 1e9;
    return p.acked / window;
  }

  @SuppressWarnings("unchecked")
  private static double taken(Map<String, Object> trial) {
    Map<String, Object> g = (Map<String, Object>) trial.get("generator");
    return ((Number) g.get("takenPublishesPerSecond")).doubleValue();
  }

  /**
   * Waits, bounded, until the machine holds fewer sockets in {@code TIME_WAIT} than the settings
   * allow ({@link TimeWait}); says so and records it in {@code r} if it had to.
   */
  void drain(Rig rig, Map<String, Object> r) {
    TimeWait.Drained d = TimeWait.drain(rig.settings.timeWaitBelow, rig.settings.timeWaitSeconds);
    if (d != null) {
      say("  %s", d.describe(rig.settings.timeWaitBelow));
      r.put("timeWaitBefore", d.before());
      r.put("timeWaitAfter", d.after());
      r.put("timeWaitSeconds", d.seconds());
    }
  }

  /** One fan-out trial on a fresh channel; {@code drain}: wait for, and judge, every delivery. */
  private Map<String, Object> trial(
      Rig rig, int n, double ratePerSecond, double seconds, int bytes, boolean drain) {
    return trial(rig, n, ratePerSecond, seconds, bytes, drain, 0);
  }

  /** A trial with up to {@code depth} requests in flight per publisher connection (0: default). */
  private Map<String, Object> trial(
      Rig rig, int n, double ratePerSecond, double seconds, int bytes, boolean drain, int depth) {
    String channel = Rig.channel("fan");
    Map<String, Object> t = new LinkedHashMap<>();
    double settled = rig.settle();
    if (settled >= 1) {
      t.put("serverSettleSeconds", Math.round(settled * 10) / 10.0);
      say("  waited %.1f s for %s to close the last trial's connections", settled, rig.server.name);
    }
    Rig.Connected c = rig.connect(n, channel, 1);
    t.put("offeredDeliveriesPerSecond", Math.round(ratePerSecond * n));
    t.put("publishesPerSecond", ratePerSecond);
    t.put("seconds", seconds);
    t.put("connect", c.toMap());
    if (c.established < n) {
      rig.clear();
      t.put("verdict", c.shortfall(n));
      t.put("zeroLoss", false);
      t.put("deliveredPerSecond", 0.0);
      t.put("deliveredPerSecondMedian", 0.0);
      t.put("missing", "-");
      t.put("duplicates", "-");
      return t;
    }
    rig.stats(); // starts a fresh latency interval
    long count = Math.max(1, Math.round(ratePerSecond * seconds));
    Cpu cpu = new Cpu(rig);
    Sampler sampler = new Sampler(rig);
    CompletableFuture<Rig.Published> pub =
        CompletableFuture.supplyAsync( // a probe stops on time, however far behind
            () ->
                rig.publish(
                    channel,
                    ratePerSecond,
                    count,
                    bytes,
                    drain ? 0 : Math.round(seconds * 1000),
                    depth));
    List<Double> perSecond = sampler.run(pub);
    Rig.Published p = pub.join();
    cpu.stop();
    long caught = drain ? rig.await(p.lastSeq, DRAIN_MILLIS) : -1;
    long missing = drain ? rig.missing(p.lastSeq) : -1;
    long lost = missing;
    if (missing > 0) { // lost, or only late? waiting longer tells
      rig.await(p.lastSeq, LATE_MILLIS);
      lost = rig.missing(p.lastSeq);
    }
    Rig.Received rec = rig.stats(); // the late events too, and the time of the very last
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
      faults.add(
          String.format(
              "%d connections closed by the server (%d responses ended, %d connections failed,"
                  + " %d closed)",
              n - rec.open, rec.endedResponse, rec.endedFailed, rec.endedClosed));
    }
    boolean zeroLoss = drain && faults.isEmpty() && caught == n;
    t.put("verdict", !drain ? "probe" : zeroLoss ? "zero loss" : String.join("; ", faults));
    t.put("published", p.acked);
    t.put("publishFailed", p.failed);
    t.put("publishSeconds", Math.round((p.endNanos - p.startNanos) / 1e7) / 100.0);
    t.put("publisherMaxLagMillis", p.maxLagNanos / 1e6);
    t.put("received", rec.events);
    t.put("expected", p.acked * n);
    t.put("missing", drain ? missing : "-");
    t.put("lost", drain ? lost : "-");
    t.put("duplicates", rec.duplicates);
    t.put("late", rec.late);
    t.put("stillOpen", rec.open);
    t.put("endedResponses", rec.endedResponse);
    t.put("endedFailed", rec.endedFailed);
    t.put("endedClosed", rec.endedClosed);
    t.put("caughtUp", drain ? caught : "-");
    t.put("deliveredPerSecond", delivered);
    t.put("deliveredPerSecondMedian", median(perSecond));
    t.put("deliveredPerSecondSamples", perSecond);
    t.put("latencyMillis", percentiles(rec.latency));
    t.put(
        "generator", generator(rig, n, ratePerSecond, seconds, p, median(perSecond), cpu, !drain));
    t.put("zeroLoss", zeroLoss);
    return t;
  }

  /**
   * What the load generator offered against what the server took in one trial, and — for a probe
   * ({@code judge}), which must saturate the server — whether the generator, not the server, may
   * have been the limit: its schedule offered less than {@link #MIN_OFFERED_OVER_TAKEN} times what
   * the server acknowledged while the server delivered more than 1 / {@link
   * #MIN_OFFERED_OVER_TAKEN} of what it acknowledged (a server that takes every publish and falls
   * behind on delivering them is saturated by its fan-out, however little more was offered); its
   * publisher fell behind on its own (late with room to send, not waiting on the server); or one of
   * its threads was busy on a whole core.
   */
  private static Map<String, Object> generator(
      Rig rig,
      int n,
      double offered,
      double seconds,
      Rig.Published p,
      double delivered,
      Cpu cpu,
      boolean judge) {
    double ackWindow = (Math.max(p.lastAckNanos, p.startNanos + 1) - p.startNanos) / 1e9;
    double taken = p.acked > 0 ? p.acked / ackWindow : 0;
    double ratio = taken > 0 ? offered / taken : Double.POSITIVE_INFINITY;
    // deliveries the server owed (what it acknowledged, to every subscriber) over what it delivered
    double behind = delivered > 0 ? taken * n / delivered : 0;
    double window = Math.max(1e-9, (p.endNanos - p.startNanos) / 1e9);
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("offeredPublishesPerSecond", Math.round(offered * 10) / 10.0);
    g.put("sentPublishesPerSecond", Math.round(p.sent / Math.min(seconds, window) * 10) / 10.0);
    g.put("takenPublishesPerSecond", Math.round(taken * 10) / 10.0);
    g.put("offeredOverTaken", Double.isInfinite(ratio) ? 999.0 : Math.round(ratio * 100) / 100.0);
    g.put("owedOverDelivered", Math.round(behind * 100) / 100.0);
    g.put("inFlightCap", p.inFlightCap);
    g.put("maxInFlight", p.maxInFlight);
    g.put("publisherWaitedOnServerShare", Math.round(p.blockedNanos / 1e9 / window * 100) / 100.0);
    g.put("publisherOwnLagMillis", Math.round(p.ownLagNanos / 1e4) / 100.0);
    g.put("answerMillis", percentiles(p.answerLatency)); // sent → answered: the server's pace
    g.put("ackMillis", percentiles(p.ackLatency)); // scheduled → answered: waits included
    g.put("publisherCpu", cpu.publisher);
    g.put("busiestSubscriberThreadCpu", cpu.busiestWorker);
    if (judge) {
      List<String> limits = new ArrayList<>();
      if (ratio < MIN_OFFERED_OVER_TAKEN && behind < MIN_OFFERED_OVER_TAKEN) {
        limits.add(
            String.format(
                "offered only %.2f× what the server took, which owed only %.2f× what it"
                    + " delivered (needs either ≥ %.1f×)",
                ratio, behind, MIN_OFFERED_OVER_TAKEN));
      }
      if (p.ownLagNanos > MAX_OWN_LAG_NANOS) {
        limits.add(
            String.format(
                "the publisher fell %.0f ms behind on its own (with room to send)",
                p.ownLagNanos / 1e6));
      }
      if (cpu.publisher > BUSY_CPU) {
        limits.add(
            String.format("the publishing process used %.0f %% of a core", cpu.publisher * 100));
      }
      if (cpu.busiestWorker > BUSY_CPU) {
        limits.add(
            String.format(
                "a subscribing thread used %.0f %% of a core (reading may be the limit)",
                cpu.busiestWorker * 100));
      }
      g.put("saturates", limits.isEmpty());
      g.put("verdict", limits.isEmpty() ? "saturates the server" : String.join("; ", limits));
    }
    return g;
  }

  /**
   * CPU of the load processes over a trial: the publisher's (one event-loop thread), as a share of
   * a core, and the busiest thread's of the subscribing processes, as a share of a core — a thread
   * reading at full speed limits what its subscribers receive however many threads its process has,
   * and the machine's cores are shared with the server.
   */
  private static final class Cpu {
    private final Rig rig;
    private final long start = System.nanoTime();
    private final long publisherStart;
    private final List<Map<Long, Long>> workersStart = new ArrayList<>(); // CPU by thread
    double publisher;
    double busiestWorker;

    Cpu(Rig rig) {
      this.rig = rig;
      this.publisherStart = ProcessMetrics.cpuNanos(rig.publisherPid());
      for (long pid : rig.workerPids()) {
        workersStart.add(ProcessMetrics.threadCpuNanos(pid));
      }
    }

    void stop() {
      double wall = Math.max(1, System.nanoTime() - start);
      publisher = share(ProcessMetrics.cpuNanos(rig.publisherPid()) - publisherStart, wall, 1);
      List<Long> pids = rig.workerPids();
      for (int i = 0; i < Math.min(pids.size(), workersStart.size()); i++) {
        Map<Long, Long> before = workersStart.get(i);
        for (Map.Entry<Long, Long> t : ProcessMetrics.threadCpuNanos(pids.get(i)).entrySet()) {
          long used = t.getValue() - before.getOrDefault(t.getKey(), 0L);
          busiestWorker = Math.max(busiestWorker, share(used, wall, 1));
        }
      }
    }

    private static double share(long cpuNanos, double wallNanos, int cores) {
      return Math.round(Math.max(0, cpuNanos) / wallNanos / cores * 100) / 100.0;
    }
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
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("subscribers", n);
    r.put("deliveriesPerSecond", deliveries);
    r.put("bytes", bytes);
    r.put("warmupSeconds", warmup);
    r.put("seconds", seconds);
    drain(rig, r);
    String channel = Rig.channel("lat");
    Rig.Connected c = rig.connect(n, channel, 1);
    r.put("connect", c.toMap());
    point(rig, channel, n, deliveries, bytes, warmup, seconds, 0, r);
    rig.clear();
    say(
        "  latency %s N=%,d %,.0f/s: %s, missing %d; Herald's own part: %s",
        rig.server.name,
        n,
        deliveries,
        r.get("latencyMillis"),
        r.get("missing"),
        r.getOrDefault("heraldOwnMillis", "-"));
    return r;
  }

  /**
   * One latency measurement at {@code deliveries} per second to the {@code n} subscribers already
   * connected to {@code channel}: a warm-up whose latencies are dropped, then {@code seconds}
   * measured, on the open-loop schedule; with Herald's own part from the target's {@code /metrics}
   * over the measured part, if it has one. Puts the figures into {@code r}; returns the events
   * missing on the channel so far ({@code missingBefore} of them before this point).
   */
  private static long point(
      Rig rig,
      String channel,
      int n,
      double deliveries,
      int bytes,
      double warmup,
      double seconds,
      long missingBefore,
      Map<String, Object> r) {
    double rate = deliveries / n;
    long count = Math.max(1, Math.round(rate * (warmup + seconds)));
    CompletableFuture<Rig.Published> pub =
        CompletableFuture.supplyAsync(() -> rig.publish(channel, rate, count, bytes));
    sleep(warmup);
    rig.stats(); // the warm-up's latencies are dropped here
    DispatchLatency before = scrape(rig);
    Rig.Published p = pub.join();
    long caught = rig.await(p.lastSeq, 5_000);
    Rig.Received rec = rig.stats();
    DispatchLatency after = scrape(rig);
    long missing = rig.missing(p.lastSeq);
    r.put("published", p.acked);
    r.put("publishFailed", p.failed);
    r.put("publisherMaxLagMillis", p.maxLagNanos / 1e6);
    r.put("publisherOwnLagMillis", p.ownLagNanos / 1e6);
    r.put("measuredEvents", rec.latency.getTotalCount());
    r.put("missing", missing - missingBefore);
    r.put("duplicates", rec.duplicates);
    r.put("caughtUp", caught);
    r.put("stillOpen", rec.open);
    r.put("latencyMillis", percentiles(rec.latency));
    if (before != null && after != null) {
      r.put("heraldOwnMillis", after.since(before).toMap());
    }
    return missing;
  }

  /** Herald's dispatch latency histogram now, if the target has one. */
  private static DispatchLatency scrape(Rig rig) {
    return rig.server.metricsUrl == null ? null : DispatchLatency.scrape(rig.server.metricsUrl);
  }

  // ---- latency against load

  /**
   * Latency against load at {@code n} subscribers: a warm-up and probes as {@link #fanout} runs
   * them find the saturated rate; then, on one set of {@code n} subscribers kept for every point, a
   * latency point ({@link #CURVE_POINT_WARMUP_SECONDS} of warm-up, {@code seconds} measured) at
   * each of {@code percents} of that rate, lowest first.
   */
  Map<String, Object> latencyCurve(
      Rig rig, int n, int bytes, List<Integer> percents, double warmup, double seconds) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("subscribers", n);
    r.put("bytes", bytes);
    r.put("seconds", seconds);
    r.put("pointWarmupSeconds", CURVE_POINT_WARMUP_SECONDS);
    drain(rig, r);
    if (warmup > 0) {
      Map<String, Object> w = trial(rig, n, PROBE_DELIVERIES / n, warmup, bytes, false);
      requireConnected(rig, n, "warm-up", w);
      say(
          "  latency-curve %s N=%,d: warm-up delivered %,.0f/s",
          rig.server.name, n, (double) w.get("deliveredPerSecondMedian"));
    }
    probe(rig, n, bytes, r);
    double saturated = ((Number) r.get("saturatedDeliveriesPerSecond")).doubleValue();
    List<Map<String, Object>> points = new ArrayList<>();
    r.put("points", points);
    if (saturated <= 0) {
      return r;
    }
    String channel = Rig.channel("curve");
    boolean connected = false;
    long missing = 0;
    List<Integer> sorted = new ArrayList<>(percents);
    sorted.sort(Integer::compare);
    for (int pct : sorted) {
      Map<String, Object> pt = new LinkedHashMap<>();
      double deliveries = saturated * pct / 100;
      pt.put("percent", pct);
      pt.put("deliveriesPerSecond", Math.round(deliveries));
      drain(rig, pt); // the probes' connections, closed a moment ago, are in TIME_WAIT
      if (!connected) {
        r.put("connect", rig.connect(n, channel, 1).toMap());
        connected = true;
      }
      missing =
          point(
              rig, channel, n, deliveries, bytes, CURVE_POINT_WARMUP_SECONDS, seconds, missing, pt);
      points.add(pt);
      Map<?, ?> own = (Map<?, ?>) pt.get("heraldOwnMillis");
      Map<?, ?> e2e = (Map<?, ?>) pt.get("latencyMillis");
      say(
          "  latency-curve %s N=%,d %d %% (%,.0f deliveries/s): p50 %s p99 %s ms%s; missing %d",
          rig.server.name,
          n,
          pct,
          deliveries,
          e2e.get("p50"),
          e2e.get("p99"),
          own == null ? "" : "; Herald's own p50 " + own.get("p50") + " p99 " + own.get("p99"),
          pt.get("missing"));
    }
    rig.clear();
    return r;
  }

  // ---- calibration of deliveries against sseload

  /** How far apart the generator's and sseload's deliveries/s may be for the generator to agree. */
  static final double AGREEMENT = 0.20;

  /** Whether the generator's deliveries/s over sseload's, {@code ratio}, agree. */
  static boolean agrees(double ratio) {
    return Math.abs(ratio - 1) <= AGREEMENT;
  }

  /**
   * Deliveries per second at saturation read by the load generator's subscribers and by {@code
   * sseload sub}, each part the same fixed work: {@code n} subscribers of the same server, fed by
   * the same publisher offering the fan-out probe's {@link #PROBE_DELIVERIES} until it has sent
   * {@code seconds} worth of what the server took in the warm-up (all of the offer, or as many
   * publishes as it acknowledged per second), read to the last event. A part's rate is every event
   * received over the time from the first publish to the last event. (Medians of per-second samples
   * over a fixed time measured the publisher as much as the reader: while the generator read, the
   * server took every publish and fell behind on delivering them; while sseload read, it took a
   * quarter fewer and kept up.) After a warm-up of the server and the generator the parts run
   * generator, sseload, generator, so that a server still warming up (or a machine drifting)
   * favours neither; the generator's figure is the mean of its two. The machine's {@code TIME_WAIT}
   * sockets are drained before each part.
   */
  @SuppressWarnings("unchecked")
  Map<String, Object> calibrateDeliveries(
      Rig rig, FloorTools floor, int n, int bytes, double warmup, double seconds) {
    Map<String, Object> r = new LinkedHashMap<>();
    double rate = PROBE_DELIVERIES / n;
    r.put("subscribers", n);
    r.put("bytes", bytes);
    r.put("offeredDeliveriesPerSecond", PROBE_DELIVERIES);
    r.put("warmupSeconds", warmup);
    Map<String, Object> w = trial(rig, n, rate, Math.max(1, warmup), bytes, false);
    Map<String, Object> g = Report.map(w.get("generator"));
    double took =
        g.get("takenPublishesPerSecond") instanceof Number
            ? ((Number) g.get("takenPublishesPerSecond")).doubleValue()
            : 0;
    if (took <= 0) {
      r.put("error", "the warm-up took no publishes: " + w.get("verdict"));
      say("  calibrate %s N=%,d: %s", rig.server.name, n, r.get("error"));
      return r;
    }
    long count = Math.max(1, Math.round(Math.min(rate, took) * seconds));
    r.put("warmupTakenPublishesPerSecond", Math.round(took));
    r.put("warmupVerdict", g.get("verdict")); // does the offer saturate the server?
    r.put("publishes", count);
    r.put("order", "load generator, sseload, load generator");
    List<Map<String, Object>> parts = new ArrayList<>();
    for (int part = 0; part < 3; part++) {
      Map<String, Object> pt = new LinkedHashMap<>();
      drain(rig, pt);
      if (part == 1) {
        pt.put("client", "sseload");
        pt.putAll(sseloadPart(rig, floor, n, rate, count, bytes, seconds));
      } else {
        Map<String, Object> t = trial(rig, n, rate, count / rate, bytes, true);
        pt.put("client", "load generator");
        pt.put("deliveredPerSecond", Math.round((Double) t.get("deliveredPerSecond")));
        if (!(t.get("received") instanceof Number)) { // not every subscriber connected
          pt.put("received", 0L);
          pt.put("verdict", t.get("verdict"));
          parts.add(pt);
          continue;
        }
        long received = ((Number) t.get("received")).longValue();
        long expected = ((Number) t.get("expected")).longValue();
        pt.put("received", received);
        pt.put("expected", expected);
        pt.put(
            "verdict",
            received == expected && ((Number) t.get("duplicates")).longValue() == 0
                ? "all received"
                : String.format("%,d of %,d received: %s", received, expected, t.get("verdict")));
        pt.put(
            "perSecondSamples",
            ((List<Double>) t.get("deliveredPerSecondSamples")).stream().map(Math::round).toList());
        pt.put("publishSeconds", t.get("publishSeconds"));
      }
      parts.add(pt);
    }
    r.put("parts", parts);
    double ours =
        (((Number) parts.get(0).get("deliveredPerSecond")).doubleValue()
                + ((Number) parts.get(2).get("deliveredPerSecond")).doubleValue())
            / 2;
    double theirs = ((Number) parts.get(1).get("deliveredPerSecond")).doubleValue();
    r.put("loadGenerator", Math.round(ours));
    r.put("sseload", Math.round(theirs));
    boolean allReceived = parts.stream().allMatch(x -> "all received".equals(x.get("verdict")));
    r.put("allReceived", allReceived);
    if (allReceived && ours > 0 && theirs > 0) { // else the parts did not do the same work
      r.put("ratio", Math.round(ours / theirs * 100) / 100.0);
    }
    say(
        "  calibrate %s N=%,d: deliveries/s at saturation, %,d publishes read to the end: load"
            + " generator %,.0f (%s, then %s), sseload %,.0f (ratio %s, goal within %.0f %%)",
        rig.server.name,
        n,
        count,
        ours,
        parts.get(0).get("deliveredPerSecond"),
        parts.get(2).get("deliveredPerSecond"),
        theirs,
        r.getOrDefault("ratio", "-"),
        AGREEMENT * 100);
    return r;
  }

  /**
   * {@code sseload sub} with {@code n} subscribers, fed by the rig's publisher at {@code rate}
   * until it has sent {@code count} publishes, read until sseload has all {@code count * n} events
   * (or its own time bound, six times the part's {@code seconds} and {@link #LATE_MILLIS} more,
   * ends it).
   */
  private static Map<String, Object> sseloadPart(
      Rig rig, FloorTools floor, int n, double rate, long count, int bytes, double seconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    String ch = Rig.channel("cal-sseload");
    UrlTemplate sub = UrlTemplate.of(rig.server.subUrl);
    long expected = count * n;
    double bound = seconds * 6 + LATE_MILLIS / 1000.0;
    try {
      FloorTools.Sseload c = floor.sseload(sub, sub.target(Map.of("ch", ch)), n, bound, expected);
      c.awaitEstablished();
      Rig.Published p = rig.publish(ch, rate, count, bytes, 0);
      String out = c.finish(bound + 60);
      long events = FloorTools.Sseload.events(out);
      // sseload says when it had them all (its line read a moment after, at its exit); short of
      // that, the per-second line after its last event is the end: up to a second late
      long end = c.expectedAtNanos() > 0 ? c.expectedAtNanos() : c.lastEventsAtNanos();
      double elapsed = (end - p.startNanos) / 1e9;
      m.put("deliveredPerSecond", elapsed > 0 && events > 0 ? Math.round(events / elapsed) : 0);
      m.put("received", events);
      m.put("expected", p.acked * n);
      m.put(
          "verdict",
          events == p.acked * n
              ? "all received"
              : String.format("%,d of %,d received", events, p.acked * n));
      m.put("perSecondSamples", c.rates(p.startNanos, end).stream().map(Math::round).toList());
      m.put("publishSeconds", Math.round((p.endNanos - p.startNanos) / 1e7) / 100.0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return m;
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
