package dev.herald.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Debian {@code redis-server} or {@code redis-sentinel} started by a test on 127.0.0.1 and a free
 * port, in a directory of its own, with no persistence (a restart is a Redis that lost its data): a
 * master, a replica of one, or a sentinel watching a master named {@link #MASTER}. Its output goes
 * to {@code redis.log} in its directory. {@link #close()} kills it.
 */
final class RedisProcess implements AutoCloseable {
  /** The name sentinels know the master by, as in {@code redis-sentinel://…#herald}. */
  static final String MASTER = "herald";

  private final Path dir;
  private final int port;
  private final List<String> command;
  private Process process;

  private RedisProcess(Path dir, int port, List<String> command) {
    this.dir = dir;
    this.port = port;
    this.command = command;
  }

  /** Whether Debian's redis-server and redis-sentinel are installed. */
  static boolean installed() {
    return Files.isExecutable(Path.of("/usr/bin/redis-server"))
        && Files.isExecutable(Path.of("/usr/bin/redis-sentinel"));
  }

  /** A master with no persistence, in {@code dir}. */
  static RedisProcess master(Path dir) throws IOException, InterruptedException {
    return server(dir, List.of());
  }

  /**
   * A master that keeps its data across a stop and a start: an append-only file in {@code dir},
   * synced at every write ({@code appendfsync always}).
   */
  static RedisProcess durableMaster(Path dir) throws IOException, InterruptedException {
    return server(dir, List.of("--appendonly", "yes", "--appendfsync", "always"));
  }

  /** A replica of the master on {@code masterPort}. */
  static RedisProcess replica(Path dir, int masterPort) throws IOException, InterruptedException {
    RedisProcess replica =
        server(dir, List.of("--replicaof", "127.0.0.1", Integer.toString(masterPort)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!RedisCli.call(replica.port, "INFO", "replication").contains("master_link_status:up")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the replica did not sync with its master");
      }
      Thread.sleep(50);
    }
    return replica;
  }

  private static RedisProcess server(Path dir, List<String> more)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    int port = HubProcess.freePort();
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "/usr/bin/redis-server",
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir.toString()));
    command.addAll(more); // after the defaults: the last value of an option wins
    RedisProcess redis = new RedisProcess(dir, port, command);
    redis.start();
    return redis;
  }

  /**
   * A sentinel watching the master on {@code masterPort} as {@link #MASTER} with quorum {@code
   * quorum}: a master is down after 1 s without an answer, a failover may be retried after 5 s.
   */
  static RedisProcess sentinel(Path dir, int masterPort, int quorum)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    int port = HubProcess.freePort();
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "port " + port,
            "bind 127.0.0.1",
            "dir " + dir,
            "sentinel monitor " + MASTER + " 127.0.0.1 " + masterPort + " " + quorum,
            "sentinel down-after-milliseconds " + MASTER + " 1000",
            "sentinel failover-timeout " + MASTER + " 5000",
            "sentinel parallel-syncs " + MASTER + " 1",
            ""),
        StandardCharsets.UTF_8);
    RedisProcess sentinel =
        new RedisProcess(dir, port, List.of("/usr/bin/redis-sentinel", conf.toString()));
    sentinel.start();
    return sentinel;
  }

  /** Starts it again on the same port (after {@link #kill9()}), empty. */
  void start() throws IOException, InterruptedException {
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!RedisCli.pings(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "redis did not start: " + Files.readString(dir.resolve("redis.log")));
      }
      Thread.sleep(20);
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** SIGTERM (Redis shuts down cleanly), and waits for the process to end. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      kill9();
    }
  }

  /** SIGKILL, and waits for the process to end. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("redis survived SIGKILL");
    }
  }

  /** Sends SIGSTOP or SIGCONT ({@code signal} {@code STOP} or {@code CONT}). */
  void signal(String signal) throws IOException, InterruptedException {
    Signals.send(pid(), signal);
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
