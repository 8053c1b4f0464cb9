package dev.herald.examples;

import dev.herald.server.HttpHandler;
import dev.herald.server.Request;
import dev.herald.server.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The page at {@code /}: a link to each demo, with its description. */
final class IndexPage implements HttpHandler {
  private final byte[] html;

  IndexPage(List<Demo> demos) {
    StringBuilder items = new StringBuilder();
    for (Demo demo : demos) {
      items
          .append("  <li><a href=\"")
          .append(escape(demo.name()))
          .append("/\">")
          .append(escape(demo.title()))
          .append("</a> — ")
          .append(escape(demo.description()))
          .append("</li>\n");
    }
    String page =
        "<!doctype html>\n"
            + "<html lang=\"en\">\n"
            + "<meta charset=\"utf-8\">\n"
            + "<title>Herald demos</title>\n"
            + "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46em;margin:2em auto;"
            + "padding:0 1em}li{margin:.4em 0}</style>\n"
            + "<h1>Herald demos</h1>\n"
            + "<p>Server-sent events from a Herald server to your browser's <code>EventSource"
            + "</code>. Each demo is a main class, a handler and this kind of page; see "
            + "<code>herald-examples</code>.</p>\n"
            + "<ul>\n"
            + items
            + "</ul>\n"
            + "</html>\n";
    this.html = page.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Response handle(Request request) {
    return Response.builder(200)
        .header("Cache-Control", "no-cache")
        .body("text/html; charset=utf-8", html)
        .build();
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
