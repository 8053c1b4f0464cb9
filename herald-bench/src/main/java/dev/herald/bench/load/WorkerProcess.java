package dev.herald.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LoadWorker} in a child JVM, seen from the bench command: one command at a time, each
 * answered by one line. Its standard error goes to a log file.
 *
 * <p>Thread-safe: calls are serialized.
 */
final class WorkerProcess implements AutoCloseable {
  /** JVM options of a load process. */
  static final List<String> JVM_OPTIONS =
      List.of(
          "-Xms256m",
          "-Xmx1g",
          "-XX:+UseParallelGC",
          "-XX:-UsePerfData",
          "-Dio.netty.leakDetection.level=disabled");

  private final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final String name;
  private boolean epoll;

  private WorkerProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  /** Starts a load process with {@code args} (see {@link LoadWorker.WorkerOptions}). */
  static WorkerProcess start(String name, List<String> args, Path log) {
    List<String> cmd = JavaCommand.of(JVM_OPTIONS, LoadWorker.class.getName(), args);
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      WorkerProcess w = new WorkerProcess(name, p);
      w.epoll = "true".equals(w.reply("start").get("epoll")); // "ok ready pid=… epoll=…"
      return w;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start load process " + name, e);
    }
  }

  /** Whether the process runs on Netty's native epoll transport (else NIO). */
  boolean epoll() {
    return epoll;
  }

  long pid() {
    return process.pid();
  }

  /** Sends {@code command} and returns the reply's {@code key=value} fields. */
  synchronized Map<String, String> call(String command) {
    try {
      in.write(command + "\n");
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("load process " + name + " is gone", e);
    }
    return reply(command);
  }

  private Map<String, String> reply(String command) {
    String line;
    try {
      line = out.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException("load process " + name + " is gone", e);
    }
    if (line == null) {
      throw new IllegalStateException("load process " + name + " ended (see its log)");
    }
    if (!line.startsWith("ok ")) {
      throw new IllegalStateException(
          "load process " + name + " failed '" + command + "': " + line);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : line.substring(3).split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        fields.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return fields;
  }

  @Override
  public void close() {
    try {
      synchronized (this) {
        in.write("quit\n");
        in.flush();
      }
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroy();
      }
    } catch (IOException e) {
      process.destroy();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
