package dev.herald.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An incremental {@code text/event-stream} parser, exact to the WHATWG rules: bytes in, in any
 * chunking; events out to an {@link SseListener}, each as soon as the blank line that ends it has
 * arrived (S-05, S-07).
 *
 * <pre>{@code
 * SseParser parser = new SseParser(event -> System.out.println(event.type() + ": " + event.data()));
 * parser.feed(chunk, 0, n); // as often as bytes arrive
 * parser.end();             // the stream ended: an unfinished block is discarded (S-37)
 * }</pre>
 *
 * <p>It works on bytes: lines are split on CR, LF and CRLF without decoding, and each value is
 * decoded once, with the Encoding standard's UTF-8 decoder (invalid bytes become U+FFFD, S-03). It
 * knows nothing of HTTP.
 *
 * <p>Memory is bounded: a line longer than {@link Builder#maxLineBytes} or an event whose data
 * grows past {@link Builder#maxEventBytes} throws {@link SseLimitExceededException}, naming the
 * limit.
 *
 * <p>The last event ID and the reconnection time belong to the event source, not to one response:
 * after {@link #end()} the parser is ready for the next response of the same source, and events on
 * it report the last event ID until an {@code id} field changes it (S-41).
 *
 * <p>Not thread-safe: feed one parser from one thread at a time.
 *
 * @since 0.1
 */
public final class SseParser {
  /**
   * Default for {@link Builder#maxLineBytes}: {@value} bytes (16 MiB), well past the lines browsers
   * and conformance suites send (5 MiB), still bounded. Buffers grow to it only as lines need.
   */
  public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

  /** Default for {@link Builder#maxEventBytes}: {@value} bytes (64 MiB). */
  public static final int DEFAULT_MAX_EVENT_BYTES = 64 * 1024 * 1024;

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final byte[] DATA = ascii("data");
  private static final byte[] EVENT = ascii("event");
  private static final byte[] RETRY = ascii("retry");
  private static final byte[] ID = ascii("id");
  private static final int BOM_DONE = -1;

  private final SseListener listener;
  private final int maxLineBytes;
  private final int maxEventBytes;

  private byte[] line = new byte[128];
  private int lineLength;
  private boolean afterCr;
  private int bomMatched;

  private byte[] data = new byte[256];
  private int dataLength;
  // The data of a block whose only data line so far lies complete in the caller's array: decoded
  // from there if the blank line follows within the same feed, saving a copy (the common case).
  private byte[] pendingData;
  private int pendingFrom;
  private int pendingTo;
  private final Field type = new Field();
  private final Field id = new Field();

  private String lastEventId;
  private long retryMillis = -1;
  private byte[] scratch;

  /** A parser with the default limits and an empty last event ID. */
  public SseParser(SseListener listener) {
    this(builder(), listener);
  }

  private SseParser(Builder b, SseListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.maxLineBytes = b.maxLineBytes;
    this.maxEventBytes = b.maxEventBytes;
    this.lastEventId = b.lastEventId;
    id.set(b.lastEventId);
  }

  /** A builder for a parser with other limits or an initial last event ID. */
  public static Builder builder() {
    return new Builder();
  }

  /** Feeds all of {@code bytes}. */
  public void feed(byte[] bytes) {
    feed(bytes, 0, bytes.length);
  }

  /** Feeds the remaining bytes of {@code buffer}, leaving its position at its limit. */
  public void feed(ByteBuffer buffer) {
    if (buffer.hasArray()) {
      int from = buffer.arrayOffset() + buffer.position();
      int n = buffer.remaining();
      buffer.position(buffer.limit());
      feed(buffer.array(), from, n);
      return;
    }
    if (scratch == null) {
      scratch = new byte[8192];
    }
    while (buffer.hasRemaining()) {
      int n = Math.min(scratch.length, buffer.remaining());
      buffer.get(scratch, 0, n);
      feed(scratch, 0, n);
    }
  }

  /**
   * Feeds {@code bytes[offset, offset + length)}, dispatching every event it completes before
   * returning.
   *
   * @throws SseLimitExceededException if a line or an event goes past its limit
   */
  public void feed(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    try {
      parse(bytes, offset, offset + length);
    } finally {
      keepPendingData(); // the caller may reuse its array once feed returns
    }
  }

  private void parse(byte[] bytes, int offset, int end) {
    int i = offset;
    if (bomMatched != BOM_DONE) {
      i = skipBom(bytes, i, end);
    }
    if (afterCr && i < end) {
      afterCr = false;
      if (bytes[i] == '\n') {
        i++; // second half of a CRLF whose CR ended an earlier chunk (S-05)
      }
    }
    while (i < end) {
      int eol = Utf8.indexOfLineBreak(bytes, i, end);
      if (eol < 0) {
        appendToLine(bytes, i, end);
        return;
      }
      if (lineLength == 0) {
        checkLineLength(eol - i);
        processLine(bytes, i, eol);
      } else {
        appendToLine(bytes, i, eol);
        int n = lineLength;
        lineLength = 0;
        processLine(line, 0, n);
      }
      i = eol + 1;
      if (bytes[eol] == '\r') {
        if (i == end) {
          afterCr = true;
        } else if (bytes[i] == '\n') {
          i++;
        }
      }
    }
  }

  /**
   * Ends the current response: an unfinished block is discarded (S-37), and the parser is ready for
   * the next response of the same event source, keeping the last event ID and reconnection time
   * (S-41).
   */
  public void end() {
    lineLength = 0;
    afterCr = false;
    bomMatched = 0;
    dataLength = 0;
    pendingData = null;
    type.clear();
    id.set(lastEventId);
  }

  /** The last event ID string: the ID buffer as of the last blank line (S-30), or "" for none. */
  public String lastEventId() {
    return lastEventId;
  }

  /** The reconnection time the stream set with {@code retry}, in milliseconds, if any (S-23). */
  public OptionalLong retry() {
    return retryMillis < 0 ? OptionalLong.empty() : OptionalLong.of(retryMillis);
  }

  private int skipBom(byte[] bytes, int from, int end) {
    int i = from;
    while (i < end && bomMatched < BOM.length && bytes[i] == BOM[bomMatched]) {
      bomMatched++;
      i++;
    }
    if (bomMatched == BOM.length) {
      bomMatched = BOM_DONE; // one BOM stripped (S-02)
    } else if (i < end) {
      appendToLine(BOM, 0, bomMatched); // not a BOM after all: ordinary bytes
      bomMatched = BOM_DONE;
    }
    return i;
  }

  private void appendToLine(byte[] bytes, int from, int to) {
    int n = to - from;
    checkLineLength(lineLength + n);
    if (lineLength + n > line.length) {
      line = Arrays.copyOf(line, Math.max(lineLength + n, Math.min(line.length * 2, maxLineBytes)));
    }
    System.arraycopy(bytes, from, line, lineLength, n);
    lineLength += n;
  }

  private void checkLineLength(int length) {
    if (length > maxLineBytes) {
      lineLength = 0;
      throw new SseLimitExceededException("maxLineBytes", maxLineBytes, "a line");
    }
  }

  private void processLine(byte[] b, int from, int to) {
    if (from == to) {
      dispatch();
      return;
    }
    if (to - from >= 5
        && b[from + 4] == ':'
        && b[from] == 'd'
        && b[from + 1] == 'a'
        && b[from + 2] == 't'
        && b[from + 3] == 'a') {
      int value = from + 5 < to && b[from + 5] == ' ' ? from + 6 : from + 5;
      appendData(b, value, to); // the most frequent line, without the general field lookup
      return;
    }
    if (b[from] == ':') {
      int text = from + 1 < to && b[from + 1] == ' ' ? from + 2 : from + 1;
      listener.onComment(Utf8.decode(b, text, to));
      return;
    }
    int colon = from + 1;
    while (colon < to && b[colon] != ':') {
      colon++;
    }
    int value = colon + 1;
    if (value < to && b[value] == ' ') {
      value++;
    }
    if (value > to) {
      value = to;
    }
    processField(b, from, colon, value, to);
  }

  private void processField(byte[] b, int name, int nameEnd, int value, int to) {
    switch (nameEnd - name) {
      case 4:
        if (matches(DATA, b, name)) {
          appendData(b, value, to);
        }
        break;
      case 5:
        if (matches(EVENT, b, name)) {
          type.set(b, value, to);
        } else if (matches(RETRY, b, name)) {
          setRetry(b, value, to);
        }
        break;
      case 2:
        if (matches(ID, b, name) && indexOfNul(b, value, to) < 0) {
          id.set(b, value, to);
        }
        break;
      default:
        break; // an unknown field is ignored (S-24)
    }
  }

  private void appendData(byte[] b, int from, int to) {
    int n = to - from;
    if (dataLength == 0 && pendingData == null && b != line && n < maxEventBytes) {
      pendingData = b;
      pendingFrom = from;
      pendingTo = to;
      return;
    }
    keepPendingData();
    copyData(b, from, to);
  }

  private void copyData(byte[] b, int from, int to) {
    int n = to - from;
    int size = dataLength + n + 1;
    if (size > maxEventBytes || size < 0) {
      dataLength = 0;
      type.clear();
      throw new SseLimitExceededException("maxEventBytes", maxEventBytes, "the data of an event");
    }
    if (size > data.length) {
      data = Arrays.copyOf(data, Math.max(size, Math.min(data.length * 2, maxEventBytes)));
    }
    System.arraycopy(b, from, data, dataLength, n);
    data[size - 1] = '\n';
    dataLength = size;
  }

  private void setRetry(byte[] b, int from, int to) {
    if (from == to) {
      return; // empty: ignored (S-23)
    }
    long millis = 0;
    for (int i = from; i < to; i++) {
      int digit = b[i] - '0';
      if (digit < 0 || digit > 9) {
        return;
      }
      millis = millis > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : millis * 10 + digit;
    }
    retryMillis = millis;
    listener.onRetry(millis);
  }

  /** Copies the pending data line into the data buffer, with its line feed. */
  private void keepPendingData() {
    if (pendingData != null) {
      byte[] b = pendingData;
      pendingData = null;
      copyData(b, pendingFrom, pendingTo);
    }
  }

  private void dispatch() {
    lastEventId = id.string();
    String eventData;
    if (pendingData != null) {
      eventData = Utf8.decode(pendingData, pendingFrom, pendingTo);
      pendingData = null;
    } else if (dataLength == 0) {
      type.clear();
      return;
    } else {
      eventData = Utf8.decode(data, 0, dataLength - 1);
    }
    String eventType = type.length == 0 ? SseEvent.DEFAULT_TYPE : type.string();
    dataLength = 0;
    type.clear();
    listener.onEvent(SseEvent.dispatched(eventType, eventData, lastEventId));
  }

  private static boolean matches(byte[] name, byte[] b, int from) {
    for (int i = 0; i < name.length; i++) {
      if (b[from + i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOfNul(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * A field buffer (event type or ID) kept as bytes, decoded only when read and only when changed,
   * so a stream that repeats a type costs no allocation per event.
   */
  private static final class Field {
    private byte[] bytes = new byte[32];
    private int length;
    private String decoded = "";

    void set(byte[] b, int from, int to) {
      int n = to - from;
      if (n == length && Arrays.equals(bytes, 0, n, b, from, to)) {
        return;
      }
      if (n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(n, bytes.length * 2));
      }
      System.arraycopy(b, from, bytes, 0, n);
      length = n;
      decoded = null;
    }

    void set(String value) {
      byte[] b = value.getBytes(StandardCharsets.UTF_8);
      set(b, 0, b.length);
      decoded = value;
    }

    void clear() {
      length = 0;
      decoded = "";
    }

    String string() {
      if (decoded == null) {
        decoded = Utf8.decode(bytes, 0, length);
      }
      return decoded;
    }
  }

  /** Configures an {@link SseParser}. Not thread-safe. */
  public static final class Builder {
    private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
    private int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;
    private String lastEventId = "";

    private Builder() {}

    /**
     * The longest line accepted, in bytes without its line break; default {@value
     * #DEFAULT_MAX_LINE_BYTES}.
     */
    public Builder maxLineBytes(int maxLineBytes) {
      this.maxLineBytes = positive("maxLineBytes", maxLineBytes);
      return this;
    }

    /**
     * The largest data of one event, in bytes, counting one line feed per {@code data} line;
     * default {@value #DEFAULT_MAX_EVENT_BYTES}.
     */
    public Builder maxEventBytes(int maxEventBytes) {
      this.maxEventBytes = positive("maxEventBytes", maxEventBytes);
      return this;
    }

    /**
     * The last event ID the stream starts with, such as the one a client sent as {@code
     * Last-Event-ID}; default "".
     *
     * @throws IllegalArgumentException if it contains CR, LF or NUL, which no stream can set
     */
    public Builder lastEventId(String lastEventId) {
      Objects.requireNonNull(lastEventId, "lastEventId");
      SseEvent.builder().id(lastEventId); // the rules of an id field apply
      this.lastEventId = lastEventId;
      return this;
    }

    /** A parser with these settings, reporting to {@code listener}. */
    public SseParser build(SseListener listener) {
      return new SseParser(this, listener);
    }

    private static int positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
