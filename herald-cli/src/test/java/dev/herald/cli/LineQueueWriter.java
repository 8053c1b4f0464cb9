package dev.herald.cli;

import java.io.Writer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A writer that hands each completed line to a queue as soon as its line feed is written, so a test
 * can wait for output that a command running on another thread has not finished producing.
 */
final class LineQueueWriter extends Writer {
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuilder line = new StringBuilder();

  @Override
  public synchronized void write(char[] chars, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (chars[i] == '\n') {
        lines.add(line.toString());
        line.setLength(0);
      } else {
        line.append(chars[i]);
      }
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  /** The next line, waiting up to ten seconds for it; {@code null} if none came. */
  String nextLine() throws InterruptedException {
    return lines.poll(10, TimeUnit.SECONDS);
  }

  /** Whether no complete line is waiting. */
  boolean isEmpty() {
    return lines.isEmpty();
  }
}
