package dev.herald.reliability;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** POSIX signals to a child process, by {@code /bin/kill}: the JDK sends only TERM and KILL. */
final class Signals {
  private Signals() {}

  /** Sends {@code SIG}{@code name} ({@code STOP}, {@code CONT}) to process {@code pid}. */
  static void send(long pid, String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + pid + " failed");
    }
  }
}
