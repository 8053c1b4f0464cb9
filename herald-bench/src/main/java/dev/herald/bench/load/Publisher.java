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
 * Publishes events over a few HTTP/1.1 keep-alive connections, pipelined: up to a depth of requests
 * in flight on each, answered in order.
 *
 * <p>{@link #publish} follows an {@link OpenLoopSchedule}: every event is stamped with its
 * <em>scheduled</em> time and sequence number ({@link Payload}), and events that fall due while
 * every connection has its full depth of requests unanswered are sent as soon as one is answered —
 * late, but with their scheduled time, so the wait counts as latency. A run records how long it
 * waited so on the server ({@link Result#blockedNanos}) apart from how late it sent while it had
 * room ({@link Result#ownLagNanos}: the generator's own lateness, its timer and CPU), so a report
 * can tell a server that does not take from a generator that does not offer. One request in flight
 * per connection, as before pipelining, capped a run at connections ÷ the server's answer time: 16
 * connections and answers that take 30 ms under a fan-out load are 530 publishes/s, whatever the
 * schedule asked. {@link #flood} publishes as fast as the server acknowledges, one request in
 * flight per connection, for publish throughput. Sequence numbers count per channel from 1.
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
  private final Map<String, Long> sequences = new HashMap<>();
  private int depth = 1;
  private int wanted; // the connections open() was asked for: lost ones are opened again
  private int nextConnection;
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

  /**
   * Opens {@code n} connections, each taking up to {@code depth} pipelined requests of a scheduled
   * run; completes with the number open.
   */
  CompletableFuture<Integer> open(int n, int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be positive: " + depth);
    }
    loop.execute(
        () -> {
          this.depth = depth;
          this.wanted = Math.max(wanted, connections.size() + n);
        });
    return connect(n);
  }

  /** Opens {@code n} more connections; completes with the number open. */
  private CompletableFuture<Integer> connect(int n) {
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
    return publish(channel, rate, count, bytes, stopAfterNanos, 0);
  }

  /**
   * Publishes as {@link #publish(String, double, long, int, long)} does, with up to {@code depth}
   * requests in flight per connection instead of the depth given to {@link #open} (0: that one).
   */
  CompletableFuture<Result> publish(
      String channel, double rate, long count, int bytes, long stopAfterNanos, int depth) {
    if (depth < 0) {
      throw new IllegalArgumentException("depth must not be negative: " + depth);
    }
    CompletableFuture<Result> done = new CompletableFuture<>();
    loop.execute(
        () -> {
          long now = System.nanoTime();
          OpenLoopSchedule schedule = new OpenLoopSchedule(now, rate, count);
          long stop = stopAfterNanos == Long.MAX_VALUE ? Long.MAX_VALUE : now + stopAfterNanos;
          Run r = new Run(channel, bytes, schedule, stop, done);
          r.depth = depth > 0 ? depth : this.depth;
          start(r);
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
    if (connections.size() < wanted) {
      // The server closed some while they were idle (a server's request-head timeout closes a
      // connection that sends nothing, as a hub waiting for its subscribers does): open them again.
      connect(wanted - connections.size())
          .whenComplete((open, failure) -> loop.execute(() -> begin(r)));
      return;
    }
    begin(r);
  }

  private void begin(Run r) {
    if (run != null) {
      r.done.completeExceptionally(new IllegalStateException("a publish run is under way"));
      return;
    }
    if (connections.isEmpty()) {
      r.done.completeExceptionally(new IllegalStateException("no publisher connection is open"));
      return;
    }
    run = r;
    r.result.inFlightCap = connections.size() * (r.schedule != null ? r.depth : 1);
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
    // late sends while the run was not waiting on the server are the generator's own lateness
    boolean wasBlocked = r.blockedSince != 0;
    if (wasBlocked && r.next < due && roomy(r) != null) {
      r.result.blockedNanos += now - r.blockedSince;
      r.blockedSince = 0;
    }
    Connection c;
    while (r.next < due && (c = roomy(r)) != null) {
      long scheduled = r.schedule != null ? r.schedule.scheduledNanos(r.next) : now;
      send(c, r, r.next++, scheduled, now, wasBlocked);
    }
    if (r.schedule != null && r.next < due && r.blockedSince == 0) {
      r.blockedSince = now; // every connection holds its depth unanswered: the server's turn
    } else if (r.next >= due && r.blockedSince != 0) {
      r.result.blockedNanos += now - r.blockedSince; // out of time: nothing more is due
      r.blockedSince = 0;
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

  /**
   * The connection with the fewest requests in flight if it has room for another of {@code r} (a
   * scheduled run: the pipelining depth; a flood: one), taken round-robin among equals; else {@code
   * null}.
   */
  private Connection roomy(Run r) {
    int limit = r.schedule != null ? r.depth : 1;
    Connection best = null;
    int n = connections.size();
    for (int i = 0; i < n; i++) {
      Connection c = connections.get((nextConnection + i) % n);
      if (c.inFlight.size() < limit && (best == null || c.inFlight.size() < best.inFlight.size())) {
        best = c;
        if (c.inFlight.isEmpty()) {
          break;
        }
      }
    }
    if (best != null) {
      nextConnection = (connections.indexOf(best) + 1) % n;
    }
    return best;
  }

  private void send(Connection c, Run r, long index, long scheduled, long now, boolean waited) {
    long seq = r.firstSequence + index;
    r.result.sent++;
    r.inFlight++;
    long lag = now - scheduled;
    r.result.maxLagNanos = Math.max(r.result.maxLagNanos, lag);
    if (!waited) {
      r.result.ownLagNanos = Math.max(r.result.ownLagNanos, lag);
    }
    r.result.maxInFlight = Math.max(r.result.maxInFlight, r.inFlight);
    c.inFlight.add(new InFlight(r, scheduled, now));
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
    InFlight f = c.inFlight.poll();
    if (f == null || f.run != run) {
      return; // a response to a run that gave up
    }
    Run r = f.run;
    long now = System.nanoTime();
    r.inFlight--;
    if (status >= 200 && status < 300) {
      r.result.acked++;
      r.result.lastAckNanos = now;
      r.result.ackLatency.recordValue(
          Math.min(LoopStats.MAX_MICROS, Math.max(0, (now - f.scheduledNanos) / 1000)));
      r.result.answerLatency.recordValue(
          Math.min(LoopStats.MAX_MICROS, Math.max(0, (now - f.sentNanos) / 1000)));
    } else {
      r.result.failed++;
      r.result.statuses.merge(status, 1, Integer::sum);
    }
    pump();
  }

  private void lost(Connection c) {
    connections.remove(c);
    Run r = run;
    int mine = 0;
    for (InFlight f : c.inFlight) {
      if (f.run == r) {
        mine++;
      }
    }
    c.inFlight.clear();
    if (r != null && mine > 0) {
      r.inFlight -= mine;
      r.result.failed += mine;
      r.result.statuses.merge(-1, mine, Integer::sum);
    }
    if (r != null) {
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
    if (r.blockedSince != 0) {
      r.result.blockedNanos += System.nanoTime() - r.blockedSince;
      r.blockedSince = 0;
    }
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

    /** The latest a request was sent while the run had room on a connection: its own lateness. */
    long ownLagNanos;

    /** How long events were due while every connection held its depth unanswered. */
    long blockedNanos;

    /** The most requests in flight at once. */
    int maxInFlight;

    /** Requests in flight allowed on all connections together: connections × depth. */
    int inFlightCap;

    final Map<Integer, Integer> statuses = new java.util.TreeMap<>();

    /** Microseconds from each event's scheduled time to its acknowledgement. */
    final Histogram ackLatency = new Histogram(LoopStats.MAX_MICROS, 3);

    /** Microseconds from each request's sending to its answer: the server's answer time. */
    final Histogram answerLatency = new Histogram(LoopStats.MAX_MICROS, 3);
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
    int depth = 1; // requests in flight per connection at most
    boolean tickPending;
    long blockedSince; // since when due events wait for the server to answer; 0 if they do not
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

  /** A request sent and not answered yet: its run, scheduled time and when it was sent. */
  private record InFlight(Run run, long scheduledNanos, long sentNanos) {}

  /** One keep-alive connection; its handler runs on the publisher's loop. */
  private final class Connection extends ChannelInboundHandlerAdapter {
    private final HttpResponseReader reader = new HttpResponseReader();
    final ArrayDeque<InFlight> inFlight = new ArrayDeque<>(); // in the order sent = answered
    Channel channel;

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
