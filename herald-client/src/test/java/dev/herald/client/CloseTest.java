package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.SseEvent;
import dev.herald.testing.MockConnection;
import dev.herald.testing.MockResponse;
import dev.herald.testing.RecordedRequest;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** close(), restart() and the promise that nothing is called after close: S-36, S-48, S-49. */
class CloseTest extends ClientTestBase {
  @Test
  @DisplayName("S-49: close() aborts the open stream: the server sees the connection close")
  void s49CloseAbortsStream() throws Exception {
    server.enqueue(MockResponse.stream().send("data: a\n\n").hold().build());
    EventSource source = start();
    listener.expect("open 200", "event message a id=");
    MockConnection connection = server.takeRequest().connection();
    source.close();
    assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    assertThat(connection.awaitClosed(Duration.ofSeconds(10))).isTrue();
    listener.assertNoMoreCallbacks(Duration.ofMillis(100));
    assertThat(server.takeRequest(Duration.ofMillis(100))).isNull();
  }

  @Test
  @DisplayName("S-49: close() while waiting for the response headers aborts the request")
  void s49CloseWhileConnecting() throws Exception {
    EventSource source = start(); // nothing enqueued: the request waits for a response
    MockConnection connection = server.takeRequest().connection();
    source.close();
    assertThat(connection.awaitClosed(Duration.ofSeconds(10))).isTrue();
    listener.assertNoMoreCallbacks(Duration.ofMillis(100));
  }

  @Test
  @DisplayName("S-49: close() during the reconnection wait cancels the reconnection")
  void s49CloseDuringWait() throws Exception {
    server.enqueue(MockResponse.stream().build());
    EventSource source = start(builder().reconnectionTime(Duration.ofMillis(300)));
    listener.expect("open 200", "error EOFException retry");
    source.close();
    server.takeRequest();
    assertThat(server.takeRequest(Duration.ofMillis(600))).isNull();
    listener.assertNoMoreCallbacks(Duration.ZERO);
  }

  @Test
  @DisplayName("S-36: close() from onEvent drops the events already read but not dispatched")
  void s36CloseFromCallback() throws Exception {
    server.enqueue(MockResponse.stream().send("data: 1\n\ndata: 2\n\ndata: 3\n\n").hold().build());
    AtomicInteger events = new AtomicInteger();
    AtomicReference<EventSource> self = new AtomicReference<>();
    CountDownLatch closed = new CountDownLatch(1);
    EventSource source =
        build(
            builder()
                .listener(
                    new EventSourceListener() {
                      @Override
                      public void onEvent(SseEvent event) {
                        events.incrementAndGet();
                        self.get().close();
                        assertThat(self.get().readyState()).isEqualTo(ReadyState.CLOSED);
                        closed.countDown();
                      }

                      @Override
                      public void onError(Throwable error, boolean willRetry) {
                        events.addAndGet(100);
                      }
                    })
                .reconnectionTime(Duration.ZERO)
                .threadFactory(task -> new Thread(task, "closing-source")));
    self.set(source); // before it starts: its first event may come at once
    source.start();
    RecordedRequest request = server.takeRequest();
    assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(request.connection().awaitClosed(Duration.ofSeconds(10))).isTrue();
    assertThat(events.get()).isEqualTo(1);
  }

  @Test
  @DisplayName("no callback starts after close() returns, while events keep coming")
  void noCallbackAfterClose() throws Exception {
    MockResponse.Builder flood = MockResponse.stream();
    for (int i = 0; i < 200; i++) {
      flood.send("data: " + i + "\n\n");
    }
    server.enqueue(flood.hold().build());
    AtomicBoolean closeReturned = new AtomicBoolean();
    AtomicBoolean lateCallback = new AtomicBoolean();
    CountDownLatch firstEvent = new CountDownLatch(1);
    EventSource source =
        start(
            builder()
                .listener(
                    event -> {
                      if (closeReturned.get()) {
                        lateCallback.set(true);
                      }
                      firstEvent.countDown();
                    }));
    assertThat(firstEvent.await(10, TimeUnit.SECONDS)).isTrue();
    source.close();
    closeReturned.set(true);
    assertThat(server.takeRequest().connection().awaitClosed(Duration.ofSeconds(10))).isTrue();
    assertThat(lateCallback).isFalse();
  }

  @Test
  @DisplayName("close() on another thread waits for the callback in progress to return")
  void closeWaitsForCallbackInProgress() throws Exception {
    server.enqueue(MockResponse.stream().send("data: slow\n\n").hold().build());
    CountDownLatch inCallback = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean callbackReturned = new AtomicBoolean();
    EventSource source =
        start(
            builder()
                .listener(
                    event -> {
                      inCallback.countDown();
                      try {
                        release.await(10, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      callbackReturned.set(true);
                    }));
    assertThat(inCallback.await(10, TimeUnit.SECONDS)).isTrue();
    Thread closer = new Thread(source::close);
    closer.start();
    closer.join(100);
    assertThat(closer.isAlive()).isTrue(); // blocked behind the callback
    release.countDown();
    closer.join(10_000);
    assertThat(closer.isAlive()).isFalse();
    assertThat(callbackReturned).isTrue();
  }

  @Test
  @DisplayName("S-48: after the final error nothing more is called and nothing reconnects")
  void s48NothingAfterFailure() throws Exception {
    server.enqueue(MockResponse.status(204));
    EventSource source = start();
    listener.expect("error ResponseException final");
    assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    source.restart(); // does nothing once closed
    listener.assertNoMoreCallbacks(Duration.ofMillis(200));
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("restart() drops the stream and reconnects at once, with no onError")
  void restartReconnects() throws Exception {
    server.enqueue(MockResponse.stream().send("id: 5\ndata: a\n\n").hold().build());
    server.enqueue(MockResponse.stream().send("data: b\n\n").hold().build());
    EventSource source = start(builder().reconnectionTime(Duration.ofMinutes(10)));
    listener.expect("open 200", "event message a id=5");
    MockConnection first = server.takeRequest().connection();
    source.restart();
    listener.expect("open 200", "event message b id=5");
    assertThat(first.awaitClosed(Duration.ofSeconds(10))).isTrue();
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo("5");
  }

  @Test
  @DisplayName("restart() during the reconnection wait reconnects at once")
  void restartDuringWait() throws Exception {
    server.enqueue(MockResponse.stream().build());
    server.enqueue(MockResponse.stream().hold().build());
    EventSource source = start(builder().reconnectionTime(Duration.ofMinutes(10)));
    listener.expect("open 200", "error EOFException retry");
    source.restart();
    listener.expect("open 200");
  }

  @Test
  @DisplayName("a callback that throws closes the source and is reported as the final error")
  void throwingCallbackCloses() throws Exception {
    server.enqueue(MockResponse.stream().send("data: boom\n\ndata: never\n\n").hold().build());
    AtomicReference<Throwable> reported = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    IllegalStateException boom = new IllegalStateException("boom");
    EventSource source =
        start(
            builder()
                .listener(
                    new EventSourceListener() {
                      @Override
                      public void onEvent(SseEvent event) {
                        throw boom;
                      }

                      @Override
                      public void onError(Throwable error, boolean willRetry) {
                        reported.set(willRetry ? null : error);
                        done.countDown();
                      }
                    }));
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(reported.get()).isSameAs(boom);
    assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    assertThat(server.takeRequest().connection().awaitClosed(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  @DisplayName("an onOpen that throws closes the source and its connection")
  void throwingOnOpenClosesConnection() throws Exception {
    server.enqueue(MockResponse.stream().send("data: never\n\n").hold().build());
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicReference<Throwable> reported = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    EventSource source =
        start(
            builder()
                .listener(
                    new EventSourceListener() {
                      @Override
                      public void onOpen(ResponseInfo response) {
                        throw boom;
                      }

                      @Override
                      public void onEvent(SseEvent event) {
                        reported.set(new AssertionError("an event after onOpen threw"));
                      }

                      @Override
                      public void onError(Throwable error, boolean willRetry) {
                        reported.compareAndSet(null, willRetry ? null : error);
                        done.countDown();
                      }
                    }));
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(reported.get()).isSameAs(boom);
    assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    assertThat(server.takeRequest().connection().awaitClosed(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  @DisplayName("start() twice, or after close(), is refused")
  void startIsOnce() {
    server.enqueue(MockResponse.stream().hold().build());
    EventSource source = start();
    assertThatThrownBy(source::start).hasMessageContaining("already started");
    EventSource closed = builder().build();
    closed.close();
    assertThatThrownBy(closed::start).hasMessageContaining("closed");
  }
}
