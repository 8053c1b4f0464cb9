package dev.herald.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HelpersTest {
  @Test
  void anHttpsHubGetsTheSecureCookieScopedToTheHub() {
    SubscriberCookie cookie =
        SubscriberCookie.builder("https://hub.example.com/.well-known/mercure", "a.b.c")
            .domain("example.com")
            .maxAge(Duration.ofHours(1))
            .build();
    assertThat(cookie.setCookie())
        .isEqualTo(
            "__Secure-mercure_access_token=a.b.c; Path=/.well-known/mercure; Domain=example.com;"
                + " Max-Age=3600; Secure; HttpOnly; SameSite=Strict");
    assertThat(cookie.clearCookie()).contains("=; ").contains("Max-Age=0");
    assertThat(cookie.toString()).doesNotContain("a.b.c");
  }

  @Test
  void aCookieRefusesWhatWouldBreakTheHeader() {
    assertThatThrownBy(() -> SubscriberCookie.builder("http://h/x", "a;b").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                SubscriberCookie.builder("http://h/x", "a")
                    .sameSite(SubscriberCookie.SameSite.NONE)
                    .build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theDiscoveryLink() {
    assertThat(HubLink.of("https://example.com/.well-known/mercure"))
        .isEqualTo("<https://example.com/.well-known/mercure>; rel=\"mercure\"");
    assertThatThrownBy(() -> HubLink.of("https://e/>x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void publicationFieldsAreChecked() {
    assertThatThrownBy(() -> Publication.builder("t").id("a\nb"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            HubPublisher.form(
                Publication.builder("a", "b")
                    .data("d")
                    .privateUpdate(true)
                    .id("1")
                    .type("t")
                    .retry(Duration.ofSeconds(2))
                    .build()))
        .isEqualTo("topic=a&topic=b&data=d&private=on&id=1&type=t&retry=2000");
  }
}
