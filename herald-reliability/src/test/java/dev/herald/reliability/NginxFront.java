package dev.herald.reliability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's nginx in front of hub nodes, run with the configuration that docs/cluster.md gives
 * ({@code docs/nginx-cluster.conf}, the one source): its listen port and its upstream servers
 * rewritten to the test's, the rest as written; prefix a temporary directory ({@code -p}), in the
 * foreground ({@code daemon off}). {@link #close()} stops it (SIGTERM, then SIGKILL).
 */
final class NginxFront implements AutoCloseable {
  static final Path NGINX = Path.of("/usr/sbin/nginx");

  /** The committed configuration, from the module's directory (where Surefire runs). */
  static final Path CONFIG = Path.of("..", "docs", "nginx-cluster.conf");

  private static final Pattern LISTEN = Pattern.compile("listen 127\\.0\\.0\\.1:\\d+;");
  private static final Pattern SERVER =
      Pattern.compile("    server 127\\.0\\.0\\.1:\\d+ ([^;]*);\n");

  private final Process process;
  private final int port;

  private NginxFront(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static boolean installed() {
    return Files.isExecutable(NGINX);
  }

  /** Starts nginx on a free port in front of the nodes on {@code ports}; logs in {@code dir}. */
  static NginxFront start(Path dir, List<Integer> ports) throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("logs"));
    Files.createDirectories(dir.resolve("temp"));
    int port = HubProcess.freePort();
    String conf = rewrite(Files.readString(CONFIG, StandardCharsets.UTF_8), port, ports);
    Path file = dir.resolve("nginx.conf");
    Files.writeString(file, conf, StandardCharsets.UTF_8);
    Process process =
        new ProcessBuilder(
                NGINX.toString(),
                "-p",
                dir.toString(),
                "-c",
                file.toString(),
                "-e",
                "logs/error.log", // not /var/log/nginx before the file's error_log applies
                "-g",
                "daemon off;")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nginx.out").toFile())
            .start();
    NginxFront front = new NginxFront(process, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!listening(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        front.close();
        throw new IllegalStateException(
            "nginx did not start: "
                + Files.readString(dir.resolve("nginx.out"))
                + Files.readString(dir.resolve("logs/error.log")));
      }
      Thread.sleep(20);
    }
    return front;
  }

  /** The committed configuration, listening on {@code port}, with the upstream {@code nodes}. */
  static String rewrite(String conf, int port, List<Integer> nodes) {
    Matcher listen = LISTEN.matcher(conf);
    if (!listen.find()) {
      throw new IllegalStateException("no listen line in " + CONFIG);
    }
    conf = listen.replaceFirst("listen 127.0.0.1:" + port + ";");
    Matcher server = SERVER.matcher(conf);
    if (!server.find()) {
      throw new IllegalStateException("no upstream server line in " + CONFIG);
    }
    String options = server.group(1);
    StringBuilder servers = new StringBuilder();
    for (int node : nodes) {
      servers
          .append("    server 127.0.0.1:")
          .append(node)
          .append(' ')
          .append(options)
          .append(";\n");
    }
    int start = server.start();
    int end = server.end();
    while (server.find()) {
      end = server.end();
    }
    return conf.substring(0, start) + servers + conf.substring(end);
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  int port() {
    return port;
  }

  /** {@code http://127.0.0.1:port}. */
  String base() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
