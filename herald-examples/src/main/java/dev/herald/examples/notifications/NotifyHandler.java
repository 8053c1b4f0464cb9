package dev.herald.examples.notifications;

import dev.herald.server.HttpHandler;
import dev.herald.server.Request;
import dev.herald.server.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /notifications/notify} with a form body ({@code application/x-www-form-urlencoded})
 * whose field {@code text} is the message: publishes it and answers {@code 202} with its ID, or
 * {@code 400} with the reason.
 */
final class NotifyHandler implements HttpHandler {
  private final NotificationsDemo demo;

  NotifyHandler(NotificationsDemo demo) {
    this.demo = demo;
  }

  @Override
  public Response handle(Request request) {
    String text = formField(request.bodyText(), "text");
    if (text == null) {
      return Response.text(400, "the form needs a field called text");
    }
    try {
      String id = demo.notify(text);
      return Response.json(202, "{\"id\":" + NotificationsDemo.quote(id) + "}");
    } catch (IllegalArgumentException e) {
      return Response.text(400, e.getMessage());
    }
  }

  /** The first value of {@code name} in a URL-encoded form, or {@code null}. */
  static String formField(String form, String name) {
    for (String pair : form.split("&")) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      if (decode(key).equals(name)) {
        return equals < 0 ? "" : decode(pair.substring(equals + 1));
      }
    }
    return null;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return ""; // a malformed %-escape
    }
  }
}
