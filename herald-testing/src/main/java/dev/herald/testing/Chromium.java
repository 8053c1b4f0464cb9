package dev.herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Headless Chromium driven over the Chrome DevTools Protocol with nothing but the JDK: the browser
 * is started with {@code --remote-debugging-port=0}, its port is read from the {@code
 * DevToolsActivePort} file it writes into its profile directory, and commands travel as JSON over
 * {@link java.net.http.WebSocket}. A {@link Page} is a tab: navigate it, evaluate JavaScript in it,
 * wait for a condition.
 *
 * <pre>{@code
 * try (Chromium chromium = Chromium.launch();
 *     Chromium.Page page = chromium.open(URI.create("http://127.0.0.1:8080/clock/"))) {
 *   page.await("window.heraldLog.length > 1");
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close} ends the browser and deletes its profile.
 *
 * @since 0.1.0
 */
public final class Chromium implements AutoCloseable {
  /** The browser: {@code $CHROMIUM}, else Debian's {@code /usr/bin/chromium}. */
  public static final Path BINARY =
      Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

  /** The flags of every launch: headless, no sandbox (root in CI), nothing in the background. */
  public static final List<String> FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-extensions",
          "--no-first-run",
          "--no-default-browser-check",
          "--remote-debugging-port=0");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(50);

  private final Process process;
  private final Path profile;
  private final Path log;
  private final WebSocket socket;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private Chromium(Process process, Path profile, Path log, WebSocket.Builder sockets, URI uri)
      throws IOException {
    this.process = process;
    this.profile = profile;
    this.log = log;
    this.socket = get(sockets.buildAsync(uri, new Listener()), "connect to " + uri);
  }

  /** Whether the browser is installed. */
  public static boolean isInstalled() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Starts the browser with {@link #FLAGS} and {@code extraFlags}, and connects to it.
   *
   * @throws IOException if it cannot be started or does not open its debugging port in time
   */
  public static Chromium launch(String... extraFlags) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("herald-chromium-profile");
    Path log = Files.createTempFile("herald-chromium", ".log");
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(FLAGS);
    command.add("--user-data-dir=" + profile);
    command.addAll(List.of(extraFlags));
    command.add("about:blank");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      URI uri = debuggingUri(process, profile, log);
      HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
      return new Chromium(process, profile, log, http.newWebSocketBuilder(), uri);
    } catch (IOException | RuntimeException | InterruptedException e) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      delete(profile);
      Files.deleteIfExists(log);
      throw e;
    }
  }

  /** Waits for {@code DevToolsActivePort}: the port on its first line, the path on its second. */
  private static URI debuggingUri(Process process, Path profile, Path log)
      throws IOException, InterruptedException {
    Path file = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() >= 2 && !lines.get(1).isEmpty()) {
          return URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
        }
      }
      if (!process.isAlive()) {
        throw new IOException(
            "chromium exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      Thread.sleep(POLL.toMillis()); // polling for a file the browser writes
    }
    throw new IOException("chromium opened no debugging port within " + WAIT + ": " + tail(log));
  }

  /** Opens a new tab on {@code url} and waits until its document has loaded. */
  public Page open(URI url) throws IOException, InterruptedException {
    String target =
        send(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
    Page page = new Page(target);
    page.navigate(url);
    return page;
  }

  /** Sends a command (to a tab if {@code session} is set) and returns its result. */
  public JsonNode send(String session, String method, Map<String, ?> params) throws IOException {
    long id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", JSON.valueToTree(params));
    if (session != null) {
      message.put("sessionId", session);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    synchronized (socket) { // one send at a time, as WebSocket requires
      get(socket.sendText(message.toString(), true), method);
    }
    JsonNode response = get(reply, method);
    if (response.has("error")) {
      throw new IOException(method + " failed: " + response.get("error"));
    }
    return response.get("result");
  }

  private static <T> T get(CompletionStage<T> stage, String what) throws IOException {
    try {
      return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException(what + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(what + ": no answer within " + WAIT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(what + ": interrupted", e);
    }
  }

  /** Closes the browser (politely, then by force) and deletes its profile. */
  @Override
  public void close() throws IOException {
    try {
      if (process.isAlive()) {
        send(null, "Browser.close", Map.of());
      }
    } catch (IOException e) {
      // it went away before answering
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    socket.abort();
    delete(profile);
    Files.deleteIfExists(log);
  }

  private static String tail(Path log) throws IOException {
    String text = Files.readString(log);
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }

  private static void delete(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Receives the browser's messages: replies complete their command; events are not needed. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        receive(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    private void receive(String message) {
      try {
        JsonNode json = JSON.readTree(message);
        JsonNode id = json.get("id");
        if (id != null) {
          CompletableFuture<JsonNode> reply = pending.remove(id.asLong());
          if (reply != null) {
            reply.complete(json);
          }
        }
      } catch (IOException e) {
        failAll(e);
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      failAll(new IOException("the browser closed the connection: " + statusCode + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      failAll(error);
    }

    private void failAll(Throwable error) {
      pending.values().forEach(reply -> reply.completeExceptionally(error));
      pending.clear();
    }
  }

  /** A tab, attached in flat mode: its commands carry its session ID. */
  public final class Page implements AutoCloseable {
    private final String target;
    private final String session;

    private Page(String target) throws IOException {
      this.target = target;
      this.session =
          send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
              .get("sessionId")
              .asText();
    }

    /**
     * Sends a DevTools command to this tab, for example {@code
     * Page.addScriptToEvaluateOnNewDocument}, and returns its result.
     */
    public JsonNode command(String method, Map<String, ?> params) throws IOException {
      return send(session, method, params);
    }

    /** Loads {@code url} and waits until its document is complete. */
    public void navigate(URI url) throws IOException, InterruptedException {
      JsonNode result = send(session, "Page.navigate", Map.of("url", url.toString()));
      if (result.hasNonNull("errorText")) {
        throw new IOException("cannot load " + url + ": " + result.get("errorText").asText());
      }
      await(
          "location.href === "
              + JSON.writeValueAsString(url.toString())
              + " && document.readyState === 'complete'");
    }

    /**
     * The value of {@code expression}, evaluated in the page (promises awaited), as JSON; {@code
     * null} for {@code undefined}.
     *
     * @throws IOException if it throws in the page
     */
    public JsonNode evaluate(String expression) throws IOException {
      JsonNode result =
          send(
              session,
              "Runtime.evaluate",
              Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
      if (result.has("exceptionDetails")) {
        throw new IOException(
            "the page threw on " + expression + ": " + result.get("exceptionDetails"));
      }
      return result.get("result").get("value");
    }

    /**
     * Evaluates {@code expression} until it is truthy and returns its value, polling every 50 ms;
     * fails with the page's {@code heraldLog} if that takes longer than 30 s.
     */
    public JsonNode await(String expression) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      JsonNode value = null;
      while (System.nanoTime() < deadline) {
        value = evaluate(expression);
        if (truthy(value)) {
          return value;
        }
        Thread.sleep(POLL.toMillis()); // polling the page
      }
      throw new AssertionError(
          "the page never made true, within "
              + WAIT
              + ": "
              + expression
              + "; last value: "
              + value
              + "; heraldLog: "
              + evaluate("JSON.stringify(window.heraldLog)"));
    }

    private boolean truthy(JsonNode value) {
      if (value == null || value.isNull() || value.isMissingNode()) {
        return false;
      }
      if (value.isBoolean()) {
        return value.asBoolean();
      }
      if (value.isNumber()) {
        return value.asDouble() != 0;
      }
      return !value.isTextual() || !value.asText().isEmpty();
    }

    @Override
    public void close() throws IOException {
      send(null, "Target.closeTarget", Map.of("targetId", target));
    }
  }
}
