package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
      return NettyRequests.of(msg, null, "HTTP/1.1");
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

  @Test
  @DisplayName("a request built without Netty, as another transport makes one")
  void built() {
    Request r =
        Request.builder("GET", "/sub/a%20b+c?x=1&x=2&y;z=a+b%2Bc#frag")
            .header("X-Tag", "one")
            .header("x-tag", "two")
            .header("X-Wide", "\u20ac")
            .body("hi".getBytes(StandardCharsets.UTF_8))
            .remoteAddress(new InetSocketAddress("127.0.0.1", 4711))
            .protocol("HTTP/2")
            .build();
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.uri()).isEqualTo("/sub/a%20b+c?x=1&x=2&y;z=a+b%2Bc#frag");
    assertThat(r.path()).isEqualTo("/sub/a b+c");
    assertThat(r.queryAll("x")).containsExactly("1", "2");
    assertThat(r.query("y")).isEmpty();
    assertThat(r.query("z")).isEqualTo("a b+c");
    assertThat(r.headers("X-TAG")).containsExactly("one", "two");
    assertThat(r.header("x-wide")).isEqualTo("\u20ac");
    assertThat(r.bodyText()).isEqualTo("hi");
    assertThat(r.remoteAddress().getPort()).isEqualTo(4711);
    assertThat(r.protocol()).isEqualTo("HTTP/2");
    Request given =
        Request.builder("POST", "/raw%2Fpath?q=1").path("/raw/path").query("p", "v").build();
    assertThat(given.path()).isEqualTo("/raw/path");
    assertThat(given.query("q")).isNull();
    assertThat(given.query("p")).isEqualTo("v");
    assertThat(given.remoteAddress()).isNull();
    assertThat(given.protocol()).isEqualTo("HTTP/1.1");
    assertThatThrownBy(() -> Request.builder("GET", "/a?x=%zz").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("paths and query parameters decode as Netty's decoder has always decoded them")
  void decodesAsNettyDid() {
    for (String uri :
        List.of(
            "/a%20b?x=1&x=2&y",
            "/s?topic=https%3A%2F%2Fexample.com%2Fa&topic=b+c",
            "/p+q?a=b+c",
            "/x?a=1;b=2",
            "/x?#frag",
            "/x#frag?a=1",
            "/x?a=%C3%A9&%C3%A9=b",
            "/x/%E2%82%AC?q",
            "/x?a=1&&b=2",
            "/x?a==b",
            "/x?a=1&b",
            "/",
            "*")) {
      QueryStringDecoder netty = new QueryStringDecoder(uri, StandardCharsets.UTF_8);
      Request r = Request.builder("GET", uri).build();
      assertThat(r.path()).as(uri).isEqualTo(netty.path());
      for (String name : netty.parameters().keySet()) {
        assertThat(r.queryAll(name)).as(uri + " " + name).isEqualTo(netty.parameters().get(name));
      }
      int count = 0;
      for (String name : List.of("a", "b", "x", "y", "q", "topic", "\u00e9")) {
        count += r.queryAll(name).size();
      }
      assertThat(count)
          .as(uri)
          .isEqualTo(netty.parameters().values().stream().mapToInt(List::size).sum());
    }
  }
}
