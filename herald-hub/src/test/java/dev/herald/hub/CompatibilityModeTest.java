package dev.herald.hub;

import static dev.herald.hub.HubClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.hub.auth.TokenVerifier;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Compatibility mode for pre-1.0 Mercure clients: {@code topic=} subscriptions with URI templates,
 * tokens typed {@code JWT} with the legacy {@code mercure} claim, the {@code mercureAuthorization}
 * cookie.
 */
class CompatibilityModeTest {
  private Hub hub;
  private HubClient client;

  @BeforeEach
  void start() {
    hub =
        Hub.builder()
            .port(0)
            .compat(true)
            .verifier(
                TokenVerifier.builder()
                    .resource("https://hub.test/.well-known/mercure")
                    .compat(true)
                    .compatKey(Tokens.SECRET.getBytes(StandardCharsets.UTF_8))
                    .build())
            .dashboard(false)
            .build()
            .start();
    client = new HubClient(hub);
  }

  @AfterEach
  void stop() {
    hub.close(Duration.ZERO);
  }

  /** A pre-1.0 token: typ JWT, no iss or aud, the mercure claim. */
  private static String legacy(Map<String, Object> mercure) throws Exception {
    JWTClaimsSet claims = JWTClaimsSet.parse(Map.of("mercure", mercure));
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new MACSigner(Tokens.SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  @Test
  @DisplayName("a legacy publisher and a legacy subscriber (URI template, cookie) work unchanged")
  void legacyClients() throws Exception {
    String publisher = legacy(Map.of("publish", List.of("*")));
    String subscriber = legacy(Map.of("subscribe", List.of("https://example.com/books/{id}")));
    String template =
        "topic=" + URLEncoder.encode("https://example.com/books/{id}", StandardCharsets.UTF_8);
    try (var sub = client.subscribe(template, "Cookie", "mercureAuthorization=" + subscriber)) {
      assertThat(sub.status()).isEqualTo(200);
      client.publish(
          form("topic", "https://example.com/books/1", "data", "private one", "private", "on"),
          "Authorization",
          "Bearer " + publisher);
      client.publish(
          form("topic", "https://example.com/books/1/reviews", "data", "not selected"),
          "Authorization",
          "Bearer " + publisher);
      client.publish(
          form("topic", "https://example.com/books/2", "data", "public two"),
          "Authorization",
          "Bearer " + publisher);
      assertThat(sub.next().data()).isEqualTo("private one");
      assertThat(sub.next().data()).isEqualTo("public two");
    }
    // without compatibility mode the topic parameter selects nothing and is ignored
    hub.close(Duration.ZERO);
    hub = Hub.builder().port(0).anonymousSubscribers(true).dashboard(false).build().start();
    client = new HubClient(hub);
    assertThat(client.get(Hub.DEFAULT_PATH + "?" + template).statusCode()).isEqualTo(400);
  }
}
