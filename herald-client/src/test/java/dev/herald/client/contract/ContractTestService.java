package dev.herald.client.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.client.EventSource;
import dev.herald.client.EventSourceListener;
import dev.herald.core.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test service of LaunchDarkly's SSE contract tests ({@code sse-contract-tests}): a REST
 * service through which the harness creates Herald {@link EventSource}s, sends them commands and
 * receives what they read, as numbered callbacks.
 *
 * <pre>
 * GET    /              status and capabilities
 * DELETE /              stop the service
 * POST   /              create a stream: {"streamUrl", "callbackUrl", "initialDelayMs",
 *                       "readTimeoutMs", "lastEventId", "headers", "method", "body"}
 * POST   /streams/{id}  a command: {"command": "restart"} (or "listen", a no-op)
 * DELETE /streams/{id}  close the stream
 * </pre>
 *
 * <p>Run it with {@code java ... dev.herald.client.contract.ContractTestService [PORT]} (default
 * {@value #DEFAULT_PORT}) and point the harness's {@code --url} at it.
 */
public final class ContractTestService implements AutoCloseable {
  /** The port {@link #main} listens on without an argument. */
  public static final int DEFAULT_PORT = 8000;

  static final List<String> CAPABILITIES =
      List.of(
          "bom",
          "comments",
          "headers",
          "last-event-id",
          "post",
          "read-timeout",
          "report",
          "restart",
          "server-directed-shutdown-request");

  private static final JsonFactory JSON = new JsonFactory();
  private static final int MAX_BYTES = 64 * 1024 * 1024; // the suite sends 2 x 5 MiB in one event

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final HttpClient callbacks = HttpClient.newHttpClient();
  private final Map<String, EventSource> streams = new ConcurrentHashMap<>();
  private final AtomicInteger streamIds = new AtomicInteger();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private ContractTestService(HttpServer server) {
    this.server = server;
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts the service on {@code address} (port 0: a free port). */
  public static ContractTestService start(InetSocketAddress address) throws IOException {
    return new ContractTestService(HttpServer.create(address, 0));
  }

  /** Runs the service until the harness sends {@code DELETE /}. */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_PORT;
    try (ContractTestService service = start(new InetSocketAddress(port))) {
      System.out.println("Herald contract-test service on port " + service.port());
      service.stopped.await();
    }
  }

  /** The port the service listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The number of streams open. */
  int openStreams() {
    return streams.size();
  }

  @Override
  public void close() {
    streams.values().forEach(EventSource::close);
    streams.clear();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (path.equals("/")) {
        switch (method) {
          case "GET":
            respondJson(exchange, capabilities());
            return;
          case "POST":
            createStream(exchange);
            return;
          case "DELETE":
            respond(exchange, 204);
            stopped.countDown();
            return;
          default:
            respond(exchange, 405);
            return;
        }
      }
      if (path.startsWith("/streams/")) {
        String id = path.substring("/streams/".length());
        EventSource source = streams.get(id);
        if (source == null) {
          respond(exchange, 404);
        } else if (method.equals("DELETE")) {
          streams.remove(id);
          source.close();
          respond(exchange, 204);
        } else if (method.equals("POST")) {
          command(exchange, source);
        } else {
          respond(exchange, 405);
        }
        return;
      }
      respond(exchange, 404);
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  private void createStream(HttpExchange exchange) throws IOException {
    Map<String, Object> params = readObject(exchange.getRequestBody());
    String streamUrl = (String) params.get("streamUrl");
    String callbackUrl = (String) params.get("callbackUrl");
    if (streamUrl == null || callbackUrl == null) {
      respond(exchange, 400);
      return;
    }
    EventSource.Builder builder =
        EventSource.builder(URI.create(streamUrl))
            .maxLineBytes(MAX_BYTES)
            .maxEventBytes(MAX_BYTES)
            .listener(new Callbacks(URI.create(callbackUrl)));
    if (params.get("initialDelayMs") instanceof Number) {
      builder.reconnectionTime(
          Duration.ofMillis(((Number) params.get("initialDelayMs")).longValue()));
    }
    if (params.get("readTimeoutMs") instanceof Number) {
      builder.readTimeout(Duration.ofMillis(((Number) params.get("readTimeoutMs")).longValue()));
    }
    if (params.get("lastEventId") instanceof String) {
      builder.lastEventId((String) params.get("lastEventId"));
    }
    if (params.get("method") instanceof String) {
      builder.method((String) params.get("method"));
    }
    if (params.get("body") instanceof String) {
      builder.body((String) params.get("body"));
    }
    if (params.get("headers") instanceof Map) {
      for (Map.Entry<?, ?> h : ((Map<?, ?>) params.get("headers")).entrySet()) {
        builder.header((String) h.getKey(), (String) h.getValue());
      }
    }
    String id = Integer.toString(streamIds.incrementAndGet());
    EventSource source = builder.build();
    streams.put(id, source);
    source.start();
    exchange.getResponseHeaders().set("Location", "/streams/" + id);
    respond(exchange, 201);
  }

  private static void command(HttpExchange exchange, EventSource source) throws IOException {
    Object command = readObject(exchange.getRequestBody()).get("command");
    if ("restart".equals(command)) {
      source.restart();
      respond(exchange, 204);
    } else if ("listen".equals(command)) {
      respond(exchange, 204); // every type is delivered without listening for it
    } else {
      respond(exchange, 400);
    }
  }

  private static byte[] capabilities() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeArrayFieldStart("capabilities");
      for (String capability : CAPABILITIES) {
        json.writeString(capability);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  /** Posts what the source reads to the harness, numbered from 1, in order. */
  private final class Callbacks implements EventSourceListener {
    private final URI base;
    private int counter;

    Callbacks(URI base) {
      this.base = base;
    }

    @Override
    public void onEvent(SseEvent event) {
      post(
          json -> {
            json.writeStringField("kind", "event");
            json.writeObjectFieldStart("event");
            json.writeStringField("type", event.type());
            json.writeStringField("data", event.data());
            json.writeStringField("id", event.id());
            json.writeEndObject();
          });
    }

    @Override
    public void onComment(String comment) {
      post(
          json -> {
            json.writeStringField("kind", "comment");
            json.writeStringField("comment", comment);
          });
    }

    @Override
    public void onError(Throwable error, boolean willRetry) {
      post(
          json -> {
            json.writeStringField("kind", "error");
            json.writeStringField("error", String.valueOf(error));
          });
    }

    private void post(JsonBody body) {
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
          json.writeStartObject();
          body.write(json);
          json.writeEndObject();
        }
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(base + "/" + ++counter))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()))
                .build();
        callbacks.send(request, HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        throw new UncheckedIOException(e); // the harness went away: the source closes
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @FunctionalInterface
  private interface JsonBody {
    void write(JsonGenerator json) throws IOException;
  }

  /** A flat JSON object; a nested object (such as "headers") becomes a map of strings. */
  static Map<String, Object> readObject(InputStream in) throws IOException {
    Map<String, Object> result = new LinkedHashMap<>();
    try (JsonParser json = JSON.createParser(in.readAllBytes())) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return result;
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        if (value == JsonToken.START_OBJECT) {
          Map<String, String> nested = new LinkedHashMap<>();
          while (json.nextToken() == JsonToken.FIELD_NAME) {
            String key = json.currentName();
            json.nextToken();
            nested.put(key, json.getValueAsString());
          }
          result.put(name, nested);
        } else if (value == JsonToken.VALUE_NUMBER_INT) {
          result.put(name, json.getLongValue());
        } else if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
          result.put(name, json.getValueAsString());
        } else {
          json.skipChildren();
        }
      }
    }
    return result;
  }

  private static void respondJson(HttpExchange exchange, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
  }

  private static void respond(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
  }
}
