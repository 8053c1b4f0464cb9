package dev.herald.client;

import dev.herald.core.SseException;

/**
 * The server answered with a response that is not an event stream: a status other than 200
 * (including 204, which tells clients to stop, S-65), a redirect without {@code Location}, or a
 * {@code Content-Type} other than {@code text/event-stream} (S-43). The source does not reconnect
 * (S-48).
 *
 * @since 0.1
 */
public final class ResponseException extends SseException {
  private static final long serialVersionUID = 1L;

  private final transient ResponseInfo response;

  ResponseException(ResponseInfo response, String message) {
    super(message);
    this.response = response;
  }

  /** The response: its status and headers, such as {@code Retry-After}. */
  public ResponseInfo response() {
    return response;
  }

  /** The response's status code. */
  public int status() {
    return response.status();
  }
}
