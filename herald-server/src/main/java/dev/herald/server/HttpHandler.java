package dev.herald.server;

/**
 * Answers a plain request/response route, such as a publish endpoint.
 *
 * <p>Called on the connection's event loop: it must not block. An exception becomes a {@code 500}
 * response, and is logged.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface HttpHandler {
  /** The response to {@code request}. */
  Response handle(Request request);
}
