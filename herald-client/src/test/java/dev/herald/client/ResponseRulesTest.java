package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ProtocolException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The rules applied to a response's headers: S-43 (MIME essence) and S-44 (Location). */
class ResponseRulesTest {
  private static final URI BASE = URI.create("http://a.example:8080/p/q?x=1#f");

  @Test
  @DisplayName("S-43: the essence of the last valid MIME type decides")
  void s43Essence() {
    assertThat(ContentTypes.isEventStream(List.of("text/event-stream;charset=UTF-8"))).isTrue();
    assertThat(ContentTypes.isEventStream(List.of("text/plain, text/event-stream"))).isTrue();
    assertThat(ContentTypes.isEventStream(List.of("text/event-stream, text/plain"))).isFalse();
    assertThat(ContentTypes.isEventStream(List.of("text/event-stream, bogus"))).isTrue();
    assertThat(ContentTypes.isEventStream(List.of())).isFalse();
    assertThat(ContentTypes.essence("x bogus")).isNull();
    assertThat(ContentTypes.essence("text/")).isNull();
    assertThat(ContentTypes.essence("Text/Event-Stream ; a=b")).isEqualTo("text/event-stream");
  }

  @Test
  @DisplayName("S-44: Location resolves against the current URL, without fragment")
  void s44Resolve() throws Exception {
    assertThat(Redirects.resolve(BASE, "")).hasToString("http://a.example:8080/p/q?x=1");
    assertThat(Redirects.resolve(BASE, "r")).hasToString("http://a.example:8080/p/r");
    assertThat(Redirects.resolve(BASE, "/r#frag")).hasToString("http://a.example:8080/r");
    assertThat(Redirects.resolve(BASE, "?y=2")).hasToString("http://a.example:8080/p/q?y=2");
    assertThat(Redirects.resolve(BASE, "//b.example/s")).hasToString("http://b.example/s");
    assertThat(Redirects.resolve(BASE, "https://c.example")).hasToString("https://c.example");
    assertThat(Redirects.resolve(URI.create("http://h"), "r")).hasToString("http://h/r");
    assertThat(Redirects.resolve(BASE, "/a b/é")).hasToString("http://a.example:8080/a%20b/%C3%A9");
  }

  @Test
  @DisplayName("S-44: an unparsable or non-http(s) Location is a network error")
  void s44Unparsable() {
    assertThatThrownBy(() -> Redirects.resolve(BASE, "http://[::1"))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> Redirects.resolve(BASE, "mailto:x@y"))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> Redirects.resolve(BASE, "data:text/plain,x"))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  @DisplayName("S-44: which redirects change the method, and what an origin is")
  void s44MethodsAndOrigins() {
    assertThat(Redirects.changesToGet(303, "PUT")).isTrue();
    assertThat(Redirects.changesToGet(303, "HEAD")).isFalse();
    assertThat(Redirects.changesToGet(302, "POST")).isTrue();
    assertThat(Redirects.changesToGet(302, "REPORT")).isFalse();
    assertThat(Redirects.changesToGet(307, "POST")).isFalse();
    assertThat(Redirects.sameOrigin(URI.create("http://h/a"), URI.create("http://H:80/b")))
        .isTrue();
    assertThat(Redirects.sameOrigin(URI.create("http://h/"), URI.create("https://h/"))).isFalse();
    assertThat(Redirects.sameOrigin(URI.create("http://h:1/"), URI.create("http://h:2/")))
        .isFalse();
  }
}
