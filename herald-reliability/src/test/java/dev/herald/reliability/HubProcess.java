package dev.herald.reliability;

import dev.herald.hub.Hub;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hub in a child JVM ({@link HubMain} on this test's class path, {@code -Xmx256m}) on a port
 * chosen once, so that it can be killed and restarted at the same URL. Its standard output and
 * error go to one log file per start, at debug level, which the tests read back.
 *
 * <pre>{@code
 * try (HubProcess hub = HubProcess.builder(dir).option("--anonymous-subscribers").start()) {
 *   hub.kill9();
 *   hub.restart();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one test thread drives it. {@link #close()} kills the child, so use it in a
 * try-with-resources or an {@code @AfterEach}/{@code @AfterAll}.
 */
final class HubProcess implements AutoCloseable {
  private static final long START_TIMEOUT_SECONDS = 30;
  // "def new generation   total 78656K, used 1234K [...", "tenured generation ... used 99K"
  private static final Pattern HEAP_USED = Pattern.compile("generation +total \\d+K, used (\\d+)K");

  private final Path dir;
  private final int port;
  private final List<String> options;
  private final List<String> jvmOptions;
  private final List<Path> logs = new ArrayList<>();
  private Process process;

  private HubProcess(Path dir, int port, List<String> options, List<String> jvmOptions) {
    this.dir = dir;
    this.port = port;
    this.options = options;
    this.jvmOptions = jvmOptions;
  }

  /** A hub whose log files go in {@code dir}. */
  static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** Configures a {@link HubProcess}: {@link HubMain}'s options. */
  static final class Builder {
    private final Path dir;
    private final List<String> options = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();

    private Builder(Path dir) {
      this.dir = dir;
    }

    /** Adds one of {@link HubMain}'s options, such as {@code --sqlite=/tmp/x.db}. */
    Builder option(String option) {
      options.add(option);
      return this;
    }

    /** Adds a JVM option after the defaults, such as {@code -Xmx1g} (the last one wins). */
    Builder jvmOption(String option) {
      jvmOptions.add(option);
      return this;
    }

    /** Starts the child on a free port and waits for it to serve. */
    HubProcess start() throws IOException, InterruptedException {
      HubProcess hub =
          new HubProcess(dir, freePort(), List.copyOf(options), List.copyOf(jvmOptions));
      hub.restart();
      return hub;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts the child again (after {@link #kill9()} or {@link #stop()}) on the same port. */
  void restart() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the hub is running");
    }
    Path log = dir.resolve("hub-" + (logs.size() + 1) + ".log");
    logs.add(log);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dio.netty.leakDetection.level=paranoid");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug");
    command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(HubMain.class.getName());
    command.add("--port=" + port);
    command.addAll(options);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start(); // standard input stays a pipe: closed when this JVM dies
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    while (!Files.readString(log, StandardCharsets.UTF_8).contains("READY " + port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(
            "the hub did not start; its output:\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
      Thread.sleep(20);
    }
  }

  /** SIGKILL: the child gets no chance to flush or close anything. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the hub survived SIGKILL");
    }
  }

  /**
   * Sends SIGSTOP (the hub freezes, its sockets stay open) or SIGCONT ({@code STOP}, {@code CONT}).
   */
  void signal(String name) throws IOException, InterruptedException {
    Signals.send(pid(), name);
  }

  /** SIGTERM and wait: the hub closes as on a normal stop. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      kill9();
    }
  }

  /** Whether the child is running. */
  boolean isAlive() {
    return process != null && process.isAlive();
  }

  int port() {
    return port;
  }

  /** The child's process ID. */
  long pid() {
    return process.pid();
  }

  /** The child's resident set size (VmRSS in /proc; Linux only). */
  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid());
  }

  /** The child's Java heap in use, the sum of its generations' {@code used} (jcmd GC.heap_info). */
  long heapUsedBytes() throws IOException, InterruptedException {
    long used = 0;
    Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
    while (m.find()) {
      used += Long.parseLong(m.group(1)) * 1024;
    }
    return used;
  }

  /** A full collection in the child (jcmd GC.run), as System.gc() there would. */
  void gc() throws IOException, InterruptedException {
    jcmd("GC.run");
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()),
                command)
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!jcmd.waitFor(30, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  /** The hub's URL, the audience of its tokens. */
  String url() {
    return Hub.url(false, "127.0.0.1", port, Hub.DEFAULT_PATH);
  }

  /** {@code http://127.0.0.1:port}. */
  String base() {
    return "http://127.0.0.1:" + port;
  }

  /** Everything every start of the child wrote so far, in order. */
  String output() throws IOException {
    StringBuilder all = new StringBuilder();
    for (Path log : logs) {
      all.append(Files.readString(log, StandardCharsets.ISO_8859_1));
    }
    return all.toString();
  }

  /** Kills the child if it runs. */
  @Override
  public void close() {
    if (isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
