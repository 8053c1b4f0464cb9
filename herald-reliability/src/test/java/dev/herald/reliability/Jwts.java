package dev.herald.reliability;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Access tokens as an honest issuer mints them, and as an attacker forges them: unsigned, signed by
 * a foreign key, with the algorithm swapped, with the attacker's key embedded in the header.
 * Independent of the hub's own minter.
 */
final class Jwts {
  static final String ISSUER = "https://issuer.test";
  static final String SECRET = "a-reliability-secret-of-32-bytes-at-least";
  static final String DETAIL_TYPE = "https://mercure.rocks/authorization-detail";
  private static final KeyPair ATTACKER = rsa();

  private Jwts() {}

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An authorization detail granting {@code action} on exact matchers ({@code *}: all). */
  static Map<String, Object> grant(String action, String... matchers) {
    List<Object> topics = new ArrayList<>();
    for (String m : matchers) {
      topics.add(Map.of("match", m));
    }
    return Map.of("type", DETAIL_TYPE, "actions", List.of(action), "topics", topics);
  }

  /** Claims from {@link #ISSUER} for {@code audience}, valid for {@code ttlSeconds} from now. */
  static Map<String, Object> claims(String audience, long ttlSeconds, Object... grants) {
    long now = System.currentTimeMillis() / 1000;
    Map<String, Object> claims = new HashMap<>();
    claims.put("iss", ISSUER);
    claims.put("aud", audience);
    claims.put("sub", "reliability");
    claims.put("iat", now);
    claims.put("exp", now + ttlSeconds);
    claims.put("authorization_details", List.of(grants));
    return claims;
  }

  /** HS256 with {@code secret}, typed {@code typ}. */
  static String hs256(Map<String, Object> claims, String secret, String typ) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(typ)).build(),
              JWTClaimsSet.parse(claims));
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A valid token: HS256 with the hub's secret, typed {@code at+jwt}. */
  static String valid(Map<String, Object> claims) {
    return hs256(claims, SECRET, "at+jwt");
  }

  /** RS256 with the attacker's key, optionally embedding its public half as a {@code jwk}. */
  static String attackerRs256(Map<String, Object> claims, boolean embedJwk) {
    try {
      JWSHeader.Builder header =
          new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt"));
      if (embedJwk) {
        header.jwk(new RSAKey.Builder((RSAPublicKey) ATTACKER.getPublic()).build());
      }
      SignedJWT jwt = new SignedJWT(header.build(), JWTClaimsSet.parse(claims));
      jwt.sign(new RSASSASigner((RSAPrivateKey) ATTACKER.getPrivate()));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code header.payload.signature} from a raw JOSE header and an HMAC-SHA256 over them. */
  static String hmacWithHeader(String headerJson, Map<String, Object> claims, byte[] key) {
    String signingInput = b64(headerJson) + "." + payload(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64URL.encode(signature);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Algorithm confusion: the header says {@code RS256}, the signature is an HMAC with the hub's
   * secret (a verifier that lets the header pick the algorithm for the key would accept it).
   */
  static String rs256HeaderHmacSignature(Map<String, Object> claims) {
    return hmacWithHeader(
        "{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}", claims, SECRET.getBytes(StandardCharsets.UTF_8));
  }

  /** The classic confusion: HS256 keyed with the bytes of the attacker's RSA public key. */
  static String hs256KeyedWithPublicKey(Map<String, Object> claims) {
    return hmacWithHeader(
        "{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}", claims, ATTACKER.getPublic().getEncoded());
  }

  /** {@code alg: none} with the given signature part (empty for a true unsecured JWT). */
  static String unsigned(Map<String, Object> claims, String signature) {
    return b64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + payload(claims) + "." + signature;
  }

  private static String payload(Map<String, Object> claims) {
    try {
      return JWTClaimsSet.parse(claims).toPayload().toBase64URL().toString();
    } catch (java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
