package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The generator tells how the server ended each open stream — its response ended (the last chunk),
 * the connection reset, or closed — and does not count the streams it closed itself.
 */
class StreamEndsTest {
  private static final byte[] HEAD =
      ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  @Test
  void eachServerEndIsCountedByHowAndTheGeneratorsOwnClosesAreNot() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      SubscriberPool pool =
          new SubscriberPool(
              group,
              NioSocketChannel.class,
              List.of(UrlTemplate.of("http://127.0.0.1:" + server.getLocalPort() + "/sub/{ch}")),
              List.of(),
              1);
      var connecting = pool.connect(4, "ends", 1, 4);
      List<Socket> sockets = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Socket s = server.accept();
        readHead(s.getInputStream());
        s.getOutputStream().write(HEAD);
        s.getOutputStream().flush();
        sockets.add(s);
      }
      assertThat(connecting.get(10, TimeUnit.SECONDS).established).isEqualTo(4);

      OutputStream ended = sockets.get(0).getOutputStream();
      ended.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)); // the last chunk
      ended.flush();
      sockets.get(1).setSoLinger(true, 0); // closing now sends a reset
      sockets.get(1).close();
      sockets.get(2).close(); // an orderly close
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (pool.snapshot().open > 1 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      pool.disconnect().get(10, TimeUnit.SECONDS); // the fourth, closed by the generator
      while (pool.snapshot().open > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5); // its close is seen on the event loop, after the future completed
      }

      SubscriberPool.Snapshot s = pool.snapshot();
      assertThat(s.open).isZero();
      assertThat(s.endedResponse).as("responses ended").isEqualTo(1);
      assertThat(s.endedFailed).as("connections reset").isEqualTo(1);
      assertThat(s.endedClosed).as("connections closed by the server").isEqualTo(1);
      for (Socket socket : sockets) {
        socket.close();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static void readHead(InputStream in) throws Exception {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IllegalStateException("the request ended early");
      }
      matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
    }
  }
}
