package dev.herald.hub;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-made HS256 access tokens for the hub's tests, independent of the hub's own minter. */
final class Tokens {
  static final String SECRET = "a-test-secret-of-at-least-32-bytes!";
  static final String ISSUER = "https://issuer.test";

  private Tokens() {}

  /** A port free right now on 127.0.0.1, for a hub whose URL (its audience) must be known first. */
  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * A verifier trusting {@link #ISSUER} with {@link #SECRET}, for tokens naming {@code audience}.
   */
  static dev.herald.hub.auth.TokenVerifier verifier(String audience) {
    return dev.herald.hub.auth.TokenVerifier.builder()
        .resource(audience)
        .hubUrl(audience)
        .hmacKey(ISSUER, SECRET.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  /** A Mercure authorization detail granting {@code action} on exact or {@code *} matchers. */
  static Map<String, Object> detail(String action, String... exactMatchers) {
    List<Object> topics = new ArrayList<>();
    for (String m : exactMatchers) {
      topics.add(Map.of("match", m));
    }
    return Map.of(
        "type",
        "https://mercure.rocks/authorization-detail",
        "actions",
        List.of(action),
        "topics",
        topics);
  }

  /** A token for {@code audience}, expiring in {@code ttlSeconds}, with {@code details}. */
  static String token(String audience, long ttlSeconds, Object... details) {
    long now = System.currentTimeMillis() / 1000;
    try {
      JWTClaimsSet claims =
          JWTClaimsSet.parse(
              Map.of(
                  "iss",
                  ISSUER,
                  "aud",
                  audience,
                  "sub",
                  "test-subject",
                  "iat",
                  now,
                  "exp",
                  now + ttlSeconds,
                  "authorization_details",
                  List.of(details)));
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt")).build(),
              claims);
      jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
