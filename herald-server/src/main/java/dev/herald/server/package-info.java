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
 * <h2>Settings</h2>
 *
 * <p>How the server serves connections — address, TLS and h2c, limits, timeouts, heartbeats, the
 * slow-consumer policy, CORS — is one immutable {@link dev.herald.server.ServerSettings} value: set
 * it whole with {@code HeraldServer.Builder.settings(…)}, or setting by setting with the builder's
 * delegates of the same names. An application that embeds the server (the hub) takes a {@code
 * ServerSettings} too, so every option stays reachable without being declared twice.
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
 * with {@code Retry-After}; {@link dev.herald.server.HeraldServer.Builder#probe probe} routes are
 * still answered), and the outbound bytes of each stream (the slow-consumer policy).
 *
 * <p>Every connection is timed until it carries a stream, so that silent or trickling clients
 * cannot hold connection slots:
 *
 * <ul>
 *   <li>request head: {@value dev.herald.server.HeraldServer#DEFAULT_REQUEST_HEAD_TIMEOUT_SECONDS}
 *       s from the connection's start (or its TLS handshake's end), or from the first bytes of the
 *       next request on a keep-alive connection; a deadline that trickling bytes do not extend;
 *       {@code 408} if part of a request came, a plain close if nothing did ({@code
 *       requestHeadTimeout});
 *   <li>request body: {@value dev.herald.server.HeraldServer#DEFAULT_REQUEST_BODY_TIMEOUT_SECONDS}
 *       s once the head is in, then {@code 408} ({@code requestBodyTimeout});
 *   <li>TLS handshake: {@value
 *       dev.herald.server.HeraldServer#DEFAULT_TLS_HANDSHAKE_TIMEOUT_SECONDS} s ({@code
 *       tlsHandshakeTimeout});
 *   <li>idle keep-alive: {@value dev.herald.server.HeraldServer#DEFAULT_IDLE_TIMEOUT_SECONDS} s
 *       without a request on an HTTP/1.1 connection, or without an open stream on an HTTP/2 one
 *       ({@code idleTimeout}).
 * </ul>
 *
 * <p>An event stream is subject to none of them once routed: its heartbeats show it alive.
 *
 * <h2>Access log</h2>
 *
 * <p>At DEBUG level, logger {@code dev.herald.server.access} gets one line per request: client
 * address, method, path without its query, protocol, and the status or {@code stream}. No header
 * and no query parameter is ever logged.
 */
package dev.herald.server;
