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
 * <h2>Broadcast with history</h2>
 *
 * <p>A {@link dev.herald.server.Broadcaster} sends each event published to a topic to every stream
 * subscribed to it, and keeps it in an {@link dev.herald.server.EventLog}, so that a client that
 * comes back with its last event ID gets what it missed first:
 *
 * <pre>{@code
 * Broadcaster<Void> news = Broadcaster.create(RingEventLog.builder().maxEvents(1000).build());
 * builder.sse("/news", (request, stream) ->
 *     news.subscribe(stream, Set.of("sports"), stream.lastEventId()));
 * news.publish("sports", SseEvent.of("goal"));
 * }</pre>
 *
 * <p>The type parameter is the payload a publisher may pass along with an event for the
 * subscriptions' {@link dev.herald.server.Interest} to read (the hub passes each update's stored
 * form, to tell who may read it); {@code Void} when there is none. Positions in a log are {@link
 * dev.herald.server.Cursor}s: ordered and opaque, so that a log over a database or a Redis stream
 * keeps its own numbering.
 *
 * <h2>Another transport</h2>
 *
 * <p>{@link dev.herald.server.SseStream}, {@link dev.herald.server.Request}, {@link
 * dev.herald.server.Interest}, {@link dev.herald.server.EventLog} and {@link
 * dev.herald.server.Cursor} are plain Java: a servlet container or any other server can serve the
 * same topics as a {@code HeraldServer}. It makes a {@code Request} with {@link
 * dev.herald.server.Request#builder}, implements {@code SseStream} over its response (bounding what
 * it queues: {@code send} answers {@code false} past its budget, and the stream handles that slow
 * consumer), and subscribes it:
 *
 * <pre>{@code
 * news.subscribe(servletStream, Set.of("sports"), request.header("Last-Event-ID"));
 * }</pre>
 *
 * <p>The broadcaster then calls the stream's {@code send}, {@code whenWritten} and {@code close} on
 * its {@linkplain dev.herald.server.Broadcaster.Builder#deliverOn delivery executor}, one call at a
 * time: every event of the topics once and in order, a catch-up from the last event ID page by page
 * (the next page once {@link dev.herald.server.SseStream#whenWritten} says the last one has been
 * written), and nothing more once the stream has closed.
 *
 * <h2>Errors</h2>
 *
 * <p>Arguments are checked with {@link IllegalArgumentException}, calls at the wrong time fail with
 * {@link IllegalStateException}; what fails in the server itself (binding its address, setting up
 * TLS) is a {@link dev.herald.server.HeraldServerException}.
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
