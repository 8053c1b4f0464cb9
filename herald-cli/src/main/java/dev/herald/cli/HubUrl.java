package dev.herald.cli;

import java.net.URI;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --hub} option of {@code herald pub}, {@code sub} and {@code token}, by one rule: the
 * option, else the environment variable {@code HERALD_HUB_URL} (which {@code herald hub} exports in
 * development mode), else {@value #DEFAULT}; an http or https URL with a host.
 */
final class HubUrl {
  /** The hub's URL when neither {@code --hub} nor {@code HERALD_HUB_URL} says: {@value}. */
  static final String DEFAULT = "http://127.0.0.1:8080/.well-known/mercure";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  @Option(
      names = "--hub",
      paramLabel = "URL",
      defaultValue = "${env:HERALD_HUB_URL:-" + DEFAULT + "}",
      description = "The hub's URL (default: $HERALD_HUB_URL, else " + DEFAULT + ").")
  private String hub;

  HubUrl() {}

  /** The URL as given. */
  String text() {
    return hub;
  }

  /**
   * The URL.
   *
   * @throws ParameterException if it is not an http or https URL with a host
   */
  URI uri() {
    URI uri;
    try {
      uri = URI.create(hub);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--hub is not a URL: " + hub);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new ParameterException(
          spec.commandLine(), "--hub must be an http or https URL with a host: " + hub);
    }
    return uri;
  }
}
