package dev.herald.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;

/**
 * A response's status, headers, URL and HTTP version: what {@link EventSourceListener#onOpen}
 * receives and a {@link ResponseException} carries. Services read headers such as {@code
 * Mercure-Last-Event-ID} from it.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ResponseInfo {
  private final int status;
  private final HttpHeaders headers;
  private final URI uri;
  private final HttpClient.Version version;

  private ResponseInfo(int status, HttpHeaders headers, URI uri, HttpClient.Version version) {
    this.status = status;
    this.headers = headers;
    this.uri = uri;
    this.version = version;
  }

  static ResponseInfo of(HttpResponse<?> response) {
    return of(response.statusCode(), response.headers(), response.uri(), response.version());
  }

  static ResponseInfo of(int status, HttpHeaders headers, URI uri, HttpClient.Version version) {
    return new ResponseInfo(status, headers, uri, version);
  }

  /** The status code. */
  public int status() {
    return status;
  }

  /** All headers. */
  public HttpHeaders headers() {
    return headers;
  }

  /** The first value of header {@code name} (case-insensitive), or {@code null} if none. */
  public String header(String name) {
    return headers.firstValue(name).orElse(null);
  }

  /** The URL that answered: the final one after redirects (its origin is the events' origin). */
  public URI uri() {
    return uri;
  }

  /** The HTTP version of the response. */
  public HttpClient.Version version() {
    return version;
  }

  @Override
  public String toString() {
    return "ResponseInfo{" + status + " " + uri + " " + version + "}";
  }
}
