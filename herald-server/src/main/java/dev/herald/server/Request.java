package dev.herald.server;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request as a handler sees it: method, path, query parameters, headers and body, copied
 * out of the network buffers so that it stays valid after the handler returns.
 *
 * <p>A {@link HeraldServer} makes one per request; another transport (a servlet container, say)
 * makes its own with {@link #builder}:
 *
 * <pre>{@code
 * Request request = Request.builder("GET", "/news?topic=sports")
 *     .header("Last-Event-ID", "42")
 *     .remoteAddress(new InetSocketAddress("192.0.2.7", 51234))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Request {
  private static final byte[] EMPTY = new byte[0];

  // A stream keeps its request for its whole life, so a request is kept compact: its headers packed
  // into one byte array (each name and value as a 2-byte length and ISO-8859-1 bytes, as they came
  // off the wire; a String[] of names and values in the rare case they do not fit that), no query
  // map without a query, and one shared empty body.
  private final String method;
  private final String uri;
  private final String path;
  private final Map<String, List<String>> query;
  private final Object headers; // byte[] packed, or String[] name, value, name, value…
  private final byte[] body;
  private final InetSocketAddress remoteAddress;
  private final String protocol;

  private Request(Builder b) {
    this.method = b.method;
    this.uri = b.uri;
    this.path = b.path != null ? b.path : UriDecoding.path(b.uri);
    this.query = b.query != null ? b.query : UriDecoding.query(b.uri);
    this.headers = pack(b.headers);
    this.body = b.body.length == 0 ? EMPTY : b.body;
    this.remoteAddress = b.remoteAddress;
    this.protocol = b.protocol;
  }

  /**
   * A builder of a request with {@code method} (such as {@code GET}) for {@code uri}, the request
   * target as sent: its path and query parameters are decoded from it unless given.
   */
  public static Builder builder(String method, String uri) {
    return new Builder(method, uri);
  }

  /**
   * Builds a {@link Request}. Not thread-safe.
   *
   * @since 0.2
   */
  public static final class Builder {
    private final String method;
    private final String uri;
    private String path;
    private Map<String, List<String>> query;
    private final List<String> headers = new ArrayList<>();
    private byte[] body = EMPTY;
    private InetSocketAddress remoteAddress;
    private String protocol = "HTTP/1.1";

    private Builder(String method, String uri) {
      this.method = Objects.requireNonNull(method, "method");
      this.uri = Objects.requireNonNull(uri, "uri");
    }

    /**
     * The decoded path, without the query string. By default the URI's path, percent-decoded as
     * UTF-8.
     */
    public Builder path(String path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    /**
     * Adds a decoded query parameter. Without any, the parameters are decoded from the URI's query
     * string ({@code &} or {@code ;} between parameters, {@code +} as a space, percent-escapes as
     * UTF-8).
     */
    public Builder query(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (query == null) {
        query = new LinkedHashMap<>();
      }
      query.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
      return this;
    }

    /** Adds a header, in order: one char per byte as it came off the wire (ISO-8859-1). */
    public Builder header(String name, String value) {
      headers.add(Objects.requireNonNull(name, "name"));
      headers.add(Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The body; none by default. The array is the request's from now on: not copied. */
    public Builder body(byte[] body) {
      this.body = Objects.requireNonNull(body, "body");
      return this;
    }

    /** The client's address; unknown ({@code null}) by default. */
    public Builder remoteAddress(InetSocketAddress remoteAddress) {
      this.remoteAddress = remoteAddress;
      return this;
    }

    /** {@code HTTP/1.1} (the default) or {@code HTTP/2}. */
    public Builder protocol(String protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /**
     * The request.
     *
     * @throws IllegalArgumentException if the URI's path or query holds a malformed percent-escape
     *     (and was to be decoded from it)
     */
    public Request build() {
      return new Request(this);
    }
  }

  private static Object pack(List<String> pairs) {
    int bytes = 0;
    boolean packable = true;
    for (String s : pairs) {
      packable &= fits(s);
      bytes += 2 + s.length();
    }
    if (!packable) {
      return pairs.toArray(new String[0]);
    }
    byte[] packed = new byte[bytes];
    int at = 0;
    for (String s : pairs) {
      packed[at++] = (byte) (s.length() >>> 8);
      packed[at++] = (byte) s.length();
      for (int i = 0; i < s.length(); i++) {
        packed[at++] = (byte) s.charAt(i); // ISO-8859-1: checked by fits
      }
    }
    return packed;
  }

  private static boolean fits(String s) {
    if (s.length() > 0xFFFF) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  /** The values of header {@code name}, in order; all of them or only the first. */
  private List<String> values(String name, boolean all) {
    List<String> values = new ArrayList<>(1);
    if (headers instanceof String[]) {
      String[] pairs = (String[]) headers;
      for (int i = 0; i < pairs.length && (all || values.isEmpty()); i += 2) {
        if (pairs[i].equalsIgnoreCase(name)) {
          values.add(pairs[i + 1]);
        }
      }
      return values;
    }
    byte[] b = (byte[]) headers;
    for (int i = 0; i < b.length && (all || values.isEmpty()); ) {
      int nameLength = length(b, i);
      boolean match = nameIs(b, i + 2, nameLength, name);
      i += 2 + nameLength;
      int valueLength = length(b, i);
      if (match) {
        values.add(new String(b, i + 2, valueLength, StandardCharsets.ISO_8859_1));
      }
      i += 2 + valueLength;
    }
    return values;
  }

  private static int length(byte[] b, int at) {
    return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
  }

  private static boolean nameIs(byte[] b, int at, int length, String name) {
    if (length != name.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = (char) (b[at + i] & 0xFF);
      char d = name.charAt(i);
      if (c != d && Character.toLowerCase(c) != Character.toLowerCase(d)) {
        return false;
      }
    }
    return true;
  }

  /** The method, such as {@code GET}. */
  public String method() {
    return method;
  }

  /** The request target as sent, with its query string. */
  public String uri() {
    return uri;
  }

  /** The decoded path, without the query string. */
  public String path() {
    return path;
  }

  /** The first value of query parameter {@code name}, or {@code null}. */
  public String query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** All values of query parameter {@code name}, in order; empty if none. */
  public List<String> queryAll(String name) {
    return Collections.unmodifiableList(query.getOrDefault(name, List.of()));
  }

  /** The first value of header {@code name} (case-insensitive), or {@code null}. */
  public String header(String name) {
    List<String> values = values(Objects.requireNonNull(name, "name"), false);
    return values.isEmpty() ? null : values.get(0);
  }

  /** All values of header {@code name} (case-insensitive), in order; empty if none. */
  public List<String> headers(String name) {
    return values(Objects.requireNonNull(name, "name"), true);
  }

  /** The body, possibly empty; a copy. */
  public byte[] body() {
    return body.length == 0 ? body : body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The client's address, or {@code null} if unknown. */
  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  /** {@code HTTP/1.1} or {@code HTTP/2}. */
  public String protocol() {
    return protocol;
  }

  @Override
  public String toString() {
    return method + " " + path + " " + protocol;
  }
}
