package dev.herald.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code herald pub}: publishes one update to a Mercure hub and prints the ID the hub gave it.
 *
 * <pre>{@code
 * ./herald pub --token "$TOKEN" --topic https://example.com/books/1 --data '{"title":"Dune"}'
 * echo hello | ./herald pub --topic news --data -
 * }</pre>
 */
@Command(
    name = "pub",
    mixinStandardHelpOptions = true,
    description = {
      "Publishes an update to a Mercure hub.",
      "%nPOSTs the update to the hub and prints the ID it answers with. The token comes from"
          + " --token or the environment variable HERALD_TOKEN; the hub's URL from --hub or"
          + " HERALD_HUB_URL.%n"
    })
final class PubCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @ParentCommand private HeraldCommand parent;

  @Mixin private HubUrl hub;

  @Option(
      names = "--token",
      paramLabel = "JWT",
      defaultValue = "${env:HERALD_TOKEN}",
      description = "The publisher's access token (default: $HERALD_TOKEN).")
  private String token;

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      required = true,
      description = "A topic; repeat for alternate topics (the first is the canonical one).")
  private List<String> topics = new ArrayList<>();

  @Option(
      names = "--data",
      paramLabel = "TEXT",
      description = "The update's content; - reads it from standard input.")
  private String data;

  @Option(names = "--id", paramLabel = "ID", description = "The update's ID (default: the hub's).")
  private String id;

  @Option(names = "--type", paramLabel = "TYPE", description = "The SSE event type.")
  private String type;

  @Option(names = "--retry", paramLabel = "MILLIS", description = "The SSE retry field.")
  private Long retry;

  @Option(names = "--private", description = "Only subscribers allowed by their token get it.")
  private boolean isPrivate;

  @Option(
      names = "--insecure",
      description = "Accept any TLS certificate (a development hub's self-signed one).")
  private boolean insecure;

  PubCommand() {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String content = data;
    if ("-".equals(content)) {
      content = new String(parent.stdin().readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> fields = new ArrayList<>();
    for (String topic : topics) {
      fields.add(field("topic", topic));
    }
    if (content != null) {
      fields.add(field("data", content));
    }
    if (id != null) {
      fields.add(field("id", id));
    }
    if (type != null) {
      fields.add(field("type", type));
    }
    if (retry != null) {
      fields.add(field("retry", Long.toString(retry)));
    }
    if (isPrivate) {
      fields.add("private=on");
    }
    URI uri = hub.uri();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(String.join("&", fields)));
    if (token != null && !token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (insecure) {
      client.sslContext(Insecure.sslContext());
    }
    HttpResponse<String> response;
    try {
      response = client.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      err.println("herald pub: cannot reach " + hub.text() + ": " + Failures.cause(e));
      return 1;
    }
    if (response.statusCode() != 200) {
      err.println(
          "herald pub: the hub answered "
              + response.statusCode()
              + response
                  .headers()
                  .firstValue("WWW-Authenticate")
                  .map(c -> " (" + c + ")")
                  .orElse("")
              + ": "
              + response.body().strip());
      return 1;
    }
    out.println(response.body());
    return 0;
  }

  private static String field(String name, String value) {
    return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
