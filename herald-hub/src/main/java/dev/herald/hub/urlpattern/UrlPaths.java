package dev.herald.hub.urlpattern;

/**
 * The WHATWG URL parser's view of a path, for the hub's reserved-namespace check. Public only
 * within the module: this package is not exported.
 */
public final class UrlPaths {
  private UrlPaths() {}

  /**
   * The path of {@code input} parsed against {@code base} by the URL Standard's parser — dot
   * segments removed, {@code %2e} treated as a dot — as {@code /a/b}; {@code null} if either does
   * not parse, or the URL has an opaque path.
   */
  public static String resolvedPath(String input, String base) {
    UrlRecord baseUrl = base == null ? null : UrlParser.parse(base, null);
    if (base != null && baseUrl == null) {
      return null;
    }
    UrlRecord url = UrlParser.parse(input, baseUrl);
    if (url == null || url.hasOpaquePath()) {
      return null;
    }
    return url.path.isEmpty() ? "" : "/" + String.join("/", url.path);
  }
}
