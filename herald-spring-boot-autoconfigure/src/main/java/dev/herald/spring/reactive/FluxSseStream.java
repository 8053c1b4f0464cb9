package dev.herald.spring.reactive;

import dev.herald.core.SseEvent;
import dev.herald.core.SseWriter;
import dev.herald.server.Request;
import dev.herald.server.Response;
import dev.herald.server.SseStream;
import dev.herald.spring.StreamSettings;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * An {@link SseStream} over a WebFlux response: events are encoded at once and queued, and handed
 * to the server as the response's subscriber asks for them (its demand follows what the connection
 * took), each flushed. A client that falls behind by more than the budget is disconnected; when the
 * connection ends — the client left, the server stopped — the server cancels the response and the
 * stream's subscription ends at once, quietly.
 *
 * <p>Thread-safe.
 */
final class FluxSseStream implements SseStream {
  private static final Logger LOG = LoggerFactory.getLogger(FluxSseStream.class);

  private final ServerHttpResponse response;
  private final DataBufferFactory buffers;
  private final Request request;
  private final String lastEventId;
  private final int maxPendingBytes;

  private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong demand = new AtomicLong();
  private final AtomicInteger drains = new AtomicInteger();
  private final Queue<Runnable> written = new ConcurrentLinkedQueue<>();
  private final List<Runnable> closeCallbacks = new ArrayList<>();
  private final AtomicBoolean ended = new AtomicBoolean();

  private volatile FluxSink<DataBuffer> sink;
  private volatile boolean holding;
  private volatile boolean closing;
  private volatile boolean open = true;
  private volatile Response rejected;

  FluxSseStream(ServerHttpRequest request, ServerHttpResponse response, StreamSettings s) {
    this.response = response;
    this.buffers = response.bufferFactory();
    this.request = requestOf(request);
    this.maxPendingBytes = s.maxPendingBytes();
    String id = request.getHeaders().getFirst("Last-Event-ID");
    if (id == null && s.lastEventIdParameter() != null) {
      id = request.getQueryParams().getFirst(s.lastEventIdParameter());
    }
    this.lastEventId = id;
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
  public boolean send(SseEvent event) {
    if (!open || closing) {
      return false;
    }
    byte[] bytes = SseWriter.encode(event);
    if (queued.addAndGet(bytes.length) > maxPendingBytes) {
      queued.addAndGet(-bytes.length);
      LOG.debug("{}: over its budget of {} bytes, closed", request.path(), maxPendingBytes);
      end("slow consumer", null);
      return false;
    }
    queue.add(bytes);
    drain();
    return true;
  }

  @Override
  public void reject(int status, String message) {
    reject(Response.text(status, message));
  }

  @Override
  public void reject(Response rejection) {
    if (sink != null) {
      throw new IllegalStateException("the response headers have already been sent");
    }
    rejected = rejection;
    open = false;
    end(null, null);
  }

  @Override
  public void header(String name, String value) {
    if (sink != null) {
      throw new IllegalStateException("the response headers have already been sent");
    }
    response.getHeaders().set(name, value);
  }

  @Override
  public void holdHeaders() {
    holding = true;
  }

  @Override
  public void sendHeaders() {
    holding = false;
    drain();
  }

  @Override
  public void close() {
    closing = true;
    holding = false; // a close ends a hold, as on Netty: the response must complete
    drain();
  }

  @Override
  public void onClose(Runnable callback) {
    boolean runNow;
    synchronized (closeCallbacks) {
      runNow = ended.get();
      if (!runNow) {
        closeCallbacks.add(callback);
      }
    }
    if (runNow) {
      callback.run();
    }
  }

  @Override
  public void whenWritten(Runnable action) {
    written.add(action);
    drain();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public Request request() {
    return request;
  }

  @Override
  public String lastEventId() {
    return lastEventId;
  }

  private void drain() {
    if (drains.getAndIncrement() != 0) {
      return;
    }
    do {
      emit();
    } while (drains.decrementAndGet() != 0);
  }

  private void emit() {
    FluxSink<DataBuffer> s = sink;
    if (!open) {
      runWritten();
      return;
    }
    if (s == null || holding) {
      return;
    }
    byte[] next;
    while (demand.get() > 0 && (next = queue.poll()) != null) {
      demand.decrementAndGet();
      queued.addAndGet(-next.length);
      s.next(buffers.wrap(next));
    }
    if (queue.isEmpty()) {
      runWritten();
      if (closing) {
        s.complete();
      }
    }
  }

  private void runWritten() {
    Runnable action;
    while ((action = written.poll()) != null) {
      try {
        action.run();
      } catch (RuntimeException e) {
        LOG.warn("{}: a whenWritten action failed", request.path(), e);
      }
    }
  }

  private void end(String why, Throwable cause) {
    open = false;
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    if (why != null) {
      LOG.debug("{}: stream ended: {}", request.path(), why, cause);
    }
    queue.clear();
    FluxSink<DataBuffer> s = sink;
    if (s != null) {
      s.complete();
    }
    List<Runnable> callbacks;
    synchronized (closeCallbacks) {
      callbacks = new ArrayList<>(closeCallbacks);
      closeCallbacks.clear();
    }
    for (Runnable callback : callbacks) {
      try {
        callback.run();
      } catch (RuntimeException e) {
        LOG.warn("{}: a close callback failed", request.path(), e);
      }
    }
    runWritten();
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
