package dev.herald.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Publishes to a hub over the JDK's HttpClient with IDs the test chooses ({@code P-I}, see {@link
 * IdTally}), and checks each acknowledgement: {@code 200} with that ID. Thread-safe.
 */
final class Publisher {
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI hub;

  Publisher(HubProcess hub) {
    this.hub = URI.create(hub.base() + "/.well-known/mercure");
  }

  /** Publishes {@code data} (form-safe characters only) to {@code topic} as ID {@code P-I}. */
  void publish(String topic, int publisher, int index, String data)
      throws IOException, InterruptedException {
    publish(topic, publisher + "-" + index, data);
  }

  /** Publishes {@code data} to {@code topic} as {@code id} (all form-safe characters). */
  void publish(String topic, String id, String data) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(hub)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(30))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "topic=" + topic + "&id=" + id + "&data=" + data))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 || !response.body().equals(id)) {
      throw new IllegalStateException(
          "publish of " + id + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  /**
   * Waits until the hub's {@code /readyz} answers 200 (a cluster node: it reaches Redis again; a
   * node that does not yet answers publishes 503 with Retry-After, as it should).
   */
  void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (; ; ) {
      int status =
          http.send(
                  HttpRequest.newBuilder(hub.resolve("/readyz")).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      if (status == 200) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(hub + " not ready within " + timeout + ": " + status);
      }
      Thread.sleep(20);
    }
  }

  /** The hub's {@code /metrics} counter {@code name} (0 if absent). */
  long metric(String name) throws IOException, InterruptedException {
    String text =
        http.send(
                HttpRequest.newBuilder(hub.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }
}
