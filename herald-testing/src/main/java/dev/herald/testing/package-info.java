/**
 * Test infrastructure for server-sent events: a mock server for testing clients, JUnit 5 extensions
 * that run a Herald server or hub for testing code that talks to one, and real browser-grade
 * clients.
 *
 * <h2>Quick start: a client against a scripted server</h2>
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
 * <h2>Quick start: a Herald server or hub on a free port</h2>
 *
 * <p>{@link dev.herald.testing.HeraldServerExtension} runs a {@code HeraldServer} with the routes
 * the test gives it, on 127.0.0.1 and a free port:
 *
 * <pre>{@code
 * class NewsClientTest {
 *   @RegisterExtension
 *   static final HeraldServerExtension server = HeraldServerExtension.of(builder -> builder
 *       .sse("/news", (request, stream) -> stream.send(SseEvent.of("hello"))));
 *
 *   @Test
 *   void readsTheNews() {
 *     NewsClient client = new NewsClient(server.uri("/news"));   // the code under test
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>{@link dev.herald.testing.HubExtension} runs a Mercure hub; a secured one also mints the
 * tokens it accepts:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final HubExtension hub = HubExtension.secured(builder -> builder.dashboard(false));
 *
 * @Test
 * void publishesPrivately() {
 *   Publisher publisher = new Publisher(hub.url(), hub.publisherToken());   // the code under test
 *   String reader = hub.subscriberToken("https://example.com/books/1");
 *   ...
 * }
 * }</pre>
 *
 * <p>A {@code static} field runs one server for the whole class; an instance field runs a new one
 * for each test. Tests and lifecycle methods may take the running {@code HeraldServer} or {@code
 * Hub} as a parameter.
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
 *   <dt>configuration
 *   <dd>The {@code Consumer} an extension hands a fresh builder to, already set to a free port: the
 *       routes, the hub's access rules, any other option. It runs at every start.
 *   <dt>secured hub
 *   <dd>A hub from {@link dev.herald.testing.HubExtension#secured HubExtension.secured}: it trusts
 *       an HMAC key the extension generated, and nothing else, unless the configuration also allows
 *       anonymous subscribers or publishers.
 * </dl>
 *
 * <h2>FAQ</h2>
 *
 * <p><b>What happens to a request when nothing is enqueued?</b> It is recorded at once and waits
 * for the next {@code enqueue}, so a test can inspect a reconnection before answering it.
 *
 * <p><b>Does the mock server speak HTTP/2?</b> No: HTTP/1.1 with chunked bodies, one request per
 * connection. A client's {@code Upgrade: h2c} offer is ignored, as HTTP/1.1 allows.
 *
 * <p><b>Which dependencies do the extensions need?</b> herald-testing depends on herald-server and
 * herald-hub as optional dependencies: add {@code herald-server} to use {@code
 * HeraldServerExtension}, and {@code herald-hub} too for {@code HubExtension} (most projects that
 * test against them already have them). A test of a server alone never loads the hub.
 *
 * <p><b>Can herald-server's and herald-hub's own tests use the extensions?</b> No: herald-testing
 * depends on them, so they cannot depend on it; their tests start servers and hubs themselves. The
 * hub's browser tests (its dashboard in Chromium, its stream in Node's {@code EventSource}) live in
 * herald-testing's own tests instead, where they use {@code HubExtension}.
 *
 * <p><b>How do I test a reconnection?</b> {@code restart()} stops the server or hub and starts a
 * new one on the same port with the same configuration; a client that was connected sees the
 * connection end and comes back.
 *
 * <p><b>How do I test a server against a real browser?</b> {@link dev.herald.testing.Chromium}
 * drives headless Chromium over the DevTools Protocol, and {@link
 * dev.herald.testing.NodeEventSource} runs Node's {@code EventSource} in a child process; both need
 * the program installed, so guard such tests with {@code assumeTrue(Chromium.isInstalled())} or
 * {@code assumeTrue(NodeEventSource.isAvailable())}.
 */
package dev.herald.testing;
