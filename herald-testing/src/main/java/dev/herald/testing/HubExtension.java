package dev.herald.testing;

import dev.herald.hub.Hub;
import dev.herald.hub.auth.TokenMinter;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.hub.mercure.TopicMatcher;
import dev.herald.server.HeraldServerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A JUnit 5 extension that runs a Mercure {@link Hub} on 127.0.0.1 and a free port for a test class
 * or for each test, and, for a {@linkplain #secured secured} hub, mints the tokens it accepts:
 *
 * <pre>{@code
 * class BooksTest {
 *   @RegisterExtension
 *   static final HubExtension hub = HubExtension.secured(builder -> builder.dashboard(false));
 *
 *   @Test
 *   void privateUpdates() {
 *     String publisher = hub.publisherToken();
 *     String reader = hub.subscriberToken("https://example.com/books/1");
 *     // subscribe to hub.url() + "?match=..." with "Authorization: Bearer " + reader,
 *     // publish to hub.url() with "Authorization: Bearer " + publisher
 *   }
 * }
 * }</pre>
 *
 * <p>In a {@code static} field the hub starts before all tests of the class and stops after them;
 * in an instance field a new hub starts before each test and stops after it. Either way it is
 * {@linkplain Hub#close(Duration) closed} at once (no drain): its port, threads and store are
 * released before the next test. A test or lifecycle method may also take a {@link Hub} parameter,
 * which is the running hub.
 *
 * <p>The extension sets port 0 on a new {@link Hub#builder()} (whose host is 127.0.0.1), then hands
 * it to the configuration, which sets anything else: who may subscribe and publish anonymously, the
 * store, the dashboard. The configuration runs again at each start, so a store or anything else the
 * hub closes should be created inside it. If the hub cannot start, the test fails with the
 * exception that stopped it, and whatever the hub had opened is closed.
 *
 * <p>Thread-safe; the accessors may be called from any thread while the hub runs, and fail with
 * {@link IllegalStateException} before it started or after it stopped.
 *
 * @since 0.1
 */
public final class HubExtension extends Lifecycle<Hub> {
  /** The issuer ({@code iss}) of the tokens a secured hub's extension mints. */
  public static final String ISSUER = "https://herald-testing.invalid";

  /** Attempts at binding the port a secured hub picked, taken meanwhile by another process. */
  private static final int BIND_ATTEMPTS = 5;

  private final Consumer<Hub.Builder> configuration;
  private final byte[] secret; // null unless secured

  private HubExtension(Consumer<Hub.Builder> configuration, byte[] secret) {
    super(Hub.class);
    this.configuration = Objects.requireNonNull(configuration, "configuration");
    this.secret = secret;
  }

  /**
   * An extension for a hub configured by {@code configuration}, which receives a builder set to
   * port 0. With the hub's defaults nobody may subscribe or publish: a test of an open hub allows
   * it, {@code builder.anonymousSubscribers(true).anonymousPublishers(true)}, or gives the hub a
   * verifier of its own.
   */
  public static HubExtension of(Consumer<Hub.Builder> configuration) {
    return new HubExtension(configuration, null);
  }

  /**
   * An extension for a hub that verifies tokens signed with an HMAC key the extension generates,
   * minted by {@link #publisherToken()}, {@link #subscriberToken(String...)} and {@link #minter()}.
   * The tokens name {@link #ISSUER} and, as audience, the hub's URL {@code
   * http://127.0.0.1:PORT/.well-known/mercure}; the key stays the same across {@link #restart()},
   * so tokens minted before still work after. {@code configuration} must not change the verifier or
   * the port.
   */
  public static HubExtension secured(Consumer<Hub.Builder> configuration) {
    byte[] secret = TokenMinter.generateHmacSecret().getBytes(StandardCharsets.UTF_8);
    return new HubExtension(configuration, secret);
  }

  /** The running hub. */
  public Hub hub() {
    return running();
  }

  /** The port the hub listens on. */
  public int port() {
    return hub().port();
  }

  /** The hub's URL, such as {@code http://127.0.0.1:PORT/.well-known/mercure}. */
  public String url() {
    return hub().url();
  }

  /**
   * Stops the hub and starts a new one on the same port with the same configuration, for a test of
   * how a subscriber reconnects. With the default in-memory store, the new hub's history is empty.
   * {@link #hub()} is the new hub afterwards.
   */
  public void restart() {
    restartOnSamePort();
  }

  /**
   * A token that may publish to every topic, valid for {@link TokenMinter#DEFAULT_TTL}.
   *
   * @throws IllegalStateException if the hub is not {@linkplain #secured secured} or not running
   */
  public String publisherToken() {
    return minter().publishAll().build().mint();
  }

  /**
   * A token that may receive the private updates of {@code topics}, each compared exactly ({@code
   * *}: every topic), valid for {@link TokenMinter#DEFAULT_TTL}.
   *
   * @throws IllegalArgumentException if no topic is given
   * @throws IllegalStateException if the hub is not {@linkplain #secured secured} or not running
   */
  public String subscriberToken(String... topics) {
    if (topics.length == 0) {
      throw new IllegalArgumentException("topics: none given; \"*\" stands for every topic");
    }
    TokenMinter.Builder minter = minter();
    for (String topic : topics) {
      minter.subscribe(TopicMatcher.exact(topic));
    }
    return minter.build().mint();
  }

  /**
   * A minter with the hub's key, {@link #ISSUER} and audience set, for any other token: URL pattern
   * grants, a payload, a lifetime, a subject. Add the grants, then {@code build().mint()}.
   *
   * @throws IllegalStateException if the hub is not {@linkplain #secured secured} or not running
   */
  public TokenMinter.Builder minter() {
    if (secret == null) {
      throw new IllegalStateException(
          "no key: HubExtension.of(...) mints no tokens; HubExtension.secured(...) does");
    }
    return TokenMinter.builder().hmacSecret(secret).issuer(ISSUER).audience(audience(port()));
  }

  @Override
  Hub start(int port) {
    if (secret == null || port != 0) {
      return startOn(port);
    }
    // The verifier must know the hub's URL, its audience, before the hub binds: pick a port first.
    for (int attempt = 1; ; attempt++) {
      try {
        return startOn(freePort());
      } catch (HeraldServerException e) {
        if (attempt == BIND_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private Hub startOn(int port) {
    Hub.Builder builder = Hub.builder().port(port);
    if (secret != null) {
      builder.verifier(
          TokenVerifier.builder().resource(audience(port)).hmacKey(ISSUER, secret).build());
    }
    configuration.accept(builder);
    Hub hub = builder.build();
    try {
      return hub.start();
    } catch (RuntimeException e) {
      try {
        hub.close(Duration.ZERO);
      } catch (RuntimeException alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
  }

  private static String audience(int port) {
    return "http://127.0.0.1:" + port + Hub.DEFAULT_PATH;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  @Override
  void stop(Hub hub) {
    hub.close(Duration.ZERO);
  }

  @Override
  int port(Hub hub) {
    return hub.port();
  }
}
