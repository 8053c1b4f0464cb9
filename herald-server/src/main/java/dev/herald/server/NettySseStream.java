package dev.herald.server;

import dev.herald.core.SseEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.cors.CorsHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * An SSE stream on an HTTP/1.1 connection or an HTTP/2 stream.
 *
 * <p>Events are queued from any thread as ready-made HTTP/1.1 chunks and written by one task per
 * event-loop pass, then flushed once, so a burst leaves in one {@code writev}. On HTTP/2 the chunk
 * framing is sliced off (no copy) and the bytes leave as DATA frames.
 *
 * <p>On HTTP/1.1, once the response head has gone out through the HTTP encoder, the connection can
 * carry nothing but this stream: the stream takes the router's place as the pipeline's last
 * handler, and the HTTP codec, the limits handler, the aggregator and CORS handler leave, since an
 * idle connection should cost little more than its socket. From then on chunks (already framed) and
 * the final empty chunk are written as bytes; whatever the client sends is discarded.
 *
 * <pre>
 * [connection limit] → [TLS] → NettySseStream
 * </pre>
 *
 * <p>Per-stream state is kept small, as a server holds tens of thousands of idle streams: the queue
 * is created by the first event that must wait, close callbacks and extra headers are held in one
 * field each, the flags live in one {@code int}, and heartbeats come from one timer per event loop
 * ({@link OpenStreams}).
 */
final class NettySseStream extends ChannelInboundHandlerAdapter implements SseStream {
  private static final int DRAIN_SCHEDULED = 1;
  private static final int ENDED = 2;
  private static final int OVER_BUDGET = 4;

  private static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";
  private static final String CACHE_CONTROL = "no-cache, no-store, no-transform";

  /** The HTTP/1.1 head of a stream without extra headers or CORS, as the encoder would write it. */
  private static final ByteBuf HEAD =
      Unpooled.unreleasableBuffer(
          Unpooled.directBuffer()
              .writeBytes(
                  ("HTTP/1.1 200 OK\r\n"
                          + "content-type: "
                          + CONTENT_TYPE
                          + "\r\ncache-control: "
                          + CACHE_CONTROL
                          + "\r\nX-Accel-Buffering: no\r\n"
                          + "connection: keep-alive\r\n"
                          + "transfer-encoding: chunked\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII))
              .asReadOnly());

  private static final VarHandle STATE;
  private static final VarHandle QUEUED_BYTES;
  private static final VarHandle QUEUE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(NettySseStream.class, "state", int.class);
      QUEUED_BYTES = lookup.findVarHandle(NettySseStream.class, "queuedBytes", long.class);
      QUEUE = lookup.findVarHandle(NettySseStream.class, "queue", Queue.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Channel channel;
  // The router's: the head, a rejection, HTTP/2 writes. Dropped once the stream takes over an
  // HTTP/1.1 connection, as it would keep the router and its context alive. On the event loop.
  private ChannelHandlerContext ctx;
  private final boolean http1;
  private final Request request;
  private final String lastEventId;
  private final StreamSettings settings;
  private volatile Queue<ByteBuf> queue; // created by the first event that must wait
  private volatile long queuedBytes;
  private volatile int state; // DRAIN_SCHEDULED | ENDED | OVER_BUDGET
  private Object closeCallbacks; // null, a Runnable or a List<Runnable>; guarded by this
  private String[] extraHeaders; // name, value, name, value…; guarded by this
  private volatile boolean open = true;
  private volatile boolean held;
  private volatile boolean headersSent;
  private boolean rejected;
  private boolean handling = true;
  // An HTTP/1.1 connection taken over with no outbound handler left (no TLS): the pipeline would
  // only pass writes on to the transport, so they go there directly. On the event loop.
  private boolean direct;
  private long lastWriteNanos;
  private long
      pageSince; // when the catch-up page being written was written, 0 if none; on the loop
  private Runnable afterHead; // to run once the head has left; on the loop

  /** This stream's slot in its event loop's {@link OpenStreams} sweep, or -1; on the loop. */
  int heartbeatSlot = -1;

  private boolean dirty; // a broadcaster's pass wrote to it and is yet to flush it; on the loop

  /**
   * A stream answering the request the router at {@code ctx} read; {@code http1} if it is the only
   * thing on its connection (HTTP/1.1), rather than one HTTP/2 stream.
   */
  NettySseStream(
      ChannelHandlerContext ctx,
      boolean http1,
      Request request,
      String lastEventId,
      StreamSettings settings) {
    this.channel = ctx.channel();
    this.ctx = ctx;
    this.http1 = http1;
    this.request = request;
    this.lastEventId = lastEventId;
    this.settings = settings;
  }

  @Override
  public boolean send(SseEvent event) {
    if (!open) {
      return false;
    }
    return offerWire(wire(ChunkFrames.of(channel.alloc(), event)), 1);
  }

  /** Queues {@code chunk}, which holds {@code events} events, to be written on the loop. */
  private boolean offerWire(ByteBuf chunk, int events) {
    int n = chunk.readableBytes();
    if (queuedBytes + n > settings.maxPendingBytes() || !channel.isWritable()) {
      chunk.release();
      overBudget();
      return false;
    }
    QUEUED_BYTES.getAndAdd(this, (long) n);
    queue().add(chunk);
    settings.metrics().eventsQueued(events, n);
    if (!open) {
      discardQueue(); // the stream ended while this was added
      return false;
    }
    if (setFlag(DRAIN_SCHEDULED)) {
      executor().execute(this::drain);
    }
    return true;
  }

  private Queue<ByteBuf> queue() {
    Queue<ByteBuf> q = queue;
    if (q == null) {
      Queue<ByteBuf> created = new ConcurrentLinkedQueue<>();
      q = QUEUE.compareAndSet(this, null, created) ? created : queue;
    }
    return q;
  }

  /** Sets {@code flag}; returns whether this call set it. */
  private boolean setFlag(int flag) {
    for (; ; ) {
      int s = state;
      if ((s & flag) != 0) {
        return false;
      }
      if (STATE.compareAndSet(this, s, s | flag)) {
        return true;
      }
    }
  }

  private void clearFlag(int flag) {
    for (; ; ) {
      int s = state;
      if ((s & flag) == 0 || STATE.compareAndSet(this, s, s & ~flag)) {
        return;
      }
    }
  }

  private boolean isEnded() {
    return (state & ENDED) != 0;
  }

  EventExecutor executor() {
    return channel.eventLoop();
  }

  /** The counters of the stream's server. */
  ServerMetrics metrics() {
    return settings.metrics();
  }

  /** The server's logger. */
  Logger log() {
    return settings.log();
  }

  /** Whether the response head has left (or been queued to leave first). */
  boolean headSent() {
    return headersSent;
  }

  /** On the event loop: runs {@code action} once the head has left, or now if it has. */
  void afterHead(Runnable action) {
    if (headersSent) {
      action.run();
    } else {
      afterHead = action; // a stream has one catch-up, so one action at a time
    }
  }

  /**
   * Whether the stream is all of its connection (HTTP/1.1): it writes HTTP/1.1 chunks as they are.
   */
  boolean writesChunks() {
    return http1;
  }

  /**
   * On the event loop: writes a chunk shared with other streams, without flushing; returns whether
   * it was written (the caller then calls {@link #flushShared} and counts its {@code events} in the
   * metrics). Before the head has left, the chunk joins the queue instead, in order, counted.
   */
  boolean writeShared(ByteBuf chunk, int events) {
    return writeNow(wire(chunk), events);
  }

  /**
   * On the event loop, after the head: writes a page of a catch-up without flushing, and without
   * judging it against the budget: a catch-up is paced by the socket instead. {@code next}, if not
   * {@code null}, runs on the loop once the stream can take another page: at once if the connection
   * is still writable (below its high water mark), else once this page has left or the stream has
   * failed. Returns whether the page was written (the caller then calls {@link #flushShared} and
   * counts it). A page still unwritten after a heartbeat interval marks a slow consumer.
   */
  boolean writePage(ByteBuf chunk, Runnable next) {
    if (!open) {
      chunk.release();
      return false;
    }
    if (next == null) {
      writeWire(wire(chunk));
      return true;
    }
    ChannelPromise promise = channel.newPromise();
    writeWire(wire(chunk), promise);
    if (channel.isWritable() || promise.isDone()) {
      next.run();
    } else {
      pageSince = System.nanoTime();
      promise.addListener(
          f -> {
            pageSince = 0;
            next.run();
          });
    }
    return true;
  }

  /**
   * On the event loop, after the head: whether what is written but not yet sent is at most the low
   * water mark (half the budget), so that live events can follow without finding the connection
   * unwritable at once.
   */
  boolean roomForLive() {
    io.netty.channel.ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
    return pending != null
        && pending.totalPendingWriteBytes() <= channel.config().getWriteBufferLowWaterMark();
  }

  /**
   * On the event loop, after the head: runs {@code next} on the loop once everything written so far
   * has left (or the stream has failed); the caller flushes ({@link #flushShared}). Counted by the
   * same stall rule as {@link #writePage}.
   */
  void whenSent(Runnable next) {
    ChannelPromise promise = channel.newPromise();
    pageSince = System.nanoTime();
    promise.addListener(
        f -> {
          pageSince = 0;
          next.run();
        });
    writeWire(Unpooled.EMPTY_BUFFER, promise); // completes once what is before it has left
  }

  /**
   * Writes {@code wire}, which holds {@code events} events, if the stream can take it; the caller
   * counts it if written, {@link #offerWire} if queued.
   */
  private boolean writeNow(ByteBuf wire, int events) {
    if (!open) {
      wire.release();
      return false;
    }
    if (!headersSent) {
      offerWire(wire, events); // counted there
      return false;
    }
    if (!channel.isWritable()) {
      wire.release();
      overBudget();
      return false;
    }
    writeWire(wire);
    return true;
  }

  /**
   * On the event loop: marks the stream as written by a pass of a broadcaster, which flushes it
   * ({@link #flushShared}) when the pass ends; returns whether it was not marked yet.
   */
  boolean markDirty() {
    if (dirty) {
      return false;
    }
    dirty = true;
    return true;
  }

  /** On the event loop: flushes what {@link #writeShared} wrote, and clears the mark. */
  void flushShared() {
    dirty = false;
    flush(System.nanoTime());
  }

  /** Flushes what was written, at {@code now}: the stream is not idle until a heartbeat later. */
  private void flush(long now) {
    if (direct) {
      channel.unsafe().flush();
    } else {
      channel.flush();
    }
    lastWriteNanos = now;
  }

  /** A framed HTTP/1.1 chunk as this stream writes it: as is, or its event bytes on HTTP/2. */
  private ByteBuf wire(ByteBuf chunk) {
    return http1 ? chunk : withoutFraming(chunk);
  }

  /** Writes bytes made by {@link #wire} without flushing; on the event loop, after the head. */
  private void writeWire(ByteBuf wire) {
    writeWire(wire, channel.voidPromise());
  }

  private void writeWire(ByteBuf wire, ChannelPromise promise) {
    if (direct) {
      channel.unsafe().write(wire, promise);
    } else if (http1) {
      channel.write(wire, promise);
    } else {
      ctx.write(new DefaultHttpContent(wire), promise.isVoid() ? ctx.voidPromise() : promise);
    }
  }

  /** Writes the end of the response, then closes; on the event loop, after the head. */
  private void writeEnd() {
    Object end = http1 ? ChunkFrames.LAST.duplicate() : LastHttpContent.EMPTY_LAST_CONTENT;
    channel.writeAndFlush(end).addListener(ChannelFutureListener.CLOSE);
  }

  /** The event bytes of one HTTP/1.1 chunk, sliced out of it: same memory, same reference. */
  private static ByteBuf withoutFraming(ByteBuf chunk) {
    int start = chunk.indexOf(chunk.readerIndex(), chunk.writerIndex(), (byte) '\n') + 1;
    return chunk.slice(start, chunk.writerIndex() - start - 2);
  }

  /** Called on the event loop when the handler has returned: sends the head and what is queued. */
  void start() {
    if (rejected || headersSent || held || isEnded()) {
      return;
    }
    String[] extra;
    synchronized (this) {
      extra = extraHeaders;
      extraHeaders = null;
      headersSent = true;
    }
    if (http1 && extra == null && channel.pipeline().get(CorsHandler.class) == null) {
      takeOverConnection(); // the usual head needs no encoder: its bytes are ready
      channel.write(HEAD.duplicate(), channel.voidPromise());
    } else {
      ctx.write(head(extra), ctx.voidPromise());
      if (http1) {
        takeOverConnection();
      }
    }
    // Counted before anything leaves, so a client that has read the head finds it counted.
    settings.streams().add(this);
    writeQueued();
    flush(System.nanoTime());
    Runnable then = afterHead;
    if (then != null) {
      afterHead = null;
      then.run();
    }
  }

  private HttpResponse head(String[] extra) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    HttpHeaders headers = head.headers();
    for (int i = 0; extra != null && i < extra.length && extra[i] != null; i += 2) {
      headers.add(extra[i], extra[i + 1]);
    }
    headers.set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
    headers.set(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL);
    headers.set("X-Accel-Buffering", "no");
    if (http1) { // HTTP/2 forbids connection-specific headers
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return head;
  }

  /** HTTP/1.1, once the head is written: only this stream is left to handle the connection. */
  private void takeOverConnection() {
    ChannelPipeline p = channel.pipeline();
    for (Class<? extends ChannelHandler> type :
        List.of(
            HttpServerCodec.class,
            RequestLimitsHandler.class,
            HttpObjectAggregator.class,
            CorsHandler.class)) {
      ChannelHandler h = p.get(type);
      if (h != null) {
        p.remove(h);
      }
    }
    p.replace(ctx.handler(), "sse", this);
    ctx = null;
    direct = true;
    for (Map.Entry<String, ChannelHandler> h : p) {
      direct &= !(h.getValue() instanceof ChannelOutboundHandler);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg); // the connection carries the stream only
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    end();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      settings.log().debug("connection {} failed", channel, cause); // resets are routine
    } else {
      settings.log().warn("connection {} failed", channel, cause);
    }
    channel.close();
  }

  private void drain() {
    clearFlag(DRAIN_SCHEDULED);
    if (headersSent && writeQueued()) {
      flush(System.nanoTime());
    }
  }

  private boolean writeQueued() {
    Queue<ByteBuf> q = queue;
    if (q == null) {
      return false;
    }
    boolean wrote = false;
    for (ByteBuf chunk = q.poll(); chunk != null; chunk = q.poll()) {
      QUEUED_BYTES.getAndAdd(this, (long) -chunk.readableBytes());
      if (channel.isActive()) {
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
    Queue<ByteBuf> q = queue;
    if (q == null) {
      return;
    }
    for (ByteBuf chunk = q.poll(); chunk != null; chunk = q.poll()) {
      QUEUED_BYTES.getAndAdd(this, (long) -chunk.readableBytes());
      chunk.release();
    }
  }

  /** On the event loop, from {@link OpenStreams}: a heartbeat if idle for {@code interval}. */
  void heartbeat(long now, long interval) {
    if (open && pageSince != 0 && now - pageSince >= interval) {
      pageSince = now; // counted once an interval
      overBudget(); // a catch-up that made no progress for a whole interval: a slow consumer
    } else if (open && now - lastWriteNanos >= interval && channel.isWritable()) {
      writeWire(wire(ChunkFrames.HEARTBEAT.duplicate()));
      flush(now);
    }
  }

  private void overBudget() {
    settings.metrics().slowConsumer();
    if (settings.slowConsumerPolicy() == SlowConsumerPolicy.CLOSE && setFlag(OVER_BUDGET)) {
      executor().execute(this::closeSlowConsumer);
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
      writeWire(wire(ChunkFrames.of(channel.alloc(), hint)));
      writeEnd();
      // A client that stopped reading never lets those bytes go: do not wait for it.
      executor().schedule(() -> channel.close(), 1, TimeUnit.SECONDS);
    } else {
      channel.close();
    }
  }

  @Override
  public void reject(int status, String message) {
    reject(Response.text(status, message == null ? "" : message));
  }

  @Override
  public void reject(Response response) {
    java.util.Objects.requireNonNull(response, "response");
    boolean onLoop = executor().inEventLoop();
    if (headersSent || rejected || !(onLoop || held)) {
      throw new IllegalStateException(
          "reject is only possible within SseHandler.handle or while the headers are held,"
              + " before the first event");
    }
    if (!onLoop) {
      executor().execute(() -> rejectNow(response));
      return;
    }
    rejectNow(response);
  }

  private void rejectNow(Response response) {
    if (headersSent || rejected || isEnded()) {
      return; // the client went away meanwhile
    }
    rejected = true;
    held = false;
    open = false;
    discardQueue();
    end(); // before the response leaves, so a client that sees it sees a finished stream
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
    synchronized (this) {
      if (headersSent) {
        throw new IllegalStateException("the headers have already been sent");
      }
      String[] extra = extraHeaders;
      int n = 0;
      if (extra == null) {
        extra = new String[4];
      } else {
        while (n < extra.length && extra[n] != null) {
          n += 2;
        }
        if (n == extra.length) {
          extra = Arrays.copyOf(extra, n * 2);
        }
      }
      extra[n] = name;
      extra[n + 1] = value;
      extraHeaders = extra;
    }
  }

  @Override
  public void holdHeaders() {
    if (!handling || !executor().inEventLoop()) {
      throw new IllegalStateException("holdHeaders is only possible within SseHandler.handle");
    }
    held = true;
  }

  @Override
  public void sendHeaders() {
    executor()
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
    executor().execute(this::finish);
  }

  /** Ends the stream after a {@code retry} hint: for graceful shutdown. */
  void shutdown(Duration retry) {
    send(SseEvent.builder().retry(retry).build());
    close();
  }

  private void finish() {
    if (rejected || !channel.isActive()) {
      return;
    }
    held = false;
    start(); // if the handler closed the stream at once, the head has not left yet
    writeQueued();
    writeEnd();
  }

  /** On the event loop, when the connection (or HTTP/2 stream) has closed, or on a rejection. */
  void end() {
    open = false;
    if (!setFlag(ENDED)) {
      return;
    }
    settings.streams().remove(this);
    discardQueue();
    Object toRun;
    synchronized (this) {
      toRun = closeCallbacks;
      closeCallbacks = null;
    }
    if (toRun instanceof Runnable) {
      runCallback((Runnable) toRun);
    } else if (toRun != null) {
      @SuppressWarnings("unchecked")
      List<Runnable> list = (List<Runnable>) toRun;
      list.forEach(this::runCallback);
    }
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
    java.util.Objects.requireNonNull(callback, "callback");
    synchronized (this) {
      if (!isEnded()) {
        Object current = closeCallbacks;
        if (current == null) {
          closeCallbacks = callback;
        } else if (current instanceof Runnable) {
          List<Runnable> list = new ArrayList<>(2);
          list.add((Runnable) current);
          list.add(callback);
          closeCallbacks = list;
        } else {
          @SuppressWarnings("unchecked")
          List<Runnable> list = (List<Runnable>) current;
          list.add(callback);
        }
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
