package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a hub built on the server needs: headers decided off the event loop, answers that wait for a
 * durable write, and subscriptions that select events by predicate.
 */
class DeferredHeadersAndInterestTest {
  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private final Broadcaster<String> broadcaster =
      Broadcaster.create(RingEventLog.builder().maxEvents(1000).build());
  private HeraldServer server;

  @AfterEach
  void stop() {
    worker.shutdownNow();
    if (server != null) {
      server.close(Duration.ZERO);
    }
  }

  private int start(HeraldServer.Builder builder) {
    server = builder.port(0).eventLoopThreads(1).build().start();
    return server.port();
  }

  @Test
  @DisplayName("held headers leave with the extra header once another thread decides them")
  void heldHeaders() throws Exception {
    int port =
        start(
            HeraldServer.builder()
                .sse(
                    "/held",
                    (req, stream) -> {
                      stream.holdHeaders();
                      stream.send(SseEvent.of("queued while held"));
                      worker.execute(
                          () -> {
                            sleep(100);
                            stream.header("Cursor-Id", "c-7");
                            stream.sendHeaders();
                          });
                    }));
    try (RawHttp http = RawHttp.get(port, "/held")) {
      assertThat(http.status).isEqualTo(200);
      assertThat(http.headers).containsEntry("cursor-id", "c-7");
      assertThat(http.readUntil("held", 5000)).isEqualTo("data: queued while held\n\n");
    }
  }

  @Test
  @DisplayName("a held stream can still be refused, from another thread, with any response")
  void heldReject() throws Exception {
    int port =
        start(
            HeraldServer.builder()
                .sse(
                    "/auth",
                    (req, stream) -> {
                      stream.holdHeaders();
                      worker.execute(
                          () ->
                              stream.reject(
                                  Response.builder(401)
                                      .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                                      .body("text/plain; charset=utf-8", "expired")
                                      .build()));
                    }));
    try (RawHttp http = RawHttp.get(port, "/auth")) {
      assertThat(http.status).isEqualTo(401);
      assertThat(http.headers).containsEntry("www-authenticate", "Bearer error=\"invalid_token\"");
      assertThat(http.readFixedBody()).isEqualTo("expired");
    }
  }

  @Test
  @DisplayName("an async route answers when its stage completes, and pipelined requests in order")
  void asyncRoute() throws Exception {
    int port =
        start(
            HeraldServer.builder()
                .routeAsync(
                    "POST",
                    "/slow",
                    req ->
                        CompletableFuture.supplyAsync(
                            () -> {
                              sleep(150);
                              return Response.text(200, "slow " + req.bodyText());
                            },
                            worker))
                .post("/fast", req -> Response.text(200, "fast")));
    try (RawHttp http = new RawHttp(port)) {
      http.send(
          "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nA"
              + "POST /fast HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
      http.readHead();
      assertThat(http.readFixedBody()).isEqualTo("slow A");
      http.readHead();
      assertThat(http.readFixedBody()).isEqualTo("fast");
    }
  }

  @Test
  @DisplayName("an async route whose stage fails answers 500")
  void asyncFailure() throws Exception {
    int port =
        start(
            HeraldServer.builder()
                .routeAsync(
                    "POST",
                    "/fail",
                    req -> CompletableFuture.failedFuture(new IllegalStateException("disk full"))));
    try (RawHttp http = new RawHttp(port)) {
      http.send("POST /fail HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
      http.readHead();
      assertThat(http.status).isEqualTo(500);
    }
  }

  /** Receives events whose payload is "public", on every topic starting with "a/". */
  private static final class PrefixInterest implements Interest<String> {
    @Override
    public Set<String> topics() {
      return Set.of();
    }

    @Override
    public boolean everyTopic() {
      return true;
    }

    @Override
    public boolean wants(LoggedEvent<? extends String> event) {
      return "public".equals(event.payload())
          && event.topics().stream().anyMatch(t -> t.startsWith("a/"));
    }
  }

  @Test
  @DisplayName("an interest selects live and replayed events by predicate, once each")
  void interest() throws Exception {
    int port =
        start(
            HeraldServer.builder()
                .sse(
                    "/i",
                    (req, stream) ->
                        broadcaster.subscribe(stream, new PrefixInterest(), stream.lastEventId())));
    String first = broadcaster.publish(Set.of("a/0"), SseEvent.of("before"), "public");
    broadcaster.publish(Set.of("a/1"), SseEvent.of("replayed"), "public");
    broadcaster.publish(Set.of("a/2"), SseEvent.of("secret"), "private");
    try (RawHttp http = RawHttp.get(port, "/i", "Last-Event-ID: " + first)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (broadcaster.subscribers() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      broadcaster.publish(Set.of("b/1"), SseEvent.of("other topic"), "public");
      broadcaster.publish(Set.of("a/3", "a/4"), SseEvent.of("two topics"), "public");
      broadcaster.publish(Set.of("a/5"), SseEvent.of("live secret"), "private");
      broadcaster.publish(Set.of("a/6"), SseEvent.of("last"), "public");
      assertThat(http.readUntil("last", 5000))
          .isEqualTo("id: 2\ndata: replayed\n\nid: 5\ndata: two topics\n\nid: 7\ndata: last\n\n");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
