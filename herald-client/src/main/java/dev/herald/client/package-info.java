/**
 * A Java {@code EventSource}: a server-sent events client over an HTTP/1.1 of its own (or, for
 * HTTP/2, the JDK's {@link java.net.http.HttpClient}) that follows the browser's rules (WHATWG HTML
 * 9.2) and adds what services need.
 *
 * <h2>Quick start</h2>
 *
 * <pre>{@code
 * // Push: a listener on the source's own thread.
 * EventSource source = EventSource.builder(URI.create("http://localhost:8080/clock"))
 *     .listener(event -> System.out.println(event.data()))
 *     .build();
 * source.start();
 * // ...
 * source.close();
 *
 * // Pull: a blocking iteration.
 * try (EventStream events = EventSource.builder(uri).openStream()) {
 *   for (SseEvent event : events) {
 *     System.out.println(event.type() + " " + event.data() + " " + event.id());
 *   }
 * }
 *
 * // A service: token refreshed per connection, POST body, resume point, give up after 2 min.
 * EventSource feed = EventSource.builder(uri)
 *     .method("POST").body("{\"topics\":[\"a\"]}").header("Content-Type", "application/json")
 *     .header("Authorization", () -> "Bearer " + tokens.current())
 *     .lastEventId(savedId)
 *     .readTimeout(Duration.ofSeconds(45))
 *     .errorStrategy(ErrorStrategy.giveUpAfter(Duration.ofMinutes(2)))
 *     .listener(new EventSourceListener() {
 *       public void onOpen(ResponseInfo response) { log(response.header("Mercure-Last-Event-ID")); }
 *       public void onEvent(SseEvent event) { handle(event); }
 *       public void onError(Throwable error, boolean willRetry) { if (!willRetry) alert(error); }
 *     })
 *     .build();
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * <p>{@link dev.herald.client.ReadyState#CONNECTING CONNECTING} → {@code onOpen} → {@link
 * dev.herald.client.ReadyState#OPEN OPEN} → events → the stream ends or breaks → {@code
 * onError(error, true)} → {@code CONNECTING}, wait, reconnect with {@code Last-Event-ID} → ... →
 * until a response is not an event stream (status other than 200, such as 204; wrong {@code
 * Content-Type}), the error strategy gives up, or {@code close()} is called: {@link
 * dev.herald.client.ReadyState#CLOSED CLOSED}.
 *
 * <h2>Threading</h2>
 *
 * <p>Each source reads on its own thread and calls its listener there, one callback at a time, in
 * stream order. Nothing is called after {@code close()} returns. Over the source's own HTTP/1.1
 * that thread also reads the socket: bytes go from one reused buffer into the parser and out as
 * events, with no hand-off between threads; a slow listener slows the reading, which pushes back on
 * the server.
 *
 * <h2>Transport</h2>
 *
 * <p>By default, and with an {@link java.net.http.HttpClient} set to HTTP/1.1 (for its TLS settings
 * and connect timeout), the source speaks HTTP/1.1 itself, over TCP or TLS: one connection per
 * request, closed when the stream ends. With a client that asks for HTTP/2 (the JDK's default
 * version), a proxy, an authenticator or a cookie handler, that client carries the requests. See
 * {@link dev.herald.client.EventSource.Builder#httpClient}.
 *
 * <h2>Glossary</h2>
 *
 * <dl>
 *   <dt>last event ID
 *   <dd>The latest {@code id} the stream set; it survives reconnections and is sent back as {@code
 *       Last-Event-ID} so the server can resume.
 *   <dt>reconnection time
 *   <dd>The wait before reconnecting: 3 s until the server sends {@code retry}.
 *   <dt>backoff
 *   <dd>Longer waits after repeated failures ({@link dev.herald.client.RetryStrategy}).
 * </dl>
 *
 * <h2>FAQ</h2>
 *
 * <p><b>How do I make the server stop my client?</b> Answer a reconnection with 204 No Content.
 *
 * <p><b>Does it use HTTP/2?</b> When asked: give {@code httpClient(HttpClient.newHttpClient())} (or
 * any client whose version is HTTP/2) and the JDK's client negotiates it over TLS by ALPN; many
 * sources to one origin then share one connection. By default the source speaks HTTP/1.1, a
 * connection per source, which is faster for a few busy streams.
 *
 * <p><b>Can the last event ID hold any character?</b> It is sent as its UTF-8 bytes (S-47),
 * exactly, over the source's own HTTP/1.1 and over HTTP/2. Over the JDK client's HTTP/1.1 (a client
 * with a proxy, say) characters beyond ASCII arrive as {@code ?}: that client (17 to 25) writes
 * header values as US-ASCII. An ID with a control character cannot be sent at all and is left out.
 *
 * <p><b>What does it accept from a server?</b> A response head of at most 64 KiB and 256 fields,
 * chunk-size lines of at most 1 KiB, and the parser's limits on lines and events; past a limit the
 * connection fails with a {@link dev.herald.core.SseLimitExceededException} naming it, and is
 * retried like any network error.
 */
package dev.herald.client;
