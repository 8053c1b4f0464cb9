package dev.herald.cli;

import dev.herald.hub.auth.TokenMinter;
import dev.herald.hub.mercure.TopicMatcher;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code herald token}: mints an HS256 access token for a Mercure hub (RFC 9068, with Mercure
 * authorization details) and prints it.
 *
 * <pre>{@code
 * ./herald token --secret "$HERALD_JWT_SECRET" --publish '*'
 * ./herald token --subscribe-pattern 'https://example.com/books/:id' --ttl PT10M
 * ./herald token --hub http://127.0.0.1:9090/.well-known/mercure --publish '*'
 * }</pre>
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Mints an access token for the hub.",
      "%nPrints an HS256 JWT access token (typ at+jwt) granting publish and subscribe on the"
          + " topics given. The key comes from --secret or HERALD_JWT_SECRET. Issuer and audience"
          + " are those the hub at --hub (or HERALD_HUB_URL) expects by default: its origin and"
          + " its URL; --issuer and --audience say otherwise.%n"
    })
final class TokenCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--secret",
      paramLabel = "SECRET",
      defaultValue = "${env:HERALD_JWT_SECRET}",
      description = "The HMAC key, at least 32 bytes (default: $HERALD_JWT_SECRET).")
  private String secret;

  @Mixin private HubUrl hub;

  @Option(
      names = "--issuer",
      paramLabel = "ISS",
      defaultValue = "${env:HERALD_ISSUER}",
      description = "iss (default: $HERALD_ISSUER, else the origin of --hub).")
  private String issuer;

  @Option(
      names = "--audience",
      paramLabel = "AUD",
      defaultValue = "${env:HERALD_AUDIENCE}",
      description =
          "aud, the hub's resource identifier (default: $HERALD_AUDIENCE, else the URL of --hub).")
  private String audience;

  @Option(
      names = "--subject",
      paramLabel = "SUB",
      defaultValue = "herald-cli",
      description = "sub (default: ${DEFAULT-VALUE}).")
  private String subject;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      defaultValue = "PT1H",
      description = "Lifetime, ISO-8601 (default: ${DEFAULT-VALUE}).")
  private Duration ttl;

  @Option(
      names = "--publish",
      paramLabel = "TOPIC",
      description = "May publish to this topic (exact; * for every topic). Repeatable.")
  private List<String> publish = new ArrayList<>();

  @Option(
      names = "--publish-pattern",
      paramLabel = "PATTERN",
      description = "May publish to topics matching this URL pattern. Repeatable.")
  private List<String> publishPatterns = new ArrayList<>();

  @Option(
      names = "--subscribe",
      paramLabel = "TOPIC",
      description = "May receive private updates of this topic (exact; * for all). Repeatable.")
  private List<String> subscribe = new ArrayList<>();

  @Option(
      names = "--subscribe-pattern",
      paramLabel = "PATTERN",
      description = "May receive private updates of topics matching this URL pattern. Repeatable.")
  private List<String> subscribePatterns = new ArrayList<>();

  @Option(
      names = "--compat",
      description =
          "Mint a pre-1.0 token instead (typ JWT, the mercure claim), for older hubs and clients.")
  private boolean compat;

  TokenCommand() {}

  @Override
  public Integer call() {
    if (secret == null || secret.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "--secret (or HERALD_JWT_SECRET) is required");
    }
    if (publish.isEmpty()
        && publishPatterns.isEmpty()
        && subscribe.isEmpty()
        && subscribePatterns.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "grant something: --publish, --subscribe or their -pattern forms");
    }
    URI hubUri = hub.uri();
    String iss = issuer != null ? issuer : hubUri.getScheme() + "://" + hubUri.getRawAuthority();
    String aud = audience != null ? audience : hub.text();
    try {
      TokenMinter.Builder minter =
          TokenMinter.builder()
              .hmacSecret(secret.getBytes(StandardCharsets.UTF_8))
              .issuer(iss)
              .audience(aud)
              .subject(subject)
              .ttl(ttl)
              .compat(compat);
      List<TopicMatcher> pub = matchers(publish, publishPatterns);
      if (!pub.isEmpty()) {
        minter.publish(pub.toArray(new TopicMatcher[0]));
      }
      List<TopicMatcher> sub = matchers(subscribe, subscribePatterns);
      if (!sub.isEmpty()) {
        minter.subscribe(sub.toArray(new TopicMatcher[0]));
      }
      spec.commandLine().getOut().println(minter.build().mint());
      spec.commandLine().getOut().flush();
      return 0;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private List<TopicMatcher> matchers(List<String> exact, List<String> patterns) {
    List<TopicMatcher> matchers = new ArrayList<>();
    for (String e : exact) {
      matchers.add(TopicMatcher.of(TopicMatcher.EXACT, e, hub.text()));
    }
    for (String p : patterns) {
      matchers.add(TopicMatcher.of(TopicMatcher.URLPATTERN, p, hub.text()));
    }
    return matchers;
  }
}
