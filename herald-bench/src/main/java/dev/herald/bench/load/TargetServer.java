package dev.herald.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server under test: Herald's bench server, its hub, one of the reference servers of {@code
 * ../shared/bench} or a Spring MVC server ({@link SpringTarget}), started as a process of its own
 * and stopped afterwards — or an external server given by URL templates, which is neither started
 * nor stopped.
 *
 * <p>The reference servers are installed in a cache directory outside the repository by {@code
 * herald-bench/scripts/install-references.sh}; {@link #missing} tells whether one is.
 */
final class TargetServer implements AutoCloseable {
  /** The targets that {@code compare} runs, in order. */
  static final List<String> ALL = List.of("herald", "hub", "nchan", "node", "vertx", "webflux");

  /** Every target that can be named, {@code ALL} and those run only when named. */
  static final List<String> NAMED =
      List.of(
          "herald",
          "hub",
          "hub-sqlite",
          "nchan",
          "node",
          "vertx",
          "webflux",
          "hub-cluster",
          "nchan-redis",
          "hub-redis",
          "spring-herald",
          "spring-emitter");

  /** The targets that the {@code cluster} scenario runs, in order. */
  static final List<String> CLUSTER = List.of("hub-cluster", "nchan-redis");

  /** Heap of every JVM server (Herald, its hub, Vert.x, WebFlux, the Spring ones) alike. */
  static final String SERVER_HEAP = "-Xmx2g";

  private static final Map<String, Integer> PORTS =
      Map.of(
          "nchan",
          8090,
          "node",
          8091,
          "vertx",
          8093,
          "webflux",
          8094,
          "hub",
          8096,
          "hub-sqlite",
          8097,
          "spring-herald",
          8098,
          "spring-emitter",
          8099);

  /** The Mercure hub's subscribe URL, its publish URL and form body. */
  private static final String HUB_SUB = "/.well-known/mercure?match={ch}";

  private static final String HUB_PUB = "/.well-known/mercure";
  private static final String HUB_PUB_BODY = "topic={ch}&data={data_form}";
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String NCHAN_MODULE = "/usr/lib/nginx/modules/ngx_nchan_module.so";

  final String name;
  final String subUrl;

  /** The subscribe URL templates of every node: {@code subUrl} alone, or a cluster's nodes'. */
  final List<String> subUrls;

  final String pubUrl;

  /**
   * Whether the subscribers spread over several nodes (a cluster on this machine): its fan-out
   * warms up longer, its probes run longer and its load processes read on more threads ({@link
   * Scenarios#CLUSTER_WARMUP_SECONDS}, {@link Scenarios#CLUSTER_PROBE_SECONDS}, {@link
   * Rig#clientThreads}).
   */
  boolean severalNodes() {
    return subUrls.size() > 1;
  }

  /** The publish body's template and content type, or {@code null} for the settings' ones. */
  final String pubBody;

  final String pubContentType;

  final boolean jvm;

  /**
   * Herald's and the hub's {@code /metrics} (Prometheus text with {@code
   * herald_dispatch_latency_seconds}); {@code null} for the references and external servers.
   */
  String metricsUrl;

  private final Process process;
  private final long pid;
  private final Path cache;
  private Path data; // hub-sqlite's database directory, removed at close
  private ClusterTarget cluster; // a cluster target's Redis and nodes, or null

  private TargetServer(
      String name,
      String subUrl,
      String pubUrl,
      boolean jvm,
      Process process,
      long pid,
      Path cache) {
    this.name = name;
    this.subUrl = subUrl;
    this.subUrls = List.of(subUrl);
    this.pubUrl = pubUrl;
    boolean hub = isHub(name);
    this.pubBody = hub ? HUB_PUB_BODY : null;
    this.pubContentType = hub ? FORM : null;
    this.jvm = jvm;
    this.process = process;
    this.pid = pid;
    this.cache = cache;
  }

  private TargetServer(String name, ClusterTarget cluster, Path cache) {
    this.name = name;
    this.subUrl = cluster.subUrls.get(0);
    this.subUrls = List.copyOf(cluster.subUrls);
    this.pubUrl = cluster.pubUrl;
    boolean hub = isHub(name);
    this.pubBody = hub ? HUB_PUB_BODY : null;
    this.pubContentType = hub ? FORM : null;
    this.jvm = hub;
    this.process = null;
    this.pid = cluster.nodePids.get(0);
    this.cache = cache;
    this.cluster = cluster;
    if (name.equals("hub-redis")) { // one node: its dispatch latency is the whole server's
      this.metricsUrl = subUrl.substring(0, subUrl.indexOf("/.well-known/")) + "/metrics";
    }
  }

  /** A server that is already running, at these URL templates. */
  static TargetServer external(String subUrl, String pubUrl) {
    return new TargetServer("external", subUrl, pubUrl, false, null, -1, null);
  }

  /** Whether {@code name} is Herald's Mercure hub ({@code hub}, {@code hub-sqlite}). */
  static boolean isHub(String name) {
    return name.equals("hub") || name.startsWith("hub-");
  }

  /** Why target {@code name} cannot be started here, or {@code null} if it can. */
  static String missing(String name, Path cache) {
    if (ClusterTarget.isCluster(name)) {
      return ClusterTarget.missing(
          name, name.equals("nchan-redis") ? missing("nchan", cache) : null);
    }
    switch (name) {
      case "herald":
      case "hub":
      case "hub-sqlite":
        return null;
      case "nchan":
        if (!Files.exists(Path.of(NCHAN_MODULE)) || onPath("nginx") == null) {
          return "nginx with nchan is not installed (" + NCHAN_MODULE + ")";
        }
        return need(cache.resolve("nchan/nchanctl.sh"));
      case "node":
        if (onPath("node") == null) {
          return "node is not on the PATH";
        }
        String m = need(cache.resolve("node/sse-hub.mjs"));
        return m != null ? m : need(cache.resolve("node/node_modules/express/package.json"));
      case "vertx":
      case "webflux":
        return need(cache.resolve(name + "/cp.txt"));
      case "spring-herald":
      case "spring-emitter":
        return SpringTarget.missing();
      default:
        return "unknown target '" + name + "' (" + String.join(", ", NAMED) + ")";
    }
  }

  private static String need(Path file) {
    return Files.exists(file) ? null : file + " is missing";
  }

  private static Path onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    for (String dir : List.of("/usr/sbin", "/sbin")) {
      Path p = Path.of(dir, command);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** Starts target {@code name}; its output goes to {@code logDir}. */
  static TargetServer start(String name, Path cache, int heraldPort, Path logDir) {
    String why = missing(name, cache);
    if (why != null) {
      throw new IllegalStateException(name + ": " + why);
    }
    if (ClusterTarget.isCluster(name)) {
      return new TargetServer(name, ClusterTarget.start(name, cache, logDir), cache);
    }
    int port = name.equals("herald") ? heraldPort : PORTS.get(name);
    if (listening(port)) {
      throw new IllegalStateException(
          name + ": port " + port + " is already in use; is another server still running?");
    }
    Path log = logDir.resolve(name + "-server.log");
    String base = "http://127.0.0.1:" + port;
    String prefix = SpringTarget.is(name) ? SpringTarget.prefix(name) : "";
    String sub = base + (isHub(name) ? HUB_SUB : prefix + "/sub/{ch}");
    String pub = base + (isHub(name) ? HUB_PUB : prefix + "/pub/{ch}");
    try {
      if (name.equals("nchan")) {
        return startNchan(cache, log, sub, pub, port);
      }
      List<String> cmd;
      Path data = null;
      boolean jvm = true;
      Path dir = cache.resolve(name);
      switch (name) {
        case "herald":
          cmd =
              JavaCommand.of(
                  List.of(SERVER_HEAP),
                  "dev.herald.bench.server.HeraldBenchServer",
                  List.of(Integer.toString(port)));
          dir = logDir;
          break;
        case "hub":
          cmd = hubCommand(port, List.of("memory"));
          dir = logDir;
          break;
        case "hub-sqlite":
          // beside the logs, on the disk of the results: /tmp may be memory, where syncs are free
          data = logDir.resolve("hub-sqlite-db");
          cmd = hubCommand(port, List.of("sqlite", data.toString()));
          dir = logDir;
          break;
        case "node":
          cmd = List.of("node", "sse-hub.mjs");
          jvm = false;
          break;
        case "vertx":
          cmd = javaCp(dir, "anchor.VertxSseHub", Integer.toString(port), "2");
          break;
        case "spring-herald":
        case "spring-emitter":
          cmd = SpringTarget.command(port);
          dir = logDir;
          break;
        default: // webflux
          cmd =
              javaCp(
                  dir,
                  "anchor.WebfluxSseHub",
                  "--server.port=" + port,
                  "--server.address=127.0.0.1");
          break;
      }
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      if (name.equals("node")) {
        pb.environment().put("MODE", "express");
        pb.environment().put("PORT", Integer.toString(port));
      }
      Process p = pb.start();
      TargetServer server = new TargetServer(name, sub, pub, jvm, p, p.pid(), cache);
      server.data = data;
      if (name.equals("herald") || isHub(name)) {
        server.metricsUrl = base + "/metrics";
      }
      server.awaitListening(port, log);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  private static List<String> hubCommand(int port, List<String> store) {
    List<String> args = new ArrayList<>(List.of(Integer.toString(port)));
    args.addAll(store);
    return JavaCommand.of(List.of(SERVER_HEAP), "dev.herald.bench.server.HubBenchServer", args);
  }

  private static List<String> javaCp(Path dir, String main, String... args) throws IOException {
    String cp = Files.readString(dir.resolve("cp.txt"), StandardCharsets.UTF_8).trim();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(SERVER_HEAP);
    cmd.add("-cp");
    cmd.add(cp + ":" + dir.resolve("target/classes"));
    cmd.add(main);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static TargetServer startNchan(Path cache, Path log, String sub, String pub, int port)
      throws IOException {
    Path ctl = cache.resolve("nchan/nchanctl.sh");
    Path run = cache.resolve("nchan/run");
    runScript(ctl, "start", run, log);
    long pid = Long.parseLong(Files.readString(run.resolve("nginx.pid")).trim());
    TargetServer server = new TargetServer("nchan", sub, pub, false, null, pid, cache);
    server.awaitListening(port, log);
    return server;
  }

  private static void runScript(Path script, String verb, Path run, Path log) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder("bash", script.toString(), verb)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("NCHAN_RUN", run.toString());
    try {
      Process p = pb.start();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("nchanctl.sh " + verb + " failed; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private void awaitListening(int port, Path log) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (listening(port)) {
        return;
      }
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException(name + " exited at start; see " + log);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new IllegalStateException(name + " did not listen on port " + port + "; see " + log);
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The server's processes (an nginx master and its workers, say); empty if external. */
  List<Long> pids() {
    if (cluster != null) {
      List<Long> all = new ArrayList<>();
      cluster.nodePids.forEach(p -> all.addAll(ProcessMetrics.tree(p)));
      return all;
    }
    return pid < 0 ? List.of() : ProcessMetrics.tree(pid);
  }

  /** The main process, or -1 if external. */
  long pid() {
    return pid;
  }

  @Override
  public void close() {
    if (cluster != null) {
      cluster.close();
      return;
    }
    if (name.equals("nchan") && cache != null) {
      try {
        runScript(
            cache.resolve("nchan/nchanctl.sh"),
            "stop",
            cache.resolve("nchan/run"),
            cache.resolve("nchan/run/stop.log"));
      } catch (IOException e) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      return;
    }
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteData();
  }

  /** Removes hub-sqlite's database, which may hold up to a gigabyte, once the hub has stopped. */
  private void deleteData() {
    if (data == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(data)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a database left beside the logs is harmless
    }
  }
}
