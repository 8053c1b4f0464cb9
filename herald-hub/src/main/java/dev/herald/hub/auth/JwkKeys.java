package dev.herald.hub.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a JWK Set into trusted keys. Keys meant for encryption, keys with a non-signature {@code
 * alg}, and key types Herald cannot verify with (OKP: EdDSA) are skipped; only the public part of
 * an asymmetric key is kept.
 */
final class JwkKeys {
  private static final Logger LOG = LoggerFactory.getLogger(JwkKeys.class);

  private JwkKeys() {}

  /**
   * The usable keys of {@code json}.
   *
   * @throws IllegalArgumentException if it is not a JWK Set or holds no usable key
   */
  static List<TrustedKey> parse(String json, String source) {
    JWKSet set;
    try {
      set = JWKSet.parse(json);
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a JWK Set: " + source);
    }
    List<TrustedKey> keys = new ArrayList<>();
    for (JWK jwk : set.getKeys()) {
      TrustedKey key = key(jwk);
      if (key != null) {
        keys.add(key);
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no usable signature verification key in " + source);
    }
    return List.copyOf(keys);
  }

  private static TrustedKey key(JWK jwk) {
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      return null;
    }
    String alg = jwk.getAlgorithm() == null ? null : jwk.getAlgorithm().getName();
    if (alg != null && !TokenVerifier.SUPPORTED_ALGORITHMS.contains(alg)) {
      return null;
    }
    try {
      if (jwk instanceof OctetSequenceKey) {
        return TrustedKey.hmac(jwk.getKeyID(), alg, ((OctetSequenceKey) jwk).toByteArray());
      }
      if (jwk instanceof RSAKey) {
        return TrustedKey.publicKey(jwk.getKeyID(), alg, ((RSAKey) jwk).toRSAPublicKey());
      }
      if (jwk instanceof ECKey) {
        return TrustedKey.publicKey(jwk.getKeyID(), alg, ((ECKey) jwk).toECPublicKey());
      }
    } catch (JOSEException | IllegalArgumentException e) {
      LOG.warn("Skipping JWK kid={}: {}", jwk.getKeyID(), e.getMessage());
      return null;
    }
    LOG.debug("Skipping JWK kid={} of unsupported type {}", jwk.getKeyID(), jwk.getKeyType());
    return null;
  }
}
