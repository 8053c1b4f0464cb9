package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one SSE response at the byte level, creating no object per line or event: the HTTP head
 * (status and framing), chunked or plain body, then the event stream's lines, split on CR, LF or
 * CRLF as the WHATWG rules say. For every dispatched event that had data it reports the timestamp
 * {@code t=<nanos>} and the sequence number {@code s=<n>} read from the first data line ({@code -1}
 * for one that is absent). It keeps the last event ID, for a reconnection.
 *
 * <p>Bytes may arrive in any chunking: the state carries over between {@link #feed} calls. A
 * buffer's bytes are copied once into an array of the reading thread and read from there: reading
 * them one by one from the buffer (its bounds and reference count checked at every byte) cost the
 * generator more than half its CPU at a million events a second.
 *
 * <p>Not thread-safe: one connection's event loop owns it.
 */
final class SseEventReader {
  /** Receives what the reader finds, on the thread that feeds it. */
  interface Listener {
    /** The response head is complete, with this status. */
    void onHead(int status);

    /** An event with data was dispatched; {@code -1} for a field its first data line lacks. */
    void onEvent(long timestamp, long sequence);
  }

  private static final int MAX_HEAD_BYTES = 16 * 1024;
  private static final int MAX_ID_BYTES = 1024;
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  // HTTP framing
  private static final int HEAD = 0;
  private static final int CHUNK_SIZE = 1;
  private static final int CHUNK_EXTENSION = 2;
  private static final int CHUNK_DATA = 3;
  private static final int CHUNK_END = 4;
  private static final int PLAIN_BODY = 5;
  private static final int DONE = 6;

  // Event stream lines
  private static final int LINE_START = 0;
  private static final int NAME = 1; // matching "data" or "id", nameAt bytes so far
  private static final int VALUE_SPACE = 2; // after the colon: one optional space
  private static final int TOKEN_START = 3;
  private static final int TOKEN_EQUALS = 4;
  private static final int TOKEN_DIGITS = 5;
  private static final int TOKEN_SKIP = 6;
  private static final int ID_VALUE = 7;
  private static final int SKIP_LINE = 8;

  private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ID = "id".getBytes(StandardCharsets.US_ASCII);

  /** Each reading thread's copy of the bytes it reads (a loop reads one buffer at a time). */
  private static final ThreadLocal<byte[]> COPY = ThreadLocal.withInitial(() -> new byte[65_536]);

  private final Listener listener;

  private int http = HEAD;
  private byte[] head; // only while the head is being read
  private int headLength;
  private boolean chunked;
  private long chunkRemaining;

  private int line = LINE_START;
  private boolean afterCr;
  private byte[] name; // DATA or ID while in NAME
  private int nameAt;
  private byte token; // 't' or 's' while in TOKEN_EQUALS / TOKEN_DIGITS
  private long digits;
  private int digitCount;
  private boolean dataSeen;
  private long timestamp = -1;
  private long sequence = -1;
  private byte[] idBuffer = new byte[32];
  private int idLength;
  private boolean idInEvent;
  // An id line read whole is not copied at once: it stays where it is in the array being read
  // (idFrom..idTo) until the read ends, and only the last one dispatched is copied then.
  private boolean idInArray;
  private int idFrom;
  private int idTo;
  private boolean lastIdInArray;
  private int lastIdFrom;
  private int lastIdTo;
  private byte[] lastId = new byte[32];
  private int lastIdLength = -1;

  SseEventReader(Listener listener) {
    this.listener = listener;
  }

  /**
   * Forgets the connection (head, framing and any unfinished line or event) but keeps the last
   * event ID, for the next connection of the same subscriber.
   */
  void reset() {
    http = HEAD;
    head = null;
    headLength = 0;
    chunked = false;
    chunkRemaining = 0;
    line = LINE_START;
    afterCr = false;
    dataSeen = false;
    timestamp = -1;
    sequence = -1;
    idInEvent = false;
    idInArray = false;
    lastIdInArray = false; // a read that threw left it: its array is gone
  }

  /** The last event ID the stream set, or {@code null} if it never set one. */
  String lastEventId() {
    return lastIdLength < 0 ? null : new String(lastId, 0, lastIdLength, StandardCharsets.UTF_8);
  }

  /** Whether the response ended (chunked: its last chunk) or was not a stream to read. */
  boolean isDone() {
    return http == DONE;
  }

  /** Reads the readable bytes of {@code in}, leaving its indexes as they are. */
  void feed(ByteBuf in) {
    int n = in.readableBytes();
    if (in.hasArray()) {
      int from = in.arrayOffset() + in.readerIndex();
      feed(in.array(), from, from + n);
      return;
    }
    byte[] copy = COPY.get();
    if (copy.length < n) {
      copy = new byte[Math.max(n, copy.length * 2)];
      COPY.set(copy);
    }
    in.getBytes(in.readerIndex(), copy, 0, n);
    feed(copy, 0, n);
  }

  /** Reads {@code a[from..end)}, then copies what it left of the IDs in {@code a}. */
  private void feed(byte[] a, int from, int end) {
    read(a, from, end);
    if (lastIdInArray) {
      lastIdLength = lastIdTo - lastIdFrom;
      if (lastId.length < lastIdLength) {
        lastId = new byte[Math.max(lastIdLength, lastId.length * 2)];
      }
      System.arraycopy(a, lastIdFrom, lastId, 0, lastIdLength);
      lastIdInArray = false;
    }
    if (idInArray) { // an event not dispatched yet: its ID goes where appendId would have put it
      setId(a, idFrom, idTo);
      idInArray = false;
    }
  }

  /** Reads {@code a[from..end)}. */
  private void read(byte[] a, int from, int end) {
    int i = from;
    while (i < end) {
      switch (http) {
        case HEAD:
          i = head(a, i, end);
          break;
        case CHUNK_SIZE:
          i = chunkSize(a[i], i);
          break;
        case CHUNK_EXTENSION:
          if (a[i++] == LF) {
            endChunkSize();
          }
          break;
        case CHUNK_DATA:
          int n = (int) Math.min(chunkRemaining, end - i);
          body(a, i, i + n);
          i += n;
          chunkRemaining -= n;
          if (chunkRemaining == 0) {
            http = CHUNK_END;
          }
          break;
        case CHUNK_END:
          if (a[i++] == LF) {
            http = CHUNK_SIZE;
          }
          break;
        case PLAIN_BODY:
          body(a, i, end);
          i = end;
          break;
        default: // DONE
          return;
      }
    }
  }

  private int head(byte[] a, int i, int end) {
    if (head == null) {
      head = new byte[512];
    }
    while (i < end) {
      byte b = a[i++];
      if (headLength == head.length) {
        if (headLength == MAX_HEAD_BYTES) {
          http = DONE;
          head = null;
          listener.onHead(-1); // no sane server sends a 16 KiB head to an SSE request
          return end;
        }
        head = Arrays.copyOf(head, Math.min(MAX_HEAD_BYTES, headLength * 2));
      }
      head[headLength++] = b;
      if (b == LF && endsHead()) {
        parseHead();
        return i;
      }
    }
    return i;
  }

  private boolean endsHead() {
    int n = headLength;
    return n >= 2 && head[n - 2] == LF || n >= 3 && head[n - 2] == CR && head[n - 3] == LF;
  }

  private void parseHead() {
    String text = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
    head = null;
    int status = -1;
    if (text.startsWith("HTTP/1.") && text.length() >= 12) {
      try {
        status = Integer.parseInt(text.substring(9, 12));
      } catch (NumberFormatException e) {
        status = -1;
      }
    }
    for (String header : text.split("\r?\n")) {
      int colon = header.indexOf(':');
      if (colon > 0
          && header.substring(0, colon).trim().equalsIgnoreCase("transfer-encoding")
          && header.substring(colon + 1).toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
        chunked = true;
      }
    }
    http = status != 200 ? DONE : chunked ? CHUNK_SIZE : PLAIN_BODY;
    listener.onHead(status);
  }

  private int chunkSize(byte b, int i) {
    int d = Character.digit(b, 16);
    if (d >= 0) {
      chunkRemaining = chunkRemaining * 16 + d;
    } else if (b == LF) {
      endChunkSize();
    } else if (b != CR) {
      http = CHUNK_EXTENSION;
    }
    return i + 1;
  }

  private void endChunkSize() {
    if (chunkRemaining == 0) {
      http = DONE; // the last chunk: the stream ended
    } else {
      http = CHUNK_DATA;
    }
  }

  /**
   * The event stream's bytes {@code a[from..to)}. A line that begins and ends within them is read
   * at once ({@link #wholeLine}); one begun in an earlier read or ending in a later one goes
   * through the byte-by-byte state machine, whose state carries over.
   */
  private void body(byte[] a, int from, int to) {
    int i = from;
    while (i < to) {
      if (afterCr) {
        afterCr = false;
        if (a[i] == LF) {
          i++; // the LF of a CRLF
          continue;
        }
      }
      if (line == LINE_START) {
        int e = skipToLineEnd(a, i, to);
        if (e < to) {
          wholeLine(a, i, e);
          afterCr = a[e] == CR;
          i = e + 1;
          continue;
        }
      } else if (line == SKIP_LINE) {
        i = skipToLineEnd(a, i, to);
        if (i == to) {
          return;
        }
      }
      byte b = a[i++];
      if (b == LF || b == CR) {
        afterCr = b == CR;
        endLine();
      } else {
        onByte(b);
      }
    }
  }

  /**
   * A whole line {@code a[s..e)}, its end of line left out: what the state machine would make of it
   * byte by byte, at once — an empty line dispatches, an event's first {@code data} line gives its
   * tokens, an {@code id} line the ID (where it is, its first {@link #MAX_ID_BYTES} bytes), any
   * other line nothing.
   */
  private void wholeLine(byte[] a, int s, int e) {
    if (s == e) {
      dispatch();
      return;
    }
    byte[] field = a[s] == 'd' ? DATA : a[s] == 'i' ? ID : null;
    if (field == null || !startsWith(a, s, e, field)) {
      return; // a comment, event:, retry: or an unknown field
    }
    int v = s + field.length;
    if (v < e && a[v] != ':') {
      return; // a longer field name
    }
    boolean empty = v == e; // a field name without a colon: an empty value
    v = empty ? v : v + 1;
    if (v < e && a[v] == ' ') {
      v++;
    }
    if (field == ID) {
      idFrom = v;
      idTo = Math.min(e, v + MAX_ID_BYTES);
      idInArray = true;
      idInEvent = true;
    } else if (!dataSeen) {
      dataSeen = true;
      tokens(a, v, e);
    }
  }

  private static boolean startsWith(byte[] a, int s, int e, byte[] prefix) {
    if (e - s < prefix.length) {
      return false;
    }
    for (int k = 1; k < prefix.length; k++) {
      if (a[s + k] != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The {@code t=} and {@code s=} tokens of a first data line's value {@code a[i..e)}, as the TOKEN
   * states read them: space-separated, at most 18 digits, a token with anything else skipped.
   */
  private void tokens(byte[] a, int i, int e) {
    while (i < e && (timestamp < 0 || sequence < 0)) {
      if (a[i] == ' ') {
        i++;
        continue;
      }
      byte t = a[i];
      if ((t == 't' || t == 's') && i + 1 < e && a[i + 1] == '=') {
        int j = AsciiScan.digitsEnd(a, i + 2, e);
        int count = j - (i + 2);
        if (count <= AsciiScan.MAX_DIGITS && (j == e || a[j] == ' ')) {
          if (count > 0) {
            long d = AsciiScan.value(a, i + 2, count);
            if (t == 't') {
              timestamp = d;
            } else {
              sequence = d;
            }
          }
          i = j;
          continue;
        }
      }
      while (i < e && a[i] != ' ') {
        i++; // a token of something else
      }
    }
  }

  /**
   * The ID {@code a[i..e)}, already cut to {@link #MAX_ID_BYTES} bytes as {@link #appendId} keeps.
   */
  private void setId(byte[] a, int i, int e) {
    int n = e - i; // at most MAX_ID_BYTES: wholeLine cut it
    if (idBuffer.length < n) {
      idBuffer = Arrays.copyOf(idBuffer, Math.max(n, Math.min(MAX_ID_BYTES, idBuffer.length * 2)));
    }
    System.arraycopy(a, i, idBuffer, 0, n);
    idLength = n;
  }

  /** The index of the first CR or LF in {@code a[i..to)}, or {@code to}. */
  private static int skipToLineEnd(byte[] a, int i, int to) {
    return AsciiScan.lineEnd(a, i, to);
  }

  private void onByte(byte b) {
    switch (line) {
      case LINE_START:
        startLine(b);
        break;
      case NAME:
        if (nameAt < name.length && b == name[nameAt]) {
          nameAt++;
        } else if (nameAt == name.length && b == ':') {
          startValue();
        } else {
          line = SKIP_LINE;
        }
        break;
      case VALUE_SPACE:
        line = name == DATA ? TOKEN_START : ID_VALUE;
        if (b != ' ') {
          onByte(b);
        }
        break;
      case TOKEN_START:
        if (b == 't' || b == 's') {
          token = b;
          line = TOKEN_EQUALS;
        } else if (b != ' ') {
          line = TOKEN_SKIP;
        }
        break;
      case TOKEN_EQUALS:
        if (b == '=') {
          digits = 0;
          digitCount = 0;
          line = TOKEN_DIGITS;
        } else {
          line = b == ' ' ? TOKEN_START : TOKEN_SKIP;
        }
        break;
      case TOKEN_DIGITS:
        if (b >= '0' && b <= '9' && digitCount < AsciiScan.MAX_DIGITS) {
          digits = digits * 10 + (b - '0');
          digitCount++;
        } else if (b == ' ') {
          endToken();
        } else {
          line = TOKEN_SKIP;
        }
        break;
      case TOKEN_SKIP:
        if (b == ' ') {
          line = TOKEN_START;
        }
        break;
      case ID_VALUE:
        appendId(b);
        break;
      default: // SKIP_LINE
        break;
    }
  }

  private void startLine(byte b) {
    if (b == 'd') {
      name = DATA;
    } else if (b == 'i') {
      name = ID;
    } else {
      line = SKIP_LINE; // a comment, event:, retry: or an unknown field
      return;
    }
    nameAt = 1;
    line = NAME;
  }

  /** After a field name's colon. Only an event's first data line is read. */
  private void startValue() {
    if (name == ID) {
      idLength = 0;
      idInArray = false;
      line = VALUE_SPACE;
    } else if (dataSeen) {
      line = SKIP_LINE;
    } else {
      dataSeen = true;
      line = VALUE_SPACE;
    }
  }

  /** A complete t= or s= token; once both are known, the rest of the line is skipped. */
  private void endToken() {
    if (digitCount > 0) {
      if (token == 't') {
        timestamp = digits;
      } else {
        sequence = digits;
      }
    }
    line = timestamp >= 0 && sequence >= 0 ? SKIP_LINE : TOKEN_START;
  }

  private void endLine() {
    switch (line) {
      case LINE_START:
        dispatch();
        break;
      case NAME:
        if (nameAt == name.length) { // a field name without a colon: an empty value
          if (name == DATA) {
            dataSeen = true;
          } else {
            idLength = 0;
            idInArray = false;
            idInEvent = true;
          }
        }
        break;
      case TOKEN_DIGITS:
        endToken();
        break;
      case ID_VALUE:
      case VALUE_SPACE:
        if (name == ID) {
          idInEvent = true;
        }
        break;
      default:
        break;
    }
    line = LINE_START;
  }

  private void appendId(byte b) {
    if (idLength == idBuffer.length && idLength < MAX_ID_BYTES) {
      idBuffer = Arrays.copyOf(idBuffer, Math.min(MAX_ID_BYTES, idLength * 2));
    }
    if (idLength < idBuffer.length) {
      idBuffer[idLength++] = b;
    }
  }

  private void dispatch() {
    if (idInEvent) {
      if (idInArray) {
        lastIdFrom = idFrom;
        lastIdTo = idTo;
        lastIdInArray = true;
        idInArray = false;
      } else {
        if (lastId.length < idLength) {
          lastId = new byte[idBuffer.length];
        }
        System.arraycopy(idBuffer, 0, lastId, 0, idLength);
        lastIdLength = idLength;
        lastIdInArray = false;
      }
      idInEvent = false;
    }
    if (dataSeen) {
      listener.onEvent(timestamp, sequence);
    }
    dataSeen = false;
    timestamp = -1;
    sequence = -1;
  }
}
