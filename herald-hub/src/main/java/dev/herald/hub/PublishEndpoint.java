package dev.herald.hub;

import dev.herald.hub.auth.AccessDeniedException;
import dev.herald.hub.mercure.Update;
import dev.herald.hub.store.StoredUpdate;
import dev.herald.hub.store.UpdateStoreException;
import dev.herald.server.HeraldServer;
import dev.herald.server.Request;
import dev.herald.server.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publish ({@code POST} at the hub's path), in five steps: read the form, build the update from it,
 * authorize the publisher, append the update to the store, and answer with its ID once the store
 * has made it durable — without blocking the event loop, which goes on serving other connections
 * while the store works. Each of the first three steps may refuse the request with the answer the
 * Mercure protocol gives.
 */
final class PublishEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

  private final Hub hub;
  private final HubConfig config;
  private final Authorization authorization;

  PublishEndpoint(Hub hub, Authorization authorization) {
    this.hub = hub;
    this.config = hub.config();
    this.authorization = authorization;
  }

  void register(HeraldServer.Builder server) {
    server.routeAsync("POST", config.path(), this::publish);
  }

  private CompletionStage<Response> publish(Request request) {
    hub.metrics().publishRequest();
    Update update;
    try {
      Form form = readForm(request);
      update = toUpdate(form);
      authorize(request, update);
    } catch (Refused refused) {
      return CompletableFuture.completedFuture(refused.response);
    }
    return hub.append(update).handle(this::answer);
  }

  /** A publish refused before the store saw it, with the answer to give. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Response response;

    Refused(Response response) {
      super(null, null, false, false); // a routine answer: no stack trace
      this.response = response;
    }

    static Refused text(int status, String text) {
      return new Refused(Response.text(status, text));
    }
  }

  /** The fields of a publish form: every {@code topic}, the first of each other field. */
  private static final class Form {
    final List<String> topics = new ArrayList<>();
    String data;
    String id;
    String type;
    String retry;
    boolean isPrivate;
  }

  /** Step 1: the form-encoded body's fields; unknown fields are ignored, for future extensions. */
  private Form readForm(Request request) throws Refused {
    String contentType = request.header("Content-Type");
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw Refused.text(400, "the body must be application/x-www-form-urlencoded");
    }
    List<Map.Entry<String, String>> fields;
    try {
      fields = FormData.parse(request.body());
    } catch (IllegalArgumentException e) {
      throw Refused.text(400, "the body is not valid UTF-8");
    }
    Form form = new Form();
    for (Map.Entry<String, String> f : fields) {
      String v = f.getValue();
      switch (f.getKey()) {
        case "topic":
          if (form.topics.size() == config.maxTopics()) {
            throw Refused.text(413, "more than " + config.maxTopics() + " topics");
          }
          form.topics.add(v);
          break;
        case "data":
          form.data = form.data == null ? v : form.data;
          break;
        case "id":
          form.id = form.id == null ? v : form.id;
          break;
        case "type":
          form.type = form.type == null ? v : form.type;
          break;
        case "retry":
          form.retry = form.retry == null ? v : form.retry;
          break;
        case "private":
          form.isPrivate = true;
          break;
        default: // unknown fields are ignored, for future extensions
      }
    }
    return form;
  }

  /** Step 2: the update the form describes, if it may be published (Mercure, "Publication"). */
  private Update toUpdate(Form form) throws Refused {
    if (form.topics.isEmpty()) {
      throw Refused.text(400, "at least one topic field is required");
    }
    Long retryMillis = null;
    if (form.retry != null) {
      if (form.retry.isEmpty() || !form.retry.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw Refused.text(400, "retry must be ASCII digits");
      }
      try {
        retryMillis = Long.parseLong(form.retry);
      } catch (NumberFormatException e) {
        throw Refused.text(400, "retry is too large");
      }
    }
    String id = form.id != null && form.id.isEmpty() ? null : form.id;
    String type = form.type != null && form.type.isEmpty() ? null : form.type;
    Update update = new Update(form.topics, form.data, form.isPrivate, id, type, retryMillis);
    String problem = Publications.check(update, config.path(), hub.url());
    if (problem != null) {
      throw Refused.text(400, problem);
    }
    return update;
  }

  /** Step 3: whether the publisher may publish {@code update}, as the access policy says. */
  private void authorize(Request request, Update update) throws Refused {
    try {
      authorization.publish(request, update);
    } catch (AccessDeniedException e) {
      throw new Refused(authorization.refused(request, e));
    }
  }

  /** Step 5, when the store is done: the update's ID, or 503 if it could not be stored. */
  private Response answer(StoredUpdate stored, Throwable failure) {
    if (failure != null) {
      Throwable cause =
          failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause()
              : failure;
      boolean overloaded = cause instanceof HubOverloadedException;
      if (overloaded) {
        LOG.debug("publish refused: {}", cause.getMessage()); // one per refusal
      } else if (cause instanceof UpdateStoreException) {
        LOG.warn("an update could not be stored: {}", cause.getMessage()); // says why, no trace
      } else {
        LOG.error("an update could not be stored", failure);
      }
      return Response.builder(503)
          .header("Retry-After", "1")
          .body(
              "text/plain; charset=utf-8",
              overloaded ? cause.getMessage() : "the update could not be stored")
          .build();
    }
    return Response.builder(200).body("text/plain; charset=utf-8", stored.update().id()).build();
  }
}
