package dev.herald.hub.auth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzz test of token verification, the first thing the hub does with what a client presents: for
 * any Authorization header value and any token, {@link TokenVerifier#bearer} and {@link
 * TokenVerifier#verify} return or throw {@link TokenException}, nothing else. Three shapes reach
 * different depths: any string; three base64url parts of any header and payload JSON; and the same
 * signed with the trusted secret, so that claims and authorization details are read. See
 * docs/fuzzing.md.
 */
class TokenVerifierFuzzTest {
  private static final String HUB = "https://hub.test/.well-known/mercure";
  private static final byte[] SECRET =
      "a-fuzzing-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);
  private static final TokenVerifier VERIFIER =
      TokenVerifier.builder()
          .resource(HUB)
          .hubUrl(HUB)
          .hmacKey("https://issuer.test", SECRET)
          .legacyKey(SECRET)
          .build();

  @FuzzTest(maxDuration = "60s")
  void anyToken(FuzzedDataProvider data) {
    String token;
    switch (data.consumeInt(0, 3)) {
      case 0:
        try {
          token = TokenVerifier.bearer(data.consumeRemainingAsString());
        } catch (TokenException e) {
          return;
        }
        if (token == null) {
          return;
        }
        break;
      case 1:
        token = data.consumeRemainingAsString();
        break;
      case 2:
        token = b64(data.consumeString(300)) + "." + b64(data.consumeRemainingAsString()) + ".c2ln";
        break;
      default:
        token = signed(data.consumeString(300), data.consumeRemainingAsString());
    }
    try {
      VERIFIER.verify(token);
    } catch (TokenException refused) {
      // the documented failure
    }
  }

  private static String b64(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static String signed(String header, String payload) {
    String input = b64(header) + "." + b64(payload);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
      return input + "." + Base64URL.encode(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
