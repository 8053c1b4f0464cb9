package dev.herald.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Serves files under a URL prefix from a directory or from class-path resources: enough for demo
 * pages and dashboards. Paths with {@code ..} segments are refused; a path ending in {@code /}
 * serves its {@code index.html}. Files are read per request: keep them small.
 */
final class StaticFiles implements HttpHandler {
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "json", "application/json",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "txt", "text/plain; charset=utf-8");

  private final String prefix;
  private final Path directory;
  private final ClassLoader loader;
  private final String resourceBase;

  private StaticFiles(String prefix, Path directory, ClassLoader loader, String resourceBase) {
    this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    this.directory = directory;
    this.loader = loader;
    this.resourceBase = resourceBase;
  }

  static StaticFiles fromDirectory(String prefix, Path directory) {
    return new StaticFiles(prefix, directory.toAbsolutePath().normalize(), null, null);
  }

  static StaticFiles fromResources(String prefix, ClassLoader loader, String base) {
    String normalized = base.endsWith("/") || base.isEmpty() ? base : base + "/";
    return new StaticFiles(prefix, null, loader, normalized);
  }

  @Override
  public Response handle(Request request) {
    String path = request.path();
    String relative = path.length() < prefix.length() ? "" : path.substring(prefix.length());
    if (relative.isEmpty() || relative.endsWith("/")) {
      relative += "index.html";
    }
    for (String segment : relative.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".") || segment.indexOf('\\') >= 0) {
        return Response.text(400, "bad path");
      }
    }
    byte[] body = read(relative);
    if (body == null) {
      return Response.text(404, "not found: " + path);
    }
    return Response.builder(200)
        .header("Cache-Control", "no-cache")
        .body(contentType(relative), body)
        .build();
  }

  private byte[] read(String relative) {
    try {
      if (directory != null) {
        Path file = directory.resolve(relative).normalize();
        return file.startsWith(directory) && Files.isRegularFile(file)
            ? Files.readAllBytes(file)
            : null;
      }
      try (InputStream in = loader.getResourceAsStream(resourceBase + relative)) {
        return in == null ? null : in.readAllBytes();
      }
    } catch (IOException e) {
      throw new HeraldServerException("cannot read " + relative, e); // a 500
    }
  }

  private static String contentType(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }
}
