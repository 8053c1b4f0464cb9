/**
 * A Java {@code EventSource}: a server-sent events client on the JDK's {@link
 * java.net.http.HttpClient} that follows the browser's rules (WHATWG HTML 9.2) and adds what
 * services need.
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
 * stream order. Nothing is called after {@code close()} returns.
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
 * <p><b>Does it use HTTP/2?</b> When the server offers it: over TLS by ALPN, with the default
 * client. Many sources to one origin then share one connection.
 *
 * <p><b>Can the last event ID hold any character?</b> It is sent as UTF-8. Over HTTP/1.1 the JDK's
 * client (17 to 25) writes header values as US-ASCII, so characters beyond ASCII arrive as {@code
 * ?}; HTTP/2 carries them intact. An ID with a control character cannot be sent at all and is left
 * out.
 */
package dev.herald.client;
