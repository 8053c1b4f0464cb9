package dev.herald.testing.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.testing.Chromium;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * The hub's dashboard open in a Chromium tab, as the browser tests drive it: fill in a field, click
 * a button, read a table's row. Every console error, uncaught exception, rejected promise, failed
 * resource and content security policy violation of the page is kept in {@code window.pageErrors}.
 */
final class DashboardPage implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Runs before the page's own scripts: keeps the page's errors in {@code window.pageErrors}. */
  private static final String RECORD_ERRORS =
      "window.pageErrors = [];"
          + "const consoleError = console.error;"
          + "console.error = (...args) => {"
          + "  window.pageErrors.push('console.error: ' + args.join(' '));"
          + "  consoleError.apply(console, args);"
          + "};"
          + "window.addEventListener('error', (e) => window.pageErrors.push("
          + "  'error: ' + (e.message || (e.target && (e.target.src || e.target.href)))), true);"
          + "window.addEventListener('unhandledrejection', (e) => window.pageErrors.push("
          + "  'rejection: ' + e.reason));"
          + "document.addEventListener('securitypolicyviolation', (e) => window.pageErrors.push("
          + "  'content security policy: ' + e.violatedDirective + ' ' + e.blockedURI));";

  final Chromium.Page page;

  /** Opens {@code baseUrl + "/"} in a new tab of {@code chromium}. */
  DashboardPage(Chromium chromium, String baseUrl) throws IOException, InterruptedException {
    page = chromium.open(URI.create("about:blank"));
    page.command("Page.enable", Map.of());
    page.command("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_ERRORS));
    page.navigate(URI.create(baseUrl + "/"));
  }

  JsonNode evaluate(String expression) throws IOException {
    return page.evaluate(expression);
  }

  JsonNode await(String expression) throws IOException, InterruptedException {
    return page.await(expression);
  }

  static String js(String value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  void set(String id, String value) throws IOException {
    page.evaluate("document.getElementById(" + js(id) + ").value = " + js(value));
  }

  void click(String id) throws IOException {
    page.evaluate("document.getElementById(" + js(id) + ").click()");
  }

  /** Sets matcher row {@code row} of the subscribe form. */
  void matcher(int row, String type, String value) throws IOException {
    page.evaluate(
        "(() => { const row = document.getElementById('matchers').children["
            + row
            + "]; row.querySelector('.matcher-type').value = "
            + js(type)
            + "; row.querySelector('.matcher-value').value = "
            + js(value)
            + "; })()");
  }

  /**
   * The cells' text of the row of {@code id} in table body {@code body} once it shows: a data
   * cell's value (without its buttons).
   */
  JsonNode awaitRow(String body, String id) throws IOException, InterruptedException {
    return page.await(
        "(() => { const row = document.querySelector('#"
            + body
            + " tr[data-id=\"' + "
            + js(id)
            + " + '\"]'); return row && [...row.children].map(td =>"
            + " (td.querySelector('.value') || td).textContent); })()");
  }

  /** The IDs of table body {@code body}'s rows, top to bottom. */
  JsonNode ids(String body) throws IOException {
    return page.evaluate(
        "[...document.querySelectorAll('#" + body + " tr')].map(row => row.dataset.id)");
  }

  /** The subscribe form's state once it is open or has failed. */
  String awaitSubscribed() throws IOException, InterruptedException {
    return page.await(
            "(s => s.startsWith('open') || s.startsWith('error') ? s : '')"
                + "(document.getElementById('subscribe-state').textContent)")
        .asText();
  }

  /**
   * A PNG at {@code file} of the smallest area of the page that holds every element {@code
   * selectors} select, with a margin of 8 pixels.
   */
  void screenshot(Path file, String... selectors) throws IOException {
    StringBuilder list = new StringBuilder("[");
    for (String selector : selectors) {
      list.append(list.length() > 1 ? "," : "").append(js(selector));
    }
    JsonNode box =
        page.evaluate(
            "(() => { const rects = "
                + list
                + "].map(s => document.querySelector(s).getBoundingClientRect());"
                + " const left = Math.min(...rects.map(r => r.left)) + scrollX - 8;"
                + " const top = Math.min(...rects.map(r => r.top)) + scrollY - 8;"
                + " const right = Math.max(...rects.map(r => r.right)) + scrollX + 8;"
                + " const bottom = Math.max(...rects.map(r => r.bottom)) + scrollY + 8;"
                + " return { x: Math.max(0, left), y: Math.max(0, top),"
                + " width: right - Math.max(0, left), height: bottom - Math.max(0, top) }; })()");
    Map<String, Object> clip =
        Map.of(
            "x", box.get("x").asDouble(),
            "y", box.get("y").asDouble(),
            "width", box.get("width").asDouble(),
            "height", box.get("height").asDouble(),
            "scale", 1);
    JsonNode shot =
        page.command(
            "Page.captureScreenshot",
            Map.of("format", "png", "clip", clip, "captureBeyondViewport", true));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
  }

  /** Waits until the topic of row {@code id} of table body {@code body} is no longer looked up. */
  String awaitTopic(String body, String id) throws IOException, InterruptedException {
    return page.await(
            "(() => { const cell = document.querySelector('#"
                + body
                + " tr[data-id=\"' + "
                + js(id)
                + " + '\"] td:nth-child(3)'); return cell && !cell.classList.contains('pending')"
                + " && cell.textContent; })()")
        .asText();
  }

  @Override
  public void close() throws IOException {
    page.close();
  }
}
