package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.cli.Cli.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald demo}: its usage, and a real run in a separate JVM stopped with SIGTERM. */
@Timeout(120)
class DemoCommandTest {
  private static final Pattern ADDRESS =
      Pattern.compile("Herald demos on http://127\\.0\\.0\\.1:(\\d+)/ \\(Ctrl-C stops them\\)");

  @TempDir Path data;
  private Process process;

  @AfterEach
  void stopProcess() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void helpNamesTheDemosAndTheOptions() {
    Result r = Cli.run("", "help", "demo");

    assertThat(r.status()).isZero();
    assertThat(r.out())
        .startsWith("Usage: herald demo")
        .contains("counter, clock, updates, progress, notifications, many")
        .contains("--port=PORT")
        .contains("(default: 8080)")
        .contains("--tls")
        .contains("--data=DIR");
    assertThat(Cli.run("", "--help").out()).contains("  demo ");
  }

  @Test
  void anUnknownDemoIsAUsageError() {
    Result r = Cli.run("", "demo", "nope");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("no demo called nope; the demos are counter, clock, updates, progress,")
        .contains("Usage: herald demo");
  }

  @Test
  void aPortInUseFailsWithStatusOne() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      String port = Integer.toString(taken.getLocalPort());

      Result r = Cli.run("", "demo", "clock", "--port", port, "--data", data.toString());

      assertThat(r.status()).isEqualTo(1);
      assertThat(r.err()).startsWith("herald demo: cannot serve on 127.0.0.1:" + port + ": ");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void servesTheNamedDemosUntilStopped() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--module-path");
    command.add(HeraldProcessTest.modulePath());
    command.add("--module");
    command.add("dev.herald.cli/dev.herald.cli.HeraldCommand");
    command.addAll(List.of("demo", "clock", "counter", "--port", "0", "--data", data.toString()));
    Path log = data.resolve("stderr.log");
    process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));

    Matcher address = ADDRESS.matcher(readLine(out));
    assertThat(address.matches()).isTrue();
    int port = Integer.parseInt(address.group(1));
    // In the index's order, whatever the order of the arguments.
    assertThat(readLine(out)).matches("  counter +http://127\\.0\\.0\\.1:" + port + "/counter/");
    assertThat(readLine(out)).matches("  clock +http://127\\.0\\.0\\.1:" + port + "/clock/");

    assertThat(get(port, "/clock/", "<title>Herald")).startsWith("HTTP/1.1 200");
    assertThat(get(port, "/clock/events", "data: Hello from server")).startsWith("HTTP/1.1 200");
    assertThat(get(port, "/updates/", "\r\n\r\n")).startsWith("HTTP/1.1 404");

    process.destroy(); // SIGTERM: the shutdown hook closes the server gracefully
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(128 + 15);
    assertThat(Files.readString(log))
        .as("the server's log, through slf4j-simple")
        .contains("Herald listening on http://127.0.0.1:" + port + "/")
        .contains("Herald stopped");
  }

  /** GETs {@code path} over a plain socket and reads until {@code until} has arrived. */
  private static String get(int port, String path, String until) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                  .getBytes(StandardCharsets.UTF_8));
      InputStream in = socket.getInputStream();
      StringBuilder received = new StringBuilder();
      byte[] buffer = new byte[4096];
      while (received.indexOf(until) < 0) {
        int n = in.read(buffer);
        assertThat(n).as("bytes before %s; got %s", until, received).isPositive();
        received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
      return received.toString();
    }
  }

  private static String readLine(BufferedReader reader) throws Exception {
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return reader.readLine();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    return line.get(60, TimeUnit.SECONDS);
  }
}
