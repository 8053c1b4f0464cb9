package dev.herald.examples;

import dev.herald.server.HeraldServer;

/**
 * One demo: the endpoints under {@code /NAME/} and the web page that uses them. {@link Demos}
 * mounts a demo's endpoints with {@link #mount}, serves its page (the class-path resources under
 * {@code herald-examples/NAME/}) at {@code /NAME/}, and lists it on the index page.
 *
 * <p>Implementations are thread-safe. A demo may own threads or files; {@link #close} releases
 * them, after the server that serves it has stopped.
 *
 * @since 0.1
 */
public interface Demo extends AutoCloseable {
  /** The demo's name: its URL path segment and the name {@code ./herald demo NAME} takes. */
  String name();

  /** A title for the index page. */
  String title();

  /** One sentence for the index page. */
  String description();

  /** Adds the demo's routes, each under {@code /NAME/}, to {@code server}. */
  void mount(HeraldServer.Builder server);

  /** Stops the demo's threads and closes its files; idempotent. */
  @Override
  void close();
}
