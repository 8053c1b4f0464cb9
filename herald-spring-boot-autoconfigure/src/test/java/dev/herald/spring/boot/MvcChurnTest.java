package dev.herald.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.SseEvent;
import dev.herald.server.Broadcaster;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Connections that die while others arrive, on Tomcat: a stream whose write fails on a writer
 * thread must not take a newer connection down with it. Tomcat recycles a connection's request,
 * response and processor for the next one once an error has been handled; a writer thread still
 * inside Tomcat's write path after the error was dispatched used to mark the new connection's
 * response with the old one's broken pipe, and the new stream ended at its first flush (seen at
 * 10,000 subscribers in the Spring benchmark).
 */
@MvcApplicationTest
@org.junit.jupiter.api.Timeout(180)
class MvcChurnTest {
  private static final int STREAMS = 150;
  private static final int ROUNDS = 12;

  @LocalServerPort int port;
  @Autowired Broadcaster<Void> broadcaster;

  @Test
  void streamsThatDieNeverEndTheStreamsThatArriveMeanwhile() throws Exception {
    int before = broadcaster.subscribers();
    List<RawStream> dying = open(STREAMS);
    Streams.await(() -> broadcaster.subscribers() == before + STREAMS, 20, "subscribed");
    for (int round = 1; round <= ROUNDS; round++) {
      AtomicBoolean publishing = new AtomicBoolean(true);
      Thread publisher =
          new Thread(
              () -> {
                for (int i = 0; publishing.get(); i++) {
                  broadcaster.publish("public", SseEvent.of("tick " + i));
                  LockSupport.parkNanos(200_000); // some 5,000 a second, well within budget
                }
              });
      publisher.start();
      for (RawStream s : dying) {
        s.reset(); // the client vanishes: every write to it fails from now on
      }
      List<RawStream> arriving = open(STREAMS); // while the dead ones' writes fail
      try {
        // Every dead one found and gone, every new one subscribed; or a new one was ended.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (broadcaster.subscribers() != before + STREAMS && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
      } finally {
        publishing.set(false);
        publisher.join();
      }
      String marker = "marker " + round;
      broadcaster.publish("public", SseEvent.of(marker));
      int ended = 0;
      for (RawStream s : arriving) {
        if (!s.awaitText("data: " + marker + "\n")) {
          ended++;
        }
      }
      assertThat(ended)
          .as(
              "round %d: streams that arrived while others died, ended by the server (%d open)",
              round, broadcaster.subscribers() - before)
          .isZero();
      dying = arriving;
    }
    for (RawStream s : dying) {
      s.reset();
    }
    Streams.await(() -> broadcaster.subscribers() == before, 20, "all gone");
  }

  private List<RawStream> open(int n) throws IOException {
    List<RawStream> streams = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      streams.add(new RawStream(port));
    }
    return streams;
  }

  /** A raw HTTP/1.1 connection to {@code /public/news} whose reader keeps all it received. */
  private static final class RawStream {
    private final Socket socket;
    private final StringBuffer received = new StringBuffer();
    private final CountDownLatch eof = new CountDownLatch(1);

    RawStream(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket
          .getOutputStream()
          .write(
              "GET /public/news HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      Thread reader = new Thread(this::read, "churn-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      byte[] buffer = new byte[8192];
      try (InputStream in = socket.getInputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
      } catch (IOException e) {
        // reset by this test, or by the server: either way the stream is over
      } finally {
        eof.countDown();
      }
    }

    /** Whether {@code text} arrives within 10 s before the connection ends. */
    boolean awaitText(String text) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        if (received.indexOf(text) >= 0) {
          return true;
        }
        if (eof.await(5, TimeUnit.MILLISECONDS)) {
          return received.indexOf(text) >= 0;
        }
      }
      return false;
    }

    /** Closes with a reset (no FIN): the server learns it only when it writes. */
    void reset() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
    }
  }
}
