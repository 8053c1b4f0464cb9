package dev.herald.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian's, {@code /usr/bin/redis-server}) for tests, on 127.0.0.1 and
 * a free port, in a directory of its own, without persistence unless asked ({@code --save ''
 * --appendonly no}): stop it and start it again on the same port, and it comes back empty, as a
 * Redis restarted without persistence does.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *   String uri = redis.uri();               // redis://127.0.0.1:PORT
 *   redis.command("SET", "k", "v");         // a command, its reply as Java values
 *   redis.stop();                           // publishes now fail
 *   redis.restart();                        // same port, empty
 * }
 * }</pre>
 *
 * <p>{@link #builder()} adds arguments ({@code --requirepass}, {@code --replicaof}, persistence) or
 * picks the port. The process is killed when the JVM exits, if the test did not close it.
 * Thread-safe.
 *
 * @since 0.2
 */
public final class RedisServer implements AutoCloseable {
  /** Where Debian installs the server. */
  public static final Path DEFAULT_EXECUTABLE = Path.of("/usr/bin/redis-server");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Path executable;
  private final List<String> args;
  private final Path directory;
  private final Thread cleanup;
  private int port;
  private Process process;

  private RedisServer(Builder b) throws IOException {
    this.executable = b.executable;
    this.args = List.copyOf(b.args);
    this.directory = Files.createTempDirectory("herald-redis-");
    this.port = b.port;
    this.cleanup = new Thread(this::kill, "redis-server-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /** Starts a server without persistence on a free port. */
  public static RedisServer start() {
    return builder().start();
  }

  /** A builder: a free port, no extra arguments. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port it listens on (kept across {@link #restart}). */
  public synchronized int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:PORT}. */
  public String uri() {
    return "redis://127.0.0.1:" + port();
  }

  /** The server's directory: its log ({@code redis.log}) and any files it persists. */
  public Path directory() {
    return directory;
  }

  /** Whether the process runs. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The process ID, for signals ({@code kill -STOP}); -1 if stopped. */
  public synchronized long pid() {
    return isRunning() ? process.pid() : -1;
  }

  private synchronized void launch() {
    boolean freePort = port == 0;
    for (int attempt = 0; ; attempt++) {
      int p = freePort ? freePort() : port;
      List<String> command = new ArrayList<>();
      command.add(executable.toString());
      command.addAll(
          List.of(
              "--port",
              Integer.toString(p),
              "--bind",
              "127.0.0.1",
              "--dir",
              directory.toString(),
              "--logfile",
              directory.resolve("redis.log").toString(),
              "--save",
              "",
              "--appendonly",
              "no",
              "--daemonize",
              "no"));
      command.addAll(args); // later arguments win: a test may turn persistence on
      try {
        process =
            new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("redis.out").toFile())
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + executable, e);
      }
      if (awaitReady(p)) {
        port = p;
        return;
      }
      process.destroyForcibly();
      if (!freePort || attempt == 3) {
        throw new IllegalStateException(
            "redis-server did not start on port " + p + "; see " + directory.resolve("redis.log"));
      }
    }
  }

  private boolean awaitReady(int p) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        if ("PONG".equals(send(p, "PING"))) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (IllegalStateException answered) {
        return true; // an error reply (NOAUTH with --requirepass): it is up
      }
      try {
        process.waitFor(20, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server (SIGTERM; it saves nothing unless persistence was asked) and waits. */
  public synchronized void stop() {
    if (process != null) {
      process.destroy();
      await(process);
      process = null;
    }
  }

  /** Kills the server (SIGKILL) and waits. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      await(process);
      process = null;
    }
  }

  private static void await(Process p) {
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts it again on the same port (stopping it first if it runs). */
  public synchronized void restart() {
    stop();
    launch();
  }

  /**
   * Runs one command on a connection of its own and returns the reply: a simple or bulk string as a
   * {@code String} ({@code null} for a null reply), an integer as a {@code Long}, an array as a
   * {@code List}.
   *
   * @throws IllegalStateException if Redis answers with an error (its message)
   * @throws UncheckedIOException if Redis cannot be reached
   */
  public Object command(String... command) {
    try {
      return send(port(), command);
    } catch (IOException e) {
      throw new UncheckedIOException("redis-server on port " + port() + " unreachable", e);
    }
  }

  private static Object send(int port, String... command) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.write(("*" + command.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      for (String part : command) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        request.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        request.write(bytes);
        request.write("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      out.write(request.toByteArray());
      out.flush();
      return reply(new BufferedInputStream(socket.getInputStream()));
    }
  }

  private static Object reply(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IllegalStateException(line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int length = Integer.parseInt(line);
          if (length < 0) {
            return null;
          }
          byte[] bytes = in.readNBytes(length + 2);
          return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int count = Integer.parseInt(line);
          if (count < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            items.add(reply(in));
          }
          return items;
        }
      default:
        throw new IOException("not a RESP reply: " + (char) type + line);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("connection closed mid-reply");
      }
      line.write(c);
    }
    in.read(); // \n
    return line.toString(StandardCharsets.UTF_8);
  }

  /** Kills the server and deletes its directory. */
  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException exiting) {
      // the JVM is exiting: the hook kills it
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind
    }
  }

  /**
   * Configures a {@link RedisServer}. Not thread-safe.
   *
   * @since 0.2
   */
  public static final class Builder {
    private Path executable = DEFAULT_EXECUTABLE;
    private final List<String> args = new ArrayList<>();
    private int port;

    private Builder() {}

    /** The port; default 0, a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** The {@code redis-server} to run; default {@link #DEFAULT_EXECUTABLE}. */
    public Builder executable(Path executable) {
      this.executable = Objects.requireNonNull(executable, "executable");
      return this;
    }

    /**
     * Command-line arguments after the defaults, which they override: {@code "--requirepass",
     * "secret"}, {@code "--appendonly", "yes"}, {@code "--replicaof", "127.0.0.1", "6379"}.
     */
    public Builder args(String... args) {
      this.args.addAll(List.of(args));
      return this;
    }

    /** Starts the server; returns once it answers {@code PING}. */
    public RedisServer start() {
      RedisServer server;
      try {
        server = new RedisServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a directory for redis-server", e);
      }
      try {
        server.launch();
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    }
  }
}
