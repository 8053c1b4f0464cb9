package dev.herald.spring.boot;

import dev.herald.hub.Hub;
import dev.herald.hub.mercure.Update;
import dev.herald.publisher.Publication;
import dev.herald.publisher.PublishException;
import dev.herald.publisher.Publisher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Publishes to the embedded hub in process ({@link Hub#publish}): no HTTP, no token; the future
 * completes once the hub's store holds the update. Refusals are {@link PublishException}s with the
 * status the hub's HTTP endpoint would answer: 400 for an update it cannot take, 503 when the store
 * could not take it (too many publishes waiting, the store unreachable or failing): the publisher
 * may retry those.
 */
final class EmbeddedHubPublisher implements Publisher {
  private final Hub hub;

  EmbeddedHubPublisher(Hub hub) {
    this.hub = hub;
  }

  @Override
  public String url() {
    return hub.url();
  }

  @Override
  public CompletableFuture<String> publishAsync(Publication p) {
    Update update =
        new Update(
            p.topics(),
            p.data(),
            p.isPrivate(),
            p.id(),
            p.type(),
            p.retry() == null ? null : p.retry().toMillis());
    CompletableFuture<String> published;
    try {
      published = hub.publish(update);
    } catch (RuntimeException e) {
      published = CompletableFuture.failedFuture(e);
    }
    return published.handle(
        (id, failure) -> {
          if (failure == null) {
            return id;
          }
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          // As the HTTP endpoint: an update the hub cannot take is the caller's; anything else is
          // the store's (overloaded, unreachable, failed), which a retry may get past.
          int status = cause instanceof IllegalArgumentException ? 400 : 503;
          String message = String.valueOf(cause.getMessage());
          throw new PublishException(
              "the embedded hub refused " + p + " (" + status + "): " + message, status, message);
        });
  }
}
