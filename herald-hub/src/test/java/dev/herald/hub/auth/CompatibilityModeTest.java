package dev.herald.hub.auth;

import static dev.herald.hub.auth.Jwts.CLOCK;
import static dev.herald.hub.auth.Jwts.ISSUER;
import static dev.herald.hub.auth.Jwts.OTHER_SECRET;
import static dev.herald.hub.auth.Jwts.RESOURCE;
import static dev.herald.hub.auth.Jwts.SECRET;
import static dev.herald.hub.auth.Jwts.claims;
import static dev.herald.hub.auth.Jwts.detail;
import static dev.herald.hub.auth.Jwts.exact;
import static dev.herald.hub.auth.Jwts.hs256;
import static dev.herald.hub.auth.Jwts.sign;
import static dev.herald.hub.auth.Jwts.verifier;
import static dev.herald.hub.auth.Rejections.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.herald.hub.mercure.TopicMatcher;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Compatibility mode: legacy tokens of pre-1.0 Mercure clients and their {@code mercure} claim. */
class CompatibilityModeTest {
  private static final Map<String, Object> LEGACY =
      Map.of(
          "publish", List.of("https://example.com/books/{id}"),
          "subscribe", List.of("https://example.com/users/{+rest}", "urn:exact"),
          "payload", Map.of("user", "alice"));

  private final TokenVerifier compat = verifier().compat(true).compatKey(OTHER_SECRET).build();

  private static String legacy(JWTClaimsSet.Builder claims, byte[] secret) {
    return sign(
        new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims, secret);
  }

  @Test
  void legacyTokenWithoutAudIssOrExpIsVerifiedWithTheCompatibilityKey() throws Exception {
    String token = legacy(new JWTClaimsSet.Builder().claim("mercure", LEGACY), OTHER_SECRET);

    Grants grants = compat.verify(token);

    assertThat(grants.mayPublish("https://example.com/books/1")).isTrue();
    assertThat(grants.mayPublish("https://example.com/books/1/chapters")).isFalse();
    assertThat(grants.maySubscribe("https://example.com/users/1/orders")).isTrue();
    assertThat(grants.maySubscribe("urn:exact")).isTrue();
    assertThat(grants.maySubscribe("https://example.com/books/1")).isFalse();
    assertThat(grants.payloadFor(TopicMatcher.exact("urn:exact")))
        .hasValue(Map.of("user", "alice"));
    assertThat(grants.expiresAt()).isNull();
    assertThat(grants.issuer()).isNull();
  }

  @Test
  void legacyTokenIsRefusedOutsideCompatibilityMode() {
    String token = legacy(claims().claim("mercure", LEGACY), SECRET);

    assertInvalid(verifier().build(), token, "typ");
  }

  @Test
  void legacyTokenWithoutIssIsNotVerifiedWithAnIssuersKey() {
    String token = legacy(new JWTClaimsSet.Builder().claim("mercure", LEGACY), SECRET);

    assertInvalid(compat, token, "signature does not verify");
  }

  @Test
  void legacyTokenWithIssUsesThatIssuersKeysAndStillChecksExp() throws Exception {
    String token = legacy(claims().claim("mercure", Map.of("publish", List.of("*"))), SECRET);
    String expired =
        legacy(claims().expirationTime(new java.util.Date(0)).claim("mercure", LEGACY), SECRET);

    assertThat(compat.verify(token).mayPublish("urn:any")).isTrue();
    assertInvalid(compat, expired, "expired");
  }

  @Test
  void malformedLegacyClaimIsInvalid() {
    assertInvalid(
        compat,
        legacy(new JWTClaimsSet.Builder().claim("mercure", "all"), OTHER_SECRET),
        "mercure claim is not an object");
    assertInvalid(
        compat,
        legacy(
            new JWTClaimsSet.Builder().claim("mercure", Map.of("publish", List.of(1))),
            OTHER_SECRET),
        "not a string");
  }

  @Test
  void rfc9068TokenInCompatibilityModeIsVerifiedNormally() throws Exception {
    Object detail = detail("publish", exact("urn:a"));
    String withLegacyClaim = hs256(claims(detail).claim("mercure", LEGACY));
    String withoutAud = hs256(claims(detail).audience((String) null));

    Grants grants = compat.verify(withLegacyClaim);

    assertThat(grants.mayPublish("urn:a")).isTrue();
    assertThat(grants.mayPublish("https://example.com/books/1")).isFalse();
    assertInvalid(compat, withoutAud, "aud");
  }

  @Test
  void minterCompatibilityModeRoundTrip() throws Exception {
    String token =
        TokenMinter.builder()
            .compat(true)
            .hmacSecret(OTHER_SECRET)
            .clock(CLOCK)
            .subscribe(TopicMatcher.exact("https://example.com/books/{id}"))
            .subscribePayload(Map.of("n", 1))
            .build()
            .mint();

    Grants grants = compat.verify(token);

    assertThat(grants.maySubscribe("https://example.com/books/7")).isTrue();
    assertThat(grants.mayPublish("https://example.com/books/7")).isFalse();
    assertThat(grants.payloadFor(TopicMatcher.exact("https://example.com/books/7")))
        .hasValueSatisfying(p -> assertThat(((Number) p.get("n")).intValue()).isEqualTo(1));
  }

  @Test
  void untypedLegacyTokenIsAccepted() throws Exception {
    String token =
        sign(
            new JWSHeader(JWSAlgorithm.HS256),
            new JWTClaimsSet.Builder()
                .audience(RESOURCE)
                .issuer(ISSUER)
                .claim("mercure", Map.of("subscribe", List.of("*"))),
            SECRET);

    assertThat(compat.verify(token).maySubscribe("urn:x")).isTrue();
  }
}
