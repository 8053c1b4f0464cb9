package dev.herald.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's TCP sockets in {@code TIME_WAIT}, and a bounded wait for them to drain. Runs that
 * followed one another without it read 10–15 % low at 10,000 subscribers (62,918 such sockets after
 * four runs): every run closes its subscribers' connections, and the kernel keeps each in {@code
 * TIME_WAIT} for 60 s.
 *
 * <p>Thread-safe: stateless.
 */
final class TimeWait {
  /** The socket tables of {@code /proc}: IPv4 and IPv6. */
  private static final List<Path> TABLES =
      List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

  /** {@code st} of a socket in {@code TIME_WAIT} in those tables ({@code TCP_TIME_WAIT}). */
  private static final String TIME_WAIT = "06";

  private TimeWait() {}

  /** Sockets in {@code TIME_WAIT} now; -1 if the tables cannot be read (not Linux). */
  static long count() {
    long n = 0;
    boolean any = false;
    for (Path table : TABLES) {
      try (BufferedReader r = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
        any = true;
        r.readLine(); // the header
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (TIME_WAIT.equals(state(line))) {
            n++;
          }
        }
      } catch (NoSuchFileException e) {
        // no IPv6, say
      } catch (IOException e) {
        return -1;
      }
    }
    return any ? n : -1;
  }

  /** The {@code st} column (the fourth) of a line of {@code /proc/net/tcp}. */
  static String state(String line) {
    int field = 0;
    int i = 0;
    int len = line.length();
    while (i < len) {
      while (i < len && line.charAt(i) == ' ') {
        i++;
      }
      int start = i;
      while (i < len && line.charAt(i) != ' ') {
        i++;
      }
      if (start < i && ++field == 4) {
        return line.substring(start, i);
      }
    }
    return "";
  }

  /**
   * Waits until fewer than {@code below} sockets are in {@code TIME_WAIT}, for {@code maxSeconds}
   * at most; returns what happened, for the log and the results: {@code null} if there was no need
   * to wait ({@code below} ≤ 0 turns the wait off).
   */
  static Drained drain(long below, double maxSeconds) {
    if (below <= 0) {
      return null;
    }
    long first = count();
    if (first < below) {
      return null; // also when unknown (-1)
    }
    long start = System.nanoTime();
    long deadline = start + (long) (maxSeconds * 1e9);
    long now = first;
    while (now >= below && System.nanoTime() < deadline) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      now = count();
    }
    return new Drained(
        first, now, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / 1000.0, now < below);
  }

  /**
   * A wait: sockets in {@code TIME_WAIT} before and after, seconds waited, and whether it drained.
   */
  record Drained(long before, long after, double seconds, boolean drained) {
    /** A line for the log. */
    String describe(long below) {
      return String.format(
          java.util.Locale.ROOT,
          "waited %.1f s for TIME_WAIT sockets: %,d → %,d (%s %,d)",
          seconds,
          before,
          after,
          drained ? "below" : "gave up, still not below",
          below);
    }
  }
}
