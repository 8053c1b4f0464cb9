/**
 * Test infrastructure for server-sent events.
 *
 * <h2>Quick start</h2>
 *
 * <pre>{@code
 * try (MockSseServer server = MockSseServer.start()) {
 *   server.enqueue(MockResponse.stream()
 *       .send("id: 1\ndata: first\n\n")
 *       .pause(Duration.ofMillis(50))
 *       .send("data: second\n\n")
 *       .abort()                        // then break the connection: a network error
 *       .build());
 *   server.enqueue(MockResponse.stream().hold().build());
 *
 *   // ... start the client under test on server.uri("/events") ...
 *
 *   RecordedRequest first = server.takeRequest();
 *   RecordedRequest second = server.takeRequest();           // it reconnected
 *   assert "1".equals(second.header("Last-Event-ID"));
 *   second.connection().send("data: live\n\n");              // drive the held connection
 * }
 * }</pre>
 *
 * <h2>Glossary</h2>
 *
 * <dl>
 *   <dt>script
 *   <dd>The steps of a {@link dev.herald.testing.MockResponse}: chunks sent one by one and pauses,
 *       then an ending.
 *   <dt>ending
 *   <dd>{@code end()}: the body ends normally; {@code abort()}: the connection breaks mid-body;
 *       {@code hold()}: the connection stays open for the test to drive.
 * </dl>
 *
 * <h2>FAQ</h2>
 *
 * <p><b>What happens to a request when nothing is enqueued?</b> It is recorded at once and waits
 * for the next {@code enqueue}, so a test can inspect a reconnection before answering it.
 *
 * <p><b>Does it speak HTTP/2?</b> No: HTTP/1.1 with chunked bodies, one request per connection. A
 * client's {@code Upgrade: h2c} offer is ignored, as HTTP/1.1 allows.
 *
 * <p><b>How do I test a server against a real browser?</b> {@link dev.herald.testing.Chromium}
 * drives headless Chromium over the DevTools Protocol, and {@link
 * dev.herald.testing.NodeEventSource} runs Node's {@code EventSource} in a child process; both need
 * the program installed, so guard such tests with {@code assumeTrue(Chromium.isInstalled())} or
 * {@code assumeTrue(NodeEventSource.isAvailable())}.
 */
package dev.herald.testing;
