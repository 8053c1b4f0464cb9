package dev.herald.reliability;

import java.nio.charset.StandardCharsets;

/**
 * Reads an HTTP/1.1 response carrying an event stream, as bytes arrive, for the {@code id:} lines
 * only: the head (status, headers), then the body, chunked or not; each complete {@code id: P-I}
 * line goes to an {@link IdTally} once its event is complete (the blank line). Cheap enough for
 * gigabytes: data lines are skipped with one comparison per byte, and nothing is allocated per
 * event.
 *
 * <p>Not thread-safe: one reader feeds it.
 */
final class SseIdScanner {
  private static final byte[] ID = {'i', 'd', ':', ' '};
  private static final int MAX_HEAD = 16 * 1024;

  private enum State {
    HEAD,
    SIZE,
    DATA,
    DATA_END,
    BODY,
    DONE
  }

  private final IdTally tally;
  private final byte[] head = new byte[MAX_HEAD];
  private int headLength;
  private String headText;
  private int status = -1;
  private State state = State.HEAD;
  private long chunkLeft;
  private boolean skipChunkExtension;
  private int column; // within the current line; ID.length and more: inside an id value
  private boolean skipping; // the rest of the line is not wanted
  private final byte[] id = new byte[128];
  private int idLength;
  private int pendingLength; // of the ID of the event not yet dispatched
  private final byte[] lastId = new byte[128];
  private int lastIdLength;
  private long bodyBytes;

  SseIdScanner(IdTally tally) {
    this.tally = tally;
  }

  /** The response's status, or -1 before its head is complete. */
  int status() {
    return status;
  }

  /** The response head, or null before it is complete. */
  String head() {
    return headText;
  }

  /** The ID of the last complete event, or null. */
  String lastId() {
    return lastIdLength == 0 ? null : new String(lastId, 0, lastIdLength, StandardCharsets.UTF_8);
  }

  long bodyBytes() {
    return bodyBytes;
  }

  /** Whether the body ended (the last chunk). */
  boolean finished() {
    return state == State.DONE;
  }

  void feed(byte[] bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      switch (state) {
        case HEAD -> i = head(bytes, i, end);
        case SIZE -> i = size(bytes, i, end);
        case DATA -> {
          int n = (int) Math.min(chunkLeft, end - i);
          body(bytes, i, i + n);
          chunkLeft -= n;
          i += n;
          if (chunkLeft == 0) {
            state = State.DATA_END;
          }
        }
        case DATA_END -> {
          if (bytes[i++] == '\n') {
            state = State.SIZE;
          }
        }
        case BODY -> {
          body(bytes, i, end);
          i = end;
        }
        case DONE -> i = end;
      }
    }
  }

  private int head(byte[] bytes, int i, int end) {
    while (i < end) {
      if (headLength == MAX_HEAD) {
        throw new IllegalStateException("response head over " + MAX_HEAD + " bytes");
      }
      head[headLength++] = bytes[i++];
      if (headLength >= 4
          && head[headLength - 1] == '\n'
          && head[headLength - 2] == '\r'
          && head[headLength - 3] == '\n') {
        headText = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
        status = Integer.parseInt(headText.substring(9, 12));
        boolean chunked = headText.toLowerCase(java.util.Locale.ROOT).contains("chunked");
        state = chunked ? State.SIZE : State.BODY;
        return i;
      }
    }
    return i;
  }

  private int size(byte[] bytes, int i, int end) {
    while (i < end) {
      byte c = bytes[i++];
      int digit = Character.digit(c, 16);
      if (digit >= 0 && !skipChunkExtension) {
        chunkLeft = chunkLeft * 16 + digit;
      } else if (c == '\n') {
        skipChunkExtension = false;
        state = chunkLeft == 0 ? State.DONE : State.DATA;
        return i;
      } else if (c != '\r') {
        skipChunkExtension = true;
      }
    }
    return i;
  }

  private void body(byte[] bytes, int i, int end) {
    bodyBytes += end - i;
    while (i < end) {
      if (skipping) {
        while (i < end && bytes[i] != '\n') {
          i++;
        }
        if (i == end) {
          return;
        }
        skipping = false;
        column = 0;
        i++;
        continue;
      }
      byte c = bytes[i++];
      if (column < ID.length) {
        if (c == ID[column]) {
          if (++column == ID.length) {
            idLength = 0;
          }
        } else if (c == '\n') {
          if (column == 0) {
            dispatch(); // a blank line: the event is complete
          }
          column = 0;
        } else {
          skipping = true;
        }
      } else if (c == '\n') {
        pendingLength = idLength;
        column = 0;
      } else if (idLength < id.length) {
        id[idLength++] = c;
      }
    }
  }

  /** An event is complete: its ID, if it had one, counts as received (and as last event ID). */
  private void dispatch() {
    if (pendingLength == 0) {
      return; // a retry hint, or an event without ID
    }
    int length = pendingLength;
    pendingLength = 0;
    System.arraycopy(id, 0, lastId, 0, length);
    lastIdLength = length;
    int publisher = 0;
    int index = 0;
    int k = 0;
    for (; k < length && id[k] >= '0' && id[k] <= '9'; k++) {
      publisher = publisher * 10 + (id[k] - '0');
    }
    if (k == 0 || k >= length - 1 || id[k] != '-') {
      tally.foreign();
      return;
    }
    int start = ++k;
    for (; k < length && id[k] >= '0' && id[k] <= '9'; k++) {
      index = index * 10 + (id[k] - '0');
    }
    if (k != length || k == start || k - start > 9) {
      tally.foreign();
      return;
    }
    tally.accept(publisher, index);
  }
}
