package dev.herald.hub.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Crafts tokens for the tests, valid or deliberately broken. */
final class Jwts {
  static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(UTF_8);
  static final byte[] OTHER_SECRET = "fedcba9876543210fedcba9876543210".getBytes(UTF_8);
  static final String ISSUER = "https://auth.example.com";
  static final String OTHER_ISSUER = "https://other.example.com";
  static final String RESOURCE = "https://example.com/.well-known/mercure";
  static final String HUB_URL = "https://example.com/.well-known/mercure";
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String MERCURE = "https://mercure.rocks/authorization-detail";
  static final KeyPair RSA = keyPair("RSA", null);
  static final KeyPair EC = keyPair("EC", "secp256r1");

  private Jwts() {}

  static TokenVerifier.Builder verifier() {
    return TokenVerifier.builder()
        .resource(RESOURCE)
        .hubUrl(HUB_URL)
        .hmacKey(ISSUER, SECRET)
        .clock(CLOCK);
  }

  /** Claims that pass every check and grant nothing. */
  static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(RESOURCE)
        .expirationTime(Date.from(NOW.plusSeconds(3600)));
  }

  static JWTClaimsSet.Builder claims(Object... details) {
    return claims().claim("authorization_details", List.of(details));
  }

  static JWSHeader.Builder header(JWSAlgorithm alg) {
    return new JWSHeader.Builder(alg).type(new JOSEObjectType("at+jwt"));
  }

  static String hs256(JWTClaimsSet.Builder claims) {
    return sign(header(JWSAlgorithm.HS256).build(), claims, SECRET);
  }

  static String sign(JWSHeader header, JWTClaimsSet.Builder claims, byte[] secret) {
    try {
      return sign(header, claims, new MACSigner(secret));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sign(JWSHeader header, JWTClaimsSet.Builder claims, JWSSigner signer) {
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** A compact serialization assembled by hand from JSON texts and a signature part. */
  static String raw(String headerJson, String claimsJson, String signature) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(headerJson.getBytes(UTF_8))
        + "."
        + b64.encodeToString(claimsJson.getBytes(UTF_8))
        + "."
        + signature;
  }

  /** A Mercure authorization detail. */
  static Map<String, Object> detail(List<?> actions, List<?> topics) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("type", MERCURE);
    detail.put("actions", actions);
    detail.put("topics", topics);
    return detail;
  }

  static Map<String, Object> detail(String action, Object... topics) {
    return detail(List.of(action), List.of(topics));
  }

  static Map<String, Object> exact(String match) {
    return Map.of("match", match);
  }

  static Map<String, Object> urlpattern(String match) {
    return Map.of("match", match, "match_type", "urlpattern");
  }

  private static KeyPair keyPair(String algorithm, String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (curve == null) {
        generator.initialize(2048);
      } else {
        generator.initialize(new ECGenParameterSpec(curve));
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
