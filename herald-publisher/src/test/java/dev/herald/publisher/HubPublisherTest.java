package dev.herald.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.client.EventSource;
import dev.herald.client.EventSourceListener;
import dev.herald.client.ResponseInfo;
import dev.herald.core.SseEvent;
import dev.herald.hub.Hub;
import dev.herald.hub.auth.TokenMinter;
import dev.herald.hub.auth.TokenVerifier;
import dev.herald.testing.HubExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The publisher against a real Herald hub on a real port, with tokens minted by {@link HubTokens}
 * from the key the hub's verifier trusts.
 */
class HubPublisherTest {
  private static final String ISSUER = "https://app.example";
  private static final byte[] SECRET =
      TokenMinter.generateHmacSecret().getBytes(StandardCharsets.UTF_8);
  private static final int PORT = freePort();
  private static final String HUB_URL = "http://127.0.0.1:" + PORT + Hub.DEFAULT_PATH;

  @RegisterExtension
  static final HubExtension HUB =
      HubExtension.of(
          b ->
              b.port(PORT)
                  .cookieName(SubscriberCookie.LEGACY_NAME)
                  .verifier(
                      TokenVerifier.builder().resource(HUB_URL).hmacKey(ISSUER, SECRET).build()));

  private final CountDownLatch opened = new CountDownLatch(1);
  private final HubTokens tokens =
      HubTokens.builder().hmacSecret(SECRET).issuer(ISSUER).audience(HUB_URL).build();

  @Test
  void publishesAPrivateUpdateThatItsSubscriberReceives() throws Exception {
    String topic = "https://app.example/users/alice";
    BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    try (EventSource source =
        subscribe(topic, "Authorization", "Bearer " + tokens.subscriber(List.of(topic)), events)) {
      awaitSubscribed();
      Publisher publisher = HubPublisher.builder(URI.create(HUB_URL)).tokens(tokens).build();
      String id =
          publisher.publish(
              Publication.builder(topic)
                  .data("line one\nline two")
                  .id("urn:uuid:1")
                  .type("notice")
                  .retry(Duration.ofSeconds(7))
                  .privateUpdate(true)
                  .build());
      assertThat(id).isEqualTo("urn:uuid:1");
      SseEvent event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).isNotNull();
      assertThat(event.data()).isEqualTo("line one\nline two");
      assertThat(event.id()).isEqualTo("urn:uuid:1");
      assertThat(event.type()).isEqualTo("notice");
      assertThat(source.reconnectionTime()).isEqualTo(Duration.ofSeconds(7));

      // Asynchronously, with an ID the hub assigns.
      String assigned =
          publisher.publishAsync(Publication.of(topic, "two")).get(10, TimeUnit.SECONDS);
      assertThat(assigned).startsWith("urn:uuid:");
      assertThat(events.poll(10, TimeUnit.SECONDS).data()).isEqualTo("two");
    }
  }

  @Test
  void theSubscriberCookieAuthorizesAnEventSource() throws Exception {
    String topic = "https://app.example/users/bob";
    SubscriberCookie cookie =
        SubscriberCookie.builder(HUB_URL, tokens.subscriber(List.of(topic), "bob", Map.of()))
            .build();
    assertThat(cookie.setCookie())
        .startsWith("mercureAuthorization=ey")
        .endsWith("; Path=/.well-known/mercure; HttpOnly; SameSite=Strict");
    String pair = cookie.setCookie().substring(0, cookie.setCookie().indexOf(';'));
    BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    try (EventSource source = subscribe(topic, "Cookie", pair, events)) {
      awaitSubscribed();
      assertThat(source.lastEventId()).isEmpty();
      HubPublisher.builder(URI.create(HUB_URL))
          .tokens(tokens)
          .build()
          .publish(Publication.builder(topic).data("for bob").privateUpdate(true).build());
      assertThat(events.poll(10, TimeUnit.SECONDS).data()).isEqualTo("for bob");
    }
  }

  @Test
  void aRefusalNamesTheStatusAndTheHubsMessageButNeverTheToken() {
    HubTokens wrongKey =
        HubTokens.builder()
            .hmacSecret("another secret that is long enough!".getBytes(StandardCharsets.UTF_8))
            .issuer(ISSUER)
            .audience(HUB_URL)
            .build();
    String token = wrongKey.publisher();
    Publisher publisher = HubPublisher.builder(URI.create(HUB_URL)).token(() -> token).build();
    assertThatThrownBy(() -> publisher.publish(Publication.of("https://app.example/x", "x")))
        .isInstanceOfSatisfying(
            PublishException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.getMessage()).contains("answered 401").doesNotContain(token);
            });
    // A token that may publish only elsewhere: 403 with the hub's reason.
    Publisher narrow =
        HubPublisher.builder(URI.create(HUB_URL))
            .token(() -> tokens.publisher(List.of("https://app.example/elsewhere")))
            .build();
    assertThatThrownBy(() -> narrow.publish(Publication.of("https://app.example/x", "x")))
        .isInstanceOfSatisfying(PublishException.class, e -> assertThat(e.status()).isEqualTo(403));
  }

  @Test
  void mintedTokensAreTheOnesHeraldsVerifierGrants() {
    TokenVerifier verifier =
        TokenVerifier.builder().resource(HUB_URL).hmacKey(ISSUER, SECRET).build();
    var grants =
        verifier.verify(tokens.subscriber(List.of("https://app.example/a"), "alice", null));
    assertThat(grants.subject()).isEqualTo("alice");
    assertThat(verifier.verify(tokens.publisher()).issuer()).isEqualTo(ISSUER);
  }

  private EventSource subscribe(
      String topic, String header, String value, BlockingQueue<SseEvent> events) {
    EventSource source =
        EventSource.builder(
                URI.create(
                    HUB_URL
                        + "?match="
                        + java.net.URLEncoder.encode(topic, StandardCharsets.UTF_8)))
            .header(header, () -> value)
            .listener(
                new EventSourceListener() {
                  @Override
                  public void onOpen(ResponseInfo response) {
                    opened.countDown();
                  }

                  @Override
                  public void onError(Throwable error, boolean willRetry) {
                    System.err.println("subscriber: " + error);
                  }

                  @Override
                  public void onEvent(SseEvent event) {
                    events.add(event);
                  }
                })
            .build();
    source.start();
    return source;
  }

  /** The hub subscribes a stream before its response head leaves: open means subscribed. */
  private void awaitSubscribed() throws InterruptedException {
    assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
