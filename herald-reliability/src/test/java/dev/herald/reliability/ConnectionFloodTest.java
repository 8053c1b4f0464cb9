package dev.herald.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle and slowloris connections are closed, and a real subscriber still gets in: a hub process
 * with a limit of 60 connections and a 1 s request-head timeout is filled with connections that
 * send nothing and connections that send a request head a byte every 200 ms. While it is full, a
 * subscriber gets a clean {@code 503} with {@code Retry-After}, {@code /healthz} answers 200 and
 * {@code /readyz} 503 "full"; at the head timeout the silent ones are closed and the slowloris ones
 * get {@code 408}; then a subscriber gets in and receives a publish.
 */
class ConnectionFloodTest {
  private static final int LIMIT = 60;
  private static final int SILENT = LIMIT / 2;
  private static final int SLOWLORIS = LIMIT - SILENT;
  private static final long HEAD_TIMEOUT_MILLIS = 1000;
  private static final String SLOW_HEAD =
      "GET /.well-known/mercure?match=flood HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  @TempDir Path dir;
  private HubProcess hub;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (hub != null) {
      hub.close();
    }
  }

  /** A connection of the flood, and what became of it. */
  private static final class Flooder {
    final Socket socket;
    final boolean slowloris;
    final long openedNanos = System.nanoTime();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    int sent;
    long closedNanos;

    Flooder(Socket socket, boolean slowloris) {
      this.socket = socket;
      this.slowloris = slowloris;
    }

    /** Reads what is there without blocking long; true once the hub closed the connection. */
    boolean poll() throws IOException {
      if (closedNanos != 0) {
        return true;
      }
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      try {
        while (in.available() > 0 || closedNanos == 0) {
          socket.setSoTimeout(1);
          int n = in.read(buffer);
          if (n < 0) {
            closedNanos = System.nanoTime();
            break;
          }
          received.write(buffer, 0, n);
        }
      } catch (java.net.SocketTimeoutException nothingYet) {
        // open, quiet
      } catch (IOException reset) {
        closedNanos = System.nanoTime();
      }
      return closedNanos != 0;
    }

    String response() {
      return received.toString(StandardCharsets.ISO_8859_1);
    }

    double secondsOpen() {
      return (closedNanos - openedNanos) / 1e9;
    }
  }

  @Test
  @DisplayName("60 silent and slowloris connections: 503 and probes while full, then closed at 1 s")
  void floodOfSilentAndSlowlorisConnections() throws Exception {
    hub =
        HubProcess.builder(dir)
            .option("--max-connections=" + LIMIT)
            .option("--request-head-timeout=" + HEAD_TIMEOUT_MILLIS + "ms")
            .option("--anonymous-publishers")
            .option("--anonymous-subscribers")
            .start();
    List<Flooder> flood = new ArrayList<>();
    for (int i = 0; i < LIMIT; i++) {
      Socket s = new Socket("127.0.0.1", hub.port());
      sockets.add(s);
      flood.add(new Flooder(s, i % 2 == 1));
    }
    long filled = System.nanoTime();

    // Full: a subscriber is refused cleanly; the probes answer.
    RawHttp.Exchange refused =
        RawHttp.send(hub.port(), RawHttp.latin1(SLOW_HEAD.replace("\r\n\r\n", "\r\n") + "\r\n"));
    RawHttp.Exchange healthz = RawHttp.send(hub.port(), get("/healthz"));
    RawHttp.Exchange readyz = RawHttp.send(hub.port(), get("/readyz"));
    double fullFor = (System.nanoTime() - filled) / 1e9;
    assertThat(fullFor).as("the checks while full took less than the head timeout").isLessThan(1);
    assertThat(refused.status()).as("a subscriber while full").isEqualTo(503);
    assertThat(refused.text()).containsIgnoringCase("retry-after:");
    assertThat(refused.closed()).as("then closed").isTrue();
    assertThat(healthz.status()).isEqualTo(200);
    assertThat(readyz.status()).isEqualTo(503);
    assertThat(readyz.text()).contains("full");

    // The flood: a byte every 200 ms from the slowloris ones, until each is closed.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int open = LIMIT;
    while (open > 0 && System.nanoTime() < deadline) {
      open = 0;
      for (Flooder f : flood) {
        if (f.poll()) {
          continue;
        }
        open++;
        if (f.slowloris && f.sent < SLOW_HEAD.length()) {
          try {
            f.socket.getOutputStream().write(SLOW_HEAD.charAt(f.sent++));
          } catch (IOException closedMeanwhile) {
            f.poll();
          }
        }
      }
      Thread.sleep(200);
    }
    int silentClosed = 0;
    int slowClosedWith408 = 0;
    double earliest = Double.MAX_VALUE;
    double latest = 0;
    for (Flooder f : flood) {
      assertThat(f.closedNanos).as("closed by the hub").isNotZero();
      earliest = Math.min(earliest, f.secondsOpen());
      latest = Math.max(latest, f.secondsOpen());
      if (f.slowloris) {
        slowClosedWith408 += f.response().startsWith("HTTP/1.1 408 ") ? 1 : 0;
      } else {
        silentClosed += f.response().isEmpty() ? 1 : 0;
      }
    }

    // Room again: a real subscriber gets in and receives.
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    SseEvent event;
    int status;
    try (Subscription sub =
        Subscription.open(http, hub.base() + "/.well-known/mercure?match=flood")) {
      status = sub.status();
      new Publisher(hub).publish("flood", "after-the-flood", "hello");
      event = sub.next(Duration.ofSeconds(10));
    }
    Figures.print(
        "connection-flood",
        "limit %d, head timeout %d ms: %d silent + %d slowloris (a byte every 200 ms)"
            + " connections; while full a subscriber got %d with Retry-After, /healthz %d, /readyz"
            + " %d full; %d silent closed without a response, %d slowloris got 408, after %.2f-%.2f"
            + " s; then a subscriber got %d and the publish",
        LIMIT,
        HEAD_TIMEOUT_MILLIS,
        SILENT,
        SLOWLORIS,
        refused.status(),
        healthz.status(),
        readyz.status(),
        silentClosed,
        slowClosedWith408,
        earliest,
        latest,
        status);
    assertThat(silentClosed).as("silent connections closed without a response").isEqualTo(SILENT);
    assertThat(slowClosedWith408).as("slowloris connections answered 408").isEqualTo(SLOWLORIS);
    assertThat(earliest).as("none closed before the head timeout").isGreaterThanOrEqualTo(0.9);
    assertThat(latest).as("all closed soon after it").isLessThan(3.0);
    assertThat(status).isEqualTo(200);
    assertThat(event).isNotNull();
    assertThat(event.id()).isEqualTo("after-the-flood");
  }

  private static byte[] get(String path) {
    return RawHttp.latin1("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  }
}
