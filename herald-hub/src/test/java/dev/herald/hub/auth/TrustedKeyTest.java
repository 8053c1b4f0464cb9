package dev.herald.hub.auth;

import static dev.herald.hub.auth.Jwts.EC;
import static dev.herald.hub.auth.Jwts.RSA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * Mercure "Token Validation": the algorithm must fit the key type, so no token can choose how a
 * configured key is used.
 */
class TrustedKeyTest {
  @Test
  void hmacSecretFitsOnlyHmacAlgorithmsNoStrongerThanItsLength() {
    TrustedKey key = TrustedKey.hmac(null, null, new byte[48]);

    assertThat(key.fits("HS256")).isTrue();
    assertThat(key.fits("HS384")).isTrue();
    assertThat(key.fits("HS512")).isFalse();
    assertThat(key.fits("RS256")).isFalse();
    assertThat(key.fits("ES256")).isFalse();
  }

  @Test
  void rsaKeyFitsOnlyRsaAlgorithms() {
    TrustedKey key = TrustedKey.publicKey(null, null, RSA.getPublic());

    assertThat(key.fits("RS256")).isTrue();
    assertThat(key.fits("PS512")).isTrue();
    assertThat(key.fits("HS256")).isFalse();
    assertThat(key.fits("ES256")).isFalse();
  }

  @Test
  void ecKeyFitsOnlyTheAlgorithmOfItsCurve() {
    TrustedKey key = TrustedKey.publicKey(null, null, EC.getPublic());

    assertThat(key.fits("ES256")).isTrue();
    assertThat(key.fits("ES384")).isFalse();
    assertThat(key.fits("HS256")).isFalse();
  }

  @Test
  void jwkAlgRestrictsTheKey() {
    TrustedKey key = TrustedKey.publicKey("k", "PS256", RSA.getPublic());

    assertThat(key.fits("PS256")).isTrue();
    assertThat(key.fits("RS256")).isFalse();
  }

  @Test
  void weakOrUnsupportedKeysAreRefused() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
    KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");

    assertThatThrownBy(() -> TrustedKey.publicKey(null, null, rsa.generateKeyPair().getPublic()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2048");
    assertThatThrownBy(() -> TrustedKey.publicKey(null, null, ed.generateKeyPair().getPublic()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EdDSA");
    p384.initialize(new ECGenParameterSpec("secp384r1"));
    assertThat(TrustedKey.publicKey(null, null, p384.generateKeyPair().getPublic()).fits("ES384"))
        .isTrue();
  }
}
