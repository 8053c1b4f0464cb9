package dev.herald.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the kernel and the JVM say about a process: CPU time, threads and memory from {@code /proc},
 * the kernel's slab memory, and a JVM's live heap after a full collection (through {@code jcmd}).
 */
final class ProcessMetrics {
  /** Clock ticks per second of {@code /proc/PID/stat}: USER_HZ, 100 on Linux. */
  private static final long TICKS_PER_SECOND = 100;

  private ProcessMetrics() {}

  /** User plus system CPU time of {@code pid} so far, in nanoseconds; -1 if unknown. */
  static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
      return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * User plus system CPU time of each thread of {@code pid} so far, in nanoseconds, by thread ID
   * ({@code /proc/PID/task/TID/stat}); empty if unknown.
   */
  static Map<Long, Long> threadCpuNanos(long pid) {
    Map<Long, Long> cpu = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path task : dir) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
          cpu.put(
              Long.parseLong(task.getFileName().toString()),
              ticks * (1_000_000_000L / TICKS_PER_SECOND));
        } catch (IOException | RuntimeException ended) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    return cpu;
  }

  /**
   * The threads of {@code pid} now ({@code Threads:} of {@code /proc/PID/status}); -1 if unknown.
   */
  static int threads(long pid) {
    try {
      return threadsOf(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The open files of {@code pids} together (entries of {@code /proc/PID/fd}); -1 if unknown. */
  static int openFiles(List<Long> pids) {
    int sum = -1;
    for (long pid : pids) {
      String[] fds = Path.of("/proc", Long.toString(pid), "fd").toFile().list();
      if (fds != null) {
        sum = Math.max(sum, 0) + fds.length;
      }
    }
    return sum;
  }

  /** The {@code Threads:} line of a {@code /proc/PID/status} text; -1 if it has none. */
  static int threadsOf(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("Threads:")) {
        try {
          return Integer.parseInt(line.substring("Threads:".length()).trim());
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** {@code pid} and all its descendants that are alive. */
  static List<Long> tree(long pid) {
    List<Long> pids = new ArrayList<>();
    ProcessHandle.of(pid)
        .ifPresent(
            p -> {
              pids.add(p.pid());
              p.descendants().forEach(d -> pids.add(d.pid()));
            });
    return pids;
  }

  /** Resident, proportional (Pss) and private memory of {@code pids} together, in KiB. */
  static Memory memory(List<Long> pids) {
    Memory m = new Memory();
    for (long pid : pids) {
      try {
        for (String line :
            Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
          String[] f = line.split("\\s+");
          if (f.length < 2) {
            continue;
          }
          switch (f[0]) {
            case "Rss:":
              m.rssKib += Long.parseLong(f[1]);
              break;
            case "Pss:":
              m.pssKib += Long.parseLong(f[1]);
              break;
            case "Private_Clean:":
            case "Private_Dirty:":
              m.privateKib += Long.parseLong(f[1]);
              break;
            default:
              break;
          }
        }
      } catch (IOException | RuntimeException e) {
        // the process ended meanwhile: it holds no memory
      }
    }
    return m;
  }

  /** The kernel's slab memory ({@code Slab:} of {@code /proc/meminfo}), in KiB. */
  static long slabKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("Slab:")) {
          return Long.parseLong(line.split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * The live heap of the JVM {@code pid}, in bytes: {@code jcmd PID GC.class_histogram} runs a full
   * collection first and then totals the live objects. -1 if it cannot be read.
   */
  static long liveHeapBytes(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      for (String line : out.split("\n")) {
        String t = line.trim();
        if (t.startsWith("Total")) {
          String[] f = t.split("\\s+");
          return Long.parseLong(f[2]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return -1;
  }

  /** Memory of a set of processes, in KiB. */
  static final class Memory {
    long rssKib;
    long pssKib;
    long privateKib;
  }
}
