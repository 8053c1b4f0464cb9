/**
 * An embeddable SSE server on Netty.
 *
 * <h2>Quick start</h2>
 *
 * <pre>{@code
 * HeraldServer server = HeraldServer.builder()
 *     .port(8080)
 *     .sse("/counter", (request, stream) -> {
 *       stream.retry(Duration.ofSeconds(10));
 *       AtomicLong n = new AtomicLong();
 *       ScheduledFuture<?> tick = timer.scheduleAtFixedRate(
 *           () -> stream.send(SseEvent.of(Long.toString(n.incrementAndGet()))),
 *           0, 1, TimeUnit.SECONDS);
 *       stream.onClose(() -> tick.cancel(false)); // the client went away
 *     })
 *     .post("/publish", request -> Response.text(200, "ok"))
 *     .staticFiles("/", Path.of("web"))
 *     .build()
 *     .start();
 * }</pre>
 *
 * <h2>Threading</h2>
 *
 * <p>Handlers run on the connection's event loop and must not block. {@link
 * dev.herald.server.SseStream#send} may be called from any thread and never blocks; events sent in
 * one event-loop pass leave in one write.
 *
 * <h2>Limits</h2>
 *
 * <p>Every input is bounded: request line (414), headers (431), body (413), open connections (503
 * with {@code Retry-After}), and the outbound bytes of each stream (the slow-consumer policy).
 */
package dev.herald.server;
