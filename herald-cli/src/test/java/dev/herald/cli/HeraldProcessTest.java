package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code herald} as the launcher does: a separate JVM with the module on the module path, so
 * that {@code module-info}, the exit status and the process's own standard streams are real.
 */
class HeraldProcessTest {
  private static final Set<String> MODULES =
      Set.of(
          "dev.herald.cli",
          "dev.herald.core",
          "dev.herald.client",
          "dev.herald.examples",
          "dev.herald.hub",
          "dev.herald.redis",
          "info.picocli",
          "com.fasterxml.jackson.core");

  @TempDir Path dir;
  private Process process;

  @AfterEach
  void stopProcess() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void parseStreamsStandardInputThroughARealPipe() throws Exception {
    process = start("parse", "-");
    BufferedReader out = reader(process);
    OutputStream in = process.getOutputStream();

    in.write("event: ping\nid: 7\ndata: one\n\n".getBytes(StandardCharsets.UTF_8));
    in.flush();
    assertThat(readLine(out))
        .isEqualTo("{\"type\":\"ping\",\"data\":\"one\",\"lastEventId\":\"7\",\"retry\":null}");
    assertThat(process.isAlive()).isTrue();

    in.write("data: two\n\n".getBytes(StandardCharsets.UTF_8));
    in.flush();
    assertThat(readLine(out))
        .isEqualTo("{\"type\":\"message\",\"data\":\"two\",\"lastEventId\":\"7\",\"retry\":null}");

    in.close();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(out.readLine()).isNull();
  }

  @Test
  void outputIsUtf8WhateverThePlatformCharset() throws Exception {
    Path file = dir.resolve("unicode.txt");
    Files.writeString(file, "data: héllo wörld ✓ 😀\n\n", StandardCharsets.UTF_8);

    process =
        start(
            List.of("-Dfile.encoding=ISO-8859-1", "-Dstdout.encoding=ISO-8859-1"),
            "parse",
            file.toString());
    process.getOutputStream().close();

    assertThat(readLine(reader(process)))
        .isEqualTo(
            "{\"type\":\"message\",\"data\":\"héllo wörld ✓ 😀\",\"lastEventId\":\"\",\"retry\":null}");
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
  }

  @Test
  void aMissingFileExitsWithStatusOneAndAMessageOnStandardError() throws Exception {
    Path missing = dir.resolve("nope.txt");

    process = start("parse", missing.toString());
    process.getOutputStream().close();

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEmpty();
    assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("herald parse: cannot read " + missing + ": no such file\n");
  }

  @Test
  void versionReadsTheBuildsVersionInsideTheModule() throws Exception {
    process = start("--version");
    process.getOutputStream().close();

    assertThat(readLine(reader(process)))
        .isEqualTo("herald " + System.getProperty("herald.version"));
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
  }

  @Test
  void hubServesTheProtocolAndItsDashboardFromTheModulePath() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    process =
        start("hub", "--port", Integer.toString(port), "--store", "memory", "--heartbeat", "PT1S");
    process.getOutputStream().close();
    BufferedReader out = reader(process);
    assertThat(readLine(out))
        .isEqualTo("Herald hub: http://127.0.0.1:" + port + "/.well-known/mercure");
    StringBuilder banner = new StringBuilder();
    for (String line = readLine(out); ; line = readLine(out)) {
      banner.append(line).append('\n');
      if (line.startsWith("  export HERALD_SUBSCRIBER_TOKEN=")) {
        break;
      }
    }
    assertThat(banner.toString())
        .contains("DEVELOPMENT MODE")
        .contains("publisher token")
        .contains("\n  export HERALD_HUB_URL='http://127.0.0.1:" + port + "/.well-known/mercure'\n")
        .containsPattern("\n  export HERALD_TOKEN=eyJ[A-Za-z0-9_.-]+\n")
        .containsPattern("\n  export HERALD_SUBSCRIBER_TOKEN=eyJ[A-Za-z0-9_.-]+\n");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String path : List.of("/", "/dashboard.js", "/dashboard.css")) {
      java.net.http.HttpResponse<String> page =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + port + path))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).as(path).isEqualTo(200);
    }
    java.net.http.HttpResponse<String> metadata =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        "http://127.0.0.1:"
                            + port
                            + "/.well-known/oauth-protected-resource/.well-known/mercure"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(metadata.body())
        .contains("\"resource\":\"http://127.0.0.1:" + port + "/.well-known/mercure\"");
  }

  @Test
  void hubClustersThroughRedisFromTheModulePath() throws Exception {
    try (dev.herald.testing.RedisServer redis = dev.herald.testing.RedisServer.start()) {
      int port;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        port = s.getLocalPort();
      }
      process =
          start(
              "hub",
              "--port",
              Integer.toString(port),
              "--redis",
              redis.uri(),
              "--node-name",
              "node-a");
      process.getOutputStream().close();
      BufferedReader out = reader(process);
      StringBuilder banner = new StringBuilder();
      String token = null;
      for (String line = readLine(out); token == null; line = readLine(out)) {
        if (line == null) {
          throw new AssertionError(
              "the hub ended: "
                  + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        banner.append(line).append('\n');
        if (line.startsWith("  export HERALD_TOKEN=")) {
          token = line.substring("  export HERALD_TOKEN=".length());
        }
      }
      assertThat(banner.toString())
          .contains("  history:   Redis " + redis.uri() + ", stream herald:updates\n")
          .contains("  node:      node-a\n");
      java.net.http.HttpResponse<String> published =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + port + "/.well-known/mercure"))
                      .header("Authorization", "Bearer " + token)
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString("topic=t&data=x"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
      assertThat(redis.command("XLEN", "herald:updates")).isEqualTo(1L);
    }
  }

  private Process start(String... args) throws IOException {
    return start(List.of(), args);
  }

  private Process start(List<String> jvmOptions, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("--module-path");
    command.add(modulePath());
    command.add("--module");
    command.add("dev.herald.cli/dev.herald.cli.HeraldCommand");
    command.addAll(List.of(args));
    return new ProcessBuilder(command).start();
  }

  /**
   * The entries of the test class path that hold the CLI's module and the modules it needs: those
   * the module system resolves from {@code dev.herald.cli}, service providers included, as the
   * launcher's {@code java --module-path} would.
   */
  static String modulePath() {
    Map<String, Path> byModule = new LinkedHashMap<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = moduleName(Path.of(entry));
      if (!name.isEmpty()) {
        byModule.putIfAbsent(name, Path.of(entry));
      }
    }
    // The JDK's own modules come from the system image as `java --module-path` takes them: the
    // test JVM's boot layer holds only the default roots (on JDK 25 without jdk.crypto.ec, which
    // nimbus-jose-jwt requires).
    Configuration resolved =
        ModuleLayer.boot()
            .configuration()
            .resolveAndBind(
                ModuleFinder.of(byModule.values().toArray(new Path[0])),
                ModuleFinder.ofSystem(),
                Set.of("dev.herald.cli"));
    Set<String> names =
        resolved.modules().stream().map(ResolvedModule::name).collect(Collectors.toSet());
    assertThat(names).containsAll(MODULES);
    return names.stream()
        .filter(byModule::containsKey)
        .map(byModule::get)
        .map(Path::toString)
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** The name of the module {@code entry} holds, or "" if it holds none. */
  private static String moduleName(Path entry) {
    boolean isModule =
        Files.isRegularFile(entry) || Files.isRegularFile(entry.resolve("module-info.class"));
    if (!isModule) {
      return "";
    }
    try {
      return ModuleFinder.of(entry).findAll().stream()
          .map(ModuleReference::descriptor)
          .map(d -> d.name())
          .findFirst()
          .orElse("");
    } catch (FindException e) {
      return ""; // a jar with no valid module name: not one of ours
    }
  }

  private static BufferedReader reader(Process process) {
    return new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** The next line of output, failing the test if none comes within 30 seconds. */
  private static String readLine(BufferedReader reader) throws Exception {
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return reader.readLine();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    return line.get(30, TimeUnit.SECONDS);
  }
}
