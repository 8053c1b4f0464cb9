package dev.herald.bench.load;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one scenario against one target, or {@code compare}: every installed target one after the
 * other, several times, with the kernel floor in the same run; then writes the report.
 */
public final class Bench {
  /**
   * Seconds of saturation before calibrate's deliveries: the server's JIT and the generator's own
   * reading path compile under load (after 5 s the generator still read a third less than later).
   */
  public static final int CALIBRATE_WARMUP_SECONDS = 20;

  /** Seconds of warm-up before each fan-out point on a cluster (as {@code --warmup} tells). */
  public static final int CLUSTER_WARMUP_SECONDS = (int) Scenarios.CLUSTER_WARMUP_SECONDS;

  /** The scenarios, as {@code ./herald bench} names them. */
  public static final List<String> SCENARIOS =
      List.of(
          "fanout",
          "latency",
          "latency-curve",
          "idle",
          "reconnect",
          "publish",
          "calibrate",
          "compare",
          "cluster");

  /** The latency curve's points, in percent of the saturated rate. */
  static final List<Integer> CURVE_PERCENTS = List.of(10, 20, 30, 40, 50, 60, 70, 80, 90);

  /** The scenarios {@code compare} runs unless told otherwise. */
  static final List<String> COMPARE_DEFAULT = List.of("fanout", "latency");

  /**
   * The scenarios {@code cluster} runs against each cluster target (Redis and three nodes on this
   * machine: {@code hub-cluster}, {@code nchan-redis}) unless told otherwise.
   */
  static final List<String> CLUSTER_DEFAULT = List.of("held", "fanout", "latency", "publish");

  private final BenchSettings s;
  private final PrintWriter log;
  private final Scenarios scenarios;
  private final Path cache;

  /** The server under test now, stopped by a shutdown hook if the run is interrupted. */
  private volatile TargetServer active;

  private Bench(BenchSettings settings, PrintWriter log) {
    this.s = settings;
    this.log = log;
    this.scenarios = new Scenarios(log);
    this.cache =
        settings.cache != null
            ? settings.cache
            : Path.of(
                System.getenv()
                    .getOrDefault(
                        "HERALD_BENCH_CACHE",
                        Path.of(System.getProperty("user.home"), ".cache", "herald-bench")
                            .toString()));
  }

  /**
   * Runs {@code scenario} with {@code settings}, printing progress and the report to {@code log};
   * returns the exit status.
   */
  public static int run(String scenario, BenchSettings settings, PrintWriter log)
      throws IOException {
    if (!SCENARIOS.contains(scenario)) {
      throw new IllegalArgumentException(
          "unknown scenario '" + scenario + "'; one of " + String.join(", ", SCENARIOS));
    }
    return new Bench(settings, log).run(scenario);
  }

  private int run(String scenario) throws IOException {
    if (!s.cpuLatencyQos) {
      return runScenario(scenario);
    }
    // The request holds while the file stays open, and ends with this process.
    try (java.io.FileOutputStream qos = new java.io.FileOutputStream(CPU_DMA_LATENCY)) {
      qos.write(new byte[4]); // a 32-bit 0: no wake-up latency allowed
      qos.flush();
      log.printf("holding a 0 µs CPU wake-up latency request (%s)%n", CPU_DMA_LATENCY);
      return runScenario(scenario);
    } catch (java.io.FileNotFoundException e) {
      throw new IllegalStateException(
          "--cpu-latency-qos needs write access to " + CPU_DMA_LATENCY + ": " + e.getMessage(), e);
    }
  }

  private static final String CPU_DMA_LATENCY = "/dev/cpu_dma_latency";

  private int runScenario(String scenario) throws IOException {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  TargetServer server = active;
                  if (server != null) {
                    server.close(); // the load processes end with this JVM's pipes
                  }
                },
                "herald-bench-stop"));
    String stamp =
        ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out = s.out != null ? s.out : Path.of("bench-results", "tmp", scenario + "-" + stamp);
    Path logs = out.resolve("logs");
    Files.createDirectories(logs);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("scenario", scenario);
    doc.put("command", s.commandLine);
    doc.put(
        "date",
        ZonedDateTime.now(ZoneOffset.UTC)
            .withNano(0)
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    doc.put("machine", machine());
    doc.put("cpu", cpuModel());
    doc.put("loadBefore", loadAverage());
    List<String> targets = new ArrayList<>();
    Map<String, Object> skipped = new LinkedHashMap<>();
    boolean cluster = scenario.equals("cluster");
    boolean several = cluster || scenario.equals("compare");
    if (several) {
      List<String> all = cluster ? TargetServer.CLUSTER : TargetServer.ALL;
      for (String t : s.targets.isEmpty() ? all : s.targets) {
        String why = TargetServer.missing(t, cache);
        if (why == null) {
          targets.add(t);
        } else {
          skipped.put(
              t,
              SpringTarget.is(t)
                  ? why
                  : why + " (install with herald-bench/scripts/install-references.sh)");
          log.printf("%s: skipping %s: %s%n", scenario, t, why);
        }
      }
    } else {
      targets.add(s.subUrl != null ? "external" : s.target);
    }
    FloorTools floor = new FloorTools(cache);
    String floorMissing = floor.missing();
    if (floorMissing != null
        && (scenario.equals("calibrate")
            || scenario.equals("compare")
                && (s.scenarios.isEmpty() ? COMPARE_DEFAULT : s.scenarios)
                    .stream().anyMatch(x -> x.equals("calibrate") || x.equals("fanout")))) {
      floorMissing = floor.build(log); // gcc, as install-references.sh c does
    }
    if (floorMissing != null && scenario.equals("compare")) {
      skipped.put(FLOOR_NAME, floorMissing);
    }
    doc.put("skipped", skipped);
    List<String> names =
        several
            ? (s.scenarios.isEmpty() ? (cluster ? CLUSTER_DEFAULT : COMPARE_DEFAULT) : s.scenarios)
            : List.of(scenario);
    doc.put("scenarios", names);
    doc.put("settings", settingsMap(names));
    List<Map<String, Object>> runs = new ArrayList<>();
    doc.put("runs", runs);
    int n = several ? Math.max(1, s.runs) : 1;
    for (int run = 1; run <= n; run++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("run", run);
      log.printf("run %d of %d%n", run, n);
      log.flush();
      if (floorMissing == null && names.contains("fanout") && scenario.equals("compare")) {
        Map<String, Object> f = new LinkedHashMap<>();
        for (int subs : fanoutSubscribers(true)) {
          double w = floor.fanout(subs, sizes().get(0), s.secondsOr(5));
          f.put(Integer.toString(subs), Math.round(w));
          log.printf("  kernel floor N=%,d: %,.0f writes/s%n", subs, w);
          log.flush();
        }
        r.put("floor", f);
      }
      Map<String, Object> results = new LinkedHashMap<>();
      r.put("targets", results);
      runs.add(r);
      for (String t : targets) {
        results.put(t, runTarget(t, names, logs, floor, several));
        writeReport(doc, out); // a partial report survives an interrupted run
      }
    }
    doc.put("loadAfter", loadAverage());
    String md = writeReport(doc, out);
    log.println();
    log.println(md);
    log.printf("%nresults: %s%n", out.toAbsolutePath());
    log.flush();
    return 0;
  }

  private static final String FLOOR_NAME = "kernel floor (c/fanout)";

  private String writeReport(Map<String, Object> doc, Path out) throws IOException {
    return new Report(doc).write(out);
  }

  /**
   * Runs each scenario against a server started afresh for it, so that one scenario's aftermath (a
   * server pushed past its file limit by {@code idle}, say) does not weigh on the next.
   */
  private Map<String, Object> runTarget(
      String t, List<String> names, Path logs, FloorTools floor, boolean compare) {
    Map<String, Object> results = new LinkedHashMap<>();
    for (String name : names) {
      TimeWait.Drained d = TimeWait.drain(s.timeWaitBelow, s.timeWaitSeconds);
      if (d != null) {
        log.printf("%s: %s%n", t, d.describe(s.timeWaitBelow));
      }
      log.printf("%s: starting for %s%n", t, name);
      log.flush();
      try (TargetServer server =
              t.equals("external")
                  ? TargetServer.external(s.subUrl, s.pubUrl)
                  : TargetServer.start(t, cache, s.heraldPort, logs);
          Rig rig = new Rig(server, s, logs)) {
        active = server;
        results.put(name, scenario(name, rig, floor, compare));
        boolean epoll = rig.epoll() && (boolean) results.getOrDefault("loadOnEpoll", true);
        results.put("loadOnEpoll", epoll);
        if (!rig.epoll()) {
          log.printf("  note: a load process ran on NIO, not on native epoll%n");
        }
      } catch (RuntimeException e) {
        log.printf("  %s %s failed: %s%n", t, name, e);
        log.flush();
        results.put(name, Map.of("error", String.valueOf(e)));
      }
      active = null;
    }
    return results;
  }

  private Object scenario(String name, Rig rig, FloorTools floor, boolean compare) {
    List<Integer> bytes = sizes();
    switch (name) {
      case "fanout":
        List<Object> fan = new ArrayList<>();
        for (int b : bytes) {
          for (int n : fanoutSubscribers(compare)) {
            double warmup =
                s.warmupOr(rig.server.severalNodes() ? Scenarios.CLUSTER_WARMUP_SECONDS : 5);
            fan.add(scenarios.fanout(rig, n, b, s.secondsOr(5), warmup));
          }
        }
        return fan;
      case "latency":
        List<Object> lat = new ArrayList<>();
        for (double[] c : latencyCases()) {
          lat.add(
              scenarios.latency(
                  rig, (int) c[0], c[1], bytes.get(0), s.warmupOr(5), s.secondsOr(10)));
        }
        return lat;
      case "latency-curve":
        List<Object> curves = new ArrayList<>();
        for (int n : s.subscribersOr(List.of(1_000))) {
          curves.add(
              scenarios.latencyCurve(
                  rig,
                  n,
                  bytes.get(0),
                  s.curvePercents.isEmpty() ? CURVE_PERCENTS : s.curvePercents,
                  s.warmupOr(5),
                  s.secondsOr(5)));
        }
        return curves;
      case "idle":
        return scenarios.idle(rig, s.max > 0 ? s.max : 21_000);
      case "held":
        return scenarios.held(rig, s.max > 0 ? s.max : Scenarios.CLUSTER_HELD, bytes.get(0));
      case "reconnect":
        return scenarios.reconnect(
            rig, s.subscribersOr(List.of(10_000)).get(0), s.back, bytes.get(0));
      case "publish":
        return scenarios.publish(
            rig, s.subscribersOr(List.of(10)).get(0), bytes.get(0), s.secondsOr(5));
      case "calibrate":
        String why = floor.missing();
        if (why != null) {
          throw new IllegalStateException("calibrate needs sseload: " + why);
        }
        int n = s.subscribersOr(List.of(1_000)).get(0);
        try {
          Map<String, Object> cpu =
              floor.calibrate(rig, n, s.rate > 0 ? s.rate : 50_000, bytes.get(0), s.secondsOr(10));
          cpu.put(
              "deliveries",
              scenarios.calibrateDeliveries(
                  rig,
                  floor,
                  n,
                  bytes.get(0),
                  s.warmupOr(CALIBRATE_WARMUP_SECONDS),
                  s.secondsOr(10)));
          return cpu;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      default:
        throw new IllegalArgumentException("unknown scenario " + name);
    }
  }

  private List<Integer> sizes() {
    return s.sizesOr(List.of(64));
  }

  private List<Integer> fanoutSubscribers(boolean compare) {
    return s.subscribersOr(compare ? List.of(1_000, 10_000) : Scenarios.FANOUT_SUBSCRIBERS);
  }

  /** (subscribers, deliveries/s) pairs: --subscribers with --rate, or 1,000 at 20,000/s. */
  private List<double[]> latencyCases() {
    List<double[]> cases = new ArrayList<>();
    if (!s.latencyCases.isEmpty()) {
      for (String c : s.latencyCases) {
        String[] p = c.split("@");
        cases.add(new double[] {Integer.parseInt(p[0]), Double.parseDouble(p[1])});
      }
      return cases;
    }
    for (int n : s.subscribersOr(List.of(1_000))) {
      cases.add(new double[] {n, s.rate > 0 ? s.rate : 20_000});
    }
    return cases;
  }

  private Map<String, Object> settingsMap(List<String> names) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("targets", s.targets);
    m.put("subscribers", s.subscribers);
    m.put("bytes", sizes());
    m.put("seconds", s.seconds);
    m.put("warmupSeconds", s.warmupSeconds);
    m.put("rate", s.rate);
    m.put("latencyCases", s.latencyCases);
    m.put("publisherConnections", s.publishers);
    m.put("publisherPipelineDepth", s.pipeline);
    m.put("timeWaitBelow", s.timeWaitBelow);
    m.put("timeWaitMaxSeconds", s.timeWaitSeconds);
    m.put("probeSeconds", s.probeSeconds); // 0: 3, a cluster's 8 (each fan-out point says)
    m.put("curvePercents", s.curvePercents.isEmpty() ? CURVE_PERCENTS : s.curvePercents);
    m.put("cpuLatencyQos", s.cpuLatencyQos);
    m.put("subscribersPerLoadProcess", s.perProcess);
    m.put("clientThreadsPerLoadProcess", s.clientThreads); // 0: Rig#clientThreads (each point's)
    m.put("connectConcurrency", s.concurrency);
    m.put("loadProcessJvm", WorkerProcess.JVM_OPTIONS);
    m.put("serverJvmHeap", TargetServer.SERVER_HEAP);
    m.put("cache", cache.toString());
    return m;
  }

  /** The CPU's model name from {@code /proc/cpuinfo}: every report and table names it. */
  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown CPU";
    }
    return "unknown CPU";
  }

  private static String machine() {
    String cpu = cpuModel();
    long memKib = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memKib = Long.parseLong(line.split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      memKib = 0;
    }
    return String.format(
        Locale.ROOT,
        "%d cores (%s), %.0f GiB, Linux %s, Java %s (%s)",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        memKib / 1024.0 / 1024.0,
        System.getProperty("os.version"),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"));
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
