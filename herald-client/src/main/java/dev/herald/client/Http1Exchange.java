package dev.herald.client;

import dev.herald.core.SseLimitExceededException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 exchange of {@link Http1Transport} on a connection of its own: writes the request
 * head with each header value's characters as single bytes, reads the response through one buffer
 * that it reuses, and hands the body's bytes, their framing removed in place (chunked, {@code
 * Content-Length}, or until the connection closes), to the {@link BodySink} on the calling thread.
 *
 * <p>Bounded: a response head, and the trailers of a chunked body, hold at most {@value
 * #MAX_HEAD_BYTES} bytes and {@value #MAX_HEADER_FIELDS} fields, a chunk-size line at most {@value
 * #MAX_CHUNK_LINE_BYTES} bytes; past them a {@link SseLimitExceededException} names the limit. A
 * malformed status line, header line or chunk size is a {@link ProtocolException}. The response's
 * head must come within the read timeout of the request, and then each read of the body too ({@link
 * HttpTimeoutException}).
 *
 * <p>The buffer starts at {@value #FIRST_BUFFER_BYTES} bytes and doubles, up to {@value
 * #MAX_BUFFER_BYTES}, while reads fill it: an idle stream holds little, a busy one reads in large
 * steps.
 *
 * <p>{@link #send()} and {@link #readSome} run on one thread; {@link #abort()} on any.
 */
final class Http1Exchange implements Exchange {
  /** The most bytes of a response head (status line and header lines), or of trailers. */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  /** The most header fields of a response head, or of trailers. */
  static final int MAX_HEADER_FIELDS = 256;

  /** The longest line of a chunked body's framing (a chunk size and its extensions). */
  static final int MAX_CHUNK_LINE_BYTES = 1024;

  static final int FIRST_BUFFER_BYTES = 8 * 1024;
  static final int MAX_BUFFER_BYTES = 64 * 1024;

  private static final int UNTIL_CLOSE = 0;
  private static final int LENGTH = 1;
  private static final int CHUNKED = 2;

  private static final int CHUNK_SIZE = 0;
  private static final int CHUNK_DATA = 1;
  private static final int CHUNK_END = 2;
  private static final int TRAILERS = 3;
  private static final int DONE = 4;

  private final Http1Transport transport;
  private final Request request;
  private final Object lock = new Object();
  private Socket socket; // guarded by lock
  private boolean aborted; // guarded by lock

  private Socket raw;
  private InputStream in;
  private boolean readingHead;
  private long headDeadline; // System.nanoTime(), if the read timeout is not zero
  private byte[] buffer = new byte[FIRST_BUFFER_BYTES];
  private int pos;
  private int limit;
  private boolean grow;

  // The line that nextLine found: lineBytes[lineFrom, lineTo), line end removed; lineLength is
  // its length on the wire less the LF. A line split across reads is gathered in partial.
  private byte[] partial = new byte[128];
  private int partialLength;
  private byte[] lineBytes;
  private int lineFrom;
  private int lineTo;
  private int lineLength;

  private ResponseInfo response;
  private int framing;
  private long left; // of the body (LENGTH) or of the current chunk (CHUNKED)
  private int chunkState;
  private int headBytes; // of the head or trailers being read
  private int headFields;

  Http1Exchange(Http1Transport transport, Request request) {
    this.transport = transport;
    this.request = request;
  }

  @Override
  public void send() throws IOException {
    URI uri = request.uri();
    Socket s = new Socket();
    synchronized (lock) {
      if (aborted) {
        throw new IOException("the exchange was aborted");
      }
      socket = s;
    }
    raw = s;
    transport.connect(s, uri);
    Socket connection = Http1Transport.secure(uri) ? transport.handshake(s, uri) : s;
    in = connection.getInputStream();
    OutputStream out = connection.getOutputStream();
    out.write(requestBytes());
    out.flush();
    readingHead = true;
    headDeadline = System.nanoTime() + transport.readTimeout.toNanos();
    readHead(uri);
    readingHead = false;
    s.setSoTimeout(
        transport.readTimeout.isZero() ? 0 : (int) Math.min(Integer.MAX_VALUE, millis()));
  }

  @Override
  public ResponseInfo response() {
    return response;
  }

  @Override
  public boolean readSome(BodySink sink) throws IOException {
    if (framing == CHUNKED) {
      return readChunked(sink);
    }
    if (framing == LENGTH) {
      if (left == 0) {
        return false;
      }
      if (pos == limit && !fill()) {
        throw new IOException(
            "the connection closed " + left + " bytes before the end of the body (Content-Length)");
      }
      int n = (int) Math.min(left, limit - pos);
      sink.accept(buffer, pos, n);
      pos += n;
      left -= n;
      return left > 0;
    }
    if (pos == limit && !fill()) {
      return false; // the connection's end is the body's
    }
    sink.accept(buffer, pos, limit - pos);
    pos = limit;
    return true;
  }

  @Override
  public void abort() {
    Socket s;
    synchronized (lock) {
      aborted = true;
      s = socket;
    }
    if (s != null) {
      try {
        s.close(); // the raw socket: wakes a read, TLS or not, without a close_notify to send
      } catch (IOException e) {
        // closed anyway
      }
    }
  }

  /** The request head, then the body: one write. */
  private byte[] requestBytes() {
    URI uri = request.uri();
    StringBuilder head = new StringBuilder(256);
    head.append(request.method()).append(' ').append(target(uri)).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(uri.getHost());
    if (uri.getPort() != -1) {
      head.append(':').append(uri.getPort());
    }
    head.append("\r\n");
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    byte[] body = request.body();
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    } else if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      head.append("Content-Length: 0\r\n");
    }
    head.append("Connection: close\r\n\r\n"); // one exchange per connection (RFC 9112, 9.3)
    byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1); // a byte per character
    if (body == null || body.length == 0) {
      return bytes;
    }
    byte[] all = new byte[bytes.length + body.length];
    System.arraycopy(bytes, 0, all, 0, bytes.length);
    System.arraycopy(body, 0, all, bytes.length, body.length);
    return all;
  }

  /** The request target: the raw path and query, characters past ASCII as UTF-8 escapes. */
  static String target(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    if (target.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
      return target;
    }
    StringBuilder escaped = new StringBuilder();
    for (byte b : target.getBytes(StandardCharsets.UTF_8)) {
      if (b > 0x20 && b < 0x7F) {
        escaped.append((char) b);
      } else {
        escaped.append(String.format("%%%02X", b & 0xFF));
      }
    }
    return escaped.toString();
  }

  /** Reads the head of the final response, skipping interim (1xx) ones, and picks the framing. */
  private void readHead(URI uri) throws IOException {
    headBytes = 0;
    headFields = 0;
    while (true) {
      int status = status(headLine(true));
      TreeMap<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      readFields(fields);
      if (status == 101) {
        throw new ProtocolException(
            "HTTP 101 Switching Protocols, which the client never asked for");
      }
      if (status >= 200) {
        response =
            ResponseInfo.of(
                status, HttpHeaders.of(fields, (n, v) -> true), uri, HttpClient.Version.HTTP_1_1);
        framing(status, fields);
        return;
      }
    }
  }

  /** Header fields up to the blank line, into {@code fields}. */
  private void readFields(TreeMap<String, List<String>> fields) throws IOException {
    String last = null;
    while (true) {
      String line = headLine(false);
      if (line.isEmpty()) {
        return;
      }
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && last != null) {
        List<String> values = fields.get(last); // obsolete line folding: a space (RFC 9112, 5.2)
        int i = values.size() - 1;
        values.set(i, (values.get(i) + " " + trim(line)).strip());
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line, colon)) {
        throw new ProtocolException("malformed header line: " + quote(line));
      }
      if (++headFields > MAX_HEADER_FIELDS) {
        throw new SseLimitExceededException(
            "maxHeaderFields", MAX_HEADER_FIELDS, "the response's number of header fields");
      }
      last = line.substring(0, colon);
      fields.computeIfAbsent(last, n -> new ArrayList<>(1)).add(trim(line.substring(colon + 1)));
    }
  }

  /** The body's framing by RFC 9112, 6.3. */
  private void framing(int status, Map<String, List<String>> fields) throws ProtocolException {
    List<String> codings = fields.get("Transfer-Encoding");
    List<String> lengths = fields.get("Content-Length");
    if (request.method().equals("HEAD") || status == 204 || status == 304) {
      framing = LENGTH;
      left = 0;
    } else if (codings != null) {
      String[] all = String.join(",", codings).split(",", -1);
      boolean chunked = all[all.length - 1].strip().toLowerCase(Locale.ROOT).equals("chunked");
      framing = chunked ? CHUNKED : UNTIL_CLOSE;
      chunkState = CHUNK_SIZE;
    } else if (lengths != null) {
      long length = -1;
      for (String value : String.join(",", lengths).split(",", -1)) {
        String v = value.strip();
        boolean digits =
            !v.isEmpty() && v.length() <= 18 && v.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || length >= 0 && Long.parseLong(v) != length) {
          throw new ProtocolException("malformed Content-Length: " + quote(lengths.toString()));
        }
        length = Long.parseLong(v);
      }
      framing = LENGTH;
      left = length;
    } else {
      framing = UNTIL_CLOSE;
    }
  }

  private boolean readChunked(BodySink sink) throws IOException {
    boolean delivered = false;
    while (chunkState != DONE) {
      if (pos == limit) {
        if (delivered) {
          return true;
        }
        if (!fill()) {
          throw new IOException("the connection closed before the end of the chunked body");
        }
      }
      switch (chunkState) {
        case CHUNK_DATA:
          int n = (int) Math.min(left, limit - pos);
          sink.accept(buffer, pos, n);
          pos += n;
          left -= n;
          delivered = true;
          if (left == 0) {
            chunkState = CHUNK_END;
          }
          break;
        case CHUNK_SIZE:
          if (chunkLine()) {
            left = chunkSize();
            if (left > 0) {
              chunkState = CHUNK_DATA;
            } else {
              chunkState = TRAILERS;
              headBytes = 0;
              headFields = 0;
            }
          }
          break;
        case CHUNK_END:
          if (chunkLine()) {
            if (lineTo != lineFrom) {
              throw new ProtocolException(
                  "a chunk is longer than its size: no CRLF after its data");
            }
            chunkState = CHUNK_SIZE;
          }
          break;
        default: // TRAILERS: read and dropped, within the head's limits
          if (nextLine(MAX_HEAD_BYTES - headBytes, true)) {
            headBytes += lineLength + 1;
            if (lineTo == lineFrom) {
              chunkState = DONE;
            } else if (++headFields > MAX_HEADER_FIELDS) {
              throw new SseLimitExceededException(
                  "maxHeaderFields", MAX_HEADER_FIELDS, "the number of trailer fields");
            }
          }
      }
    }
    return false;
  }

  private boolean chunkLine() throws SseLimitExceededException {
    return nextLine(MAX_CHUNK_LINE_BYTES, false);
  }

  /** The chunk size of the line just read: hex digits, then perhaps extensions (ignored). */
  private long chunkSize() throws ProtocolException {
    long size = 0;
    int i = lineFrom;
    for (; i < lineTo; i++) {
      int digit = Character.digit(lineBytes[i], 16);
      if (digit < 0) {
        break;
      }
      if (size >>> 59 != 0) {
        throw new ProtocolException("chunk size out of range: " + quote(line()));
      }
      size = size << 4 | digit;
    }
    int digits = i - lineFrom;
    while (i < lineTo && (lineBytes[i] == ' ' || lineBytes[i] == '\t')) {
      i++;
    }
    if (digits == 0 || i < lineTo && lineBytes[i] != ';') {
      throw new ProtocolException("malformed chunk size: " + quote(line()));
    }
    return size;
  }

  /** The next line of the head, reading as needed; the status line if {@code first}. */
  private String headLine(boolean first) throws IOException {
    while (!nextLine(MAX_HEAD_BYTES - headBytes, true)) {
      if (!fill()) {
        throw new IOException(
            first && headBytes == 0 && partialLength == 0
                ? "the server closed the connection without a response"
                : "the connection closed in the middle of the response head");
      }
    }
    headBytes += lineLength + 1;
    return line();
  }

  /**
   * Finds the next line from {@code pos}: {@code true} with it in {@code lineBytes[lineFrom,
   * lineTo)}, {@code false} if the buffer ended first (what it had is kept for the next call).
   *
   * @throws SseLimitExceededException if the line is longer than {@code max} bytes
   */
  private boolean nextLine(int max, boolean head) {
    int lf = pos;
    while (lf < limit && buffer[lf] != '\n') {
      lf++;
    }
    int n = lf - pos;
    if (partialLength + n > max) {
      throw head
          ? new SseLimitExceededException("maxHeadBytes", MAX_HEAD_BYTES, "the response head")
          : new SseLimitExceededException(
              "maxChunkLineBytes", MAX_CHUNK_LINE_BYTES, "a line of the chunked framing");
    }
    if (lf == limit) {
      keepPartial(n);
      return false;
    }
    if (partialLength == 0) {
      lineBytes = buffer;
      lineFrom = pos;
      lineTo = lf;
    } else {
      keepPartial(n);
      lineBytes = partial;
      lineFrom = 0;
      lineTo = partialLength;
      partialLength = 0;
    }
    pos = lf + 1;
    lineLength = lineTo - lineFrom;
    if (lineTo > lineFrom && lineBytes[lineTo - 1] == '\r') {
      lineTo--;
    }
    return true;
  }

  private void keepPartial(int n) {
    if (partialLength + n > partial.length) {
      byte[] bigger = new byte[Math.max(partial.length * 2, partialLength + n)];
      System.arraycopy(partial, 0, bigger, 0, partialLength);
      partial = bigger;
    }
    System.arraycopy(buffer, pos, partial, partialLength, n);
    partialLength += n;
    pos += n;
  }

  private String line() {
    return new String(lineBytes, lineFrom, lineTo - lineFrom, StandardCharsets.ISO_8859_1);
  }

  /**
   * Reads into the buffer from its start, once all of it was consumed; false at the end of input.
   */
  private boolean fill() throws IOException {
    if (grow) {
      buffer = new byte[Math.min(MAX_BUFFER_BYTES, buffer.length * 2)];
      grow = false;
    }
    int n;
    try {
      if (readingHead && !transport.readTimeout.isZero()) {
        long nanos = headDeadline - System.nanoTime();
        if (nanos <= 0) {
          throw new SocketTimeoutException();
        }
        raw.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, nanos / 1_000_000)));
      }
      n = in.read(buffer, 0, buffer.length);
    } catch (SocketTimeoutException e) {
      HttpTimeoutException timeout =
          new HttpTimeoutException(
              (readingHead ? "no response head within " : "no data for ")
                  + millis()
                  + " ms: the read timeout passed");
      timeout.initCause(e);
      throw timeout;
    }
    pos = 0;
    limit = Math.max(n, 0);
    grow = n == buffer.length && buffer.length < MAX_BUFFER_BYTES;
    return n >= 0;
  }

  private long millis() {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(transport.readTimeout.toNanos()));
  }

  /** The status of a status line {@code HTTP/1.x NNN [reason]}. */
  private static int status(String line) throws ProtocolException {
    boolean ok =
        line.length() >= 12
            && line.startsWith("HTTP/1.")
            && Character.isDigit(line.charAt(7))
            && line.charAt(8) == ' '
            && line.charAt(9) >= '1'
            && line.charAt(9) <= '5'
            && Character.isDigit(line.charAt(10))
            && Character.isDigit(line.charAt(11))
            && (line.length() == 12 || line.charAt(12) == ' ');
    if (!ok) {
      throw new ProtocolException("malformed status line: " + quote(line));
    }
    return Integer.parseInt(line.substring(9, 12));
  }

  private static boolean isToken(String s, int end) {
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Without leading and trailing spaces and tabs. */
  private static String trim(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return s.substring(from, to);
  }

  /** {@code s} quoted for a message: at most 64 characters, others than printable ASCII as ?. */
  private static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (int i = 0; i < Math.min(64, s.length()); i++) {
      char c = s.charAt(i);
      q.append(c >= ' ' && c < 0x7F ? c : '?');
    }
    return q.append(s.length() > 64 ? "...\"" : "\"").toString();
  }
}
