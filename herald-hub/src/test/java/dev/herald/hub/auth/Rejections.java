package dev.herald.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Asserts how a token is refused. */
final class Rejections {
  private Rejections() {}

  /**
   * Asserts that {@code verifier} refuses {@code token} as invalid_token, for a reason containing
   * {@code reason}, without the token or its signature in the message.
   */
  static TokenException assertInvalid(TokenVerifier verifier, String token, String reason) {
    try {
      verifier.verify(token);
    } catch (TokenException e) {
      assertThat(e.error()).isEqualTo(TokenException.Error.INVALID_TOKEN);
      assertThat(e.getMessage()).contains(reason);
      if (token != null && !token.isEmpty()) {
        assertThat(e.getMessage()).doesNotContain(token);
        String[] parts = token.split("\\.");
        for (String part : parts) {
          if (part.length() > 8) {
            assertThat(e.getMessage()).doesNotContain(part);
          }
        }
      }
      return e;
    }
    return fail("accepted a token that should be invalid (" + reason + ")");
  }
}
