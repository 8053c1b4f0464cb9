package dev.herald.client;

import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Fetch's rules for following a redirect (S-44), for the source's own redirect loop. */
final class Redirects {
  private static final String URI_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&'()*+,;=%";

  private Redirects() {}

  /** Whether {@code status} is a redirect status of Fetch: 301, 302, 303, 307 or 308. */
  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** Whether following {@code status} turns {@code method} into a GET without body (Fetch). */
  static boolean changesToGet(int status, String method) {
    return (status == 303 && !method.equals("HEAD"))
        || ((status == 301 || status == 302) && method.equals("POST"));
  }

  /**
   * The URL {@code location} points to, relative to {@code base}, without fragment. An empty
   * location is {@code base} itself, as in the URL standard. Characters a URI may not hold (spaces,
   * non-ASCII) are percent-encoded as UTF-8, as a browser would.
   *
   * @throws ProtocolException if it cannot be parsed or is not an http(s) URL: a network error
   */
  static URI resolve(URI base, String location) throws ProtocolException {
    URI target;
    try {
      String encoded = encode(location.strip());
      String root = base.getScheme() + "://" + base.getRawAuthority();
      String path =
          base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
      if (encoded.isEmpty() || encoded.startsWith("#")) {
        target = base;
      } else if (encoded.startsWith("?")) {
        target = new URI(root + path + encoded);
      } else {
        String query = base.getRawQuery() == null ? "" : "?" + base.getRawQuery();
        target = new URI(root + path + query).resolve(new URI(encoded));
      }
      String s = target.toString();
      int hash = s.indexOf('#');
      target = hash < 0 ? target : new URI(s.substring(0, hash));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new ProtocolException("unparsable Location: \"" + location + "\"");
    }
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || target.getHost() == null) {
      throw new ProtocolException("Location is not an http(s) URL: \"" + location + "\"");
    }
    return target;
  }

  /** Whether {@code a} and {@code b} have the same origin: scheme, host and port. */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private static String encode(String location) {
    boolean clean = location.chars().allMatch(c -> URI_CHARS.indexOf(c) >= 0);
    if (clean) {
      return location;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : location.getBytes(StandardCharsets.UTF_8)) {
      if (b >= 0 && URI_CHARS.indexOf(b) >= 0) {
        out.write(b);
      } else {
        out.writeBytes(String.format("%%%02X", b & 0xFF).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }
}
