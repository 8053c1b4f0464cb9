package dev.herald.server;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
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
  private final String method;
  private final String uri;
  private final String path;
  private final Map<String, List<String>> query;
  private final HttpHeaders headers;
  private final byte[] body;
  private final SocketAddress remoteAddress;
  private final String protocol;

  private Request(FullHttpRequest request, SocketAddress remoteAddress, String protocol) {
    QueryStringDecoder decoder = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
    this.method = request.method().name();
    this.uri = request.uri();
    this.path = decoder.path();
    this.query = decoder.parameters();
    this.headers = request.headers().copy();
    this.body = new byte[request.content().readableBytes()];
    request.content().getBytes(request.content().readerIndex(), body);
    this.remoteAddress = remoteAddress;
    this.protocol = protocol;
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
    return query.getOrDefault(name, List.of());
  }

  /** The first value of header {@code name} (case-insensitive), or {@code null}. */
  public String header(String name) {
    return headers.get(name);
  }

  /** All values of header {@code name} (case-insensitive), in order; empty if none. */
  public List<String> headers(String name) {
    return headers.getAll(name);
  }

  /** The body, possibly empty; a copy. */
  public byte[] body() {
    return body.clone();
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
