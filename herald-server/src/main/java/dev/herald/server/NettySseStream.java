package dev.herald.server;

import dev.herald.core.SseEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SSE stream on an HTTP/1.1 connection or an HTTP/2 stream.
 *
 * <p>Events are queued from any thread as ready-made HTTP/1.1 chunks and written by one task per
 * event-loop pass, then flushed once, so a burst leaves in one {@code writev}. On HTTP/1.1 the
 * chunks are written through the HTTP codec's context, past its encoder, since they are already
 * framed; the response head and the final empty chunk go through the encoder so it stays in step.
 * On HTTP/2 the chunk framing is sliced off (no copy) and the bytes leave as DATA frames.
 */
final class NettySseStream implements SseStream {
  private final ChannelHandlerContext ctx;
  private final ChannelHandlerContext raw; // null on HTTP/2
  private final Request request;
  private final String lastEventId;
  private final StreamSettings settings;
  private final Queue<ByteBuf> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean overBudget = new AtomicBoolean();
  private final List<Runnable> callbacks = new ArrayList<>();
  private volatile boolean open = true;
  private final List<String[]> extraHeaders = new ArrayList<>();
  private volatile boolean held;
  private volatile boolean headersSent;
  private boolean rejected;
  private boolean handling = true;
  private long lastWriteNanos;
  private ScheduledFuture<?> heartbeat;

  NettySseStream(
      ChannelHandlerContext ctx,
      ChannelHandlerContext raw,
      Request request,
      String lastEventId,
      StreamSettings settings) {
    this.ctx = ctx;
    this.raw = raw;
    this.request = request;
    this.lastEventId = lastEventId;
    this.settings = settings;
    ctx.channel().closeFuture().addListener(f -> ended());
  }

  @Override
  public boolean send(SseEvent event) {
    if (!open) {
      return false;
    }
    return offerWire(wire(ChunkFrames.of(ctx.alloc(), event)));
  }

  private boolean offerWire(ByteBuf chunk) {
    int n = chunk.readableBytes();
    if (queuedBytes.get() + n > settings.maxPendingBytes() || !ctx.channel().isWritable()) {
      chunk.release();
      overBudget();
      return false;
    }
    queuedBytes.addAndGet(n);
    queue.add(chunk);
    settings.metrics().eventQueued(n);
    if (!open) {
      discardQueue(); // the stream ended while this was added
      return false;
    }
    if (drainScheduled.compareAndSet(false, true)) {
      ctx.executor().execute(this::drain);
    }
    return true;
  }

  EventExecutor executor() {
    return ctx.executor();
  }

  /**
   * On the event loop: writes a chunk shared with other streams, without flushing; returns whether
   * it was written (the caller then calls {@link #flushShared}). Before the head has left, the
   * chunk joins the queue instead, in order.
   */
  boolean writeShared(ByteBuf chunk) {
    return writeNow(wire(chunk));
  }

  /**
   * On the event loop: a replay backlog of chunks, written as one buffer; returns whether it was
   * written (the caller then calls {@link #flushShared}).
   */
  boolean writeBacklog(List<ByteBuf> chunks) {
    CompositeByteBuf backlog = ctx.alloc().compositeDirectBuffer(Math.max(2, chunks.size()));
    for (ByteBuf chunk : chunks) {
      backlog.addComponent(true, wire(chunk));
    }
    return writeNow(backlog);
  }

  private boolean writeNow(ByteBuf wire) {
    if (!open) {
      wire.release();
      return false;
    }
    if (!headersSent) {
      offerWire(wire);
      return false;
    }
    if (!ctx.channel().isWritable()) {
      wire.release();
      overBudget();
      return false;
    }
    settings.metrics().eventQueued(wire.readableBytes());
    writeWire(wire);
    return true;
  }

  /** On the event loop: flushes what {@link #writeShared} wrote. */
  void flushShared() {
    flush();
    lastWriteNanos = System.nanoTime();
  }

  /** A framed HTTP/1.1 chunk as this stream writes it: as is, or its event bytes on HTTP/2. */
  private ByteBuf wire(ByteBuf chunk) {
    return raw != null ? chunk : withoutFraming(chunk);
  }

  /** Writes bytes made by {@link #wire} without flushing; on the event loop. */
  private void writeWire(ByteBuf wire) {
    if (raw != null) {
      raw.write(wire, raw.voidPromise());
    } else {
      ctx.write(new DefaultHttpContent(wire), ctx.voidPromise());
    }
  }

  private void flush() {
    if (raw != null) {
      raw.flush();
    } else {
      ctx.flush();
    }
  }

  /** The event bytes of one HTTP/1.1 chunk, sliced out of it: same memory, same reference. */
  private static ByteBuf withoutFraming(ByteBuf chunk) {
    int start = chunk.indexOf(chunk.readerIndex(), chunk.writerIndex(), (byte) '\n') + 1;
    return chunk.slice(start, chunk.writerIndex() - start - 2);
  }

  /** Called on the event loop when the handler has returned: sends the head and what is queued. */
  void start() {
    if (rejected || headersSent || held || ended.get()) {
      return;
    }
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    HttpHeaders headers = head.headers();
    synchronized (extraHeaders) {
      for (String[] header : extraHeaders) {
        headers.add(header[0], header[1]);
      }
      extraHeaders.clear();
      headersSent = true;
    }
    headers.set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    headers.set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store, no-transform");
    headers.set("X-Accel-Buffering", "no");
    if (raw != null) { // HTTP/2 forbids connection-specific headers
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    ctx.write(head, ctx.voidPromise());
    settings.registry().add(this);
    writeQueued();
    ctx.flush();
    lastWriteNanos = System.nanoTime();
    if (settings.heartbeatNanos() > 0) {
      scheduleHeartbeat(settings.heartbeatNanos());
    }
  }

  private void drain() {
    drainScheduled.set(false);
    if (headersSent && writeQueued()) {
      flush();
      lastWriteNanos = System.nanoTime();
    }
  }

  private boolean writeQueued() {
    boolean wrote = false;
    for (ByteBuf chunk = queue.poll(); chunk != null; chunk = queue.poll()) {
      queuedBytes.addAndGet(-chunk.readableBytes());
      if (ctx.channel().isActive()) {
        writeWire(chunk);
        wrote = true;
      } else {
        chunk.release();
      }
    }
    return wrote;
  }

  /** Releases what is queued; safe from any thread, as the queue and the counter are. */
  private void discardQueue() {
    for (ByteBuf chunk = queue.poll(); chunk != null; chunk = queue.poll()) {
      queuedBytes.addAndGet(-chunk.readableBytes());
      chunk.release();
    }
  }

  private void scheduleHeartbeat(long delayNanos) {
    heartbeat = ctx.executor().schedule(this::heartbeat, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void heartbeat() {
    if (!open) {
      return;
    }
    long idle = System.nanoTime() - lastWriteNanos;
    long interval = settings.heartbeatNanos();
    if (idle >= interval && ctx.channel().isWritable()) {
      writeWire(wire(ChunkFrames.HEARTBEAT.duplicate()));
      flush();
      lastWriteNanos = System.nanoTime();
      idle = 0;
    }
    scheduleHeartbeat(Math.max(interval - idle, interval / 16));
  }

  private void overBudget() {
    settings.metrics().slowConsumer();
    if (settings.slowConsumerPolicy() == SlowConsumerPolicy.CLOSE
        && overBudget.compareAndSet(false, true)) {
      ctx.executor().execute(this::closeSlowConsumer);
    }
  }

  private void closeSlowConsumer() {
    if (!open) {
      return;
    }
    open = false;
    discardQueue();
    if (headersSent) {
      SseEvent hint = SseEvent.builder().retry(settings.slowConsumerRetry()).build();
      writeWire(wire(ChunkFrames.of(ctx.alloc(), hint)));
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
          .addListener(ChannelFutureListener.CLOSE);
      // A client that stopped reading never lets those bytes go: do not wait for it.
      ctx.executor().schedule(() -> ctx.channel().close(), 1, TimeUnit.SECONDS);
    } else {
      ctx.channel().close();
    }
  }

  @Override
  public void reject(int status, String message) {
    reject(Response.text(status, message == null ? "" : message));
  }

  @Override
  public void reject(Response response) {
    java.util.Objects.requireNonNull(response, "response");
    boolean onLoop = ctx.executor().inEventLoop();
    if (headersSent || rejected || !(onLoop || held)) {
      throw new IllegalStateException(
          "reject is only possible within SseHandler.handle or while the headers are held,"
              + " before the first event");
    }
    if (!onLoop) {
      ctx.executor().execute(() -> rejectNow(response));
      return;
    }
    rejectNow(response);
  }

  private void rejectNow(Response response) {
    if (headersSent || rejected || ended.get()) {
      return; // the client went away meanwhile
    }
    rejected = true;
    held = false;
    open = false;
    discardQueue();
    ended(); // before the response leaves, so a client that sees it sees a finished stream
    Responses.send(ctx, response, false);
  }

  @Override
  public void header(String name, String value) {
    java.util.Objects.requireNonNull(name, "name");
    java.util.Objects.requireNonNull(value, "value");
    for (String s : new String[] {name, value}) {
      if (s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("a header name or value may not hold CR, LF or NUL");
      }
    }
    synchronized (extraHeaders) {
      if (headersSent) {
        throw new IllegalStateException("the headers have already been sent");
      }
      extraHeaders.add(new String[] {name, value});
    }
  }

  @Override
  public void holdHeaders() {
    if (!handling || !ctx.executor().inEventLoop()) {
      throw new IllegalStateException("holdHeaders is only possible within SseHandler.handle");
    }
    held = true;
  }

  @Override
  public void sendHeaders() {
    ctx.executor()
        .execute(
            () -> {
              held = false;
              start();
            });
  }

  /** Called on the event loop when the handler has returned. */
  void handlerReturned() {
    handling = false;
    if (!held) {
      start();
    }
  }

  @Override
  public void close() {
    if (!open) {
      return;
    }
    open = false;
    ctx.executor().execute(this::finish);
  }

  /** Ends the stream after a {@code retry} hint: for graceful shutdown. */
  void shutdown(Duration retry) {
    send(SseEvent.builder().retry(retry).build());
    close();
  }

  private void finish() {
    if (rejected) {
      return;
    }
    held = false;
    start(); // if the handler closed the stream at once, the head has not left yet
    writeQueued();
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
  }

  private void ended() {
    open = false;
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    settings.registry().remove(this);
    discardQueue();
    List<Runnable> toRun;
    synchronized (callbacks) {
      toRun = List.copyOf(callbacks);
      callbacks.clear();
    }
    toRun.forEach(this::runCallback);
  }

  private void runCallback(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      settings.log().warn("an onClose callback of {} failed", request, e);
    }
  }

  @Override
  public void onClose(Runnable callback) {
    synchronized (callbacks) {
      if (!ended.get()) {
        callbacks.add(callback);
        return;
      }
    }
    runCallback(callback);
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
}
