package dev.herald.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * Writes {@link SseEvent}s in the {@code text/event-stream} format, as UTF-8 bytes (S-60, S-61).
 *
 * <p>An event becomes, in this order: its comment, one {@code :} line per line of it; {@code
 * event}; {@code id} ({@code id:} alone for the empty ID, S-66); {@code retry} in decimal
 * milliseconds; one {@code data} line per line of its data (lines split at CRLF, CR or LF, S-62);
 * then the blank line that dispatches it. Values follow {@code ": "}, one space that clients strip,
 * so a value that starts with a space keeps it (S-63). Lone surrogates are written as U+FFFD, as
 * the Encoding standard's UTF-8 encoder does.
 *
 * <pre>{@code
 * byte[] bytes = SseWriter.encode(SseEvent.of("add", "73857293"));
 * // event: add\ndata: 73857293\n\n
 * }</pre>
 *
 * <p>{@link #encodedLength} gives the exact size first, so a server can encode an event once,
 * straight into a network buffer, without an intermediate string.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class SseWriter {
  private static final byte[] COMMENT = {':'};
  private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't', ':'};
  private static final byte[] ID = {'i', 'd', ':'};
  private static final byte[] RETRY = {'r', 'e', 't', 'r', 'y', ':'};
  private static final byte[] DATA = {'d', 'a', 't', 'a', ':'};

  private SseWriter() {}

  /** The exact number of bytes {@code event} encodes to. */
  public static int encodedLength(SseEvent event) {
    int n = 1; // the blank line
    n += linesLength(COMMENT, event.comment());
    n += linesLength(EVENT, event.type());
    n += linesLength(ID, event.id());
    if (event.retry() != null) {
      n += RETRY.length + 2 + digits(millis(event.retry()));
    }
    n += linesLength(DATA, event.data());
    return n;
  }

  /** {@code event} as a new array of exactly {@link #encodedLength} bytes. */
  public static byte[] encode(SseEvent event) {
    byte[] bytes = new byte[encodedLength(event)];
    encode(event, bytes, 0);
    return bytes;
  }

  /**
   * Writes {@code event} into {@code dst} at {@code offset}.
   *
   * @return the number of bytes written, {@link #encodedLength}
   * @throws IndexOutOfBoundsException if fewer than {@link #encodedLength} bytes fit
   */
  public static int encode(SseEvent event, byte[] dst, int offset) {
    Objects.checkFromIndexSize(offset, encodedLength(event), dst.length);
    int p = offset;
    p = writeLines(COMMENT, event.comment(), dst, p);
    p = writeLines(EVENT, event.type(), dst, p);
    p = writeLines(ID, event.id(), dst, p);
    if (event.retry() != null) {
      p = writeRetry(millis(event.retry()), dst, p);
    }
    p = writeLines(DATA, event.data(), dst, p);
    dst[p++] = '\n';
    return p - offset;
  }

  /**
   * Writes {@code event} at {@code dst}'s position and advances it.
   *
   * @throws BufferOverflowException if fewer than {@link #encodedLength} bytes remain
   */
  public static void encode(SseEvent event, ByteBuffer dst) {
    int n = encodedLength(event);
    if (dst.remaining() < n) {
      throw new BufferOverflowException();
    }
    if (dst.hasArray()) {
      encode(event, dst.array(), dst.arrayOffset() + dst.position());
      dst.position(dst.position() + n);
    } else {
      byte[] bytes = new byte[n];
      encode(event, bytes, 0);
      dst.put(bytes);
    }
  }

  /** Writes {@code event} to {@code out} in one {@code write} call; does not flush. */
  public static void write(SseEvent event, OutputStream out) throws IOException {
    out.write(encode(event));
  }

  private static int linesLength(byte[] prefix, String value) {
    if (value == null) {
      return 0;
    }
    int n = 0;
    int from = 0;
    int length = value.length();
    while (true) {
      int to = lineEnd(value, from);
      n += prefix.length + 1 + (to > from ? 1 + Utf8.encodedLength(value, from, to) : 0);
      if (to == length) {
        return n;
      }
      from = skipBreak(value, to);
    }
  }

  private static int writeLines(byte[] prefix, String value, byte[] dst, int pos) {
    if (value == null) {
      return pos;
    }
    int p = pos;
    int from = 0;
    int length = value.length();
    while (true) {
      int to = lineEnd(value, from);
      System.arraycopy(prefix, 0, dst, p, prefix.length);
      p += prefix.length;
      if (to > from) {
        dst[p++] = ' ';
        p = Utf8.encode(value, from, to, dst, p);
      }
      dst[p++] = '\n';
      if (to == length) {
        return p;
      }
      from = skipBreak(value, to);
    }
  }

  private static int lineEnd(String value, int from) {
    int length = value.length();
    for (int i = from; i < length; i++) {
      char c = value.charAt(i);
      if (c == '\n' || c == '\r') {
        return i;
      }
    }
    return length;
  }

  private static int skipBreak(String value, int at) {
    boolean crlf =
        value.charAt(at) == '\r' && at + 1 < value.length() && value.charAt(at + 1) == '\n';
    return at + (crlf ? 2 : 1);
  }

  private static int writeRetry(long millis, byte[] dst, int pos) {
    System.arraycopy(RETRY, 0, dst, pos, RETRY.length);
    int p = pos + RETRY.length;
    dst[p++] = ' ';
    int end = p + digits(millis);
    long v = millis;
    for (int i = end - 1; i >= p; i--) {
      dst[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    dst[end] = '\n';
    return end + 1;
  }

  private static int digits(long v) {
    int n = 1;
    for (long x = v; x >= 10; x /= 10) {
      n++;
    }
    return n;
  }

  /** Whole milliseconds, clamped to {@code Long.MAX_VALUE} for durations too long for a long. */
  static long millis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
