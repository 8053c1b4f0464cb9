package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;

/**
 * One subscriber: a sequence of connections (a reconnection resumes with the last event ID), each
 * with a fresh HTTP state, and one {@link SequenceTracker} over all of them. The handler of its
 * current connection (so it is added to one pipeline after another, never to two at once); all its
 * methods run on the one event loop its connections are pinned to.
 */
@ChannelHandler.Sharable
final class Subscriber extends ChannelInboundHandlerAdapter implements SseEventReader.Listener {
  /** Where a connection attempt stands. */
  enum State {
    IDLE,
    CONNECTING,
    OPEN,
    CLOSED
  }

  private final SubscriberPool pool;
  private final int node; // which of the pool's subscribe URLs
  private final SequenceTracker tracker;
  private final SseEventReader reader = new SseEventReader(this);
  private LoopStats stats;
  private Channel channel;
  private ChannelHandlerContext ctx;
  private State state = State.IDLE;
  private long now;
  private Throwable failure; // what failed the current connection, if anything did
  private volatile boolean closedHere; // the generator closed the connection (a disconnect)

  Subscriber(SubscriberPool pool, int node, long firstSequence) {
    this.pool = pool;
    this.node = node;
    this.tracker = new SequenceTracker(firstSequence);
  }

  /** Which of its pool's subscribe URLs this subscriber connects to. */
  int node() {
    return node;
  }

  SequenceTracker tracker() {
    return tracker;
  }

  State state() {
    return state;
  }

  Channel channel() {
    return channel;
  }

  String lastEventId() {
    return reader.lastEventId();
  }

  /** A new connection attempt is about to begin. */
  void prepare() {
    state = State.CONNECTING;
    reader.reset();
    failure = null;
    closedHere = false;
  }

  /** Closes the current connection from the generator's side: no server end to count. */
  io.netty.channel.ChannelFuture closeHere() {
    closedHere = true;
    return channel.close();
  }

  /** The new connection attempt's channel. */
  void attach(Channel ch) {
    channel = ch;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (stats == null) {
      stats = pool.statsOf(ctx.channel().eventLoop());
      stats.subscribers.add(this);
    }
    byte[] request = pool.request(node, reader.lastEventId());
    ByteBuf buf = Unpooled.wrappedBuffer(request);
    ctx.writeAndFlush(buf, ctx.voidPromise());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    stats.beginRead();
    try {
      now = System.nanoTime();
      stats.bytes += in.readableBytes();
      reader.feed(in);
    } finally {
      stats.endRead();
      in.release();
    }
    if (reader.isDone()) {
      ctx.close();
    }
  }

  @Override
  public void onHead(int status) {
    if (status == 200) {
      state = State.OPEN;
      pool.established(this);
    } else {
      state = State.CLOSED;
      pool.refused(this, status);
      ctx.close();
    }
  }

  @Override
  public void onEvent(long timestamp, long sequence) {
    stats.record(timestamp, now);
    if (sequence > 0) {
      tracker.accept(sequence);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    State was = state;
    state = State.CLOSED;
    pool.closed(this, was);
    if (was == State.OPEN && !closedHere) {
      stats.ended(ctx.channel(), reader.isDone(), failure);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    ctx.close(); // resets and the like: channelInactive reports it
  }

  @Override
  public String toString() {
    return "subscriber " + channel + " " + state + " last id " + reader.lastEventId();
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
