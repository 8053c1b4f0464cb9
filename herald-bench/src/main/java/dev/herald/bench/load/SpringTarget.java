package dev.herald.bench.load;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The Spring MVC targets: {@code spring-herald}, a controller returning a Herald {@code
 * TopicStream}, and {@code spring-emitter}, the same controller written with {@code SseEmitter} in
 * the usual loop — both served on Tomcat by {@code dev.herald.springbench.SpringFanoutServer}, one
 * process per target, each on its own URL prefix ({@code /herald/…}, {@code /emitter/…}).
 *
 * <p>The server lives in the Spring Boot sample's jar ({@value #JAR}), which carries Spring: this
 * module stays free of it, and {@code ./herald} does not build the sample. The jar is found through
 * {@code $HERALD_SPRING_SAMPLE_JAR}, or beside the working directory or the bench's own jars (or
 * one of their parents); it is copied once per JVM, so that a rebuild during a run changes nothing
 * under the servers that start later.
 */
final class SpringTarget {
  /** The targets, in the order {@code compare} runs them when named. */
  static final List<String> NAMES = List.of("spring-herald", "spring-emitter");

  /** The sample's Boot jar, relative to the repository. */
  static final String JAR = "herald-spring-boot-sample/target/herald-spring-boot-sample.jar";

  /** The command that builds it. */
  static final String BUILD = "./mvnw -q -pl herald-spring-boot-sample -am package -DskipTests";

  private static final String MAIN = "dev.herald.springbench.SpringFanoutServer";
  private static final String LAUNCHER =
      "org.springframework.boot.loader.launch.PropertiesLauncher";

  private static Path snapshot;

  private SpringTarget() {}

  /** Whether {@code name} is one of the Spring targets. */
  static boolean is(String name) {
    return NAMES.contains(name);
  }

  /** The URL prefix of target {@code name}'s endpoints: {@code /herald} or {@code /emitter}. */
  static String prefix(String name) {
    return "/" + name.substring("spring-".length());
  }

  /** Why the Spring targets cannot start here, or {@code null} if they can. */
  static String missing() {
    String env = System.getenv("HERALD_SPRING_SAMPLE_JAR");
    if (env != null && !env.isEmpty() && !Files.isRegularFile(Path.of(env))) {
      return "$HERALD_SPRING_SAMPLE_JAR (" + env + ") is missing";
    }
    return jar() == null ? JAR + " is missing: build it with " + BUILD : null;
  }

  /** The sample's jar, or {@code null} if none is found. */
  static Path jar() {
    String env = System.getenv("HERALD_SPRING_SAMPLE_JAR");
    if (env != null && !env.isEmpty()) {
      return Files.isRegularFile(Path.of(env)) ? Path.of(env) : null;
    }
    List<Path> starts = new ArrayList<>();
    starts.add(Path.of("").toAbsolutePath());
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      String value = System.getProperty(property);
      if (value != null && !value.isEmpty()) {
        for (String entry : value.split(File.pathSeparator)) {
          if (!entry.isEmpty()) {
            starts.add(Path.of(entry).toAbsolutePath());
          }
        }
      }
    }
    for (Path start : starts) {
      for (Path p = start; p != null; p = p.getParent()) {
        Path jar = p.resolve(JAR);
        if (Files.isRegularFile(jar)) {
          return jar;
        }
      }
    }
    return null;
  }

  /**
   * {@code java -Xmx2g -Dloader.main=… -cp SAMPLE_JAR PropertiesLauncher --server.port=PORT} on
   * 127.0.0.1; Tomcat's connection limits are the server's own defaults.
   */
  static List<String> command(int port) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(TargetServer.SERVER_HEAP);
    cmd.add("-Dloader.main=" + MAIN);
    cmd.add("-cp");
    cmd.add(snapshot().toString());
    cmd.add(LAUNCHER);
    cmd.add("--server.port=" + port);
    cmd.add("--server.address=127.0.0.1");
    return cmd;
  }

  private static synchronized Path snapshot() {
    if (snapshot != null) {
      return snapshot;
    }
    Path jar = jar();
    if (jar == null) {
      throw new IllegalStateException(missing());
    }
    try {
      Path copy = Files.createTempFile("herald-spring-boot-sample", ".jar");
      Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
      copy.toFile().deleteOnExit();
      return snapshot = copy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + jar, e);
    }
  }
}
