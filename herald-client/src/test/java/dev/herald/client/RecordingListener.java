package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records every callback, in order, as a readable line: {@code open 200}, {@code event type data
 * id=ID}, {@code comment text}, {@code error EOFException retry} or {@code ... final}; a test takes
 * them one by one, waiting for each.
 */
final class RecordingListener implements EventSourceListener {
  private final BlockingQueue<String> log = new LinkedBlockingQueue<>();
  // every onError's error, in order; next() counts those it returned, so that lastError is the one
  // the test has seen even if the client has already failed again
  private final java.util.List<Throwable> errors =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private int errorsReturned; // by next(), on the test's thread
  final BlockingQueue<ResponseInfo> responses = new LinkedBlockingQueue<>();
  volatile Thread callbackThread;

  @Override
  public void onOpen(ResponseInfo response) {
    record("open " + response.status());
    responses.add(response);
  }

  @Override
  public void onEvent(SseEvent event) {
    record("event " + event.type() + " " + event.data() + " id=" + event.id());
  }

  @Override
  public void onComment(String comment) {
    record("comment " + comment);
  }

  @Override
  public void onError(Throwable error, boolean willRetry) {
    errors.add(error);
    record("error " + error.getClass().getSimpleName() + (willRetry ? " retry" : " final"));
  }

  private void record(String line) {
    callbackThread = Thread.currentThread();
    log.add(line);
  }

  /** The next callback, waiting up to 10 s for it. */
  String next() throws InterruptedException {
    String line = log.poll(10, TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError("no callback within 10 s");
    }
    if (line.startsWith("error ")) {
      errorsReturned++; // its error was added before its line
    }
    return line;
  }

  /** The next callbacks, in order. */
  void expect(String... lines) throws InterruptedException {
    for (String line : lines) {
      assertThat(next()).isEqualTo(line);
    }
  }

  /** The error of the latest {@code onError} that {@link #next()} returned. */
  Throwable lastError() {
    return errorsReturned == 0 ? null : errors.get(errorsReturned - 1);
  }

  /** Fails if a callback comes within {@code wait}. */
  void assertNoMoreCallbacks(Duration wait) throws InterruptedException {
    assertThat(log.poll(wait.toNanos(), TimeUnit.NANOSECONDS)).isNull();
  }
}
