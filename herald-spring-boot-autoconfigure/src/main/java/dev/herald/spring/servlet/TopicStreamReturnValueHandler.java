package dev.herald.spring.servlet;

import dev.herald.spring.Heartbeats;
import dev.herald.spring.OpenStreams;
import dev.herald.spring.StreamSettings;
import dev.herald.spring.TopicStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Answers a Spring MVC handler that returns a {@link TopicStream} with a Herald event stream: an
 * asynchronous servlet response written without blocking ({@link ServletSseStream}), subscribed to
 * the topic stream's broadcaster with the request's last event ID, with heartbeats. The
 * auto-configuration puts it ahead of Spring's own handlers, so that {@code @RestController}s may
 * return a {@link TopicStream} too.
 *
 * <p>Thread-safe.
 *
 * @since 0.2
 */
public final class TopicStreamReturnValueHandler implements HandlerMethodReturnValueHandler {
  private static final Logger LOG = LoggerFactory.getLogger(TopicStreamReturnValueHandler.class);

  private final StreamSettings settings;
  private final Heartbeats heartbeats;
  private final OpenStreams open;

  /**
   * A handler serving streams with {@code settings}' defaults, beating on {@code heartbeats},
   * closed at shutdown by {@code open}.
   */
  public TopicStreamReturnValueHandler(
      StreamSettings settings, Heartbeats heartbeats, OpenStreams open) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.heartbeats = Objects.requireNonNull(heartbeats, "heartbeats");
    this.open = Objects.requireNonNull(open, "open");
  }

  @Override
  public boolean supportsReturnType(MethodParameter returnType) {
    return TopicStream.class.isAssignableFrom(returnType.getParameterType());
  }

  @Override
  public void handleReturnValue(
      Object returnValue,
      MethodParameter returnType,
      ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest) {
    mavContainer.setRequestHandled(true);
    HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
    HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
    if (returnValue == null || request == null || response == null) {
      if (response != null) {
        response.setStatus(204); // no stream: an EventSource stops reconnecting
      }
      return;
    }
    TopicStream topics = (TopicStream) returnValue;
    StreamSettings effective = settings.of(topics);
    ServletSseStream stream = new ServletSseStream(request, response, effective);
    stream.start();
    try {
      topics.subscribe(stream, stream.lastEventId());
    } catch (RuntimeException e) {
      // The asynchronous request is started: answer it here, or it would stay open forever.
      LOG.warn("subscribing {} failed", topics, e);
      try {
        stream.reject(503, "the stream could not start");
      } catch (IllegalStateException answering) {
        // a close during subscribe began the response; it completes it
      }
      return;
    }
    heartbeats.keepAlive(stream, effective.heartbeat());
    open.add(stream);
    stream.begin();
  }
}
