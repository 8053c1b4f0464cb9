package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.MockResponse;
import dev.herald.testing.MockSseServer;
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
import org.junit.jupiter.api.DisplayName;
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
    java.net.http.HttpResponse<String> settings =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/dashboard/settings"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(settings.statusCode()).as("development: the dashboard is open").isEqualTo(200);
    assertThat(settings.body()).contains("\"openDashboard\":true").doesNotContain("eyJ");
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
  void hubWithAKeyServesItsDashboardOnlyToATokenWithTheGrant() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    process =
        start(
            List.of(),
            "hub",
            "--port",
            Integer.toString(port),
            "--store",
            "memory",
            "--jwt-secret",
            "a-secret-of-the-production-hub-32-bytes");
    process.getOutputStream().close();
    BufferedReader out = reader(process);
    assertThat(readLine(out)).startsWith("Herald hub: ");
    assertThat(readLine(out))
        .isEqualTo(
            "  dashboard: http://127.0.0.1:"
                + port
                + "/ (with a token that may read the subscriptions)");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String path : List.of("/stats", "/dashboard/settings")) {
      java.net.http.HttpResponse<String> refused =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + port + path))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(path).isEqualTo(401);
    }
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
    return start(Map.of(), jvmOptions, args);
  }

  private Process start(Map<String, String> env, List<String> jvmOptions, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("--module-path");
    command.add(modulePath());
    command.add("--module");
    command.add("dev.herald.cli/dev.herald.cli.HeraldCommand");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("HERALD_HUB_URL");
    builder.environment().putAll(env);
    return builder.start();
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

  @Test
  @DisplayName(
      "herald sub without URL reads HERALD_HUB_URL, as pub and token do, and asks for every topic")
  void subReadsTheHubUrlFromTheEnvironment() throws Exception {
    try (MockSseServer server = MockSseServer.start()) {
      server.enqueue(MockResponse.status(204));
      String hub = server.uri("/.well-known/mercure").toString();

      process = start(Map.of("HERALD_HUB_URL", hub), List.of(), "sub");
      process.getOutputStream().close();

      assertThat(server.takeRequest().target()).isEqualTo("/.well-known/mercure?match=*");
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("herald sub: the server ended the subscription (204 No Content)\n");
      assertThat(process.exitValue()).isZero();
    }
  }

  @Test
  @DisplayName(
      "herald hub takes Symfony's pre-1.0 token and topic= by default (--jwt-secret is the legacy"
          + " key), says --compat does nothing, and refuses topic= with --strict")
  void hubIsDropInUnlessStrict() throws Exception {
    String secret = "0123456789abcdef0123456789abcdef";
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/.well-known/mercure";
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String symfony = symfonyToken(secret);
    for (boolean strict : new boolean[] {false, true}) {
      List<String> args =
          new ArrayList<>(
              List.of("hub", "--port", "" + port, "--store", "memory", "--jwt-secret", secret));
      args.add(strict ? "--strict" : "--compat");
      process = start(args.toArray(String[]::new));
      process.getOutputStream().close();
      assertThat(readLine(reader(process))).isEqualTo("Herald hub: " + url);
      BufferedReader err =
          new BufferedReader(
              new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
      if (!strict) { // written before the hub starts, so before the line above
        assertThat(readLine(err))
            .isEqualTo(
                "herald hub: --compat (HERALD_COMPAT) is deprecated and does nothing: pre-1.0"
                    + " Mercure clients are accepted by default; --strict refuses them.");
      }
      java.net.http.HttpResponse<String> published =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                  .header("Authorization", "Bearer " + symfony)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          "topic=https%3A%2F%2Fexample.com%2Fbooks%2F1&data=x&private=on"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      java.net.http.HttpResponse<java.io.InputStream> topic =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(url + "?topic=https%3A%2F%2Fexample.com%2F%7Bid%7D"))
                  .header("Cookie", "mercureAuthorization=" + symfony)
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofInputStream());
      String topicBody; // a refusal's whole text; a stream (200) is not read, only closed
      try (java.io.InputStream body = topic.body()) {
        topicBody = strict ? new String(body.readAllBytes(), StandardCharsets.UTF_8) : "(a stream)";
      }
      if (strict) {
        assertThat(published.statusCode()).isEqualTo(401);
        assertThat(published.headers().firstValue("www-authenticate").orElseThrow())
            .contains("strict");
        assertThat(topic.statusCode()).isEqualTo(400);
        assertThat(topicBody).contains("topic=", "strict");
      } else {
        assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
        assertThat(published.body()).startsWith("urn:uuid:");
        assertThat(topic.statusCode()).as("topic= with the cookie streams").isEqualTo(200);
      }
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Symfony's token: {"typ":"JWT","alg":"HS256"}, a float exp and the mercure claim, HS256. */
  private static String symfonyToken(String secret) throws Exception {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    long exp = System.currentTimeMillis() / 1000 + 3600;
    String input =
        b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(
                ("{\"exp\":" + exp + ".5,\"mercure\":{\"publish\":[\"*\"],\"subscribe\":[\"*\"]}}")
                    .getBytes(StandardCharsets.UTF_8));
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
  }
}
