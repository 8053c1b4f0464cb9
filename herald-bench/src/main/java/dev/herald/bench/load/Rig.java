package dev.herald.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * One server under test with its load: a publishing process and as many subscribing processes as
 * the subscribers need ({@link BenchSettings#perProcess} each at most). Scenarios are written
 * against it.
 *
 * <p>Not thread-safe, except that {@link #count} may be called while a publish runs.
 */
final class Rig implements AutoCloseable {
  private static final AtomicLong CHANNELS = new AtomicLong();

  /** Runs the calls to the load processes side by side (the common pool may have one thread). */
  private static final ExecutorService CALLS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "herald-bench-call");
            t.setDaemon(true);
            return t;
          });

  final TargetServer server;
  final BenchSettings settings;
  private final Path logDir;
  private final WorkerProcess publisher;
  private final List<WorkerProcess> workers = new ArrayList<>();
  private final List<Integer> held = new ArrayList<>();
  private final int idleFiles; // the server's open files with only the publisher connected

  /** Open files over which the server counts as still holding the last trial's connections. */
  static final int SETTLED_MARGIN = 200;

  /** Waits this long at most for the server to let go of the last trial's connections. */
  static final long SETTLE_MAX_MILLIS = 60_000;

  Rig(TargetServer server, BenchSettings settings, Path logDir) {
    this.server = server;
    this.settings = settings;
    this.logDir = logDir;
    List<String> args = new ArrayList<>(common());
    args.addAll(List.of("--pub-url", server.pubUrl));
    // a target with a body of its own (the Mercure hub's form) takes it over the settings' one
    String body = server.pubBody != null ? server.pubBody : settings.pubBody;
    String type = server.pubContentType != null ? server.pubContentType : settings.pubContentType;
    args.addAll(List.of("--pub-body", body));
    args.addAll(List.of("--pub-content-type", type));
    this.publisher = WorkerProcess.start("publisher", args, logDir.resolve("load-publisher.log"));
    publisher.call("open " + settings.publishers + " " + settings.pipeline);
    this.idleFiles = ProcessMetrics.openFiles(server.pids());
  }

  /**
   * Waits, {@link #SETTLE_MAX_MILLIS} at most, until the server under test holds no more than
   * {@link #SETTLED_MARGIN} open files over what it held idle: a server that notices closed
   * connections late (a servlet stream only when it next writes, an {@code SseEmitter} through an
   * error dispatch each) would otherwise still be busy with the last trial's subscribers while the
   * next trial's connect, and they would time out. Returns the seconds waited (0 for a server
   * without processes here).
   */
  double settle() {
    List<Long> pids = server.pids();
    if (idleFiles < 0 || pids.isEmpty()) {
      return 0;
    }
    long start = System.nanoTime();
    long deadline = start + SETTLE_MAX_MILLIS * 1_000_000;
    while (ProcessMetrics.openFiles(pids) > idleFiles + SETTLED_MARGIN
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private List<String> common() {
    List<String> args = new ArrayList<>();
    for (String h : settings.headers) {
      args.addAll(List.of("--header", h));
    }
    return args;
  }

  /**
   * Event-loop threads of each subscribing process: the settings', or one, or for a cluster one per
   * node (at most the machine's cores), as many as when each node had a process of its own: a
   * process reading 1,000 subscribers of a cluster on one thread was measured to hold the cluster's
   * fan-out below what two threads read.
   */
  int clientThreads() {
    if (settings.clientThreads > 0) {
      return settings.clientThreads;
    }
    return server.severalNodes()
        ? Math.min(server.subUrls.size(), Runtime.getRuntime().availableProcessors())
        : 1;
  }

  /** A channel name not used before in this JVM. */
  static String channel(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() + "-" + CHANNELS.incrementAndGet();
  }

  /** The publishing process's PID. */
  long publisherPid() {
    return publisher.pid();
  }

  /** Whether every load process so far runs on the native epoll transport. */
  boolean epoll() {
    return publisher.epoll() && workers.stream().allMatch(WorkerProcess::epoll);
  }

  /** The subscribing processes' PIDs. */
  List<Long> workerPids() {
    return workers.stream().map(WorkerProcess::pid).toList();
  }

  private WorkerProcess worker(int i) {
    while (workers.size() <= i) {
      List<String> args = new ArrayList<>(common());
      // every node of a cluster: a process holds subscribers of several nodes
      for (String url : server.subUrls) {
        args.addAll(List.of("--sub-url", url));
      }
      args.addAll(List.of("--threads", Integer.toString(clientThreads())));
      String name = "subscribers-" + (workers.size() + 1);
      workers.add(WorkerProcess.start(name, args, logDir.resolve("load-" + name + ".log")));
      held.add(0);
    }
    return workers.get(i);
  }

  /**
   * Opens {@code n} more subscribers of {@code channel} expecting every sequence number from {@code
   * first}, filling each process up to its share before starting the next; a cluster's are spread
   * evenly over its nodes, a process holding subscribers of several nodes (fewer processes: less of
   * the machine's CPU to the generator's own JVMs).
   */
  Connected connect(int n, String channel, long first) {
    int nodes = server.subUrls.size();
    List<int[]> perProcess = new ArrayList<>(); // subscribers per node, for each process
    int process = 0;
    for (int node = 0; node < nodes; node++) {
      int left = n / nodes + (node < n % nodes ? 1 : 0);
      while (left > 0) {
        worker(process);
        while (perProcess.size() <= process) {
          perProcess.add(new int[nodes]);
        }
        int take = Math.min(left, settings.perProcess - held.get(process));
        if (take <= 0) {
          process++;
          continue;
        }
        held.set(process, held.get(process) + take);
        perProcess.get(process)[node] += take;
        left -= take;
      }
    }
    List<CompletableFuture<Map<String, String>>> calls = new ArrayList<>();
    for (int i = 0; i < perProcess.size(); i++) {
      int[] counts = perProcess.get(i);
      int sum = IntStream.of(counts).sum();
      if (sum == 0) {
        continue;
      }
      String split =
          IntStream.of(counts).mapToObj(Integer::toString).collect(Collectors.joining(","));
      String cmd =
          "connect " + sum + " " + channel + " " + first + " " + settings.concurrency + " " + split;
      WorkerProcess w = workers.get(i);
      calls.add(CompletableFuture.supplyAsync(() -> w.call(cmd), CALLS));
    }
    return Connected.sum(join(calls));
  }

  /** Reconnects every closed subscriber with its last event ID, all processes at once. */
  Connected reconnect() {
    return Connected.sum(onWorkers(w -> w.call("reconnect " + settings.concurrency)));
  }

  /** Closes every subscriber's connection from the client side. */
  void disconnect() {
    onWorkers(w -> w.call("disconnect"));
  }

  /** Closes and forgets every subscriber. */
  void clear() {
    onWorkers(w -> w.call("clear"));
    held.replaceAll(x -> 0);
  }

  /** Counters over all subscribers; latencies since the last call. */
  Received stats() {
    Received r = new Received();
    for (Map<String, String> m : onWorkers(w -> w.call("stats"))) {
      r.events += Long.parseLong(m.get("events"));
      r.distinct += Long.parseLong(m.get("distinct"));
      r.duplicates += Long.parseLong(m.get("duplicates"));
      r.late += Long.parseLong(m.get("late"));
      r.open += Integer.parseInt(m.get("open"));
      r.subscribers += Integer.parseInt(m.get("subscribers"));
      r.endedResponse += Integer.parseInt(m.get("endedResponse"));
      r.endedFailed += Integer.parseInt(m.get("endedFailed"));
      r.endedClosed += Integer.parseInt(m.get("endedClosed"));
      r.lastEventNanos = Math.max(r.lastEventNanos, Long.parseLong(m.get("lastEventNanos")));
      r.cpuNanos += Long.parseLong(m.get("cpuNanos"));
      r.latency.add(Histograms.decode(m.get("latency")));
    }
    return r;
  }

  /** Events received so far by all subscribers. */
  long count() {
    long n = 0;
    for (Map<String, String> m : onWorkers(w -> w.call("count"))) {
      n += Long.parseLong(m.get("events"));
    }
    return n;
  }

  /** Sequence numbers up to {@code last} that never arrived, over all subscribers. */
  long missing(long last) {
    long n = 0;
    for (Map<String, String> m : onWorkers(w -> w.call("missing " + last))) {
      n += Long.parseLong(m.get("missing"));
    }
    return n;
  }

  /** Waits until every subscriber has seen {@code seq}; returns how many have. */
  long await(long seq, long timeoutMillis) {
    long n = 0;
    for (Map<String, String> m : onWorkers(w -> w.call("await " + seq + " " + timeoutMillis))) {
      n += Long.parseLong(m.get("caught"));
    }
    return n;
  }

  /** Publishes on the open-loop schedule; blocks until every event is acknowledged. */
  Published publish(String channel, double ratePerSecond, long count, int bytes) {
    return publish(channel, ratePerSecond, count, bytes, 0);
  }

  /**
   * Publishes as {@link #publish(String, double, long, int)} does, but sends nothing after {@code
   * stopMillis} if positive: what a server that fell behind has not been sent by then never is.
   */
  Published publish(String channel, double ratePerSecond, long count, int bytes, long stopMillis) {
    return publish(channel, ratePerSecond, count, bytes, stopMillis, 0);
  }

  /**
   * Publishes as {@link #publish(String, double, long, int, long)} does, with up to {@code depth}
   * requests in flight per connection (0: {@link BenchSettings#pipeline}).
   */
  Published publish(
      String channel, double ratePerSecond, long count, int bytes, long stopMillis, int depth) {
    String call = "publish " + channel + " " + ratePerSecond + " " + count + " " + bytes;
    return Published.of(publisher.call(call + " " + Math.max(0, stopMillis) + " " + depth));
  }

  /** Publishes as fast as acknowledged for {@code millis}. */
  Published flood(String channel, long millis, int bytes) {
    return Published.of(publisher.call("flood " + channel + " " + millis + " " + bytes));
  }

  private List<Map<String, String>> onWorkers(Function<WorkerProcess, Map<String, String>> call) {
    List<CompletableFuture<Map<String, String>>> calls = new ArrayList<>();
    for (WorkerProcess w : workers) {
      calls.add(CompletableFuture.supplyAsync(() -> call.apply(w), CALLS));
    }
    return join(calls);
  }

  private static List<Map<String, String>> join(List<CompletableFuture<Map<String, String>>> fs) {
    List<Map<String, String>> out = new ArrayList<>();
    for (CompletableFuture<Map<String, String>> f : fs) {
      out.add(f.join());
    }
    return out;
  }

  @Override
  public void close() {
    for (WorkerProcess w : workers) {
      w.close();
    }
    publisher.close();
  }

  /** What a connect or reconnect came to, over all processes. */
  static final class Connected {
    int established;
    int failed;
    int timedOut;
    int closedEarly;
    int refused;
    String statuses = "";
    double millis;

    static Connected sum(List<Map<String, String>> replies) {
      Connected c = new Connected();
      for (Map<String, String> m : replies) {
        c.established += Integer.parseInt(m.get("established"));
        c.failed += Integer.parseInt(m.get("failed"));
        c.timedOut += Integer.parseInt(m.get("timedOut"));
        c.closedEarly += Integer.parseInt(m.get("closedEarly"));
        c.refused += Integer.parseInt(m.get("refused"));
        if (!"-".equals(m.get("statuses"))) {
          c.statuses += (c.statuses.isEmpty() ? "" : ",") + m.get("statuses");
        }
        c.millis = Math.max(c.millis, Double.parseDouble(m.get("millis")));
      }
      return c;
    }

    /** Says how many of {@code n} subscribers connected, and what became of the others. */
    String shortfall(int n) {
      return String.format(
          java.util.Locale.ROOT,
          "only %,d of %,d subscribers connected: %,d timed out waiting for the response head"
              + " (%d s), %,d refused%s, %,d could not connect, %,d closed before the head",
          established,
          n,
          timedOut,
          SubscriberPool.HEAD_TIMEOUT_MILLIS / 1000,
          refused,
          statuses.isEmpty() ? "" : " (" + statuses + ")",
          failed,
          closedEarly);
    }

    int unsuccessful() {
      return failed + timedOut + closedEarly + refused;
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("established", established);
      m.put("refused", refused);
      m.put("refusedStatuses", statuses);
      m.put("connectFailed", failed);
      m.put("timedOut", timedOut);
      m.put("closedBeforeHead", closedEarly);
      m.put("millis", Math.round(millis));
      return m;
    }
  }

  /** Counters over all subscribers. */
  static final class Received {
    long events;
    long distinct;
    long duplicates;
    long late;
    int open;
    int subscribers;
    int endedResponse; // streams whose response the server ended
    int endedFailed; // streams whose connection failed (a reset, say)
    int endedClosed; // streams whose connection the server closed
    long lastEventNanos;
    long cpuNanos;
    final Histogram latency = new Histogram(LoopStats.MAX_MICROS, 3);
  }

  /** What a publish run came to. */
  static final class Published {
    long sent;
    long acked;
    long failed;
    long firstSeq;
    long lastSeq;
    long startNanos;
    long endNanos;
    long lastAckNanos;
    long maxLagNanos;
    long ownLagNanos;
    long blockedNanos;
    int maxInFlight;
    int inFlightCap;
    Histogram ackLatency;
    Histogram answerLatency;

    static Published of(Map<String, String> m) {
      Published p = new Published();
      p.sent = Long.parseLong(m.get("sent"));
      p.acked = Long.parseLong(m.get("acked"));
      p.failed = Long.parseLong(m.get("failed"));
      p.firstSeq = Long.parseLong(m.get("firstSeq"));
      p.lastSeq = Long.parseLong(m.get("lastSeq"));
      p.startNanos = Long.parseLong(m.get("startNanos"));
      p.endNanos = Long.parseLong(m.get("endNanos"));
      p.lastAckNanos = Long.parseLong(m.get("lastAckNanos"));
      p.maxLagNanos = Long.parseLong(m.get("maxLagNanos"));
      p.ownLagNanos = Long.parseLong(m.get("ownLagNanos"));
      p.blockedNanos = Long.parseLong(m.get("blockedNanos"));
      p.maxInFlight = Integer.parseInt(m.get("maxInFlight"));
      p.inFlightCap = Integer.parseInt(m.get("inFlightCap"));
      p.ackLatency = Histograms.decode(m.get("ackLatency"));
      p.answerLatency = Histograms.decode(m.get("answerLatency"));
      return p;
    }
  }
}
