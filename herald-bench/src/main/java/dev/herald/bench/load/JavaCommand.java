package dev.herald.bench.load;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The command line that runs a main class of this module in a new JVM, on the module path this JVM
 * was started with ({@code ./herald}), or on its class path (tests, a fat jar).
 *
 * <p>The module path is first copied to a temporary directory, once per JVM, and the children run
 * from the copy: a bench run lasts many minutes, and a rebuild of {@code herald-cli/target/lib}
 * meanwhile (another {@code ./herald}, say) must not change the jars under the processes that start
 * later in the run.
 */
final class JavaCommand {
  private static final String MODULE = "dev.herald.bench";
  private static String snapshot;

  private JavaCommand() {}

  /** {@code java jvmOptions… mainClass args…} for a main class of {@code dev.herald.bench}. */
  static List<String> of(List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    String modulePath = System.getProperty("jdk.module.path");
    boolean onModulePath =
        modulePath != null
            && !modulePath.isEmpty()
            && MODULE.equals(JavaCommand.class.getModule().getName());
    if (onModulePath) {
      cmd.add("--module-path");
      cmd.add(snapshot(modulePath));
      // Netty's native epoll transport is a module nothing requires by name: without this it is
      // not resolved, and Netty falls back to NIO.
      cmd.add("--add-modules");
      cmd.add("ALL-MODULE-PATH");
      cmd.add("--module");
      cmd.add(MODULE + "/" + mainClass);
    } else {
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(mainClass);
    }
    cmd.addAll(args);
    return cmd;
  }

  /** A copy of the module path's jars, made at the first call; removed when this JVM exits. */
  private static synchronized String snapshot(String modulePath) {
    if (snapshot != null) {
      return snapshot;
    }
    try {
      Path dir = Files.createTempDirectory("herald-bench-modules");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "herald-bench-cleanup"));
      int i = 0;
      for (String entry : modulePath.split(File.pathSeparator)) {
        Path from = Path.of(entry);
        if (Files.isDirectory(from) && !Files.exists(from.resolve("module-info.class"))) {
          try (Stream<Path> jars = Files.list(from)) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
              if (jar.toString().endsWith(".jar")) {
                Files.copy(
                    jar, dir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
              }
            }
          }
        } else if (Files.isRegularFile(from)) {
          Files.copy(from, dir.resolve((i++) + "-" + from.getFileName()));
        } else {
          return snapshot = modulePath; // an exploded module: run from where it is
        }
      }
      snapshot = dir.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the module path", e);
    }
    return snapshot;
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
