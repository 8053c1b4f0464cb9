package example;

import dev.herald.client.EventSource;
import dev.herald.client.EventStream;
import dev.herald.core.SseEvent;
import dev.herald.server.HeraldServer;
import dev.herald.urlpattern.UrlPattern;
import java.net.URI;

/**
 * Serves one event with herald-server on a free port, reads it back with herald-client, and
 * matches its URL with herald-urlpattern (whose jar carries re2j relocated): prints "received:
 * hello" and exits 0, or fails.
 */
public final class Consumer {
  private Consumer() {}

  public static void main(String[] args) throws Exception {
    HeraldServer server =
        HeraldServer.builder()
            .host("127.0.0.1")
            .port(0)
            .sse("/hello", (request, stream) -> stream.send(SseEvent.of("hello")))
            .build()
            .start();
    try {
      String url = server.baseUrl() + "/hello";
      if (!UrlPattern.compile("http://127.0.0.1:*/hello").test(url)) {
        throw new AssertionError("the URL pattern does not match " + url);
      }
      try (EventStream events = EventSource.builder(URI.create(url)).openStream()) {
        SseEvent event = events.iterator().next();
        if (!"hello".equals(event.data())) {
          throw new AssertionError("unexpected event " + event);
        }
        System.out.println("received: " + event.data());
      }
    } finally {
      server.close();
    }
  }
}
