package dev.herald.reliability;

import dev.herald.hub.Hub;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.hub.store.SqliteUpdateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The main class of a hub's child JVM (see {@link HubProcess}): builds a {@link Hub} from {@code
 * --name=value} options, prints {@code READY port}, and serves until killed, stopped, or its parent
 * goes away (standard input closes).
 *
 * <p>Options: {@code --port}, {@code --sqlite=FILE} (default: in memory), {@code
 * --anonymous-publishers}, {@code --anonymous-subscribers}, {@code --hmac-issuer} with {@code
 * --hmac-secret} (a verifier whose audience is the hub's URL).
 */
final class HubMain {
  private HubMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      options.put(
          eq < 0 ? arg.substring(2) : arg.substring(2, eq),
          eq < 0 ? "true" : arg.substring(eq + 1));
    }
    int port = Integer.parseInt(options.get("port"));
    String url = Hub.url(false, "127.0.0.1", port, Hub.DEFAULT_PATH);
    Hub.Builder builder =
        Hub.builder()
            .port(port)
            .publicUrl(url)
            .eventLoopThreads(2)
            .dashboard(false)
            .anonymousPublishers(options.containsKey("anonymous-publishers"))
            .anonymousSubscribers(options.containsKey("anonymous-subscribers"));
    if (options.containsKey("sqlite")) {
      builder.store(SqliteUpdateStore.builder().path(Path.of(options.get("sqlite"))).build());
    }
    if (options.containsKey("hmac-secret")) {
      builder.verifier(
          TokenVerifier.builder()
              .resource(url)
              .hubUrl(url)
              .hmacKey(
                  options.get("hmac-issuer"),
                  options.get("hmac-secret").getBytes(StandardCharsets.UTF_8))
              .build());
    }
    Hub hub = builder.build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> hub.close(Duration.ZERO)));
    System.out.println("READY " + hub.port());
    System.out.flush();
    // The parent test holds our standard input open; if it dies, so do we.
    while (System.in.read() >= 0) {
      // nothing is ever sent
    }
    System.exit(3);
  }
}
