package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Node's {@code EventSource} (undici's, behind {@code --experimental-eventsource} on Node 20) in a
 * child process, running the test resource {@code node/eventsource.mjs}: it prints one JSON line
 * per {@code open}, {@code error}, {@code message} or named event, with {@code type}, {@code data},
 * {@code lastEventId} and {@code readyState}, which this class reads into a queue.
 *
 * <p>Not thread-safe: one test thread reads it.
 */
final class NodeEventSource implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static Boolean available;

  private final Process process;
  private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
  private final List<JsonNode> seen = new ArrayList<>();
  private final StringBuilder stderr = new StringBuilder();
  private final Thread out;
  private final Thread err;

  private NodeEventSource(Process process) {
    this.process = process;
    this.out = pump(process.getInputStream(), this::line, "node-stdout");
    this.err = pump(process.getErrorStream(), this::errorLine, "node-stderr");
  }

  /** Whether {@code node} runs here and offers {@code EventSource} with the flag. */
  static synchronized boolean isAvailable() {
    if (available == null) {
      try {
        Process probe =
            new ProcessBuilder(
                    "node",
                    "--no-warnings",
                    "--experimental-eventsource",
                    "-e",
                    "process.stdout.write(typeof EventSource)")
                .redirectErrorStream(true)
                .start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        available = probe.waitFor(30, TimeUnit.SECONDS) && output.equals("function");
      } catch (IOException e) {
        available = false; // no node on the PATH
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        available = false;
      }
    }
    return available;
  }

  /** Opens an {@code EventSource} on {@code url} that also listens for the named {@code types}. */
  static NodeEventSource open(URI url, String... types) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("node");
    command.add("--no-warnings");
    command.add("--experimental-eventsource");
    command.add(script().toString());
    command.add(url.toString());
    command.addAll(List.of(types));
    return new NodeEventSource(new ProcessBuilder(command).start());
  }

  private static Path script() {
    try {
      return Path.of(NodeEventSource.class.getResource("/node/eventsource.mjs").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Thread pump(
      InputStream stream, java.util.function.Consumer<String> sink, String name) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                  sink.accept(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void line(String line) {
    try {
      lines.add(JSON.readTree(line));
    } catch (IOException e) {
      throw new UncheckedIOException("not a JSON line from the script: " + line, e);
    }
  }

  private void errorLine(String line) {
    synchronized (stderr) {
      stderr.append(line).append('\n');
    }
  }

  /**
   * Reads lines until one matches {@code condition} and returns it, failing the test (with every
   * line seen and Node's standard error) if none comes within 30 s.
   */
  JsonNode await(String what, Predicate<JsonNode> condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (long left = WAIT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      JsonNode line = lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        break;
      }
      seen.add(line);
      if (condition.test(line)) {
        return line;
      }
    }
    return fail("Node's EventSource: no %s within %s; saw %s; stderr: %s", what, WAIT, seen, err());
  }

  /** The next line if one comes within {@code wait}, else {@code null}. */
  JsonNode poll(Duration wait) throws InterruptedException {
    JsonNode line = lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (line != null) {
      seen.add(line);
    }
    return line;
  }

  /** Every line read so far, in order. */
  List<JsonNode> seen() {
    return List.copyOf(seen);
  }

  /** Node's standard error so far. */
  String err() {
    synchronized (stderr) {
      return stderr.toString();
    }
  }

  /** Ends the script (it closes its {@code EventSource} when its standard input ends). */
  @Override
  public void close() throws IOException {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      out.join(10_000);
      err.join(10_000);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    assertThat(process.isAlive()).as("node exited").isFalse();
  }
}
