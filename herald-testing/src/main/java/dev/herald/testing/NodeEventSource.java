package dev.herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Node's {@code EventSource} (undici's, behind {@code --experimental-eventsource} on Node 20) in a
 * child process, running the script {@code eventsource.mjs} of this package: it prints one JSON
 * line per {@code open}, {@code error}, {@code message} or named event, with {@code type}, {@code
 * data}, {@code lastEventId} and {@code readyState}, which this class reads into a queue.
 *
 * <pre>{@code
 * try (NodeEventSource node = NodeEventSource.open(URI.create(url), "update")) {
 *   JsonNode update = node.await("an update", line -> line.get("type").asText().equals("update"));
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one test thread reads it.
 *
 * @since 0.1.0
 */
public final class NodeEventSource implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static Boolean available;
  private static Path script;

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
  public static synchronized boolean isAvailable() {
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
  public static NodeEventSource open(URI url, String... types) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("node");
    command.add("--no-warnings");
    command.add("--experimental-eventsource");
    command.add(script().toString());
    command.add(url.toString());
    command.addAll(List.of(types));
    return new NodeEventSource(new ProcessBuilder(command).start());
  }

  /** The script, copied once out of this module (it may be in a jar) into a temporary file. */
  private static synchronized Path script() throws IOException {
    if (script == null) {
      Path file = Files.createTempFile("herald-eventsource", ".mjs");
      file.toFile().deleteOnExit();
      try (InputStream in = NodeEventSource.class.getResourceAsStream("eventsource.mjs")) {
        if (in == null) {
          throw new IOException("eventsource.mjs is missing from dev.herald.testing");
        }
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
      script = file;
    }
    return script;
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
  public JsonNode await(String what, Predicate<JsonNode> condition) throws InterruptedException {
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
    throw new AssertionError(
        String.format(
            "Node's EventSource: no %s within %s; saw %s; stderr: %s", what, WAIT, seen, err()));
  }

  /** The next line if one comes within {@code wait}, else {@code null}. */
  public JsonNode poll(Duration wait) throws InterruptedException {
    JsonNode line = lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (line != null) {
      seen.add(line);
    }
    return line;
  }

  /** Every line read so far, in order. */
  public List<JsonNode> seen() {
    return List.copyOf(seen);
  }

  /** Node's standard error so far. */
  public String err() {
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
    if (process.isAlive()) {
      throw new IOException("node did not exit");
    }
  }
}
