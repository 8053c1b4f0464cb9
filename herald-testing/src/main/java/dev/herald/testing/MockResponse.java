package dev.herald.testing;

import dev.herald.core.SseEvent;
import dev.herald.core.SseWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link MockSseServer} answers to one request: a status, headers, and a script of body chunks
 * and pauses that ends by finishing the body, by breaking the connection, or by holding it open for
 * the test to drive through {@link MockConnection}.
 *
 * <pre>{@code
 * server.enqueue(MockResponse.stream().send("id: 1\ndata: hello\n\n").build()); // then ends
 * server.enqueue(MockResponse.stream().send("data: partial").abort().build());  // network error
 * server.enqueue(MockResponse.stream().hold().build());          // the test sends live events
 * server.enqueue(MockResponse.status(204));                      // "stop reconnecting"
 * server.enqueue(MockResponse.redirect(307, "/elsewhere"));
 * }</pre>
 *
 * <p>Each {@link Builder#send send} leaves as one HTTP chunk, flushed at once. A response with a
 * script or with {@link Builder#hold()} uses chunked transfer coding; one without either has an
 * empty body with {@code Content-Length: 0}. Every response carries {@code Connection: close}: one
 * request per connection.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class MockResponse {
  /** How the response ends once its script has run. */
  enum Ending {
    /** The body ends normally (the last chunk), then the connection closes. */
    END,
    /** The connection closes in the middle of the body: the client sees a network error. */
    ABORT,
    /** The connection stays open; the test drives it through {@link MockConnection}. */
    HOLD
  }

  private final int status;
  private final List<String[]> headers;
  private final List<Object> steps;
  private final Ending ending;

  private MockResponse(Builder b) {
    this.status = b.status;
    this.headers = List.copyOf(b.headers);
    this.steps = List.copyOf(b.steps);
    this.ending = b.ending;
  }

  /**
   * A builder for an event stream: status 200, {@code Content-Type: text/event-stream;
   * charset=utf-8} and {@code Cache-Control: no-cache}.
   */
  public static Builder stream() {
    return builder()
        .header("Content-Type", "text/event-stream; charset=utf-8")
        .header("Cache-Control", "no-cache");
  }

  /** A builder with status 200, no headers and no body. */
  public static Builder builder() {
    return new Builder();
  }

  /** A response with {@code status}, no headers and an empty body. */
  public static MockResponse status(int status) {
    return builder().status(status).build();
  }

  /** A redirect: {@code status} (such as 307) with {@code Location: location}. */
  public static MockResponse redirect(int status, String location) {
    return builder().status(status).header("Location", location).build();
  }

  /** A builder holding this response. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.status = status;
    b.headers.addAll(headers);
    b.steps.addAll(steps);
    b.ending = ending;
    return b;
  }

  /** The status code. */
  public int statusCode() {
    return status;
  }

  /** The first value of header {@code name} (case-insensitive), or {@code null}. */
  public String header(String name) {
    for (String[] h : headers) {
      if (h[0].equalsIgnoreCase(name)) {
        return h[1];
      }
    }
    return null;
  }

  List<String[]> headers() {
    return headers;
  }

  /** The script: {@code byte[]} chunks and {@link Duration} pauses, in order. */
  List<Object> steps() {
    return steps;
  }

  Ending ending() {
    return ending;
  }

  boolean chunked() {
    return !steps.isEmpty() || ending == Ending.HOLD;
  }

  @Override
  public String toString() {
    return "MockResponse{"
        + status
        + ", "
        + steps.size()
        + " steps, "
        + ending.name().toLowerCase(Locale.ROOT)
        + "}";
  }

  /** Builds a {@link MockResponse}; each method checks its argument at once. Not thread-safe. */
  public static final class Builder {
    private int status = 200;
    private final List<String[]> headers = new ArrayList<>();
    private final List<Object> steps = new ArrayList<>();
    private Ending ending = Ending.END;

    private Builder() {}

    /** The status code, 100 to 999; default 200. */
    public Builder status(int status) {
      if (status < 100 || status > 999) {
        throw new IllegalArgumentException("status must be 100..999: " + status);
      }
      this.status = status;
      return this;
    }

    /**
     * Adds header {@code name: value}, after any earlier ones of the same name. {@code
     * Content-Length}, {@code Transfer-Encoding} and {@code Connection} are the server's own.
     */
    public Builder header(String name, String value) {
      checkHeader(name, value);
      headers.add(new String[] {name, value});
      return this;
    }

    /** Removes every header named {@code name} (case-insensitive), for example Content-Type. */
    public Builder removeHeader(String name) {
      headers.removeIf(h -> h[0].equalsIgnoreCase(name));
      return this;
    }

    /** Sends {@code text}, encoded as UTF-8, as one chunk. */
    public Builder send(String text) {
      return send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code bytes} as one chunk: any bytes, for example invalid UTF-8 or a lone CR. */
    public Builder send(byte[] bytes) {
      if (bytes.length == 0) {
        throw new IllegalArgumentException("a chunk must not be empty: it would end the body");
      }
      steps.add(bytes.clone());
      return this;
    }

    /** Sends {@code event}, as {@link SseWriter} writes it, as one chunk. */
    public Builder event(SseEvent event) {
      return send(SseWriter.encode(event));
    }

    /** Waits {@code pause} before the next step. */
    public Builder pause(Duration pause) {
      if (pause.isNegative()) {
        throw new IllegalArgumentException("pause must not be negative: " + pause);
      }
      steps.add(pause);
      return this;
    }

    /** After the script, ends the body normally and closes the connection (the default). */
    public Builder end() {
      ending = Ending.END;
      return this;
    }

    /**
     * After the script, closes the connection without ending the body: the client sees a network
     * error rather than a normal end of stream.
     */
    public Builder abort() {
      ending = Ending.ABORT;
      return this;
    }

    /**
     * After the script, keeps the connection open until the test ends it through {@link
     * RecordedRequest#connection()}, the client closes it, or the server is closed.
     */
    public Builder hold() {
      ending = Ending.HOLD;
      return this;
    }

    /** The response. */
    public MockResponse build() {
      return new MockResponse(this);
    }

    private static void checkHeader(String name, String value) {
      Objects.requireNonNull(value, "value");
      if (name.isEmpty() || !name.chars().allMatch(Builder::isTokenChar)) {
        throw new IllegalArgumentException("not a header name: \"" + name + "\"");
      }
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("header value must not contain CR or LF: " + name);
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("content-length")
          || lower.equals("transfer-encoding")
          || lower.equals("connection")) {
        throw new IllegalArgumentException(name + " is set by the server");
      }
    }

    private static boolean isTokenChar(int c) {
      return c > ' ' && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
  }
}
