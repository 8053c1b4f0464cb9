package dev.herald.server;

/**
 * Serves one SSE connection, as an Express route does: it receives the request and the stream,
 * sends events now or later from any thread, and registers its clean-up with {@link
 * SseStream#onClose}.
 *
 * <pre>{@code
 * (request, stream) -> {
 *   ScheduledFuture<?> tick = timer.scheduleAtFixedRate(
 *       () -> stream.send(SseEvent.of("tick")), 0, 1, TimeUnit.SECONDS);
 *   stream.onClose(() -> tick.cancel(false));
 * }
 * }</pre>
 *
 * <p>Called on the connection's event loop: it must not block. The response headers leave when the
 * handler returns (or at its first event), unless it called {@link SseStream#reject}. An exception
 * thrown before the headers left becomes a {@code 500} response; after, it closes the stream.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SseHandler {
  /** Starts serving {@code stream}, opened by {@code request}. */
  void handle(Request request, SseStream stream);
}
