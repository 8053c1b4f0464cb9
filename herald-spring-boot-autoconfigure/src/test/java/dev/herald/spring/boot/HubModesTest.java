package dev.herald.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.SseEvent;
import dev.herald.hub.Hub;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.publisher.HubPublisher;
import dev.herald.publisher.HubTokens;
import dev.herald.publisher.Publication;
import dev.herald.publisher.Publisher;
import dev.herald.spring.HubDiscovery;
import dev.herald.spring.SubscriberAuthorization;
import dev.herald.testing.HubExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The two modes without a web server: the embedded hub's lifecycle, and an external hub. */
@Timeout(60)
class HubModesTest {
  private static final String SECRET = "an-external-hub-secret-long-enough-for-hs256";
  private static final int PORT = freePort();
  private static final String HUB_URL = "http://127.0.0.1:" + PORT + Hub.DEFAULT_PATH;

  @RegisterExtension
  static final HubExtension EXTERNAL =
      HubExtension.of(
          b ->
              b.port(PORT)
                  .verifier(
                      TokenVerifier.builder()
                          .resource(HUB_URL)
                          .hmacKey("herald-spring-boot", SECRET.getBytes(StandardCharsets.UTF_8))
                          .build()));

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(HeraldAutoConfiguration.class));

  @Test
  void theEmbeddedHubStartsWithTheContextAndStopsWithIt() {
    int port = freePort();
    runner
        .withPropertyValues(
            "herald.hub.enabled=true", "herald.hub.port=" + port, "herald.hub.drain=100ms")
        .run(
            context -> {
              assertThat(context).hasSingleBean(Hub.class).hasSingleBean(HubTokens.class);
              assertThat(context.getBean(Publisher.class)).isInstanceOf(EmbeddedHubPublisher.class);
              assertThat(context.getBean(HubDiscovery.class).hubUrl())
                  .isEqualTo("http://localhost:" + port + "/.well-known/mercure");
              assertThat(listening(port)).isTrue();
              String id =
                  context
                      .getBean(Publisher.class)
                      .publish(Publication.of("https://app.example/a", "x"));
              assertThat(id).startsWith("urn:uuid:");
              // An update the hub cannot take: a typed refusal with the status HTTP would give.
              assertThatThrownBy(
                      () ->
                          context
                              .getBean(Publisher.class)
                              .publish(Publication.of("x".repeat(Hub.MAX_TOPIC_LENGTH + 1), "x")))
                  .isInstanceOfSatisfying(
                      dev.herald.publisher.PublishException.class,
                      e -> assertThat(e.status()).isEqualTo(400));
            });
    assertThat(listening(port)).as("stopped with the context").isFalse();
  }

  @Test
  void anExternalHubGetsTheSamePublisherAPI() throws Exception {
    runner
        .withPropertyValues("herald.hub.url=" + HUB_URL, "herald.hub.jwt-secret=" + SECRET)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(Hub.class);
              assertThat(context.getBean(Publisher.class)).isInstanceOf(HubPublisher.class);
              String topic = "https://app.example/users/carol";
              String token = context.getBean(SubscriberAuthorization.class).token(List.of(topic));
              String subscribe =
                  HUB_URL + "?match=" + URLEncoder.encode(topic, StandardCharsets.UTF_8);
              try (Streams carol =
                  new Streams(subscribe, "Authorization", "Bearer " + token, null)) {
                carol.awaitOpen();
                CompletableFuture<String> id =
                    context
                        .getBean(Publisher.class)
                        .publishAsync(
                            Publication.builder(topic).data("hi").privateUpdate(true).build());
                SseEvent event = carol.next();
                assertThat(event.data()).isEqualTo("hi");
                assertThat(event.id()).isEqualTo(id.get());
              }
            });
  }

  @Test
  void anApplicationsOwnBeansWin() {
    Publisher mine =
        new Publisher() {
          @Override
          public String url() {
            return "in-memory";
          }

          @Override
          public CompletableFuture<String> publishAsync(Publication publication) {
            return CompletableFuture.completedFuture("mine");
          }
        };
    runner
        .withPropertyValues("herald.hub.url=" + HUB_URL)
        .withBean(Publisher.class, () -> mine)
        .run(context -> assertThat(context.getBean(Publisher.class)).isSameAs(mine));
  }

  @Test
  void anExternalHubWithoutAKeyMintsNoTokens() {
    runner
        .withPropertyValues("herald.hub.url=" + HUB_URL)
        .run(
            context -> {
              assertThat(context).hasSingleBean(Publisher.class).hasSingleBean(HubDiscovery.class);
              assertThat(context)
                  .doesNotHaveBean(HubTokens.class)
                  .doesNotHaveBean(SubscriberAuthorization.class);
            });
  }

  @Test
  void withoutAHubThereIsNoPublisher() {
    runner.run(context -> assertThat(context).doesNotHaveBean(Publisher.class));
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return socket.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
