package dev.herald.publisher;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes updates to a Mercure hub: the Java counterpart of Symfony's {@code HubInterface}. The
 * HTTP implementation is {@link HubPublisher}; an application may provide its own (a test double,
 * an in-process hub).
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.2
 */
public interface Publisher {
  /** The hub's URL, as publishers reach it. */
  String url();

  /**
   * Publishes {@code publication} and waits for the hub's answer.
   *
   * @return the ID of the update, as the hub answered it
   * @throws PublishException if the hub refused it, could not be reached, or did not answer in time
   */
  default String publish(Publication publication) {
    return PublishException.join(publishAsync(publication));
  }

  /**
   * Publishes {@code publication} without blocking the calling thread.
   *
   * @return the ID of the update once the hub accepted it, or a {@link PublishException}
   */
  CompletableFuture<String> publishAsync(Publication publication);
}
