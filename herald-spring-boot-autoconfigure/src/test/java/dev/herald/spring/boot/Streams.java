package dev.herald.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.client.EventSource;
import dev.herald.client.EventSourceListener;
import dev.herald.client.ResponseInfo;
import dev.herald.core.SseEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A Herald client of a test application's stream, recording what it receives. */
final class Streams implements AutoCloseable {
  static final String ALICE =
      "Basic "
          + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));

  final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
  final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
  final CountDownLatch opened = new CountDownLatch(1);
  private final EventSource source;

  Streams(String url, String header, String value, String lastEventId) {
    EventSource.Builder b =
        EventSource.builder(URI.create(url))
            .listener(
                new EventSourceListener() {
                  @Override
                  public void onOpen(ResponseInfo response) {
                    opened.countDown();
                  }

                  @Override
                  public void onEvent(SseEvent event) {
                    events.add(event);
                  }

                  @Override
                  public void onComment(String comment) {
                    comments.add(comment);
                  }
                });
    if (header != null) {
      b.header(header, () -> value);
    }
    if (lastEventId != null) {
      b.lastEventId(lastEventId);
    }
    source = b.build();
    source.start();
  }

  void awaitOpen() throws InterruptedException {
    assertThat(opened.await(10, TimeUnit.SECONDS)).as("stream opened").isTrue();
  }

  SseEvent next() throws InterruptedException {
    SseEvent event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("an event within 10 s").isNotNull();
    return event;
  }

  @Override
  public void close() {
    source.close();
  }

  /** Polls {@code condition} every 10 ms for up to {@code seconds}. */
  static void await(BooleanSupplier condition, int seconds, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }
}
