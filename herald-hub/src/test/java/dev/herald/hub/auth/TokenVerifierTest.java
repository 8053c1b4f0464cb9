package dev.herald.hub.auth;

import static dev.herald.hub.auth.Jwts.CLOCK;
import static dev.herald.hub.auth.Jwts.EC;
import static dev.herald.hub.auth.Jwts.ISSUER;
import static dev.herald.hub.auth.Jwts.NOW;
import static dev.herald.hub.auth.Jwts.OTHER_ISSUER;
import static dev.herald.hub.auth.Jwts.OTHER_SECRET;
import static dev.herald.hub.auth.Jwts.RESOURCE;
import static dev.herald.hub.auth.Jwts.RSA;
import static dev.herald.hub.auth.Jwts.SECRET;
import static dev.herald.hub.auth.Jwts.claims;
import static dev.herald.hub.auth.Jwts.header;
import static dev.herald.hub.auth.Jwts.hs256;
import static dev.herald.hub.auth.Jwts.raw;
import static dev.herald.hub.auth.Jwts.sign;
import static dev.herald.hub.auth.Jwts.verifier;
import static dev.herald.hub.auth.Rejections.assertInvalid;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.herald.hub.mercure.TopicMatcher;
import java.net.URI;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Mercure "Authorization" and "Token Validation": RFC 9068 access tokens, each verification rule in
 * its own test.
 */
class TokenVerifierTest {
  private final TokenVerifier verifier = verifier().build();

  private static TokenMinter.Builder minter() {
    return TokenMinter.builder().issuer(ISSUER).audience(RESOURCE).subject("alice").clock(CLOCK);
  }

  @Test
  void tokenValidation_mintedHs256TokenVerifies() throws Exception {
    String token = minter().hmacSecret(SECRET).publishAll().build().mint();

    Grants grants = verifier.verify(token);

    assertThat(grants.mayPublish("https://example.com/books/1")).isTrue();
    assertThat(grants.maySubscribe("https://example.com/books/1")).isFalse();
    assertThat(grants.issuer()).isEqualTo(ISSUER);
    assertThat(grants.subject()).isEqualTo("alice");
    assertThat(grants.expiresAt()).isEqualTo(NOW.plus(TokenMinter.DEFAULT_TTL));
  }

  @Test
  void tokenValidation_mintedRs256TokenVerifies() throws Exception {
    TokenVerifier rsa = verifier().publicKey(OTHER_ISSUER, RSA.getPublic()).build();
    String token =
        minter()
            .issuer(OTHER_ISSUER)
            .privateKey(RSA.getPrivate())
            .subscribe(TopicMatcher.exact("https://example.com/books/1"))
            .build()
            .mint();

    Grants grants = rsa.verify(token);

    assertThat(grants.maySubscribe("https://example.com/books/1")).isTrue();
    assertThat(grants.maySubscribe("https://example.com/books/2")).isFalse();
  }

  @Test
  void tokenValidation_mintedEs256TokenVerifies() throws Exception {
    TokenVerifier ec = verifier().publicKey(OTHER_ISSUER, EC.getPublic()).build();
    String token =
        minter().issuer(OTHER_ISSUER).privateKey(EC.getPrivate()).publishAll().build().mint();

    assertThat(com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getAlgorithm())
        .isEqualTo(JWSAlgorithm.ES256);
    assertThat(ec.verify(token).mayPublish("urn:x")).isTrue();
  }

  @Test
  void tokenValidation_mercureConformanceSuiteTokenVerifies() throws Exception {
    TokenVerifier conformance =
        TokenVerifier.builder()
            .resource("https://localhost/.well-known/mercure")
            .hmacKey("https://localhost", "!ChangeThisMercureHubJWTSecretKey!".getBytes(UTF_8))
            .clock(CLOCK)
            .build();
    String token =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJhdWQiOiJodHRwczovL2xvY2FsaG9zdC8ud2VsbC1rbm93bi9tZXJjdXJlIiwiaXNzIjoiaHR0cHM6Ly9sb2NhbGhvc3QiLCJhdXRob3JpemF0aW9uX2RldGFpbHMiOlt7InR5cGUiOiJodHRwczovL21lcmN1cmUucm9ja3MvYXV0aG9yaXphdGlvbi1kZXRhaWwiLCJhY3Rpb25zIjpbInB1Ymxpc2giXSwidG9waWNzIjpbeyJtYXRjaCI6IioifV19LHsidHlwZSI6Imh0dHBzOi8vbWVyY3VyZS5yb2Nrcy9hdXRob3JpemF0aW9uLWRldGFpbCIsImFjdGlvbnMiOlsic3Vic2NyaWJlIl0sInRvcGljcyI6W3sibWF0Y2giOiIqIn1dfV0sImV4cCI6NDEwMjQ0NDgwMH0.z_S8IP5WZsCK8h3pcq0PB5zvJE0OdTrGA70khAYJQy4";

    Grants grants = conformance.verify(token);

    assertThat(grants.mayPublish("https://example.com/anything")).isTrue();
    assertThat(grants.maySubscribe("urn:anything")).isTrue();
    assertThat(grants.subject()).isNull();
  }

  @Test
  void tokenValidation_aHeaderThatIsJsonNullIsRefused() {
    // Found by TokenVerifierFuzzTest: the JSON parser returns null for `null`, and the verifier
    // threw a NullPointerException instead of refusing the token.
    String token = com.nimbusds.jose.util.Base64URL.encode("null") + ".eyJhIjoxfQ.c2lnbmF0dXJl";

    assertInvalid(verifier, token, "JOSE header");
  }

  @Test
  void tokenValidation_typMustBeAtJwt() {
    String token =
        sign(header(JWSAlgorithm.HS256).type(new JOSEObjectType("foo")).build(), claims(), SECRET);

    assertInvalid(verifier, token, "typ");
  }

  @Test
  void tokenValidation_typJwtWithoutTheLegacyMercureClaimIsRefused() {
    String token =
        sign(header(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims(), SECRET);

    assertInvalid(verifier, token, "typ");
  }

  @Test
  void tokenValidation_missingTypWithoutTheLegacyMercureClaimIsRefused() {
    String token = sign(new com.nimbusds.jose.JWSHeader(JWSAlgorithm.HS256), claims(), SECRET);

    assertInvalid(verifier, token, "typ");
  }

  @Test
  void tokenValidation_typComparesCaseInsensitivelyWithApplicationPrefix() throws Exception {
    String token =
        sign(
            header(JWSAlgorithm.HS256).type(new JOSEObjectType("Application/AT+JWT")).build(),
            claims(),
            SECRET);

    assertThat(verifier.verify(token).issuer()).isEqualTo(ISSUER);
  }

  @Test
  void tokenValidation_algNoneIsRefused() {
    String token =
        raw(
            "{\"alg\":\"none\",\"typ\":\"at+jwt\"}",
            "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + RESOURCE + "\",\"exp\":4102444800}",
            "");
    String withSignature = token + "AAAA";

    assertInvalid(verifier, token, "not a JWS");
    assertInvalid(verifier, withSignature, "algorithm none is not allowed");
  }

  @Test
  void tokenValidation_algOutsideTheAllowlistIsRefused() {
    TokenVerifier rsOnly = verifier().algorithms(Set.of("RS256")).build();

    assertInvalid(rsOnly, hs256(claims()), "algorithm HS256 is not allowed");
  }

  @Test
  void tokenValidation_allowlistCannotHoldNone() {
    assertThatThrownBy(() -> verifier().algorithms(Set.of("none")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("algorithms");
  }

  @Test
  void tokenValidation_hmacTokenSignedWithTheRsaPublicKeyIsRefused() {
    // Algorithm confusion: an attacker signs HS256 with the public key's bytes as the secret.
    TokenVerifier rsa =
        TokenVerifier.builder()
            .resource(RESOURCE)
            .publicKey(ISSUER, RSA.getPublic())
            .clock(CLOCK)
            .build();
    String token = sign(header(JWSAlgorithm.HS256).build(), claims(), RSA.getPublic().getEncoded());

    assertInvalid(rsa, token, "no key of the issuer fits");
  }

  @Test
  void tokenValidation_unknownIssuerIsRefused() {
    String token = hs256(claims().issuer("https://evil.example.com"));

    assertInvalid(verifier, token, "iss is not a trusted issuer");
  }

  @Test
  void tokenValidation_missingIssuerIsRefused() {
    assertInvalid(verifier, hs256(claims().issuer(null)), "no iss");
  }

  @Test
  void tokenValidation_onlyTheKeysOfTheTokensIssuerVerifyIt() {
    TokenVerifier two = verifier().hmacKey(OTHER_ISSUER, OTHER_SECRET).build();
    String token = hs256(claims().issuer(OTHER_ISSUER));

    assertInvalid(two, token, "signature does not verify");
  }

  @Test
  void tokenValidation_wrongAudienceIsRefused() {
    assertInvalid(
        verifier, hs256(claims().audience("https://other.example.com/.well-known/mercure")), "aud");
    assertInvalid(verifier, hs256(claims().audience((String) null)), "aud");
  }

  @Test
  void tokenValidation_audienceArrayContainingTheResourceIsAccepted() throws Exception {
    String token = hs256(claims().audience(List.of("https://api.example.com", RESOURCE)));

    assertThat(verifier.verify(token).issuer()).isEqualTo(ISSUER);
  }

  @Test
  void tokenValidation_expiredTokenIsRefused() {
    assertInvalid(verifier, hs256(claims().expirationTime(Date.from(NOW))), "expired");
  }

  @Test
  void tokenValidation_clockSkewExtendsExpiry() throws Exception {
    TokenVerifier lenient = verifier().clockSkew(Duration.ofSeconds(30)).build();
    String token = hs256(claims().expirationTime(Date.from(NOW.minusSeconds(20))));

    assertThat(lenient.verify(token).expiresAt()).isEqualTo(NOW.minusSeconds(20));
    assertInvalid(verifier, token, "expired");
  }

  @Test
  void tokenValidation_notBeforeInTheFutureIsRefused() throws Exception {
    assertInvalid(
        verifier,
        hs256(claims().notBeforeTime(Date.from(NOW.plusSeconds(60)))),
        "not valid before");
    assertThat(verifier.verify(hs256(claims().notBeforeTime(Date.from(NOW)))).issuer())
        .isEqualTo(ISSUER);
  }

  @Test
  void tokenValidation_missingExpIsRefused() {
    assertInvalid(verifier, hs256(claims().expirationTime(null)), "no exp");
  }

  @Test
  void tokenValidation_garbageIsInvalidToken() {
    assertInvalid(verifier, "not a token at all", "not a JWS");
    assertInvalid(verifier, "", "empty token");
    assertInvalid(verifier, null, "empty token");
    assertInvalid(verifier, "a!b.c$d.e%f", "base64url");
    assertInvalid(verifier, raw("[1]", "{}", "AAAA"), "not a JSON object");
    assertInvalid(verifier, "A".repeat(TokenVerifier.MAX_TOKEN_LENGTH + 1), "longer than");
  }

  @Test
  void tokenValidation_twoPartTokenIsInvalidToken() {
    String token = hs256(claims());

    assertInvalid(verifier, token.substring(0, token.lastIndexOf('.')), "2 parts");
  }

  @Test
  void tokenValidation_tamperedClaimsAreRefused() {
    String token = hs256(claims());
    String[] parts = token.split("\\.");
    String forged =
        raw(
            "{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}",
            "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + RESOURCE + "\",\"exp\":4102444800}",
            parts[2]);

    assertInvalid(verifier, forged, "signature does not verify");
  }

  @Test
  void tokenValidation_keyEmbeddedInTheJwkHeaderIsIgnored() throws Exception {
    RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();
    String token =
        sign(
            header(JWSAlgorithm.RS256)
                .jwk(attacker.toPublicJWK())
                .jwkURL(URI.create("https://evil.example.com/jwks.json"))
                .keyID("attacker")
                .build(),
            claims(),
            new RSASSASigner(attacker));
    TokenVerifier rsa = verifier().publicKey(ISSUER, RSA.getPublic()).build();

    assertInvalid(rsa, token, "signature does not verify");
  }

  @Test
  void tokenValidation_kidSelectsAmongTheIssuersKeys() throws Exception {
    RSAKey first = new RSAKey.Builder((RSAPublicKey) RSA.getPublic()).keyID("first").build();
    ECKey second =
        new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, (ECPublicKey) EC.getPublic())
            .keyID("second")
            .build();
    TokenVerifier jwks =
        TokenVerifier.builder()
            .resource(RESOURCE)
            .clock(CLOCK)
            .jwks(ISSUER, new JWKSet(List.of(first, second)).toString())
            .build();
    String token = minter().privateKey(EC.getPrivate()).keyId("second").publishAll().build().mint();
    String wrongKid =
        minter().privateKey(EC.getPrivate()).keyId("first").publishAll().build().mint();

    assertThat(jwks.verify(token).mayPublish("urn:a")).isTrue();
    assertInvalid(jwks, wrongKid, "no key of the issuer fits the token's kid and ES256");
  }

  @Test
  void hmacSecretsShorterThan256BitsAreRefusedAtConfiguration() {
    assertThatThrownBy(() -> TokenVerifier.builder().hmacKey(ISSUER, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256 bits");
    assertThatThrownBy(() -> TokenMinter.builder().hmacSecret(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256 bits");
  }

  @Test
  void hmacSecretTooShortForTheAlgorithmDoesNotVerify() {
    String token = sign(header(JWSAlgorithm.HS512).build(), claims(), new byte[64]);
    TokenVerifier short256 =
        TokenVerifier.builder()
            .resource(RESOURCE)
            .clock(CLOCK)
            .hmacKey(ISSUER, new byte[32])
            .build();

    assertInvalid(short256, token, "no key of the issuer fits");
  }

  @Test
  void generatedHmacSecretIsUsable() throws Exception {
    String secret = TokenMinter.generateHmacSecret();
    byte[] bytes = secret.getBytes(UTF_8);
    TokenVerifier dev = verifier().hmacKey("dev", bytes).build();
    String token = minter().issuer("dev").hmacSecret(bytes).subscribeAll().build().mint();

    assertThat(secret).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(TokenMinter.generateHmacSecret()).isNotEqualTo(secret);
    assertThat(dev.verify(token).maySubscribe("urn:x")).isTrue();
  }
}
