package dev.herald.hub.auth;

import static dev.herald.hub.auth.Jwts.CLOCK;
import static dev.herald.hub.auth.Jwts.EC;
import static dev.herald.hub.auth.Jwts.ISSUER;
import static dev.herald.hub.auth.Jwts.RESOURCE;
import static dev.herald.hub.auth.Jwts.RSA;
import static dev.herald.hub.auth.Rejections.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mercure "Authorization": keys of an issuer from a JWK Set, in a file or at a URL. */
class JwksTest {
  private static final String RSA_SET =
      new JWKSet(new RSAKey.Builder((RSAPublicKey) RSA.getPublic()).keyID("rsa").build())
          .toString();
  private static final String EC_SET =
      new JWKSet(
              List.of(
                  new RSAKey.Builder((RSAPublicKey) RSA.getPublic()).keyID("rsa").build(),
                  new ECKey.Builder(Curve.P_256, (ECPublicKey) EC.getPublic()).keyID("ec").build()))
          .toString();

  private static String token(java.security.PrivateKey key, String kid) {
    return TokenMinter.builder()
        .issuer(ISSUER)
        .audience(RESOURCE)
        .clock(CLOCK)
        .privateKey(key)
        .keyId(kid)
        .publishAll()
        .build()
        .mint();
  }

  private static TokenVerifier.Builder builder() {
    return TokenVerifier.builder().resource(RESOURCE).clock(CLOCK);
  }

  @Test
  void keysFromAFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("jwks.json"), EC_SET);
    TokenVerifier verifier = builder().jwksFile(ISSUER, file).build();

    assertThat(verifier.verify(token(EC.getPrivate(), "ec")).mayPublish("urn:a")).isTrue();
    assertThat(verifier.verify(token(RSA.getPrivate(), "rsa")).mayPublish("urn:a")).isTrue();
  }

  @Test
  void encryptionKeysAndUnusableSetsAreRefusedAtConfiguration() {
    String encOnly =
        new JWKSet(
                new RSAKey.Builder((RSAPublicKey) RSA.getPublic())
                    .keyUse(KeyUse.ENCRYPTION)
                    .build())
            .toString();

    assertThatThrownBy(() -> builder().jwks(ISSUER, encOnly))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no usable");
    assertThatThrownBy(() -> builder().jwks(ISSUER, "{\"keys\": 1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a JWK Set");
  }

  @Test
  void jwksUrlMustBeHttpsUnlessLoopback() {
    assertThatThrownBy(
            () ->
                builder()
                    .jwksUrl(ISSUER, URI.create("http://example.com/jwks"), Duration.ofMinutes(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
  }

  @Test
  void keysFromAUrlAreLoadedInTheBackground() throws Exception {
    try (JwksServer server = new JwksServer(RSA_SET);
        TokenVerifier verifier =
            builder().jwksUrl(ISSUER, server.url(), Duration.ofMinutes(10)).build()) {
      verifier.keysLoaded().get(10, TimeUnit.SECONDS);

      assertThat(verifier.verify(token(RSA.getPrivate(), "rsa")).mayPublish("urn:a")).isTrue();
      assertThat(server.requests()).isEqualTo(1);
    }
  }

  @Test
  void unknownKidTriggersOneRefreshPerMinimumInterval() throws Exception {
    try (JwksServer server = new JwksServer(RSA_SET);
        TokenVerifier verifier =
            builder()
                .jwksUrl(ISSUER, server.url(), Duration.ofMinutes(10))
                .jwksMinRefreshInterval(Duration.ZERO)
                .build();
        TokenVerifier limited =
            builder().jwksUrl(ISSUER, server.url(), Duration.ofMinutes(10)).build()) {
      verifier.keysLoaded().get(10, TimeUnit.SECONDS);
      limited.keysLoaded().get(10, TimeUnit.SECONDS);
      server.body(EC_SET);
      String ecToken = token(EC.getPrivate(), "ec");

      assertInvalid(verifier, ecToken, "no key of the issuer fits");
      verifier.remotes().get(0).refresh().get(10, TimeUnit.SECONDS);
      assertThat(verifier.verify(ecToken).mayPublish("urn:a")).isTrue();

      assertInvalid(limited, ecToken, "no key of the issuer fits");
      assertThat(limited.remotes().get(0).refreshIfDue()).isFalse();
    }
  }

  @Test
  void tokensAreInvalidUntilTheKeysAreLoaded() throws Exception {
    try (JwksServer server = new JwksServer("not json");
        TokenVerifier verifier =
            builder().jwksUrl(ISSUER, server.url(), Duration.ofMinutes(10)).build()) {
      verifier.remotes().get(0).refresh().get(10, TimeUnit.SECONDS);

      assertThat(verifier.keysLoaded()).isNotDone();
      assertInvalid(verifier, token(RSA.getPrivate(), "rsa"), "no key of the issuer fits");
    }
  }

  @Test
  void closeStopsRefreshingAndKeepsTheLoadedKeys() throws Exception {
    try (JwksServer server = new JwksServer(RSA_SET)) {
      TokenVerifier verifier =
          builder().jwksUrl(ISSUER, server.url(), Duration.ofMinutes(10)).build();
      verifier.keysLoaded().get(10, TimeUnit.SECONDS);

      verifier.close();
      verifier.remotes().get(0).refresh().get(10, TimeUnit.SECONDS);

      assertThat(server.requests()).isEqualTo(1);
      assertThat(verifier.verify(token(RSA.getPrivate(), "rsa")).mayPublish("urn:a")).isTrue();
    }
  }
}
