package dev.herald.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.core.SseEvent;
import dev.herald.hub.Hub;
import dev.herald.publisher.Publication;
import dev.herald.publisher.PublishException;
import dev.herald.publisher.Publisher;
import dev.herald.testing.RedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The embedded hub as a cluster node ({@code herald.hub.redis.*}), against a real {@code
 * redis-server} started here: two applications' hubs on one Redis share one history, the health
 * indicator follows Redis, and the settings are checked.
 */
@Timeout(90)
class EmbeddedRedisHubTest {
  private static final String TOPIC = "https://app.example/scores";
  private static RedisServer redis;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(HeraldAutoConfiguration.class));

  @BeforeAll
  static void startRedis() {
    assumeTrue(Files.isExecutable(RedisServer.DEFAULT_EXECUTABLE), "redis-server is not installed");
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  private ApplicationContextRunner node(String name, int port) {
    return runner.withPropertyValues(
        "herald.hub.enabled=true",
        "herald.hub.port=" + port,
        "herald.hub.drain=100ms",
        "herald.hub.anonymous-subscribers=true",
        "herald.hub.jwt-secret=a-cluster-secret-long-enough-for-hs256",
        "herald.hub.node-name=" + name,
        "herald.hub.redis.url=" + redis.uri(),
        "herald.hub.redis.stream=spring:updates");
  }

  @Test
  void twoApplicationsHubsShareOneHistoryThroughRedis() {
    int port2 = freePort();
    node("spring-1", freePort())
        .run(
            one ->
                node("spring-2", port2)
                    .run(
                        two -> {
                          String subscribe =
                              "http://127.0.0.1:"
                                  + port2
                                  + Hub.DEFAULT_PATH
                                  + "?topic="
                                  + URLEncoder.encode(TOPIC, StandardCharsets.UTF_8);
                          long before = (Long) redis.command("XLEN", "spring:updates");
                          try (Streams onTwo = new Streams(subscribe, null, null, null)) {
                            onTwo.awaitOpen();
                            // Published through the first application, read from the second's.
                            String id =
                                one.getBean(Publisher.class).publish(Publication.of(TOPIC, "1-0"));
                            SseEvent event = onTwo.next();
                            assertThat(event.data()).isEqualTo("1-0");
                            assertThat(event.id()).isEqualTo(id);
                          }
                          assertThat(redis.command("XLEN", "spring:updates")).isEqualTo(before + 1);
                          assertThat(two.getBean(Hub.class).nodeName()).isEqualTo("spring-2");
                        }));
  }

  @Test
  void theHealthIndicatorFollowsRedis() throws Exception {
    node("spring-health", freePort())
        .run(
            context -> {
              HubHealthIndicator health = context.getBean(HubHealthIndicator.class);
              assertThat(health.health().getStatus()).isEqualTo(Status.UP);
              redis.stop();
              try {
                Streams.await(() -> health.health().getStatus().equals(Status.DOWN), 10, "down");
                // A publish while Redis is away: refused at once, as the hub's 503 says.
                try {
                  context.getBean(Publisher.class).publish(Publication.of(TOPIC, "lost?"));
                  throw new AssertionError("a publish was acknowledged without Redis");
                } catch (PublishException e) {
                  assertThat(e.status()).isEqualTo(503);
                }
              } finally {
                redis.restart();
              }
              Streams.await(() -> health.health().getStatus().equals(Status.UP), 20, "up again");
              // This Redis came back empty (no persistence): the node begins a new history, and a
              // publish that raced it is refused with a 503 to retry, never acknowledged and lost.
              String id = null;
              long deadline = System.nanoTime() + 10_000_000_000L;
              while (id == null && System.nanoTime() < deadline) {
                try {
                  id = context.getBean(Publisher.class).publish(Publication.of(TOPIC, "after"));
                } catch (PublishException e) {
                  assertThat(e.status()).isEqualTo(503);
                  Thread.sleep(100);
                }
              }
              assertThat(id).as("acknowledged again").startsWith("urn:uuid:");
              assertThat(redis.command("XLEN", "spring:updates")).isEqualTo(1L);
            });
  }

  @Test
  void aRedisURLAndASqliteFileAreOneTooMany(@org.junit.jupiter.api.io.TempDir Path dir) {
    node("spring-both", freePort())
        .withPropertyValues("herald.hub.store-path=" + dir.resolve("hub.db"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("herald.hub.store-path")
                    .hasMessageContaining("herald.hub.redis.url"));
  }

  @Test
  void aHubThatCannotBeBuiltLeavesNoRedisConnectionBehind() throws Exception {
    long before = connectedClients();
    node("spring-invalid", freePort())
        .withPropertyValues("herald.hub.history-window=0")
        .run(
            context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("historyWindow"));
    Streams.await(() -> connectedClients() <= before, 10, "no connection left open");
  }

  /** Redis's {@code connected_clients}, this test's own connection left out. */
  private static long connectedClients() {
    String info = (String) redis.command("INFO", "clients");
    for (String line : info.split("\r\n")) {
      if (line.startsWith("connected_clients:")) {
        return Long.parseLong(line.substring("connected_clients:".length())) - 1;
      }
    }
    throw new AssertionError("no connected_clients in " + info);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
