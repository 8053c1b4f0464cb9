package dev.herald.testing;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request as {@link MockSseServer} received it: method, target, headers and body, and the
 * connection it came on.
 *
 * <p>Header names match case-insensitively; values are decoded from ISO-8859-1, so each byte on the
 * wire is one {@code char} (use {@link #headerUtf8} for a value the client encoded as UTF-8).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class RecordedRequest {
  private final int sequenceNumber;
  private final String method;
  private final String target;
  private final String version;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final MockConnection connection;
  private final long receivedAtNanos;

  RecordedRequest(
      int sequenceNumber,
      String method,
      String target,
      String version,
      TreeMap<String, List<String>> headers,
      byte[] body,
      MockConnection connection,
      long receivedAtNanos) {
    this.sequenceNumber = sequenceNumber;
    this.method = method;
    this.target = target;
    this.version = version;
    headers.replaceAll((name, values) -> List.copyOf(values));
    this.headers = Collections.unmodifiableMap(headers);
    this.body = body;
    this.connection = connection;
    this.receivedAtNanos = receivedAtNanos;
  }

  /** The position of this request among all that the server received, from 0. */
  public int sequenceNumber() {
    return sequenceNumber;
  }

  /** The method, such as {@code GET}. */
  public String method() {
    return method;
  }

  /** The request target as sent, with its query string, such as {@code /events?topic=a}. */
  public String target() {
    return target;
  }

  /** The path: the target without its query string. */
  public String path() {
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  /** The protocol version of the request line, such as {@code HTTP/1.1}. */
  public String version() {
    return version;
  }

  /** The first value of header {@code name}, or {@code null} if the request had none. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null ? null : values.get(0);
  }

  /** The first value of header {@code name} decoded as UTF-8, or {@code null}. */
  public String headerUtf8(String name) {
    String raw = header(name);
    return raw == null
        ? null
        : new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  /** Every value of header {@code name}, in order; empty if none. */
  public List<String> headers(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /** All headers, by case-insensitive name, each with its values in order. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The body (a copy), empty if there was none. */
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The connection the request came on, to drive a response that {@code hold()}s it open. */
  public MockConnection connection() {
    return connection;
  }

  /**
   * When the server had read the whole request, on the {@link System#nanoTime()} clock: the time to
   * compare two requests by (the time a test takes a request from the queue can be later).
   */
  public long receivedAtNanos() {
    return receivedAtNanos;
  }

  @Override
  public String toString() {
    return method + " " + target + " " + version + " #" + sequenceNumber;
  }
}
