package dev.herald.sample;

import dev.herald.publisher.Publication;
import dev.herald.publisher.Publisher;
import dev.herald.spring.HubDiscovery;
import dev.herald.spring.servlet.HubResponses;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The page (with the user's subscriber cookie and the hub's link) and the form that sends a private
 * notification to a user's topic.
 */
@RestController
class NotificationsController {
  /** The topic of a user's notifications. */
  static String topic(String user) {
    return "https://herald.example/users/" + user + "/notifications";
  }

  private final Publisher publisher;
  private final HubResponses hub;
  private final HubDiscovery discovery;
  private final String page;

  NotificationsController(Publisher publisher, HubResponses hub, HubDiscovery discovery) {
    this.publisher = publisher;
    this.hub = hub;
    this.discovery = discovery;
    try (InputStream in = new ClassPathResource("page.html").getInputStream()) {
      this.page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
  String page(Principal user, CsrfToken csrf, HttpServletResponse response) {
    hub.discover(response);
    hub.authorize(response, List.of(topic(user.getName())));
    return page.replace("{{user}}", html(user.getName()))
        .replace("{{hub}}", html(discovery.hubUrl()))
        .replace("{{topic}}", html(topic(user.getName())))
        .replace("{{csrfParameter}}", html(csrf.getParameterName()))
        .replace("{{csrf}}", html(csrf.getToken()));
  }

  @PostMapping("/notify")
  String notify(Principal from, @RequestParam("to") String to, @RequestParam("text") String text) {
    if (!to.matches("[a-z]{1,32}") || text.length() > 1000) {
      throw new IllegalArgumentException("to: a user name; text: at most 1000 characters");
    }
    String json = "{\"from\":\"" + json(from.getName()) + "\",\"text\":\"" + json(text) + "\"}";
    return publisher.publish(
        Publication.builder(topic(to)).data(json).type("notification").privateUpdate(true).build());
  }

  private static String html(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String json(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
