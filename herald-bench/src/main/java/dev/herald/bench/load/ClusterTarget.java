package dev.herald.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The servers of a cluster target, on this machine: one {@code redis-server} (no persistence) and
 * {@link #NODES} nodes that share it — Herald hub processes ({@code hub-cluster}: {@code
 * HubBenchServer PORT redis URI NODE}, each its own JVM under its own file limit) or nginx with
 * nchan in its Redis mode ({@code nchan-redis}: {@code nchan_redis_url}, the reference server's
 * configuration otherwise). Subscribers are spread over the nodes; publishes go to the first.
 * {@link #close()} stops the nodes, then Redis.
 *
 * <p>{@code hub-redis} is a cluster of one: one hub node on a Redis that persists every write
 * before it answers ({@code appendonly yes}, {@code appendfsync always}, its files beside the
 * logs), to set a hub on Redis against the same hub on SQLite ({@code hub-sqlite}, {@code
 * synchronous=FULL}) at the same durability: nothing acknowledged is lost if the machine stops.
 */
final class ClusterTarget implements AutoCloseable {
  /** The nodes of a cluster target. */
  static final int NODES = 3;

  /** Heap of each hub node: three share this machine's memory. */
  static final String NODE_HEAP = "-Xmx1g";

  static final String REDIS = "/usr/bin/redis-server";

  private static final int HUB_REDIS_PORT = 6391;
  private static final int HUB_FIRST_PORT = 8101;
  private static final int NCHAN_REDIS_PORT = 6392;
  private static final int NCHAN_FIRST_PORT = 8111;
  private static final int SINGLE_REDIS_PORT = 6393;
  private static final int SINGLE_PORT = 8100;

  private final List<Process> processes = new ArrayList<>(); // Redis first
  private final List<Path> nginxPidFiles = new ArrayList<>();
  final List<String> subUrls = new ArrayList<>();
  final List<Long> nodePids = new ArrayList<>();
  String pubUrl;
  private Path durable; // hub-redis's Redis files, removed at close

  private ClusterTarget() {}

  /** Whether {@code name} is a cluster target (a cluster of one for {@code hub-redis}). */
  static boolean isCluster(String name) {
    return name.equals("hub-cluster") || name.equals("nchan-redis") || name.equals("hub-redis");
  }

  /** Why cluster target {@code name} cannot run here, or {@code null}. */
  static String missing(String name, String nchanMissing) {
    if (!Files.isExecutable(Path.of(REDIS))) {
      return "redis-server is not installed (" + REDIS + ")";
    }
    return name.equals("nchan-redis") ? nchanMissing : null;
  }

  /** Starts Redis and the nodes of {@code name}; logs go to {@code logDir}. */
  static ClusterTarget start(String name, Path cache, Path logDir) {
    ClusterTarget c = new ClusterTarget();
    try {
      boolean single = name.equals("hub-redis");
      boolean hub = single || name.equals("hub-cluster");
      int redisPort = single ? SINGLE_REDIS_PORT : hub ? HUB_REDIS_PORT : NCHAN_REDIS_PORT;
      int first = single ? SINGLE_PORT : hub ? HUB_FIRST_PORT : NCHAN_FIRST_PORT;
      Path durable = single ? logDir.resolve("hub-redis-data").toAbsolutePath() : null;
      c.durable = durable;
      c.redis(redisPort, logDir.resolve(name + "-redis.log"), durable);
      String redisUri = "redis://127.0.0.1:" + redisPort;
      for (int i = 0; i < (single ? 1 : NODES); i++) {
        int port = first + i;
        if (listening(port)) {
          throw new IllegalStateException("port " + port + " is already in use");
        }
        String base = "http://127.0.0.1:" + port;
        if (hub) {
          c.hubNode(
              port,
              redisUri,
              "node-" + (i + 1),
              single ? TargetServer.SERVER_HEAP : NODE_HEAP,
              logDir.resolve(name + "-node-" + (i + 1) + ".log"));
          c.subUrls.add(base + "/.well-known/mercure?match={ch}");
          if (i == 0) {
            c.pubUrl = base + "/.well-known/mercure";
          }
        } else {
          c.nchanNode(port, redisUri, cache, logDir.resolve("nchan-redis-" + (i + 1)));
          c.subUrls.add(base + "/sub/{ch}");
          if (i == 0) {
            c.pubUrl = base + "/pub/{ch}";
          }
        }
        awaitListening(port, logDir);
      }
      return c;
    } catch (IOException e) {
      c.close();
      throw new UncheckedIOException("cannot start " + name, e);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Starts Redis on {@code port}: without persistence, or, with a {@code durable} directory (made
   * afresh), writing every command to its append-only file and syncing it before answering.
   */
  private void redis(int port, Path log, Path durable) throws IOException {
    if (listening(port)) {
      throw new IllegalStateException("port " + port + " (Redis) is already in use");
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                REDIS,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--maxclients",
                "10000"));
    if (durable == null) {
      cmd.addAll(List.of("--appendonly", "no"));
    } else {
      deleteTree(durable);
      Files.createDirectories(durable);
      cmd.addAll(
          List.of("--appendonly", "yes", "--appendfsync", "always", "--dir", durable.toString()));
    }
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    processes.add(p);
    awaitListening(port, log.getParent());
  }

  private void hubNode(int port, String redisUri, String node, String heap, Path log)
      throws IOException {
    List<String> cmd =
        JavaCommand.of(
            List.of(heap),
            "dev.herald.bench.server.HubBenchServer",
            List.of(Integer.toString(port), "redis", redisUri, node));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    processes.add(p);
    nodePids.add(p.pid());
  }

  /**
   * An nginx with nchan in Redis mode: the reference server's configuration ({@code
   * nchan/nchan.conf} in the cache), its port changed, its runtime in {@code run}, and {@code
   * nchan_redis_url} with {@code nchan_use_redis on} added to its {@code http} block.
   */
  private void nchanNode(int port, String redisUri, Path cache, Path dir) throws IOException {
    Path run = dir.toAbsolutePath(); // nginx resolves a relative -c against its -p prefix
    for (String d : List.of("body", "proxy", "fastcgi", "uwsgi", "scgi")) {
      Files.createDirectories(run.resolve(d));
    }
    String conf =
        Files.readString(cache.resolve("nchan/nchan.conf"), StandardCharsets.UTF_8)
            .replace("@RUN@", run.toString())
            .replace("127.0.0.1:8090", "127.0.0.1:" + port)
            .replace(
                "http {",
                "http {\n    nchan_redis_url \"" + redisUri + "\";\n    nchan_use_redis on;");
    Path file = run.resolve("nchan-redis.conf");
    Files.writeString(file, conf, StandardCharsets.UTF_8);
    Path out = run.resolve("start.log");
    Process p =
        new ProcessBuilder("nginx", "-p", run.toString(), "-c", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "nginx (nchan-redis) did not start: " + Files.readString(out, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    Path pid = run.resolve("nginx.pid");
    nginxPidFiles.add(pid);
    nodePids.add(Long.parseLong(Files.readString(pid).trim()));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  private static void awaitListening(int port, Path logDir) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!listening(port)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("nothing listens on port " + port + "; see " + logDir);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the nodes (nginx by its master's PID, gracefully), then Redis. */
  @Override
  public void close() {
    for (Path pidFile : nginxPidFiles) {
      try {
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // SIGTERM: fast shutdown
      } catch (IOException | RuntimeException e) {
        // already gone
      }
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (durable != null) {
      try {
        deleteTree(durable);
      } catch (IOException e) {
        // Redis's files left beside the logs are harmless
      }
    }
  }
}
