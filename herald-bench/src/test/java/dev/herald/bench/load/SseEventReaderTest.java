package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseEventReaderTest {
  private static final String HEAD_CHUNKED =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
  private static final String HEAD_PLAIN =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";

  /** Records what the reader reports. */
  private static final class Recorder implements SseEventReader.Listener {
    final List<Integer> heads = new ArrayList<>();
    final List<long[]> events = new ArrayList<>();

    @Override
    public void onHead(int status) {
      heads.add(status);
    }

    @Override
    public void onEvent(long timestamp, long sequence) {
      events.add(new long[] {timestamp, sequence});
    }
  }

  /** 50 events as the load generator publishes them, with ids, comments and other fields. */
  private static String stream(String eol) {
    StringBuilder b = new StringBuilder(": hi" + eol + eol);
    for (int i = 1; i <= 50; i++) {
      if (i % 7 == 0) {
        b.append(": heartbeat").append(eol).append(eol); // a comment alone: no event
      }
      if (i % 5 == 0) {
        b.append("event: tick").append(eol).append("retry: 1000").append(eol);
      }
      b.append("id: ").append(i).append(eol);
      b.append("data: ")
          .append(new String(Payload.of(1_000_000L + i, i, 64), StandardCharsets.US_ASCII));
      b.append(eol);
      if (i % 10 == 0) {
        b.append("data: t=5 s=999 a second data line is not read").append(eol);
      }
      b.append(eol);
    }
    return b.toString();
  }

  private static String chunked(String body, int chunk) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < body.length(); i += chunk) {
      String part = body.substring(i, Math.min(body.length(), i + chunk));
      b.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
    }
    return b.toString();
  }

  private static Recorder feed(String wire, int[] splits) {
    Recorder r = new Recorder();
    SseEventReader reader = new SseEventReader(r);
    byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
    int at = 0;
    for (int i = 0; at < bytes.length; i++) {
      int n = Math.min(bytes.length - at, splits[i % splits.length]);
      // an array's slice and a direct buffer in turn: the two ways the reader gets at bytes
      ByteBuf buf = slice(bytes, at, n, i % 2 == 1);
      reader.feed(buf);
      buf.release();
      at += n;
    }
    return r;
  }

  /** {@code bytes[at..at+n)} in an array's slice, or copied into a direct buffer. */
  private static ByteBuf slice(byte[] bytes, int at, int n, boolean direct) {
    return direct
        ? Unpooled.directBuffer(n).writeBytes(bytes, at, n)
        : Unpooled.wrappedBuffer(bytes, at, n);
  }

  private static void assertAllFifty(Recorder r) {
    assertThat(r.heads).containsExactly(200);
    assertThat(r.events).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(r.events.get(i)).containsExactly(1_000_001L + i, i + 1);
    }
  }

  @Test
  void countsEveryEventOfAChunkedStreamInAnyChunking() {
    for (String eol : new String[] {"\n", "\r", "\r\n"}) {
      String wire = HEAD_CHUNKED + chunked(stream(eol), 37);
      for (int[] splits : new int[][] {{1}, {2}, {3}, {1, 2, 3, 5, 8, 13}, {4096}}) {
        assertAllFifty(feed(wire, splits));
      }
      Random random = new Random(eol.hashCode());
      for (int round = 0; round < 20; round++) {
        int[] splits = random.ints(16, 1, 200).toArray();
        assertAllFifty(feed(wire, splits));
      }
    }
  }

  @Test
  void countsEveryEventOfAPlainBody() {
    assertAllFifty(feed(HEAD_PLAIN + stream("\n"), new int[] {3}));
  }

  @Test
  void aWholeLineReadsAsItsBytesOneByOne() {
    // lines a read holds whole take the fast path; fed a byte at a time, every line with a field
    // takes the state machine (an empty line, one end-of-line byte, is whole in both): both must
    // report the same events and keep the same last ID
    String eol = "\r\n";
    String body =
        String.join(
            eol,
            "data",
            "",
            "datax: t=1 s=1",
            "data: t=2 s=2",
            "",
            "id",
            "data:t=3 s=3",
            "",
            "id: a b",
            "data: s=4 t=4 more",
            "data: t=99 s=99",
            "",
            "data: t=1234567890123456789 s=5",
            "",
            "data: t=12x s=6 t=7",
            "",
            "data: t= s=8  t",
            "",
            "data: x=1 t=9 s",
            "",
            "id: 1700000000:10",
            "idx: no",
            ": a comment",
            "data: t=10 s=10",
            "",
            "");
    for (String end : new String[] {"\n", "\r", "\r\n"}) {
      String wire = HEAD_PLAIN + body.replace(eol, end);
      Recorder whole = new Recorder();
      SseEventReader wholeReader = new SseEventReader(whole);
      ByteBuf buf = Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1);
      wholeReader.feed(buf);
      buf.release();
      Recorder bytes = new Recorder();
      SseEventReader bytesReader = new SseEventReader(bytes);
      byte[] all = wire.getBytes(StandardCharsets.ISO_8859_1);
      for (int i = 0; i < all.length; i++) {
        ByteBuf one = Unpooled.wrappedBuffer(all, i, 1);
        bytesReader.feed(one);
        one.release();
      }
      assertThat(whole.events.stream().map(e -> e[0] + "/" + e[1]))
          .as("end of line %s", end.replace("\r", "CR").replace("\n", "LF"))
          .containsExactly("-1/-1", "2/2", "3/3", "4/4", "-1/5", "7/6", "-1/8", "9/-1", "10/10")
          .containsExactlyElementsOf(bytes.events.stream().map(e -> e[0] + "/" + e[1]).toList());
      assertThat(wholeReader.lastEventId()).isEqualTo(bytesReader.lastEventId());
      assertThat(wholeReader.lastEventId()).isEqualTo("1700000000:10");
    }
  }

  @Test
  void theLastEventIdIsTheLastDispatchedEventsAfterEveryReadInAnyChunking() {
    // IDs read whole stay in the read's array until its end: after every read the last event ID
    // must still be that of the last event dispatched, never of one not yet ended
    String wire = HEAD_CHUNKED + chunked(stream("\n") + "id: 999\ndata: t=1 s=1\n", 37);
    byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
    Random random = new Random(3);
    for (int round = 0; round < 50; round++) {
      Recorder r = new Recorder();
      SseEventReader reader = new SseEventReader(r);
      for (int at = 0; at < bytes.length; ) {
        int n = Math.min(bytes.length - at, 1 + random.nextInt(round < 25 ? 16 : 400));
        ByteBuf buf = slice(bytes, at, n, round % 2 == 1);
        reader.feed(buf);
        buf.release();
        at += n;
        int dispatched = r.events.size();
        assertThat(reader.lastEventId()).isEqualTo(dispatched == 0 ? null : "" + dispatched);
      }
      assertThat(r.events).hasSize(50);
    }
  }

  @Test
  void aReadThatThrewLeavesNoIdOfItsArrayBehindAReset() {
    // the listener throws at the second event of a read: the read's array (with "id: 2" in it)
    // is gone when the connection is reset; the next connection's ID must not come from it
    SseEventReader.Listener throwing =
        new SseEventReader.Listener() {
          int events;

          @Override
          public void onHead(int status) {}

          @Override
          public void onEvent(long timestamp, long sequence) {
            if (++events == 2) {
              throw new IllegalStateException("listener failed");
            }
          }
        };
    SseEventReader reader = new SseEventReader(throwing);
    ByteBuf first =
        Unpooled.copiedBuffer(
            HEAD_PLAIN + "id: 1\ndata: t=1 s=1\n\nid: 2\ndata: t=2 s=2\n\n",
            StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> reader.feed(first)).hasMessage("listener failed");
    first.release();
    reader.reset();
    ByteBuf second =
        Unpooled.copiedBuffer(HEAD_PLAIN + ": no ID here\n\n", StandardCharsets.ISO_8859_1);
    reader.feed(second);
    second.release();
    assertThat(reader.lastEventId()).isIn(null, "1", "2");
  }

  @Test
  void keepsTheLastEventIdAcrossAReset() {
    Recorder r = new Recorder();
    SseEventReader reader = new SseEventReader(r);
    assertThat(reader.lastEventId()).isNull();
    ByteBuf buf =
        Unpooled.copiedBuffer(
            HEAD_PLAIN + "id: 1700000000:3\ndata: t=1 s=1\n\nid: 1700000000:4\ndata: t=2",
            StandardCharsets.ISO_8859_1);
    reader.feed(buf);
    buf.release();
    assertThat(reader.lastEventId()).isEqualTo("1700000000:3"); // the second event never ended
    reader.reset();
    assertThat(reader.lastEventId()).isEqualTo("1700000000:3");
    assertThat(r.events).hasSize(1);
  }

  @Test
  void reportsARefusalAndReadsNoFurther() {
    Recorder r =
        feed(
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: 10\r\n\r\n"
                + "data: x\n\n",
            new int[] {5});
    assertThat(r.heads).containsExactly(503);
    assertThat(r.events).isEmpty();
  }

  @Test
  void reportsEventsWithoutStampsAsMinusOne() {
    Recorder r = feed(HEAD_PLAIN + "data: hello\n\ndata\n\ndata: t=42 xxxx\n\n", new int[] {2});
    assertThat(r.events).hasSize(3);
    assertThat(r.events.get(0)).containsExactly(-1L, -1L);
    assertThat(r.events.get(1)).containsExactly(-1L, -1L);
    assertThat(r.events.get(2)).containsExactly(42L, -1L);
  }

  @Test
  void theEndOfAChunkedStreamIsSeen() {
    Recorder r = new Recorder();
    SseEventReader reader = new SseEventReader(r);
    ByteBuf buf =
        Unpooled.copiedBuffer(
            HEAD_CHUNKED + chunked("data: t=1 s=1\n\n", 100) + "0\r\n\r\n",
            StandardCharsets.ISO_8859_1);
    reader.feed(buf);
    buf.release();
    assertThat(reader.isDone()).isTrue();
    assertThat(r.events).hasSize(1);
  }
}
