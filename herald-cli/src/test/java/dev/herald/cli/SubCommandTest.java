package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.MockResponse;
import dev.herald.testing.MockSseServer;
import dev.herald.testing.RecordedRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code herald sub} against the mock SSE server over loopback. */
class SubCommandTest {
  private final MockSseServer server = MockSseServer.start();
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  @DisplayName(
      "--json prints each event as a JSON line, reconnects with Last-Event-ID, exits on 204")
  void jsonReconnectAndStop() throws Exception {
    server.enqueue(
        MockResponse.stream()
            .send("retry: 10\nevent: add\nid: 7\ndata: 73857293\n\n")
            .send("data: two\ndata: lines\n\n")
            .build());
    server.enqueue(MockResponse.stream().send("data: after\n\n").build());
    server.enqueue(MockResponse.status(204));

    Cli.Result result =
        Cli.run(
            "",
            "sub",
            server.uri("/events").toString(),
            "--json",
            "--header",
            "Authorization: Bearer t0ken",
            "-H",
            "X-Trace:abc");

    String url = server.uri("/events").toString();
    assertThat(result.outLines())
        .containsExactly(
            "{\"type\":\"open\",\"data\":null,\"lastEventId\":\"\",\"retry\":null,\"url\":\""
                + url
                + "\"}",
            "{\"type\":\"add\",\"data\":\"73857293\",\"lastEventId\":\"7\",\"retry\":10}",
            "{\"type\":\"message\",\"data\":\"two\\nlines\",\"lastEventId\":\"7\",\"retry\":10}",
            "{\"type\":\"open\",\"data\":null,\"lastEventId\":\"7\",\"retry\":10,\"url\":\""
                + url
                + "\"}",
            "{\"type\":\"message\",\"data\":\"after\",\"lastEventId\":\"7\",\"retry\":10}");
    assertThat(result.status()).isZero();
    assertThat(result.err())
        .contains("herald sub: connected to " + url + "\n")
        .contains("herald sub: the server ended the stream; reconnecting")
        .contains("herald sub: the server ended the subscription (204 No Content)");

    RecordedRequest first = server.takeRequest();
    assertThat(first.header("Authorization")).isEqualTo("Bearer t0ken");
    assertThat(first.header("X-Trace")).isEqualTo("abc");
    assertThat(first.headers("Last-Event-ID")).isEmpty();
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo("7");
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo("7");
  }

  @Test
  @DisplayName(
      "--json prints retry null while the stream has set none, as herald parse does; 'connected'"
          + " reaches standard error before the first event")
  void jsonRetryNullUntilSet() throws Exception {
    server.enqueue(
        MockResponse.stream().send("data: a\n\n").send("retry: 50\ndata: b\n\n").build());
    server.enqueue(MockResponse.status(204));
    Cli.Result result = Cli.run("", "sub", server.uri("/r").toString(), "--json");
    assertThat(result.outLines())
        .filteredOn(line -> !line.contains("\"type\":\"open\""))
        .containsExactly(
            "{\"type\":\"message\",\"data\":\"a\",\"lastEventId\":\"\",\"retry\":null}",
            "{\"type\":\"message\",\"data\":\"b\",\"lastEventId\":\"\",\"retry\":50}");
    Cli.Result parsed = Cli.run("data: a\n\nretry: 50\ndata: b\n\n", "parse", "-");
    assertThat(parsed.outLines())
        .containsExactly(
            "{\"type\":\"message\",\"data\":\"a\",\"lastEventId\":\"\",\"retry\":null}",
            "{\"type\":\"message\",\"data\":\"b\",\"lastEventId\":\"\",\"retry\":50}");
  }

  @Test
  @DisplayName("without --json each event prints in the event-stream format, as it arrives")
  void readableFormatLive() throws Exception {
    server.enqueue(MockResponse.stream().hold().build());
    LineQueueWriter out = new LineQueueWriter();
    LineQueueWriter err = new LineQueueWriter();
    Future<Integer> status =
        executor.submit(
            () ->
                HeraldCommand.commandLine(System.in, new PrintWriter(out), new PrintWriter(err))
                    .execute("sub", server.uri("/live").toString(), "--last-event-id", "41"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.header("Last-Event-ID")).isEqualTo("41");
    assertThat(err.nextLine()).isEqualTo("herald sub: connected to " + server.uri("/live"));
    assertThat(out.isEmpty()).as("nothing on standard output before an event").isTrue();
    request.connection().send("retry: 10\nevent: add\ndata: a\ndata: b\n\n");
    assertThat(out.nextLine()).isEqualTo("event: add");
    assertThat(out.nextLine()).isEqualTo("id: 41");
    assertThat(out.nextLine()).isEqualTo("data: a");
    assertThat(out.nextLine()).isEqualTo("data: b");
    assertThat(out.nextLine()).isEmpty();
    assertThat(status.isDone()).isFalse(); // still subscribed

    request.connection().send("id\ndata: no id\n\n");
    assertThat(out.nextLine()).isEqualTo("event: message");
    assertThat(out.nextLine()).isEqualTo("data: no id");
    assertThat(out.nextLine()).isEmpty();

    server.enqueue(MockResponse.status(204));
    request.connection().end();
    assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(server.takeRequest(Duration.ofSeconds(10)).headers("Last-Event-ID")).isEmpty();
  }

  @Test
  @DisplayName("a failure other than 204 exits with status 1 and says why")
  void failureExitsOne() {
    server.enqueue(MockResponse.status(404));
    Cli.Result result = Cli.run("", "sub", server.uri("/missing").toString());
    assertThat(result.status()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("herald sub: HTTP 404: an event stream needs status 200\n");
  }

  @Test
  @DisplayName(
      "sub takes --max-line-bytes and --max-event-bytes as parse does: past one the connection"
          + " drops and is retried, saying why; the defaults take a 5 MiB line")
  void limits() throws Exception {
    server.enqueue(MockResponse.stream().send("data: " + "x".repeat(100) + "\n\n").build());
    server.enqueue(MockResponse.status(204));
    Cli.Result small = Cli.run("", "sub", server.uri("/s").toString(), "--max-line-bytes", "64");
    assertThat(small.status()).isZero();
    assertThat(small.out()).isEmpty();
    assertThat(small.err()).contains("maxLineBytes").contains("reconnecting");

    server.enqueue(MockResponse.stream().send("data: " + "y".repeat(5 << 20) + "\n\n").build());
    server.enqueue(MockResponse.status(204));
    Cli.Result large = Cli.run("", "sub", server.uri("/l").toString());
    assertThat(large.status()).as(large.err()).isZero();
    assertThat(large.outLines()).hasSize(3); // event:, data:, the blank line
    assertThat(large.outLines().get(1)).hasSize("data: ".length() + (5 << 20));
    Cli.Result bad = Cli.run("", "sub", server.uri().toString(), "--max-event-bytes", "0");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("--max-event-bytes must be a positive number of bytes: 0");
  }

  @Test
  @DisplayName("a bad URL or header is a usage error")
  void usageErrors() {
    assertThat(Cli.run("", "sub", "ftp://example.org/").status()).isEqualTo(2);
    Cli.Result badHeader = Cli.run("", "sub", server.uri().toString(), "--header", "no colon");
    assertThat(badHeader.status()).isEqualTo(2);
    assertThat(badHeader.err()).contains("--header must be 'Name: value'");
  }

  @Test
  @DisplayName(
      "without URL, herald sub subscribes to the hub at --hub with --match and"
          + " --match-urlpattern; a matcher with a URL is a usage error")
  void subscribesToTheHubAtHub() throws Exception {
    server.enqueue(MockResponse.status(204));
    String hub = server.uri("/.well-known/mercure").toString();

    Cli.Result result =
        Cli.run(
            "",
            "sub",
            "--hub",
            hub,
            "--match",
            "https://example.com/a b",
            "--match-urlpattern",
            "/books/:id");

    assertThat(result.status()).as(result.err()).isZero();
    assertThat(server.takeRequest().target())
        .isEqualTo(
            "/.well-known/mercure?match=https%3A%2F%2Fexample.com%2Fa+b"
                + "&match_urlpattern=%2Fbooks%2F%3Aid");
    Cli.Result both = Cli.run("", "sub", hub, "--match", "x");
    assertThat(both.status()).isEqualTo(2);
    assertThat(both.err()).contains("--match and --match-urlpattern are for the hub at --hub");
    assertThat(Cli.run("", "sub", "--hub", "ftp://x/y").err())
        .contains("--hub must be an http or https URL with a host");
  }
}
