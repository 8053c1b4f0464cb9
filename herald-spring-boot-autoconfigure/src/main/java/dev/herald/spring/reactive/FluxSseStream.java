package dev.herald.spring.reactive;

import dev.herald.server.Request;
import dev.herald.server.Response;
import dev.herald.server.SseStream;
import dev.herald.spring.StreamSettings;
import dev.herald.spring.internal.QueuedSseStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * An {@link SseStream} over a WebFlux response: events are encoded at once and queued ({@link
 * QueuedSseStream}), and handed to the server as the response's subscriber asks for them (its
 * demand follows what the connection took), each flushed. A client that falls behind by more than
 * the budget is disconnected; when the connection ends — the client left, the server stopped — the
 * server cancels the response and the stream's subscription ends at once, quietly.
 *
 * <p>Thread-safe.
 */
final class FluxSseStream extends QueuedSseStream {
  private static final Logger LOG = LoggerFactory.getLogger(FluxSseStream.class);

  private final ServerHttpResponse response;
  private final DataBufferFactory buffers;
  private final AtomicLong demand = new AtomicLong();

  private volatile FluxSink<DataBuffer> sink;
  private volatile Response rejected;

  FluxSseStream(ServerHttpRequest request, ServerHttpResponse response, StreamSettings s) {
    super(
        LOG,
        requestOf(request),
        s,
        request.getHeaders().getFirst("Last-Event-ID"),
        name -> request.getQueryParams().getFirst(name));
    this.response = response;
    this.buffers = response.bufferFactory();
  }

  /** The response: the rejection if the stream was rejected, else the stream itself. */
  Mono<Void> write() {
    Response rejection = rejected;
    if (rejection != null) {
      response.setStatusCode(HttpStatus.valueOf(rejection.status()));
      for (Map.Entry<String, String> header : rejection.headers().entrySet()) {
        response.getHeaders().set(header.getKey(), header.getValue());
      }
      return response.writeWith(Mono.just(buffers.wrap(rejection.body())));
    }
    response.setStatusCode(HttpStatus.OK);
    response.getHeaders().set("Content-Type", "text/event-stream");
    response.getHeaders().set("Cache-Control", "no-store");
    response.getHeaders().set("X-Accel-Buffering", "no");
    Flux<DataBuffer> events =
        Flux.create(
            s -> {
              sink = s;
              s.onRequest(
                  n -> {
                    demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n);
                    drain();
                  });
              s.onDispose(() -> end("the response ended", null));
              drain();
            });
    return response.writeAndFlushWith(events.map(Mono::just));
  }

  @Override
  public void reject(Response rejection) {
    if (sink != null) {
      throw new IllegalStateException("the response headers have already been sent");
    }
    rejected = rejection;
    end(null, null);
  }

  @Override
  public void header(String name, String value) {
    if (sink != null) {
      throw new IllegalStateException("the response headers have already been sent");
    }
    checkHeader(name, value);
    response.getHeaders().set(name, value);
  }

  @Override
  protected void writeQueued() {
    FluxSink<DataBuffer> s = sink;
    if (s == null || holding()) {
      return;
    }
    byte[] next;
    while (demand.get() > 0 && (next = poll()) != null) {
      demand.decrementAndGet();
      s.next(buffers.wrap(next));
    }
    if (checkFinished()) {
      s.complete();
    }
  }

  @Override
  protected void completeResponse() {
    FluxSink<DataBuffer> s = sink;
    if (s != null) {
      s.complete();
    }
  }

  private static Request requestOf(ServerHttpRequest r) {
    Request.Builder b =
        Request.builder(
            r.getMethod().name(),
            r.getURI().getRawPath()
                + (r.getURI().getRawQuery() == null ? "" : "?" + r.getURI().getRawQuery()));
    r.getHeaders().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
    InetSocketAddress remote = r.getRemoteAddress();
    b.remoteAddress(remote);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      return Request.builder(r.getMethod().name(), "/").build();
    }
  }
}
