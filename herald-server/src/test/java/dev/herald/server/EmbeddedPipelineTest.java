package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** The HTTP/1.1 handlers in an {@link EmbeddedChannel}: exact bytes on the wire, chunk framing. */
class EmbeddedPipelineTest {
  private StreamSettings settings;
  private final ServerMetrics metrics = new ServerMetrics();
  private EmbeddedChannel channel;

  @AfterEach
  void finish() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
  }

  private EmbeddedChannel pipeline(Routes routes, long heartbeatNanos) {
    settings =
        new StreamSettings(
            64 * 1024,
            SlowConsumerPolicy.CLOSE,
            Duration.ofSeconds(1),
            heartbeatNanos,
            metrics,
            LoggerFactory.getLogger(EmbeddedPipelineTest.class));
    channel =
        new EmbeddedChannel(
            new ConnectionLimiter(10, metrics),
            new HttpServerCodec(),
            new RequestLimitsHandler(),
            new HttpObjectAggregator(1024),
            new RequestRouter(routes, settings, false));
    return channel;
  }

  private static final String POST = "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";

  /** A pipeline whose one route, {@code POST /p}, is answered by {@code handler}. */
  private void asyncPost(AsyncHttpHandler handler) {
    pipeline(Routes.of(List.of(new Routes.Route("POST", "/p", null, null, handler, null))), 0);
  }

  private String request(String raw) {
    channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
    channel.runPendingTasks();
    return drainOutbound();
  }

  private String drainOutbound() {
    StringBuilder wire = new StringBuilder();
    for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
      ByteBuf buf = (ByteBuf) out;
      wire.append(buf.toString(StandardCharsets.UTF_8));
      buf.release();
    }
    return wire.toString();
  }

  @Test
  @DisplayName("the stream's head, then each event as one pre-framed chunk")
  void chunkFraming() {
    AtomicReference<SseStream> opened = new AtomicReference<>();
    pipeline(
        Routes.of(
            List.of(new Routes.Route("GET", "/e", (req, s) -> opened.set(s), null, null, null))),
        0);
    String head = request("GET /e HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(head)
        .isEqualTo(
            "HTTP/1.1 200 OK\r\n"
                + "content-type: text/event-stream; charset=utf-8\r\n"
                + "cache-control: no-cache, no-store, no-transform\r\n"
                + "X-Accel-Buffering: no\r\n"
                + "connection: keep-alive\r\n"
                + "transfer-encoding: chunked\r\n\r\n");
    assertThat(channel.pipeline().get(HttpServerCodec.class)).as("HTTP handlers gone").isNull();
    assertThat(channel.pipeline().last()).isSameAs(opened.get());
    opened.get().send(SseEvent.of("hello"));
    opened.get().send(SseEvent.of("add", "\u00e9"));
    channel.runPendingTasks();
    assertThat(drainOutbound())
        .isEqualTo("d\r\ndata: hello\n\n\r\n15\r\nevent: add\ndata: \u00e9\n\n\r\n");
    opened.get().close();
    channel.runPendingTasks();
    assertThat(drainOutbound()).isEqualTo("0\r\n\r\n");
    assertThat(channel.isOpen()).isFalse();
    assertThat(settings.streams().size()).isZero();
  }

  @Test
  @DisplayName("events sent in one pass leave in one flush")
  void coalescing() {
    AtomicReference<SseStream> opened = new AtomicReference<>();
    pipeline(
        Routes.of(
            List.of(new Routes.Route("GET", "/e", (req, s) -> opened.set(s), null, null, null))),
        0);
    request("GET /e HTTP/1.1\r\nHost: x\r\n\r\n");
    for (int i = 0; i < 100; i++) {
      opened.get().send(SseEvent.of(Integer.toString(i)));
    }
    assertThat(channel.outboundMessages()).as("nothing written before the loop runs").isEmpty();
    channel.runPendingTasks();
    assertThat(channel.outboundMessages()).hasSize(100);
    assertThat(metrics.eventsQueued.sum()).isEqualTo(100);
  }

  @Test
  @DisplayName("a heartbeat comment after the idle interval")
  void heartbeat() throws InterruptedException {
    pipeline(
        Routes.of(List.of(new Routes.Route("GET", "/e", (req, s) -> {}, null, null, null))),
        1_000_000);
    request("GET /e HTTP/1.1\r\nHost: x\r\n\r\n");
    Thread.sleep(5);
    channel.runScheduledPendingTasks();
    assertThat(drainOutbound()).isEqualTo("3\r\n:\n\n\r\n");
  }

  @Test
  @DisplayName("414 and 431 from the decoder's failures, then the connection closes")
  void decoderFailures() {
    pipeline(Routes.of(List.of()), 0);
    channel =
        new EmbeddedChannel(
            new io.netty.handler.codec.http.HttpServerCodec(
                new io.netty.handler.codec.http.HttpDecoderConfig().setMaxInitialLineLength(64)),
            new RequestLimitsHandler());
    String response = request("GET /" + "x".repeat(100) + " HTTP/1.1\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 414 Request-URI Too Long\r\n");
    assertThat(channel.isOpen()).isFalse();
    channel =
        new EmbeddedChannel(
            new io.netty.handler.codec.http.HttpServerCodec(
                new io.netty.handler.codec.http.HttpDecoderConfig().setMaxHeaderSize(64)),
            new RequestLimitsHandler());
    response = request("GET / HTTP/1.1\r\nX: " + "y".repeat(100) + "\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
  }

  /** A chunked POST to /p, its head and a good chunk, before the malformed part. */
  static final String CHUNKED_HEAD =
      "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";

  static final String GOOD_CHUNK = "e\r\ntopic=x&data=y\r\n";

  /**
   * Chunked bodies whose framing breaks (RFC 9112 §7.1): each one follows a good chunk, and is
   * followed by a request that must never be answered.
   */
  static Stream<Arguments> malformedChunkedBodies() {
    return Stream.of(
        malformed("a chunk size that is not hex", "zz\r\nabc\r\n0\r\n\r\n"),
        malformed("a chunk size overflowing", "fffffffffffffffff1\r\nabc\r\n0\r\n\r\n"),
        malformed("a chunk longer than its size", "3\r\nabcXX\r\n0\r\n\r\n"),
        malformed("no CRLF after a chunk", "3\r\nabc0\r\n\r\n"),
        malformed("a trailer line without a colon", "0\r\nBad Trailer\r\n\r\n"),
        malformed("a trailer name with a space", "0\r\nX : 1\r\n\r\n"));
  }

  private static Arguments malformed(String name, String rest) {
    return Arguments.of(Named.of(name, rest));
  }

  private List<String> malformedBodyPipeline(boolean limits) {
    List<String> bodies = new CopyOnWriteArrayList<>();
    Routes routes =
        Routes.of(
            List.of(
                new Routes.Route(
                    "POST",
                    "/p",
                    null,
                    req -> {
                      bodies.add(req.bodyText());
                      return Response.text(200, "published");
                    },
                    null,
                    null)));
    pipeline(routes, 0);
    if (!limits) {
      channel.pipeline().remove(RequestLimitsHandler.class);
    }
    return bodies;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedChunkedBodies")
  @DisplayName("a malformed chunked body: 400, the connection closed, no handler runs")
  void malformedChunkedBody(String rest) {
    for (String body : List.of(GOOD_CHUNK + rest, rest)) {
      List<String> published = malformedBodyPipeline(true);
      String response = request(CHUNKED_HEAD + body + "GET /p HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(response)
          .startsWith("HTTP/1.1 400 Bad Request\r\n")
          .contains("connection: close\r\n")
          .contains("\r\n\r\nmalformed request body: ")
          .doesNotContain("HTTP/1.1 200")
          .doesNotContain("HTTP/1.1 405");
      assertThat(channel.isOpen()).as("connection closed").isFalse();
      assertThat(published).as("no handler acted on it").isEmpty();
      channel.finishAndReleaseAll();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedChunkedBodies")
  @DisplayName("a malformed chunked body, one byte at a time: 400, closed, no handler runs")
  void malformedChunkedBodyByteByByte(String rest) {
    List<String> published = malformedBodyPipeline(true);
    StringBuilder response = new StringBuilder();
    for (char c : (CHUNKED_HEAD + GOOD_CHUNK + rest).toCharArray()) {
      if (channel.isOpen()) {
        response.append(request(String.valueOf(c)));
      }
    }
    assertThat(response.toString()).startsWith("HTTP/1.1 400 Bad Request\r\n");
    assertThat(channel.isOpen()).isFalse();
    assertThat(published).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedChunkedBodies")
  @DisplayName(
      "the router refuses a failed aggregated request itself, in a pipeline without limits")
  void routerRefusesMalformedRequest(String rest) {
    List<String> published = malformedBodyPipeline(false);
    String response = request(CHUNKED_HEAD + GOOD_CHUNK + rest);
    assertThat(response)
        .startsWith("HTTP/1.1 400 Bad Request\r\n")
        .contains("connection: close\r\n")
        .contains("\r\n\r\nmalformed request: ");
    assertThat(channel.isOpen()).isFalse();
    assertThat(published).isEmpty();
  }

  @Test
  @DisplayName("a connection past the limit is answered 503 once its request is read")
  void refusedConnection() {
    ServerMetrics counts = new ServerMetrics();
    ConnectionLimiter limiter = new ConnectionLimiter(1, counts);
    StreamSettings settings =
        new StreamSettings(
            1024,
            SlowConsumerPolicy.CLOSE,
            Duration.ofSeconds(1),
            0,
            counts,
            LoggerFactory.getLogger(EmbeddedPipelineTest.class));
    Routes routes =
        Routes.of(List.of(new Routes.Route("GET", "/e", (req, s) -> {}, null, null, null)));
    EmbeddedChannel first =
        new EmbeddedChannel(
            limiter,
            new HttpServerCodec(),
            new HttpObjectAggregator(1024),
            new RequestRouter(routes, settings, false));
    channel =
        new EmbeddedChannel(
            limiter,
            new HttpServerCodec(),
            new HttpObjectAggregator(1024),
            new RequestRouter(routes, settings, false));
    String response = request("GET /e HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(response)
        .startsWith("HTTP/1.1 503 Service Unavailable\r\n")
        .contains("Retry-After: 5\r\n");
    assertThat(counts.refusedConnections.sum()).isEqualTo(1);
    assertThat(limiter.open()).isEqualTo(1);
    first.finishAndReleaseAll();
    assertThat(limiter.open()).isZero();
  }

  @Test
  @DisplayName(
      "RFC 9112 §9.3.2: pipelined requests are answered in order; reading pauses only while one"
          + " waits")
  void pipelinedRequestsBehindAnAsyncAnswer() {
    List<CompletableFuture<Response>> answers = new CopyOnWriteArrayList<>();
    asyncPost(
        req -> {
          CompletableFuture<Response> answer = new CompletableFuture<>();
          answers.add(answer);
          return answer;
        });

    assertThat(request(POST)).as("nothing before its answer").isEmpty();
    assertThat(channel.config().isAutoRead()).as("one request pending: reading goes on").isTrue();
    assertThat(request(POST + POST)).isEmpty();
    assertThat(answers).as("the others wait for the first answer").hasSize(1);
    assertThat(channel.config().isAutoRead()).as("requests wait: reading pauses").isFalse();

    answers.get(0).complete(Response.text(200, "first")); // on the loop: answered at once
    assertThat(answers).as("the second runs once the first left").hasSize(2);
    assertThat(channel.config().isAutoRead()).as("the third still waits").isFalse();
    answers.get(1).complete(Response.text(200, "second"));
    assertThat(channel.config().isAutoRead()).as("none waits: reading again").isTrue();
    answers.get(2).complete(Response.text(200, "third"));
    String wire = drainOutbound();
    assertThat(wire.indexOf("first")).isPositive();
    assertThat(wire.indexOf("first")).isLessThan(wire.indexOf("second"));
    assertThat(wire.indexOf("second")).isLessThan(wire.indexOf("third"));
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  @DisplayName("pipelined requests whose answers are ready at once, behind a pending one: in order")
  void manyReadyAnswersBehindAPendingOne() {
    CompletableFuture<Response> first = new CompletableFuture<>();
    AtomicInteger served = new AtomicInteger();
    asyncPost(
        req -> {
          int n = served.getAndIncrement();
          return n == 0
              ? first
              : CompletableFuture.completedFuture(Response.text(200, "#" + n + "."));
        });
    int waiting = 120; // HttpServerCodec holds at most 128 pipelined requests
    assertThat(request(POST.repeat(waiting + 1))).isEmpty();

    first.complete(Response.text(200, "#0."));
    String wire = drainOutbound();
    assertThat(served).hasValue(waiting + 1);
    int at = 0;
    for (int n = 0; n <= waiting; n++) {
      int next = wire.indexOf("#" + n + ".", at);
      assertThat(next).as("answer %d, after answer %d", n, n - 1).isGreaterThan(at);
      at = next;
    }
    assertThat(channel.config().isAutoRead()).isTrue();
  }
}
