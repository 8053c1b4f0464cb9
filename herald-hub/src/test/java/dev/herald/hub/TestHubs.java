package dev.herald.hub;

import dev.herald.server.ServerSettings;
import java.io.IOException;
import java.net.URI;
import java.util.function.UnaryOperator;

/** Hubs as the tests start them; {@code more} adds a test's own settings. */
final class TestHubs {
  private TestHubs() {}

  /** The server settings of the tests' hubs: {@code port} (0: any), two event loops. */
  static ServerSettings.Builder settings(int port) {
    return ServerSettings.builder().port(port).eventLoopThreads(2);
  }

  /** A started hub on {@code port} (0: any) open to anonymous subscribers and publishers. */
  static Hub open(int port, UnaryOperator<Hub.Builder> more) {
    return more.apply(
            Hub.builder()
                .server(settings(port).build())
                .anonymousSubscribers(true)
                .anonymousPublishers(true))
        .build()
        .start();
  }

  /**
   * A started hub on a free port that trusts {@link Tokens#verifier} for its own URL as audience,
   * without dashboard. {@link Hub#url()} is the audience of its tokens.
   */
  static Hub secured(UnaryOperator<Hub.Builder> more) throws IOException {
    String audience = "http://127.0.0.1:" + Tokens.freePort() + Hub.DEFAULT_PATH;
    return more.apply(
            Hub.builder()
                .port(URI.create(audience).getPort())
                .publicUrl(audience)
                .verifier(Tokens.verifier(audience))
                .dashboard(false))
        .build()
        .start();
  }
}
