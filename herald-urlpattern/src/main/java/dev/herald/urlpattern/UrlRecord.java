package dev.herald.urlpattern;

import java.util.ArrayList;
import java.util.List;

/**
 * A URL record of the URL Standard, mutable while the parser fills it. The host is held serialized
 * (null for no host, the empty string for the empty host); a URL with an opaque path has a non-null
 * {@link #opaquePath} and an unused {@link #path}.
 */
final class UrlRecord {
  String scheme = "";
  String username = "";
  String password = "";
  String host;
  int port = -1;
  List<String> path = new ArrayList<>();
  String opaquePath;
  String query;
  String fragment;

  /** {@code https://dummy.invalid/}, the URL Pattern standard's dummy URL. */
  static UrlRecord dummy() {
    UrlRecord url = new UrlRecord();
    url.scheme = "https";
    url.host = "dummy.invalid";
    url.path.add("");
    return url;
  }

  boolean isSpecial() {
    return isSpecialScheme(scheme);
  }

  boolean hasOpaquePath() {
    return opaquePath != null;
  }

  boolean includesCredentials() {
    return !username.isEmpty() || !password.isEmpty();
  }

  static boolean isSpecialScheme(String scheme) {
    return defaultPort(scheme) != -2;
  }

  /** The default port of a special scheme, -1 for {@code file}, -2 for other schemes. */
  static int defaultPort(String scheme) {
    switch (scheme) {
      case "ftp":
        return 21;
      case "http":
      case "ws":
        return 80;
      case "https":
      case "wss":
        return 443;
      case "file":
        return -1;
      default:
        return -2;
    }
  }

  UrlRecord copy() {
    UrlRecord copy = new UrlRecord();
    copy.scheme = scheme;
    copy.username = username;
    copy.password = password;
    copy.host = host;
    copy.port = port;
    copy.path = new ArrayList<>(path);
    copy.opaquePath = opaquePath;
    copy.query = query;
    copy.fragment = fragment;
    return copy;
  }

  /** The URL path serializer. */
  String pathname() {
    if (hasOpaquePath()) {
      return opaquePath;
    }
    StringBuilder out = new StringBuilder();
    for (String segment : path) {
      out.append('/').append(segment);
    }
    return out.toString();
  }

  String portString() {
    return port < 0 ? "" : Integer.toString(port);
  }

  /** The URL serializer. */
  String href() {
    StringBuilder out = new StringBuilder(scheme).append(':');
    if (host != null) {
      out.append("//");
      if (includesCredentials()) {
        out.append(username);
        if (!password.isEmpty()) {
          out.append(':').append(password);
        }
        out.append('@');
      }
      out.append(host);
      if (port >= 0) {
        out.append(':').append(port);
      }
    }
    if (host == null && !hasOpaquePath() && path.size() > 1 && path.get(0).isEmpty()) {
      out.append("/.");
    }
    out.append(pathname());
    if (query != null) {
      out.append('?').append(query);
    }
    if (fragment != null) {
      out.append('#').append(fragment);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return href();
  }
}
