package dev.herald.bench.load;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * An {@code http://} URL with placeholders such as {@code {ch}}, so that one scenario can drive any
 * server: {@code http://127.0.0.1:8090/sub/{ch}} for the reference servers, {@code
 * http://127.0.0.1:8080/.well-known/mercure?topic={ch}} for a Mercure hub. A value is
 * percent-encoded where it replaces its placeholder, except the characters that are safe in a path
 * segment and a query value alike.
 *
 * <p>Immutable and thread-safe.
 */
public final class UrlTemplate {
  private final String template;
  private final String host;
  private final int port;
  private final String target;

  private UrlTemplate(String template) {
    this.template = template;
    URI uri;
    try {
      uri = new URI(template.replace("{", "%7B").replace("}", "%7D"));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + template, e);
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("not an http:// URL with a host: " + template);
    }
    this.host = uri.getHost();
    this.port = uri.getPort() < 0 ? 80 : uri.getPort();
    int start = template.indexOf('/', "http://".length());
    this.target = start < 0 ? "/" : template.substring(start);
  }

  /** Parses {@code template}, an {@code http://host[:port]/path[?query]} URL with placeholders. */
  public static UrlTemplate of(String template) {
    return new UrlTemplate(Objects.requireNonNull(template, "template"));
  }

  /** The host to connect to. */
  public String host() {
    return host;
  }

  /** The port to connect to. */
  public int port() {
    return port;
  }

  /** The {@code Host} header's value. */
  public String authority() {
    return port == 80 ? host : host + ":" + port;
  }

  /**
   * The request target (path and query) with every {@code {name}} replaced by its value in {@code
   * values}, percent-encoded.
   *
   * @throws IllegalArgumentException if a placeholder has no value
   */
  public String target(Map<String, String> values) {
    return expand(target, values, true);
  }

  /** {@code text} with every {@code {name}} replaced by its value, as it is (no encoding). */
  static String expandRaw(String text, Map<String, String> values) {
    return expand(text, values, false);
  }

  private static String expand(String text, Map<String, String> values, boolean encode) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf('{', i);
      if (open < 0) {
        out.append(text, i, text.length());
        break;
      }
      int close = text.indexOf('}', open);
      if (close < 0) {
        throw new IllegalArgumentException("unclosed placeholder in " + text);
      }
      String name = text.substring(open + 1, close);
      String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException("no value for {" + name + "} in " + text);
      }
      out.append(text, i, open).append(encode ? encode(value) : value);
      i = close + 1;
    }
    return out.toString();
  }

  private static String encode(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return template;
  }
}
