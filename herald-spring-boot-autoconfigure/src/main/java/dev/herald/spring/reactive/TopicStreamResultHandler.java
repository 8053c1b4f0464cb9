package dev.herald.spring.reactive;

import dev.herald.spring.Heartbeats;
import dev.herald.spring.OpenStreams;
import dev.herald.spring.StreamSettings;
import dev.herald.spring.TopicStream;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerResult;
import org.springframework.web.reactive.HandlerResultHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers a WebFlux handler that returns a {@link TopicStream} with a Herald event stream ({@link
 * FluxSseStream}), subscribed with the request's last event ID, with heartbeats. Ordered ahead of
 * Spring's own result handlers, so that {@code @RestController}s may return one too.
 *
 * <p>Thread-safe.
 *
 * @since 0.2
 */
public final class TopicStreamResultHandler implements HandlerResultHandler, Ordered {
  private final StreamSettings settings;
  private final Heartbeats heartbeats;
  private final OpenStreams open;

  /**
   * A handler serving streams with {@code settings}' defaults, beating on {@code heartbeats},
   * closed at shutdown by {@code open}.
   */
  public TopicStreamResultHandler(
      StreamSettings settings, Heartbeats heartbeats, OpenStreams open) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.heartbeats = Objects.requireNonNull(heartbeats, "heartbeats");
    this.open = Objects.requireNonNull(open, "open");
  }

  @Override
  public boolean supports(HandlerResult result) {
    return TopicStream.class.isAssignableFrom(result.getReturnType().toClass());
  }

  @Override
  public Mono<Void> handleResult(ServerWebExchange exchange, HandlerResult result) {
    Object value = result.getReturnValue();
    if (!(value instanceof TopicStream)) {
      exchange.getResponse().setRawStatusCode(204);
      return exchange.getResponse().setComplete();
    }
    TopicStream topics = (TopicStream) value;
    StreamSettings effective = settings.of(topics);
    FluxSseStream stream =
        new FluxSseStream(exchange.getRequest(), exchange.getResponse(), effective);
    topics.subscribe(stream, stream.lastEventId());
    heartbeats.keepAlive(stream, effective.heartbeat());
    open.add(stream);
    return stream.write();
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }
}
