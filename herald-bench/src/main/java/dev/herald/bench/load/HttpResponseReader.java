package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Splits the bytes of an HTTP/1.1 keep-alive connection into complete responses — head, then a body
 * of {@code Content-Length} bytes or in chunks — and reports each one's status. Publish responses
 * are small, so the head is read as text.
 *
 * <p>Not thread-safe: one connection's event loop owns it.
 */
final class HttpResponseReader {
  private static final int MAX_RESPONSE_BYTES = 1 << 20;

  private StringBuilder pending = new StringBuilder();

  /**
   * Appends {@code in}'s readable bytes and returns the statuses of the responses they complete, in
   * order (an empty array if none); {@code -1} for a response that cannot be read.
   */
  int[] feed(ByteBuf in) {
    pending.append(in.toString(StandardCharsets.ISO_8859_1));
    int[] statuses = new int[0];
    while (true) {
      int status = next();
      if (status == 0) {
        break;
      }
      statuses = java.util.Arrays.copyOf(statuses, statuses.length + 1);
      statuses[statuses.length - 1] = status;
      if (status < 0) {
        break;
      }
    }
    return statuses;
  }

  /** Takes one complete response off the pending bytes: its status; 0 if incomplete. */
  private int next() {
    int headEnd = pending.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return pending.length() > MAX_RESPONSE_BYTES ? -1 : 0;
    }
    String head = pending.substring(0, headEnd);
    int status;
    try {
      status = head.startsWith("HTTP/1.") ? Integer.parseInt(head.substring(9, 12)) : -1;
    } catch (RuntimeException e) {
      status = -1;
    }
    if (status < 0) {
      return -1;
    }
    long length = 0;
    boolean chunked = false;
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equals("transfer-encoding")
          && value.toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
      }
    }
    int bodyStart = headEnd + 4;
    int end =
        chunked ? chunkedEnd(bodyStart) : (int) Math.min(Integer.MAX_VALUE, bodyStart + length);
    if (end < 0 || end > pending.length()) {
      return pending.length() > MAX_RESPONSE_BYTES ? -1 : 0;
    }
    pending.delete(0, end);
    if (pending.length() == 0 && pending.capacity() > 4096) {
      pending = new StringBuilder();
    }
    return status;
  }

  /** Where a chunked body starting at {@code at} ends, or -1 if it has not all arrived. */
  private int chunkedEnd(int at) {
    while (true) {
      int lineEnd = pending.indexOf("\r\n", at);
      if (lineEnd < 0) {
        return -1;
      }
      String size = pending.substring(at, lineEnd);
      int semicolon = size.indexOf(';');
      long n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (n == 0) { // the last chunk, then trailer lines (usually none) and a blank line
        int end = pending.indexOf("\r\n\r\n", lineEnd);
        return end < 0 ? -1 : end + 4;
      }
      long next = lineEnd + 2 + n + 2;
      if (next > pending.length()) {
        return -1;
      }
      at = (int) next;
    }
  }
}
