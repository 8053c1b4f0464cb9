package dev.herald.hub.auth;

import static dev.herald.hub.auth.Jwts.CLOCK;
import static dev.herald.hub.auth.Jwts.ISSUER;
import static dev.herald.hub.auth.Jwts.NOW;
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
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.herald.hub.mercure.TopicMatcher;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Legacy tokens of pre-1.0 Mercure clients, verified by default: typed {@code JWT} or untyped, the
 * {@code mercure} claim, without {@code aud} only with a legacy key (TokenVerifier's contract).
 */
class LegacyTokenTest {
  private static final Map<String, Object> LEGACY =
      Map.of(
          "publish", List.of("https://example.com/books/{id}"),
          "subscribe", List.of("https://example.com/users/{+rest}", "urn:exact"),
          "payload", Map.of("user", "alice"));

  private final TokenVerifier verifier = verifier().legacyKey(OTHER_SECRET).build();

  private static String legacy(JWTClaimsSet.Builder claims, byte[] secret) {
    return sign(
        new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims, secret);
  }

  /** Compact JWS of exactly these header and payload bytes, HS256 with {@code secret}. */
  static String handMade(String header, String payload, byte[] secret) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input =
        b64.encodeToString(header.getBytes(UTF_8))
            + "."
            + b64.encodeToString(payload.getBytes(UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(UTF_8)));
  }

  @Test
  @DisplayName("Symfony's token bytes: typ JWT, a float exp and the mercure claim, nothing else")
  void symfonyShapedToken() throws Exception {
    long exp = NOW.getEpochSecond() + 3600;
    String token =
        handMade(
            "{\"typ\":\"JWT\",\"alg\":\"HS256\"}",
            "{\"exp\":"
                + exp
                + ".25,\"mercure\":{\"publish\":[\"*\"],\"subscribe\":[\"https://example.com/books/{id}\"]}}",
            OTHER_SECRET);
    String expired =
        handMade(
            "{\"typ\":\"JWT\",\"alg\":\"HS256\"}",
            "{\"exp\":" + (NOW.getEpochSecond() - 1) + ".5,\"mercure\":{\"publish\":[\"*\"]}}",
            OTHER_SECRET);

    Grants grants = verifier.verify(token);

    assertThat(grants.isLegacy()).isTrue();
    assertThat(grants.mayPublish("https://anything.test/x")).isTrue();
    assertThat(grants.maySubscribe("https://example.com/books/7")).isTrue();
    assertThat(grants.maySubscribe("https://example.com/books/7/reviews")).isFalse();
    assertThat(grants.expiresAt().getEpochSecond()).isEqualTo(exp);
    assertInvalid(verifier, expired, "expired");
  }

  @Test
  void legacyTokenWithoutAudIssOrExpIsVerifiedWithTheLegacyKey() throws Exception {
    String token = legacy(new JWTClaimsSet.Builder().claim("mercure", LEGACY), OTHER_SECRET);

    Grants grants = verifier.verify(token);

    assertThat(grants.isLegacy()).isTrue();
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
  @DisplayName("a token without aud is refused when the hub has no legacy key, saying so")
  void legacyTokenWithoutAudNeedsALegacyKey() {
    String token = legacy(new JWTClaimsSet.Builder().claim("mercure", LEGACY), SECRET);

    assertInvalid(verifier().build(), token, "needs a legacy key, and the hub has none");
  }

  @Test
  @DisplayName("a token without aud is verified only with the legacy keys, whatever its iss")
  void legacyTokenWithIssButWithoutAudIsVerifiedOnlyWithLegacyKeys() throws Exception {
    JWTClaimsSet.Builder noAud =
        new JWTClaimsSet.Builder().issuer(ISSUER).claim("mercure", Map.of("publish", List.of("*")));

    assertInvalid(verifier, legacy(noAud, SECRET), "signature does not verify");
    assertThat(verifier.verify(legacy(noAud, OTHER_SECRET)).mayPublish("urn:a")).isTrue();
  }

  @Test
  void legacyTokenWithoutIssIsNotVerifiedWithAnIssuersKey() {
    String token = legacy(new JWTClaimsSet.Builder().claim("mercure", LEGACY), SECRET);

    assertInvalid(verifier, token, "signature does not verify");
  }

  @Test
  void legacyTokenWithAudMustNameThisHub() {
    String token =
        legacy(
            new JWTClaimsSet.Builder().audience("https://other.test/hub").claim("mercure", LEGACY),
            OTHER_SECRET);

    assertInvalid(verifier, token, "aud does not contain");
  }

  @Test
  void legacyTokenWithIssAndAudUsesThatIssuersKeysAndStillChecksExp() throws Exception {
    String token = legacy(claims().claim("mercure", Map.of("publish", List.of("*"))), SECRET);
    String expired =
        legacy(claims().expirationTime(new java.util.Date(0)).claim("mercure", LEGACY), SECRET);

    assertThat(verifier.verify(token).mayPublish("urn:any")).isTrue();
    assertInvalid(verifier, expired, "expired");
  }

  @Test
  @DisplayName("a token typed JWT without the mercure claim is neither generation: refused")
  void jwtTypedTokenWithoutTheMercureClaimIsRefused() {
    String token =
        legacy(claims(detail("publish", exact("urn:a"))), SECRET); // an access token, mistyped

    assertInvalid(verifier, token, "no mercure claim");
    assertInvalid(
        verifier,
        sign(
            new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("id+jwt")).build(),
            new JWTClaimsSet.Builder().claim("mercure", LEGACY),
            OTHER_SECRET),
        "typ is not at+jwt");
  }

  @Test
  @DisplayName("each generation's rights come from its own claim")
  void eachGenerationReadsItsOwnClaim() throws Exception {
    Object detail = detail("publish", exact("urn:a"));
    String accessToken = hs256(claims(detail).claim("mercure", LEGACY));
    String legacyToken =
        legacy(
            new JWTClaimsSet.Builder()
                .claim("mercure", Map.of("subscribe", List.of("urn:b")))
                .claim("authorization_details", List.of(detail)),
            OTHER_SECRET);

    Grants access = verifier.verify(accessToken);
    Grants legacy = verifier.verify(legacyToken);

    assertThat(access.isLegacy()).isFalse();
    assertThat(access.mayPublish("urn:a")).isTrue();
    assertThat(access.mayPublish("https://example.com/books/1")).isFalse();
    assertThat(legacy.mayPublish("urn:a")).isFalse();
    assertThat(legacy.maySubscribe("urn:b")).isTrue();
    assertInvalid(verifier, hs256(claims(detail).audience((String) null)), "aud");
  }

  @Test
  void malformedLegacyClaimIsInvalid() {
    assertInvalid(
        verifier,
        legacy(new JWTClaimsSet.Builder().claim("mercure", "all"), OTHER_SECRET),
        "mercure claim is not an object");
    assertInvalid(
        verifier,
        legacy(
            new JWTClaimsSet.Builder().claim("mercure", Map.of("publish", List.of(1))),
            OTHER_SECRET),
        "not a string");
  }

  @Test
  void minterLegacyModeRoundTrip() throws Exception {
    String token =
        TokenMinter.builder()
            .compat(true)
            .hmacSecret(OTHER_SECRET)
            .clock(CLOCK)
            .subscribe(TopicMatcher.exact("https://example.com/books/{id}"))
            .subscribePayload(Map.of("n", 1))
            .build()
            .mint();

    Grants grants = verifier.verify(token);

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

    assertThat(verifier.verify(token).maySubscribe("urn:x")).isTrue();
  }
}
