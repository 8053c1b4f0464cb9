package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpResponseReaderTest {
  private static List<Integer> feed(String wire, int chunk) {
    HttpResponseReader r = new HttpResponseReader();
    List<Integer> statuses = new ArrayList<>();
    byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
    for (int at = 0; at < bytes.length; at += chunk) {
      ByteBuf buf = Unpooled.wrappedBuffer(bytes, at, Math.min(chunk, bytes.length - at));
      for (int s : r.feed(buf)) {
        statuses.add(s);
      }
      buf.release();
    }
    return statuses;
  }

  @Test
  void keepAliveResponsesOfEveryFramingInAnyChunking() {
    String wire =
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n42"
            + "HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n"
            + "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            + "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\n\r\nbusy!";
    for (int chunk : new int[] {1, 2, 3, 7, 1000}) {
      assertThat(feed(wire, chunk)).containsExactly(200, 201, 202, 503);
    }
  }

  @Test
  void garbageIsReportedAsMinusOne() {
    assertThat(feed("SSH-2.0-OpenSSH\r\n\r\n", 100)).containsExactly(-1);
  }
}
