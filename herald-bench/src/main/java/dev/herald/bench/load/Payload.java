package dev.herald.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An event's data as the load generator publishes it: {@code t=<scheduled nanos> s=<sequence> }
 * then {@code x} up to the wanted size. {@code t} is on {@link System#nanoTime()}'s scale, which on
 * Linux is the system-wide {@code CLOCK_MONOTONIC}, so another process on the machine can compute
 * the latency; {@code ../shared/bench/c/sseload} reads the same {@code t=}.
 */
final class Payload {
  private Payload() {}

  /** The data of event {@code sequence} scheduled at {@code scheduledNanos}, {@code bytes} long. */
  static byte[] of(long scheduledNanos, long sequence, int bytes) {
    byte[] head =
        ("t=" + scheduledNanos + " s=" + sequence + " ").getBytes(StandardCharsets.US_ASCII);
    if (head.length >= bytes) {
      return head;
    }
    byte[] data = Arrays.copyOf(head, bytes);
    Arrays.fill(data, head.length, bytes, (byte) 'x');
    return data;
  }
}
