package dev.herald.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C tools of {@code ../shared/bench/c}, built into the cache: {@code fanout}, the kernel's
 * floor (one {@code write()} per event per subscriber), and {@code sseload}, the C load client the
 * load generator is calibrated against.
 */
final class FloorTools {
  /** Seconds of publishing before the load generator's CPU is measured. */
  static final double WARMUP_SECONDS = 5;

  private static final Pattern WRITES = Pattern.compile("([0-9.]+) writes/s");
  private static final Pattern PER_SECOND = Pattern.compile("^t=.* events/s=([0-9]+)");
  private static final Pattern EVENTS = Pattern.compile("SUMMARY .* events=([0-9]+)");

  private final Path dir;

  FloorTools(Path cache) {
    this.dir = cache.resolve("c");
  }

  /** Why the tools cannot run, or {@code null}. */
  String missing() {
    for (String tool : List.of("fanout", "sseload")) {
      if (!Files.isExecutable(dir.resolve(tool))) {
        return dir.resolve(tool) + " is missing";
      }
    }
    return null;
  }

  /**
   * Builds the tools the documented way ({@code gcc -O2 -o fanout fanout.c}, {@code gcc -O2 -o
   * sseload sseload.c}) from the shared bench folder ({@code $HERALD_SHARED_BENCH}, or {@code
   * ../shared/bench} beside the working directory or one of its parents) into the cache, as {@code
   * install-references.sh c} does; returns why they are still missing, or {@code null}.
   */
  String build(java.io.PrintWriter log) {
    if (missing() == null) {
      return null;
    }
    Path shared = sharedC();
    if (shared == null) {
      return missing() + ", and no ../shared/bench/c to build it from (set HERALD_SHARED_BENCH)";
    }
    try {
      Files.createDirectories(dir);
      for (String tool : List.of("fanout", "sseload")) {
        Path source = dir.resolve(tool + ".c");
        Files.copy(
            shared.resolve(tool + ".c"), source, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        source.toFile().setWritable(true);
        List<String> cmd =
            List.of("gcc", "-O2", "-o", dir.resolve(tool).toString(), source.toString());
        log.printf("building %s: %s%n", tool, String.join(" ", cmd));
        log.flush();
        String out = run(cmd, 120);
        if (!Files.isExecutable(dir.resolve(tool))) {
          return "gcc did not build " + tool + ": " + out.trim();
        }
      }
    } catch (IOException | UncheckedIOException e) {
      return "cannot build the C tools into " + dir + ": " + e.getMessage();
    }
    return missing();
  }

  private static Path sharedC() {
    String env = System.getenv("HERALD_SHARED_BENCH");
    if (env != null && !env.isEmpty()) {
      Path c = Path.of(env, "c");
      return Files.exists(c.resolve("sseload.c")) ? c : null;
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path c = p.resolveSibling("shared").resolve("bench").resolve("c");
      if (Files.exists(c.resolve("sseload.c"))) {
        return c;
      }
    }
    return null;
  }

  /**
   * {@code sseload sub} with {@code n} subscribers of {@code path} at {@code sub}'s server for
   * {@code seconds} after all are established; read line by line as it runs.
   */
  Sseload sseload(UrlTemplate sub, String path, int n, double seconds) throws IOException {
    return sseload(sub, path, n, seconds, 0);
  }

  /**
   * {@code sseload sub} as {@link #sseload(UrlTemplate, String, int, double)}, ending as soon as it
   * has received {@code expectEvents} events (if more than 0; it then says when, see {@link
   * Sseload#expectedAtNanos}).
   */
  Sseload sseload(UrlTemplate sub, String path, int n, double seconds, long expectEvents)
      throws IOException {
    return new Sseload(
        List.of(
            dir.resolve("sseload").toString(),
            "sub",
            sub.host(),
            "" + sub.port(),
            path,
            "" + n,
            "" + (long) Math.ceil(seconds),
            "8"),
        n,
        expectEvents);
  }

  /** A running {@code sseload sub}: its per-second rates as they come, and its summary. */
  static final class Sseload {
    private final Process process;
    private final StringBuilder all = new StringBuilder();
    private final List<long[]> rates = new ArrayList<>(); // {nanoTime seen, events/s}
    private final CompletableFuture<Void> established = new CompletableFuture<>();
    private final Thread reader;
    private long expectedAtNanos = -1;

    Sseload(List<String> cmd, int n, long expectEvents) throws IOException {
      ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
      if (expectEvents > 0) {
        b.environment().put("EXPECT_EVENTS", "" + expectEvents);
      }
      process = b.start();
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      reader =
          new Thread(
              () -> {
                try {
                  for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (this) {
                      all.append(line).append('\n');
                      Matcher m = PER_SECOND.matcher(line);
                      if (m.find()) {
                        rates.add(new long[] {System.nanoTime(), Long.parseLong(m.group(1))});
                      }
                      if (line.startsWith("EXPECTED ")) {
                        expectedAtNanos = System.nanoTime();
                      }
                    }
                    if (line.contains("established=" + n + " ") || line.startsWith("CONNECT")) {
                      established.complete(null);
                    }
                  }
                } catch (IOException e) {
                  established.completeExceptionally(e);
                }
                established.complete(null);
              },
              "sseload-output");
      reader.setDaemon(true);
      reader.start();
    }

    long pid() {
      return process.pid();
    }

    /** Waits until every subscriber is established (or sseload ended). */
    void awaitEstablished() {
      established.join();
    }

    /** The per-second rates printed between {@code fromNanos} and {@code toNanos}. */
    synchronized List<Double> rates(long fromNanos, long toNanos) {
      List<Double> r = new ArrayList<>();
      for (long[] x : rates) {
        if (x[0] > fromNanos && x[0] <= toNanos) {
          r.add((double) x[1]);
        }
      }
      return r;
    }

    /**
     * When (by {@link System#nanoTime}, read as its line came, a moment late) it had received the
     * events it was told to expect; -1 if it has not (yet).
     */
    synchronized long expectedAtNanos() {
      return expectedAtNanos;
    }

    /**
     * When the last per-second line that counted events came, by {@link System#nanoTime}; -1 if
     * none did.
     */
    synchronized long lastEventsAtNanos() {
      for (int i = rates.size() - 1; i >= 0; i--) {
        if (rates.get(i)[1] > 0) {
          return rates.get(i)[0];
        }
      }
      return -1;
    }

    /** Waits for it to end ({@code timeoutSeconds} at most) and returns its whole output. */
    String finish(double timeoutSeconds) throws InterruptedException {
      if (!process.waitFor((long) timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      reader.join(5000);
      synchronized (this) {
        return all.toString();
      }
    }

    /** Events it counted in all, from its summary; -1 if it printed none. */
    static long events(String output) {
      Matcher m = EVENTS.matcher(output);
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
  }

  /** {@code fanout fanout N BYTES SECONDS}: writes per second of one sender to N sockets. */
  double fanout(int n, int bytes, double seconds) {
    String out =
        run(
            List.of(dir.resolve("fanout").toString(), "fanout", "" + n, "" + bytes, "" + seconds),
            seconds + 120);
    Matcher m = WRITES.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("fanout printed no rate: " + out);
    }
    return Double.parseDouble(m.group(1));
  }

  private static String run(List<String> cmd, double timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor((long) timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /**
   * CPU per received event of {@code sseload sub} and of the load generator's subscribing process,
   * each with {@code n} subscribers of the same server, fed by the same publisher at {@code
   * deliveries} per second for {@code seconds}; CPU is read from {@code /proc} over the publishing
   * window only.
   */
  Map<String, Object> calibrate(Rig rig, int n, double deliveries, int bytes, double seconds)
      throws IOException, InterruptedException {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("subscribers", n);
    r.put("deliveriesPerSecond", deliveries);
    r.put("bytes", bytes);
    r.put("seconds", seconds);
    r.put("loadGeneratorWarmupSeconds", WARMUP_SECONDS);
    double rate = deliveries / n;
    long count = Math.round(rate * seconds);

    // the load generator, after a warm-up at the same rate (sseload has no JIT compiler to warm)
    String ch = Rig.channel("cal");
    rig.connect(n, ch, 1);
    Rig.Published warm = rig.publish(ch, rate, Math.round(rate * WARMUP_SECONDS), bytes);
    rig.await(warm.lastSeq, 5_000);
    long worker = rig.workerPids().get(0);
    Rig.Received before = rig.stats();
    long cpu0 = ProcessMetrics.cpuNanos(worker);
    Rig.Published p = rig.publish(ch, rate, count, bytes);
    rig.await(p.lastSeq, 5_000);
    long cpu1 = ProcessMetrics.cpuNanos(worker);
    Rig.Received after = rig.stats();
    long missing = rig.missing(p.lastSeq);
    rig.clear();
    long ours = after.events - before.events;
    Map<String, Object> herald = new LinkedHashMap<>();
    herald.put("events", ours);
    herald.put("missing", missing);
    herald.put("cpuSeconds", (cpu1 - cpu0) / 1e9);
    herald.put("cpuMicrosPerEvent", ours > 0 ? (cpu1 - cpu0) / 1e3 / ours : null);
    r.put("loadGenerator", herald);

    // sseload
    String ch2 = Rig.channel("cal");
    UrlTemplate sub = UrlTemplate.of(rig.server.subUrl);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                dir.resolve("sseload").toString(),
                "sub",
                sub.host(),
                "" + sub.port(),
                sub.target(Map.of("ch", ch2)),
                "" + n,
                "" + (long) Math.ceil(seconds + 4),
                "8"));
    Process s = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder all = new StringBuilder();
    CompletableFuture<Void> established = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  all.append(line).append('\n');
                  if (line.contains("established=" + n + " ") || line.startsWith("CONNECT")) {
                    established.complete(null);
                  }
                }
              } catch (IOException e) {
                established.completeExceptionally(e);
              }
              established.complete(null);
            },
            "sseload-output");
    reader.setDaemon(true);
    reader.start();
    established.join();
    long c0 = ProcessMetrics.cpuNanos(s.pid());
    Rig.Published p2 = rig.publish(ch2, rate, count, bytes);
    Thread.sleep(1000);
    long c1 = ProcessMetrics.cpuNanos(s.pid());
    if (!s.waitFor((long) seconds + 60, TimeUnit.SECONDS)) {
      s.destroyForcibly();
    }
    reader.join(5000);
    Matcher m = EVENTS.matcher(all);
    long theirs = m.find() ? Long.parseLong(m.group(1)) : -1;
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("events", theirs);
    c.put("expected", p2.acked * n);
    c.put("cpuSeconds", (c1 - c0) / 1e9);
    c.put("cpuMicrosPerEvent", theirs > 0 ? (c1 - c0) / 1e3 / theirs : null);
    r.put("sseload", c);
    if (ours > 0 && theirs > 0 && c1 > c0) {
      double ratio = ((cpu1 - cpu0) / (double) ours) / ((c1 - c0) / (double) theirs);
      r.put("ratio", Math.round(ratio * 100) / 100.0);
    }
    return r;
  }
}
