package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.MockResponse;
import dev.herald.testing.MockSseServer;
import dev.herald.testing.RecordedRequest;
import java.net.ProtocolException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Redirects as Fetch follows them, and the ways they go wrong: S-44. */
class RedirectTest extends ClientTestBase {
  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {301, 302, 303, 307, 308})
  @DisplayName("S-44: a GET follows each redirect status to the stream")
  void s44Followed(int status) throws Exception {
    server.enqueue(MockResponse.redirect(status, "/moved"));
    server.enqueue(MockResponse.stream().send("data: here\n\n").hold().build());
    start();
    listener.expect("open 200", "event message here id=");
    assertThat(server.takeRequest().path()).isEqualTo("/events");
    RecordedRequest moved = server.takeRequest();
    assertThat(moved.path()).isEqualTo("/moved");
    assertThat(moved.method()).isEqualTo("GET");
    assertThat(moved.header("Accept")).isEqualTo("text/event-stream");
    assertThat(listener.responses.take().uri()).isEqualTo(server.uri("/moved"));
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {307, 308})
  @DisplayName("S-44: 307 and 308 keep the method and the body")
  void s44KeepMethod(int status) throws Exception {
    server.enqueue(MockResponse.redirect(status, "/moved"));
    server.enqueue(MockResponse.stream().hold().build());
    start(builder().method("POST").header("Content-Type", "text/plain").body("hello"));
    listener.expect("open 200");
    server.takeRequest();
    RecordedRequest moved = server.takeRequest();
    assertThat(moved.method()).isEqualTo("POST");
    assertThat(moved.bodyText()).isEqualTo("hello");
    assertThat(moved.header("Content-Type")).isEqualTo("text/plain");
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {301, 302, 303})
  @DisplayName("S-44: 301 and 302 of a POST, and 303, become a GET without body")
  void s44ChangeToGet(int status) throws Exception {
    server.enqueue(MockResponse.redirect(status, "/moved"));
    server.enqueue(MockResponse.stream().hold().build());
    start(builder().method("POST").header("Content-Type", "text/plain").body("hello"));
    listener.expect("open 200");
    server.takeRequest();
    RecordedRequest moved = server.takeRequest();
    assertThat(moved.method()).isEqualTo("GET");
    assertThat(moved.body()).isEmpty();
    assertThat(moved.headers("Content-Type")).isEmpty();
  }

  @Test
  @DisplayName("S-44: a redirect chain is followed; a reconnection starts again at the first URL")
  void s44ChainAndReconnect() throws Exception {
    server.enqueue(MockResponse.redirect(302, "/a"), MockResponse.redirect(307, "b?x=1"));
    server.enqueue(MockResponse.stream().send("id: 1\ndata: x\n\n").build());
    server.enqueue(MockResponse.redirect(302, "/a?again"));
    server.enqueue(MockResponse.stream().hold().build());
    start();
    listener.expect("open 200", "event message x id=1", "error EOFException retry", "open 200");
    assertThat(server.takeRequest().target()).isEqualTo("/events");
    assertThat(server.takeRequest().target()).isEqualTo("/a");
    assertThat(server.takeRequest().target()).isEqualTo("/b?x=1");
    RecordedRequest again = server.takeRequest();
    assertThat(again.target()).isEqualTo("/events");
    assertThat(again.header("Last-Event-ID")).isEqualTo("1");
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo("1");
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {301, 307})
  @DisplayName("S-44: a redirect without Location is the response itself: not 200, so it fails")
  void s44MissingLocationFails(int status) throws Exception {
    server.enqueue(MockResponse.status(status));
    EventSource source = start();
    listener.expect("error ResponseException final");
    assertThat(((ResponseException) listener.lastError()).status()).isEqualTo(status);
    assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    server.takeRequest();
    assertThat(server.takeRequest(Duration.ofMillis(300))).isNull();
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {301, 307})
  @DisplayName("S-44: an empty Location loops to the cap of 20, then errors and retries later")
  void s44EmptyLocationIsCut(int status) throws Exception {
    for (int i = 0; i <= EventSource.MAX_REDIRECTS; i++) {
      server.enqueue(MockResponse.redirect(status, ""));
    }
    server.enqueue(MockResponse.stream().hold().build());
    start();
    listener.expect("error ProtocolException retry", "open 200");
    assertThat(server.requestCount()).isEqualTo(EventSource.MAX_REDIRECTS + 2);
  }

  @Test
  @DisplayName("S-44: an unparsable Location is a network error: reported, then retried")
  void s44UnparsableLocation() throws Exception {
    server.enqueue(MockResponse.redirect(307, "http://[broken/"));
    server.enqueue(MockResponse.redirect(307, "ftp://127.0.0.1/file"));
    server.enqueue(MockResponse.stream().hold().build());
    start();
    listener.expect("error ProtocolException retry");
    assertThat(listener.lastError())
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("unparsable Location");
    listener.expect("error ProtocolException retry", "open 200");
  }

  @Test
  @DisplayName("S-44: Authorization is not sent on to another origin")
  void s44CrossOriginDropsAuthorization() throws Exception {
    try (MockSseServer other = MockSseServer.start()) {
      other.enqueue(MockResponse.stream().hold().build());
      server.enqueue(MockResponse.redirect(307, other.uri("/there").toString()));
      start(builder().header("Authorization", "Bearer secret").header("X-Other", "kept"));
      listener.expect("open 200");
      assertThat(server.takeRequest().header("Authorization")).isEqualTo("Bearer secret");
      RecordedRequest there = other.takeRequest();
      assertThat(there.headers("Authorization")).isEmpty();
      assertThat(there.header("X-Other")).isEqualTo("kept");
    }
  }
}
