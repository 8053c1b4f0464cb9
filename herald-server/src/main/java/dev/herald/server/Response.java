package dev.herald.server;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A complete HTTP response from a plain route: status, headers and body.
 *
 * <pre>{@code
 * Response.text(200, "published");
 * Response.builder(201).header("Location", "/items/7").body("application/json", json).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Response {
  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;

  private Response(Builder b) {
    this.status = b.status;
    this.headers = Map.copyOf(b.headers);
    this.body = b.body;
  }

  /** A {@code text/plain; charset=utf-8} response. */
  public static Response text(int status, String text) {
    return builder(status).body("text/plain; charset=utf-8", text).build();
  }

  /** An {@code application/json} response with the given JSON text. */
  public static Response json(int status, String json) {
    return builder(status).body("application/json", json).build();
  }

  /** A response with no body, such as 204. */
  public static Response empty(int status) {
    return builder(status).build();
  }

  /** A builder for a response with the given status. */
  public static Builder builder(int status) {
    return new Builder(status);
  }

  /** The status code. */
  public int status() {
    return status;
  }

  /** The headers, names as given. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The body; a copy. */
  public byte[] body() {
    return body.clone();
  }

  byte[] bodyBytes() {
    return body;
  }

  /** Builds a {@link Response}. Not thread-safe. */
  public static final class Builder {
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];

    private Builder(int status) {
      if (status < 100 || status > 999) {
        throw new IllegalArgumentException("status must be a 3-digit HTTP status: " + status);
      }
      this.status = status;
    }

    /** Sets a header, replacing an earlier value of the same name. */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Sets the body and its {@code Content-Type}. */
    public Builder body(String contentType, byte[] body) {
      this.body = body.clone();
      return header("Content-Type", contentType);
    }

    /** Sets a text body, encoded as UTF-8, and its {@code Content-Type}. */
    public Builder body(String contentType, String body) {
      this.body = body.getBytes(StandardCharsets.UTF_8);
      return header("Content-Type", contentType);
    }

    /** The response. */
    public Response build() {
      return new Response(this);
    }
  }
}
