package dev.herald.testing;

import dev.herald.server.HeraldServer;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A JUnit 5 extension that runs a {@link HeraldServer} on 127.0.0.1 and a free port for a test
 * class or for each test:
 *
 * <pre>{@code
 * class NewsTest {
 *   @RegisterExtension
 *   static final HeraldServerExtension server =
 *       HeraldServerExtension.of(builder -> builder.sse("/news", (request, stream) ->
 *           stream.send(SseEvent.of("hello"))));
 *
 *   @Test
 *   void streams() {
 *     EventSource source = EventSource.builder(server.uri("/news")).listener(...).build();
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>In a {@code static} field the server starts before all tests of the class and stops after
 * them; in an instance field a new server starts before each test and stops after it. Either way it
 * stops at once (no drain), and its port and threads are released before the next test. A test or
 * lifecycle method may also take a {@link HeraldServer} parameter, which is the running server.
 *
 * <p>The extension sets host {@code 127.0.0.1} and port 0 on a new {@link HeraldServer#builder()},
 * then hands it to the configuration, which adds the routes and any other option (it may even
 * change the host or port). The configuration runs again at each start, so the routes it adds
 * should be created inside it, or be safe to share. If the server cannot start, the test fails with
 * the exception that stopped it.
 *
 * <p>Thread-safe; {@link #server()}, {@link #port()} and {@link #uri(String)} may be called from
 * any thread while the server runs, and fail with {@link IllegalStateException} before it started
 * or after it stopped.
 *
 * @since 0.1
 */
public final class HeraldServerExtension extends Lifecycle<HeraldServer> {
  private final Consumer<HeraldServer.Builder> configuration;

  private HeraldServerExtension(Consumer<HeraldServer.Builder> configuration) {
    super(HeraldServer.class);
    this.configuration = configuration;
  }

  /**
   * An extension for a server configured by {@code configuration}, which receives a builder set to
   * 127.0.0.1 and port 0.
   */
  public static HeraldServerExtension of(Consumer<HeraldServer.Builder> configuration) {
    return new HeraldServerExtension(Objects.requireNonNull(configuration, "configuration"));
  }

  /** The running server. */
  public HeraldServer server() {
    return running();
  }

  /** The port the server listens on. */
  public int port() {
    return server().port();
  }

  /**
   * The server's base URL followed by {@code path}, which starts with {@code /} and may carry a
   * query: {@code uri("/news?topic=a")} is {@code http://127.0.0.1:PORT/news?topic=a} ({@code
   * https} with TLS).
   */
  public URI uri(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /: " + path);
    }
    return URI.create(server().baseUrl() + path);
  }

  /**
   * Stops the server and starts a new one on the same port with the same configuration, for a test
   * of how a client reconnects. {@link #server()} is the new server afterwards.
   */
  public void restart() {
    restartOnSamePort();
  }

  @Override
  HeraldServer start(int port) {
    HeraldServer.Builder builder = HeraldServer.builder().host("127.0.0.1").port(port);
    configuration.accept(builder);
    return builder.build().start();
  }

  @Override
  void stop(HeraldServer server) {
    server.close(Duration.ZERO);
  }

  @Override
  int port(HeraldServer server) {
    return server.port();
  }
}
