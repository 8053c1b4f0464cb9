package dev.herald.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Mercure "Authorization": the Authorization header (RFC 6750 section 2.1, Bearer token68). */
class BearerTest {
  @Test
  void bearerSchemeYieldsTheToken() throws Exception {
    assertThat(TokenVerifier.bearer("Bearer abc.DEF-_.x~+/==")).isEqualTo("abc.DEF-_.x~+/==");
    assertThat(TokenVerifier.bearer("bEARER abc")).isEqualTo("abc");
  }

  @Test
  void otherSchemeOrNoHeaderIsNoToken() throws Exception {
    assertThat(TokenVerifier.bearer(null)).isNull();
    assertThat(TokenVerifier.bearer("Basic dXNlcjpwYXNz")).isNull();
    assertThat(TokenVerifier.bearer("Bearerish abc")).isNull();
  }

  @Test
  void malformedBearerIsInvalidRequest() {
    for (String value :
        new String[] {
          "Bearer",
          "Bearer ",
          "Bearer  abc",
          "Bearer abc def",
          "Bearer a=b",
          "Bearer ==",
          "Bearer abc\t"
        }) {
      assertThatThrownBy(() -> TokenVerifier.bearer(value))
          .as(value)
          .isInstanceOfSatisfying(
              TokenException.class,
              e -> assertThat(e.error()).isEqualTo(TokenException.Error.INVALID_REQUEST))
          .hasMessageNotContaining("abc");
    }
  }
}
