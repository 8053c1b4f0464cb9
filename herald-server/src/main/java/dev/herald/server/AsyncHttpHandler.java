package dev.herald.server;

import java.util.concurrent.CompletionStage;

/**
 * Answers a plain request/response route later: for a handler that must wait for something off the
 * event loop — a durable write, a remote call — before it can answer.
 *
 * <p>Called on the connection's event loop: it must not block; the response is sent when the stage
 * completes, on any thread. An exception, thrown or completing the stage, becomes a {@code 500}
 * response and is logged. The connection reads no further request until the response left, so
 * pipelined HTTP/1.1 requests are answered in order.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface AsyncHttpHandler {
  /** The response to {@code request}, when it is ready. */
  CompletionStage<Response> handle(Request request);
}
