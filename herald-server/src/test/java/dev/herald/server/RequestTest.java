package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Request} as a handler reads it, from its compact form. */
class RequestTest {
  private static Request request(String uri, String body, String... headers) {
    FullHttpRequest msg =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.POST,
            uri,
            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    for (int i = 0; i < headers.length; i += 2) {
      msg.headers().add(headers[i], headers[i + 1]);
    }
    try {
      return Request.of(msg, null, "HTTP/1.1");
    } finally {
      msg.release();
    }
  }

  @Test
  @DisplayName("headers by name, case-insensitive, every value in order")
  void headers() {
    Request r = request("/a", "", "Host", "x", "X-Tag", "one", "x-tag", "two", "Empty", "");
    assertThat(r.header("host")).isEqualTo("x");
    assertThat(r.header("X-TAG")).isEqualTo("one");
    assertThat(r.headers("x-tag")).containsExactly("one", "two");
    assertThat(r.header("empty")).isEmpty();
    assertThat(r.header("X-Ta")).isNull();
    assertThat(r.headers("missing")).isEmpty();
  }

  @Test
  @DisplayName("header bytes past ASCII come back as they were read, one char per byte")
  void latin1Headers() {
    Request r = request("/a", "", "Last-Event-ID", "\u00c3\u00a9", "X-Wide", "\u20ac");
    assertThat(r.header("last-event-id")).isEqualTo("\u00c3\u00a9");
    assertThat(r.header("x-wide")).isEqualTo("\u20ac");
  }

  @Test
  @DisplayName("path, query parameters and body")
  void pathQueryBody() {
    Request r = request("/sub/a%20b?x=1&x=2&y", "hi");
    assertThat(r.path()).isEqualTo("/sub/a b");
    assertThat(r.uri()).isEqualTo("/sub/a%20b?x=1&x=2&y");
    assertThat(r.queryAll("x")).containsExactly("1", "2");
    assertThat(r.query("y")).isEmpty();
    assertThat(r.bodyText()).isEqualTo("hi");
    Request bare = request("/sub/a", "");
    assertThat(bare.query("x")).isNull();
    assertThat(bare.queryAll("x")).isEmpty();
    assertThat(bare.body()).isEmpty();
  }
}
