package dev.herald.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Publishes events over a few HTTP/1.1 keep-alive connections, one request in flight on each.
 *
 * <p>{@link #publish} follows an {@link OpenLoopSchedule}: every event is stamped with its
 * <em>scheduled</em> time and sequence number ({@link Payload}), and events that fall due while
 * every connection waits for the server are sent as soon as one is free — late, but with their
 * scheduled time, so the wait counts as latency. {@link #flood} publishes as fast as the server
 * acknowledges, for publish throughput. Sequence numbers count per channel from 1.
 *
 * <p>Thread-safe: all its work runs on one event loop; a run at a time.
 */
final class Publisher implements AutoCloseable {
  private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final UrlTemplate url;
  private final String bodyTemplate;
  private final String contentType;
  private final List<String> headers;
  private final List<Connection> connections = new ArrayList<>();
  private final ArrayDeque<Connection> free = new ArrayDeque<>();
  private final Map<String, Long> sequences = new HashMap<>();
  private Run run;

  Publisher(
      EventLoopGroup group,
      Class<? extends Channel> channelType,
      UrlTemplate url,
      String bodyTemplate,
      String contentType,
      List<String> headers) {
    this.loop = group.next();
    this.url = url;
    this.bodyTemplate = bodyTemplate;
    this.contentType = contentType;
    this.headers = List.copyOf(headers);
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(channelType)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
  }

  /** Opens {@code n} connections; completes with the number open. */
  CompletableFuture<Integer> open(int n) {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      Connection c = new Connection();
      ChannelFuture connect =
          bootstrap.clone().handler(c).connect(new InetSocketAddress(url.host(), url.port()));
      c.channel = connect.channel();
      connect.addListener(
          f -> {
            if (f.isSuccess()) {
              connections.add(c);
              free.add(c);
              done.complete(null);
            } else {
              done.completeExceptionally(f.cause());
            }
          });
      all.add(done);
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
        .thenApplyAsync(x -> connections.size(), loop);
  }

  /** Publishes {@code count} events of {@code bytes} bytes to {@code channel} at {@code rate}/s. */
  CompletableFuture<Result> publish(String channel, double rate, long count, int bytes) {
    return publish(channel, rate, count, bytes, Long.MAX_VALUE);
  }

  /**
   * Publishes as {@link #publish(String, double, long, int)} does, but sends none after {@code
   * stopAfterNanos} from the start (those not sent by then are dropped from the run: a probe above
   * the server's capacity ends on time instead of catching up).
   */
  CompletableFuture<Result> publish(
      String channel, double rate, long count, int bytes, long stopAfterNanos) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    loop.execute(
        () -> {
          long now = System.nanoTime();
          OpenLoopSchedule schedule = new OpenLoopSchedule(now, rate, count);
          long stop = stopAfterNanos == Long.MAX_VALUE ? Long.MAX_VALUE : now + stopAfterNanos;
          start(new Run(channel, bytes, schedule, stop, done));
        });
    return done;
  }

  /** Publishes to {@code channel} as fast as acknowledged, for {@code nanos}. */
  CompletableFuture<Result> flood(String channel, long nanos, int bytes) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    loop.execute(() -> start(new Run(channel, bytes, null, System.nanoTime() + nanos, done)));
    return done;
  }

  private void start(Run r) {
    if (run != null) {
      r.done.completeExceptionally(new IllegalStateException("a publish run is under way"));
      return;
    }
    if (connections.isEmpty()) {
      r.done.completeExceptionally(new IllegalStateException("no publisher connection is open"));
      return;
    }
    run = r;
    r.firstSequence = sequences.getOrDefault(r.channel, 1L);
    r.result.firstSequence = r.firstSequence;
    r.result.startNanos = System.nanoTime();
    long end = r.schedule != null ? Math.min(r.schedule.endNanos(), r.endNanos) : r.endNanos;
    loop.schedule(() -> giveUp(r), end - System.nanoTime() + GRACE_NANOS, TimeUnit.NANOSECONDS);
    pump();
  }

  private void pump() {
    Run r = run;
    if (r == null) {
      return;
    }
    long now = System.nanoTime();
    if (r.schedule != null && now >= r.endNanos) {
      r.last = Math.min(r.last, r.next); // out of time: nothing more is sent
    }
    long due =
        r.schedule != null
            ? Math.min(r.schedule.dueAt(now), r.last)
            : now < r.endNanos ? Long.MAX_VALUE : r.next;
    while (r.next < due && !free.isEmpty()) {
      long scheduled = r.schedule != null ? r.schedule.scheduledNanos(r.next) : now;
      send(free.poll(), r, r.next++, scheduled, now);
    }
    if (r.schedule != null && r.next < r.last && r.next == due && !r.tickPending) {
      r.tickPending = true;
      long wait = Math.max(Math.min(r.schedule.scheduledNanos(r.next), r.endNanos) - now, 20_000);
      loop.schedule(
          () -> {
            r.tickPending = false;
            pump();
          },
          wait,
          TimeUnit.NANOSECONDS);
    }
    boolean allSent = r.schedule != null ? r.next == r.last : now >= r.endNanos;
    if (allSent && r.inFlight == 0) {
      finish(r);
    }
  }

  private void send(Connection c, Run r, long index, long scheduled, long now) {
    long seq = r.firstSequence + index;
    r.result.sent++;
    r.inFlight++;
    r.result.maxLagNanos = Math.max(r.result.maxLagNanos, now - scheduled);
    c.inFlightScheduled = scheduled;
    c.run = r;
    c.channel.writeAndFlush(
        request(r, Payload.of(scheduled, seq, r.bytes)), c.channel.voidPromise());
  }

  private ByteBuf request(Run r, byte[] payload) {
    String data = new String(payload, StandardCharsets.US_ASCII);
    Map<String, String> values =
        Map.of(
            "ch",
            r.channel,
            "data",
            data,
            "data_form",
            URLEncoder.encode(data, StandardCharsets.UTF_8));
    byte[] body = UrlTemplate.expandRaw(bodyTemplate, values).getBytes(StandardCharsets.UTF_8);
    if (r.head == null) {
      StringBuilder h = new StringBuilder(256);
      h.append("POST ").append(url.target(Map.of("ch", r.channel))).append(" HTTP/1.1\r\n");
      h.append("Host: ").append(url.authority()).append("\r\n");
      h.append("Content-Type: ").append(contentType).append("\r\n");
      for (String header : headers) {
        h.append(header).append("\r\n");
      }
      r.head = h.append("Content-Length: ").toString();
    }
    byte[] head = (r.head + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    return Unpooled.wrappedBuffer(head, body);
  }

  private void acknowledged(Connection c, int status) {
    Run r = c.run;
    c.run = null;
    if (r == null || r != run) {
      free.add(c);
      return;
    }
    long now = System.nanoTime();
    r.inFlight--;
    if (status >= 200 && status < 300) {
      r.result.acked++;
      r.result.lastAckNanos = now;
      r.result.ackLatency.recordValue(
          Math.min(LoopStats.MAX_MICROS, Math.max(0, (now - c.inFlightScheduled) / 1000)));
    } else {
      r.result.failed++;
      r.result.statuses.merge(status, 1, Integer::sum);
    }
    free.add(c);
    pump();
  }

  private void lost(Connection c) {
    connections.remove(c);
    free.remove(c);
    Run r = c.run;
    c.run = null;
    if (r != null && r == run) {
      r.inFlight--;
      r.result.failed++;
      r.result.statuses.merge(-1, 1, Integer::sum);
      if (connections.isEmpty()) {
        finish(r);
      } else {
        pump();
      }
    }
  }

  private void giveUp(Run r) {
    if (run == r) {
      r.result.failed += r.inFlight;
      finish(r);
    }
  }

  private void finish(Run r) {
    if (run != r) {
      return;
    }
    run = null;
    sequences.put(r.channel, r.firstSequence + r.next);
    r.result.lastSequence = r.firstSequence + r.next - 1;
    r.result.endNanos = System.nanoTime();
    r.done.complete(r.result);
  }

  @Override
  public void close() {
    for (Connection c : List.copyOf(connections)) {
      c.channel.close().syncUninterruptibly();
    }
  }

  /** What one run came to. */
  static final class Result {
    long sent;
    long acked;
    long failed;
    long firstSequence;
    long lastSequence;
    long startNanos;
    long endNanos;
    long lastAckNanos;
    long maxLagNanos;
    final Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    final Histogram ackLatency = new Histogram(LoopStats.MAX_MICROS, 3);
  }

  private static final class Run {
    final String channel;
    final int bytes;
    final OpenLoopSchedule schedule;
    final long endNanos; // a flood's end; when a scheduled run stops sending, if it does
    final CompletableFuture<Result> done;
    final Result result = new Result();
    long firstSequence;
    long next;
    long last; // a scheduled run's events are those below
    int inFlight;
    boolean tickPending;
    String head;

    Run(
        String channel,
        int bytes,
        OpenLoopSchedule schedule,
        long endNanos,
        CompletableFuture<Result> done) {
      this.channel = channel;
      this.bytes = bytes;
      this.schedule = schedule;
      this.endNanos = endNanos;
      this.last = schedule != null ? schedule.count() : 0;
      this.done = done;
    }
  }

  /** One keep-alive connection; its handler runs on the publisher's loop. */
  private final class Connection extends ChannelInboundHandlerAdapter {
    private final HttpResponseReader reader = new HttpResponseReader();
    Channel channel;
    Run run;
    long inFlightScheduled;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      int[] statuses;
      try {
        statuses = reader.feed(in);
      } finally {
        in.release();
      }
      for (int status : statuses) {
        if (status < 0) {
          ctx.close();
          return;
        }
        acknowledged(this, status);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      lost(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
