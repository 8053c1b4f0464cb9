package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseLimitExceededException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Herald's own HTTP/1.1 against a raw socket: the request's exact bytes (S-47's UTF-8 {@code
 * Last-Event-ID}), the three body framings, interim responses, and the typed errors of a malformed
 * or oversized response.
 */
class Http1TransportTest {
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n";

  private final RecordingListener listener = new RecordingListener();
  private final List<EventSource> sources = new ArrayList<>();
  private final RawServer raw;

  Http1TransportTest() throws IOException {
    raw = new RawServer();
  }

  @AfterEach
  void closeEverything() throws IOException {
    sources.forEach(EventSource::close);
    raw.close();
  }

  private EventSource.Builder builder() {
    return EventSource.builder(raw.uri("/events?q=1"))
        .listener(listener)
        .reconnectionTime(Duration.ZERO)
        .retryStrategy(RetryStrategy.constant());
  }

  private EventSource start(EventSource.Builder builder) {
    EventSource source = builder.build();
    sources.add(source);
    source.start();
    return source;
  }

  private static String chunk(String data, String extension) {
    return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length).toUpperCase()
        + extension
        + "\r\n"
        + data
        + "\r\n";
  }

  private static byte[] bytes(String... parts) {
    StringBuilder s = new StringBuilder();
    for (String part : parts) {
      s.append(part);
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  @DisplayName(
      "S-47, S-51: a last event ID beyond ASCII leaves as its UTF-8 bytes, byte for byte,"
          + " the initial one and one the stream set")
  void s47LastEventIdUtf8Bytes() throws Exception {
    String initial = "café-€-\uD83D\uDE00-日本";
    start(builder().lastEventId(initial));
    RawServer.Connection first = raw.accept();
    assertThat(contains(first.head, bytes("\r\nLast-Event-ID: ", initial, "\r\n")))
        .as(first.headText())
        .isTrue();
    assertThat(first.headText()).doesNotContain("Last-Event-ID: caf?");

    String set = "ünï\tcødé \uD83C\uDF89";
    first.write(OK + "\r\nid: " + set + "\ndata: x\n\n").close();
    listener.expect("open 200", "event message x id=" + set, "error EOFException retry");
    RawServer.Connection second = raw.accept();
    assertThat(contains(second.head, bytes("\r\nLast-Event-ID: ", set, "\r\n")))
        .as(second.headText())
        .isTrue();
  }

  @Test
  @DisplayName("S-42: the request line, Host, the source's headers, one exchange per connection")
  void requestHead() throws Exception {
    start(builder().header("X-Token", "t1"));
    String head = raw.accept().headText();
    assertThat(head).startsWith("GET /events?q=1 HTTP/1.1\r\n");
    assertThat(head)
        .contains("\r\nHost: 127.0.0.1:" + raw.uri("/").getPort() + "\r\n")
        .contains("\r\nAccept: text/event-stream\r\n")
        .contains("\r\nCache-Control: no-cache\r\n")
        .contains("\r\nX-Token: t1\r\n")
        .contains("\r\nConnection: close\r\n")
        .doesNotContain("Content-Length")
        .doesNotContain("Last-Event-ID")
        .endsWith("\r\n\r\n");
  }

  @Test
  @DisplayName("a POST body goes with its Content-Length, in the same exchange")
  void postBody() throws Exception {
    start(builder().method("POST").header("Content-Type", "application/json").body("{\"é\":1}"));
    RawServer.Connection connection = raw.accept();
    assertThat(connection.headText())
        .startsWith("POST /events?q=1 HTTP/1.1\r\n")
        .contains("\r\nContent-Length: 8\r\n");
    assertThat(new String(connection.body(8), StandardCharsets.UTF_8)).isEqualTo("{\"é\":1}");
  }

  @Test
  @DisplayName(
      "chunked: extensions, upper-case sizes, lines across chunks, byte-by-byte reads, trailers;"
          + " the last chunk ends the stream (S-45) while the connection stays open")
  void chunkedBody() throws Exception {
    start(builder());
    RawServer.Connection connection = raw.accept();
    connection.write(OK + "Transfer-Encoding: chunked\r\n\r\n");
    connection.write(chunk("data: a", ""));
    connection.trickle(chunk("\n\nid: 1\nda", ";name=\"v\"") + chunk("ta: b\n\n", " ; x"));
    connection.write(chunk("data: " + "c".repeat(40) + "\n\n", ""));
    connection.trickle("0\r\nTrailer-X: y\r\n\r\n");
    listener.expect(
        "open 200",
        "event message a id=",
        "event message b id=1",
        "event message " + "c".repeat(40) + " id=1",
        "error EOFException retry");
    assertThat(raw.accept().headText()).contains("\r\nLast-Event-ID: 1\r\n");
  }

  @Test
  @DisplayName("Content-Length: the body ends after its length (S-45), not at the close")
  void contentLengthBody() throws Exception {
    start(builder());
    RawServer.Connection connection = raw.accept();
    String body = "data: a\n\ndata: é\n\n";
    connection.write(
        OK + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n");
    connection.trickle(body);
    listener.expect(
        "open 200", "event message a id=", "event message é id=", "error EOFException retry");
    assertThat(connection.closedByClient()).isTrue();
  }

  @Test
  @DisplayName("S-43: a body cut before its Content-Length is a network error, not an end")
  void truncatedContentLength() throws Exception {
    start(builder());
    raw.accept().write(OK + "Content-Length: 100\r\n\r\ndata: a\n\n").close();
    listener.expect("open 200", "event message a id=", "error IOException retry");
    assertThat(listener.lastError()).hasMessageContaining("91 bytes before the end of the body");
  }

  @Test
  @DisplayName("no framing: the body runs until the server closes (S-45)")
  void closeDelimitedBody() throws Exception {
    start(builder());
    raw.accept().write(OK + "\r\n").trickle("data: a\r\n\r\n").write("data: b\n\n").close();
    listener.expect(
        "open 200", "event message a id=", "event message b id=", "error EOFException retry");
  }

  @Test
  @DisplayName("S-43: a chunked body cut before its last chunk is a network error")
  void truncatedChunked() throws Exception {
    start(builder());
    raw.accept()
        .write(OK + "Transfer-Encoding: chunked\r\n\r\n" + chunk("data: a\n\n", "") + "5\r\nda")
        .close();
    listener.expect("open 200", "event message a id=", "error IOException retry");
    assertThat(listener.lastError()).hasMessageContaining("before the end of the chunked body");
  }

  @Test
  @DisplayName("a chunk size that is not hex, too large, or a chunk longer than its size: typed")
  void chunkGarbage() throws Exception {
    start(builder());
    String chunked = OK + "Transfer-Encoding: chunked\r\n\r\n";
    raw.accept().write(chunked + "zz\r\ndata: a\n\n\r\n");
    listener.expect("open 200", "error ProtocolException retry");
    assertThat(listener.lastError()).hasMessage("malformed chunk size: \"zz\"");
    raw.accept().write(chunked + "1FFFFFFFFFFFFFFFF\r\n");
    listener.expect("open 200", "error ProtocolException retry");
    assertThat(listener.lastError()).hasMessageContaining("chunk size out of range");
    raw.accept().write(chunked + "2\r\nabc\r\n");
    listener.expect("open 200", "error ProtocolException retry");
    assertThat(listener.lastError()).hasMessageContaining("longer than its size");
    raw.accept().write(chunked + "1;" + "x".repeat(Http1Exchange.MAX_CHUNK_LINE_BYTES) + "\r\n");
    listener.expect("open 200", "error SseLimitExceededException retry");
    assertThat(((SseLimitExceededException) listener.lastError()).limitName())
        .isEqualTo("maxChunkLineBytes");
  }

  @Test
  @DisplayName("a response head past 64 KiB or 256 fields: a typed error naming the limit, retried")
  void headLimits() throws Exception {
    start(builder());
    raw.accept().write(OK + "X-Big: " + "a".repeat(Http1Exchange.MAX_HEAD_BYTES) + "\r\n\r\n");
    listener.expect("error SseLimitExceededException retry");
    SseLimitExceededException error = (SseLimitExceededException) listener.lastError();
    assertThat(error.limitName()).isEqualTo("maxHeadBytes");
    assertThat(error.limit()).isEqualTo(64 * 1024);
    assertThat(error).hasMessageContaining("maxHeadBytes (65536)");

    raw.accept().write(OK + "X-Many: v\r\n".repeat(Http1Exchange.MAX_HEADER_FIELDS) + "\r\n");
    listener.expect("error SseLimitExceededException retry");
    assertThat(((SseLimitExceededException) listener.lastError()).limitName())
        .isEqualTo("maxHeaderFields");

    RawServer.Connection fine = raw.accept();
    fine.write(OK + "X-Many: v\r\n".repeat(Http1Exchange.MAX_HEADER_FIELDS - 2) + "\r\n");
    listener.expect("open 200");
    assertThat(listener.responses.take().headers().allValues("x-many"))
        .hasSize(Http1Exchange.MAX_HEADER_FIELDS - 2);
  }

  @Test
  @DisplayName("S-43: a malformed status or header line is a network error: retried")
  void malformedHead() throws Exception {
    start(builder());
    raw.accept().write("HTTP/1.1 OK\r\n\r\n");
    listener.expect("error ProtocolException retry");
    assertThat(listener.lastError()).hasMessage("malformed status line: \"HTTP/1.1 OK\"");
    raw.accept().write(OK + "Bad Name: x\r\n\r\n");
    listener.expect("error ProtocolException retry");
    assertThat(listener.lastError()).isInstanceOf(ProtocolException.class);
    raw.accept().write(OK + "Content-Length: 1, 2\r\n\r\n");
    listener.expect("error ProtocolException retry");
    assertThat(listener.lastError()).hasMessageContaining("malformed Content-Length");
    raw.accept().close();
    listener.expect("error IOException retry");
    assertThat(listener.lastError()).hasMessageContaining("without a response");
  }

  @Test
  @DisplayName("interim 1xx responses are skipped; folded and repeated headers are kept")
  void interimResponses() throws Exception {
    start(builder());
    raw.accept()
        .write(
            "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + OK
                + "X-Folded: one\r\n two\r\nX-Twice: 1\r\nx-twice: 2\r\n\r\ndata: a\n\n");
    listener.expect("open 200", "event message a id=");
    ResponseInfo response = listener.responses.take();
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.header("x-folded")).isEqualTo("one two");
    assertThat(response.headers().allValues("X-Twice")).containsExactly("1", "2");
    assertThat(response.headers().firstValue("Link")).isEmpty();
  }

  @Test
  @DisplayName("the connect timeout (the client's, else 10 s) bounds a connection never accepted")
  void connectTimeout() throws Exception {
    // A listening socket whose backlog is full drops further connection attempts (Linux).
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> fillers = new ArrayList<>();
      try {
        InetSocketAddress address =
            new InetSocketAddress(full.getInetAddress(), full.getLocalPort());
        for (int i = 0; i < 8; i++) {
          Socket filler = new Socket();
          fillers.add(filler);
          try {
            filler.connect(address, 200);
          } catch (IOException e) {
            break; // the backlog is full
          }
        }
        HttpClient http =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(300))
                .build();
        start(
            EventSource.builder(URI.create("http://127.0.0.1:" + full.getLocalPort() + "/"))
                .httpClient(http)
                .listener(listener)
                .errorStrategy(ErrorStrategy.giveUpAfterAttempts(1)));
        listener.expect("error HttpConnectTimeoutException final");
        assertThat(listener.lastError()).hasMessageContaining("connect timeout, 300 ms");
      } finally {
        for (Socket filler : fillers) {
          filler.close();
        }
      }
    }
  }

  @Test
  @DisplayName("close() during a stream closes the connection; the server sees it")
  void closeClosesConnection() throws Exception {
    EventSource source = start(builder());
    RawServer.Connection connection = raw.accept();
    connection.write(OK + "Transfer-Encoding: chunked\r\n\r\n" + chunk("data: a\n\n", ""));
    listener.expect("open 200", "event message a id=");
    source.close();
    assertThat(connection.closedByClient()).isTrue();
  }

  @Test
  @DisplayName(
      "the transport: Herald's HTTP/1.1 unless the client asks for what only the JDK's does")
  void transportChoice() {
    URI uri = raw.uri("/");
    HttpClient.Builder http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
    assertThat(Transport.of(EventSource.builder(uri))).isInstanceOf(Http1Transport.class);
    assertThat(Transport.of(EventSource.builder(uri).httpClient(http11.build())))
        .isInstanceOf(Http1Transport.class);
    assertThat(Transport.of(EventSource.builder(uri).httpClient(HttpClient.newHttpClient())))
        .isInstanceOf(JdkTransport.class);
    HttpClient proxied = http11.proxy(ProxySelector.of(new InetSocketAddress(1))).build();
    assertThat(Transport.of(EventSource.builder(uri).httpClient(proxied)))
        .isInstanceOf(JdkTransport.class);
  }

  @Test
  @DisplayName("the request target escapes characters beyond ASCII as UTF-8")
  void requestTarget() {
    assertThat(Http1Exchange.target(URI.create("http://h"))).isEqualTo("/");
    assertThat(Http1Exchange.target(URI.create("http://h/a%20b?x=y#f"))).isEqualTo("/a%20b?x=y");
    assertThat(Http1Exchange.target(URI.create("http://h/é?q=€"))).isEqualTo("/%C3%A9?q=%E2%82%AC");
  }
}
