package dev.herald.hub.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.SignedJWT;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

/**
 * A verification key from the configuration, with what it may verify: an HMAC secret only {@code
 * HS*} tokens (and only those whose hash is no longer than the secret), an RSA key {@code RS*} and
 * {@code PS*}, an EC key the one {@code ES*} algorithm of its curve. This is what stops algorithm
 * confusion: the token's {@code alg} never picks how a key is used.
 */
final class TrustedKey {
  static final int MIN_HMAC_BYTES = 32;
  static final int MIN_RSA_BITS = 2048;

  private static final Map<Curve, String> EC_ALGORITHMS =
      Map.of(Curve.P_256, "ES256", Curve.P_384, "ES384", Curve.P_521, "ES512");

  private final String kid;
  private final String restriction;
  private final String family;
  private final int hmacBits;
  private final JWSVerifier verifier;

  private TrustedKey(
      String kid, String restriction, String family, int hmacBits, JWSVerifier verifier) {
    this.kid = kid;
    this.restriction = restriction;
    this.family = family;
    this.hmacBits = hmacBits;
    this.verifier = verifier;
  }

  /**
   * An HMAC secret.
   *
   * @throws IllegalArgumentException if it is shorter than 256 bits
   */
  static TrustedKey hmac(String kid, String restriction, byte[] secret) {
    if (secret.length < MIN_HMAC_BYTES) {
      throw new IllegalArgumentException(
          "HMAC secret shorter than the minimum of 256 bits (32 bytes): " + secret.length * 8);
    }
    try {
      return new TrustedKey(kid, restriction, "HS", secret.length * 8, new MACVerifier(secret));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable HMAC secret", e);
    }
  }

  /**
   * An RSA or EC public key.
   *
   * @throws IllegalArgumentException if it is of another type, an RSA key shorter than 2048 bits,
   *     or an EC key of a curve other than P-256, P-384 and P-521
   */
  static TrustedKey publicKey(String kid, String restriction, PublicKey key) {
    if (key instanceof RSAPublicKey) {
      int bits = ((RSAPublicKey) key).getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new IllegalArgumentException(
            "RSA key shorter than the minimum of " + MIN_RSA_BITS + " bits: " + bits);
      }
      return new TrustedKey(kid, restriction, "RSA", 0, new RSASSAVerifier((RSAPublicKey) key));
    }
    if (key instanceof ECPublicKey) {
      String alg = EC_ALGORITHMS.get(Curve.forECParameterSpec(((ECPublicKey) key).getParams()));
      if (alg == null) {
        throw new IllegalArgumentException("EC key of an unsupported curve");
      }
      try {
        return new TrustedKey(kid, restriction, alg, 0, new ECDSAVerifier((ECPublicKey) key));
      } catch (JOSEException e) {
        throw new IllegalArgumentException("unusable EC key", e);
      }
    }
    throw new IllegalArgumentException(
        "unsupported public key algorithm "
            + key.getAlgorithm()
            + " (supported: RSA, EC; EdDSA needs Tink, which Herald does not ship)");
  }

  /** The key ID, or {@code null}. */
  String kid() {
    return kid;
  }

  /** Whether this key may verify a token signed with {@code alg}. */
  boolean fits(String alg) {
    if (restriction != null && !restriction.equals(alg)) {
      return false;
    }
    switch (family) {
      case "HS":
        return alg.startsWith("HS") && Integer.parseInt(alg.substring(2)) <= hmacBits;
      case "RSA":
        return alg.startsWith("RS") || alg.startsWith("PS");
      default:
        return family.equals(alg);
    }
  }

  /** Whether {@code jwt}'s signature verifies with this key. */
  boolean verifies(SignedJWT jwt) {
    try {
      return jwt.verify(verifier);
    } catch (JOSEException | IllegalStateException e) {
      return false;
    }
  }
}
