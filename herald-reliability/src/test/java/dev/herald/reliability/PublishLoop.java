package dev.herald.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * A publisher that keeps publishing, one update at a time, until stopped: update {@code P-I} for
 * {@code I} = 0, 1, 2…, each sent only once the last was answered, to one URL (a node, or a load
 * balancer). An update answered {@code 200} with its ID is acknowledged; any other answer or a
 * broken connection is not, and the loop goes on with the next index after a short pause (so that a
 * retried publish never makes a duplicate). Records which indexes were acknowledged, the refusals
 * ({@code 503}), the failures, and how long the longest refusal took to come back.
 *
 * <p>One thread of its own publishes; {@link #stop()} joins it, after which every figure is final.
 */
final class PublishLoop {
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final URI hub;
  private final String topic;
  private final int publisher;
  private final BitSet acked = new BitSet();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile int next;
  private volatile int ackedCount;
  private int refused;
  private int failed;
  private long slowestRefusalNanos;
  private boolean retryAfterOnEveryRefusal = true;

  /** Starts publishing to {@code base} + the hub's path, topic {@code topic}, as publisher P. */
  PublishLoop(String base, String topic, int publisher) {
    this.hub = URI.create(base + "/.well-known/mercure");
    this.topic = topic;
    this.publisher = publisher;
    this.thread = new Thread(this::run, "publish-loop-" + publisher);
    thread.start();
  }

  private void run() {
    while (!stopped) {
      int index = next;
      long start = System.nanoTime();
      try {
        HttpResponse<String> response = send(index);
        if (response.statusCode() == 200 && response.body().equals(publisher + "-" + index)) {
          synchronized (acked) {
            acked.set(index);
          }
          ackedCount++;
        } else {
          synchronized (acked) {
            if (response.statusCode() == 503) {
              refused++;
              slowestRefusalNanos = Math.max(slowestRefusalNanos, System.nanoTime() - start);
              retryAfterOnEveryRefusal &= response.headers().firstValue("Retry-After").isPresent();
            } else {
              failed++;
            }
          }
          pause();
        }
      } catch (IOException e) {
        synchronized (acked) {
          failed++;
        }
        pause();
      } catch (InterruptedException e) {
        return;
      }
      next = index + 1;
    }
  }

  private HttpResponse<String> send(int index) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(hub)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .timeout(Duration.ofSeconds(10))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "topic=" + topic + "&id=" + publisher + "-" + index + "&data=" + index))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Acknowledged so far (any thread). */
  int acknowledged() {
    return ackedCount;
  }

  /** Waits until {@code n} more updates are acknowledged, at most {@code timeout}. */
  boolean awaitMore(int n, Duration timeout) throws InterruptedException {
    int target = ackedCount + n;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ackedCount < target) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** Stops after the publish in flight and waits for the thread. */
  void stop() throws InterruptedException {
    stopped = true;
    thread.join(TimeUnit.SECONDS.toMillis(30));
    if (thread.isAlive()) {
      throw new IllegalStateException("the publish loop did not stop");
    }
  }

  int publisher() {
    return publisher;
  }

  /** The indexes sent (0 to this, exclusive). */
  int sent() {
    return next;
  }

  /** Copy of the acknowledged indexes. */
  BitSet acked() {
    synchronized (acked) {
      return (BitSet) acked.clone();
    }
  }

  int refused() {
    synchronized (acked) {
      return refused;
    }
  }

  int failed() {
    synchronized (acked) {
      return failed;
    }
  }

  long slowestRefusalMillis() {
    synchronized (acked) {
      return TimeUnit.NANOSECONDS.toMillis(slowestRefusalNanos);
    }
  }

  boolean retryAfterOnEveryRefusal() {
    synchronized (acked) {
      return retryAfterOnEveryRefusal;
    }
  }
}
