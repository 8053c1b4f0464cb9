package dev.herald.server;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as a handler sees it: method, path, query parameters, headers and body, copied
 * out of the network buffers so that it stays valid after the handler returns.
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
  private final SocketAddress remoteAddress;
  private final String protocol;

  private Request(FullHttpRequest request, SocketAddress remoteAddress, String protocol) {
    QueryStringDecoder decoder = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
    this.method = request.method().name();
    this.uri = request.uri();
    this.path = decoder.path();
    this.query = uri.indexOf('?') < 0 ? Map.of() : decoder.parameters();
    this.headers = pack(request.headers().iteratorCharSequence(), request.headers().size());
    int length = request.content().readableBytes();
    this.body = length == 0 ? EMPTY : new byte[length];
    request.content().getBytes(request.content().readerIndex(), body);
    this.remoteAddress = remoteAddress;
    this.protocol = protocol;
  }

  private static Object pack(Iterator<Map.Entry<CharSequence, CharSequence>> it, int count) {
    String[] pairs = new String[count * 2];
    int bytes = 0;
    boolean packable = true;
    for (int i = 0; it.hasNext(); i += 2) {
      Map.Entry<CharSequence, CharSequence> header = it.next();
      pairs[i] = header.getKey().toString();
      pairs[i + 1] = header.getValue().toString();
      packable &= fits(pairs[i]) && fits(pairs[i + 1]);
      bytes += 4 + pairs[i].length() + pairs[i + 1].length();
    }
    if (!packable) {
      return pairs;
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

  static Request of(FullHttpRequest request, SocketAddress remoteAddress, String protocol) {
    return new Request(request, remoteAddress, protocol);
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
    List<String> values = values(java.util.Objects.requireNonNull(name, "name"), false);
    return values.isEmpty() ? null : values.get(0);
  }

  /** All values of header {@code name} (case-insensitive), in order; empty if none. */
  public List<String> headers(String name) {
    return values(java.util.Objects.requireNonNull(name, "name"), true);
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
    return remoteAddress instanceof InetSocketAddress ? (InetSocketAddress) remoteAddress : null;
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
