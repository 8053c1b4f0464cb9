package dev.herald.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * The subscribers of one load process: opens them at a bounded pace, each from one of the source
 * addresses 127.0.0.2… in turn (so that more connections fit than one source address's ephemeral
 * ports), reconnects them with their last event IDs, and sums what they received.
 *
 * <p>Thread-safe: connection bookkeeping is synchronized; each subscriber's counters live on its
 * event loop and are read there.
 */
final class SubscriberPool {
  /** Time allowed for a connection to be accepted and answered with a head. */
  static final long HEAD_TIMEOUT_MILLIS = 15_000;

  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final List<UrlTemplate> urls; // a cluster's nodes, or the one server
  private final List<String> headers;
  private final int sources;
  private final Map<EventLoop, LoopStats> stats = new ConcurrentHashMap<>();
  private final List<Subscriber> all = new ArrayList<>();
  private final Queue<Subscriber> waiting = new ArrayDeque<>();
  private String channelName;
  private byte[][] requests; // the request without Last-Event-ID, per node
  private Batch batch;
  private int started;

  SubscriberPool(
      EventLoopGroup group,
      Class<? extends Channel> channelType,
      List<UrlTemplate> urls,
      List<String> headers,
      int sources) {
    this.group = group;
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no subscribe URL");
    }
    this.urls = List.copyOf(urls);
    this.headers = List.copyOf(headers);
    this.sources = sources;
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) HEAD_TIMEOUT_MILLIS);
    if (channelType == EpollSocketChannel.class) {
      // Ports are picked at connect time, per destination, not at bind time per source address.
      bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
    }
  }

  LoopStats statsOf(EventLoop loop) {
    return stats.computeIfAbsent(loop, LoopStats::new);
  }

  /**
   * Opens {@code n} more subscribers on the first subscribe URL: {@code connect(new int[] {n}, …)}.
   */
  CompletableFuture<ConnectResult> connect(
      int n, String channel, long firstSequence, int concurrency) {
    return connect(new int[] {n}, channel, firstSequence, concurrency);
  }

  /**
   * Opens {@code perNode[i]} more subscribers of {@code channel} on node {@code i} (of the
   * subscribe URLs, in their order), each expecting every sequence number from {@code
   * firstSequence} on, at most {@code concurrency} of them connecting at once; completes when each
   * is established or has failed.
   */
  synchronized CompletableFuture<ConnectResult> connect(
      int[] perNode, String channel, long firstSequence, int concurrency) {
    if (batch != null) {
      throw new IllegalStateException("a connect or reconnect is under way");
    }
    if (perNode.length > urls.size()) {
      throw new IllegalArgumentException(
          perNode.length + " nodes' counts for " + urls.size() + " subscribe URLs");
    }
    if (!channel.equals(channelName)) {
      channelName = channel;
      requests = new byte[urls.size()][];
    }
    List<Subscriber> fresh = new ArrayList<>();
    // the nodes in turn, so that every node's subscribers connect from the start
    for (int round = 0, left = IntStream.of(perNode).sum(); left > 0; round++) {
      for (int node = 0; node < perNode.length; node++) {
        if (round < perNode[node]) {
          fresh.add(new Subscriber(this, node, firstSequence));
          left--;
        }
      }
    }
    all.addAll(fresh);
    return begin(fresh, concurrency);
  }

  /** Reconnects every subscriber that is not connected, each with its last event ID. */
  synchronized CompletableFuture<ConnectResult> reconnect(int concurrency) {
    if (batch != null) {
      throw new IllegalStateException("a connect or reconnect is under way");
    }
    List<Subscriber> closed = new ArrayList<>();
    for (Subscriber s : all) {
      if (s.state() == Subscriber.State.CLOSED || s.state() == Subscriber.State.IDLE) {
        closed.add(s);
      }
    }
    return begin(closed, concurrency);
  }

  private CompletableFuture<ConnectResult> begin(List<Subscriber> subscribers, int concurrency) {
    batch = new Batch(subscribers.size(), concurrency);
    waiting.addAll(subscribers);
    CompletableFuture<ConnectResult> done = batch.done;
    if (subscribers.isEmpty()) {
      finishBatch();
    } else {
      startMore();
    }
    return done;
  }

  private void startMore() {
    while (batch != null && batch.inFlight < batch.concurrency && !waiting.isEmpty()) {
      Subscriber s = waiting.poll();
      batch.inFlight++;
      open(s);
    }
  }

  private void open(Subscriber s) {
    EventLoop loop = s.channel() != null ? s.channel().eventLoop() : group.next();
    InetSocketAddress source = new InetSocketAddress("127.0.0." + (2 + started++ % sources), 0);
    s.prepare();
    UrlTemplate url = urls.get(s.node());
    ChannelFuture f =
        bootstrap
            .clone(loop)
            .handler(s)
            .connect(new InetSocketAddress(url.host(), url.port()), source);
    s.attach(f.channel());
    ScheduledFuture<?> timeout =
        loop.schedule(() -> headTimedOut(s), HEAD_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    f.channel().closeFuture().addListener(x -> timeout.cancel(false));
    f.addListener(
        x -> {
          if (!x.isSuccess()) {
            timeout.cancel(false);
            settle(s, r -> r.failed++);
          }
        });
  }

  private void headTimedOut(Subscriber s) {
    if (s.state() == Subscriber.State.CONNECTING) {
      settle(s, r -> r.timedOut++);
      s.channel().close();
    }
  }

  void established(Subscriber s) {
    settle(s, r -> r.established++);
  }

  void refused(Subscriber s, int status) {
    settle(s, r -> r.statuses.merge(status, 1, Integer::sum));
  }

  /** A connection of {@code s} closed; {@code was} is where it stood before. */
  void closed(Subscriber s, Subscriber.State was) {
    if (was == Subscriber.State.CONNECTING) {
      settle(s, r -> r.closedEarly++);
    }
  }

  private synchronized void settle(Subscriber s, java.util.function.Consumer<ConnectResult> count) {
    Batch b = batch;
    if (b == null || !b.settled.add(s)) {
      return; // already counted (a timeout, then the close it caused)
    }
    count.accept(b.result);
    b.inFlight--;
    b.remaining--;
    if (b.remaining == 0) {
      finishBatch();
    } else {
      startMore();
    }
  }

  private void finishBatch() {
    Batch b = batch;
    batch = null;
    b.result.millis = (System.nanoTime() - b.startNanos) / 1_000_000.0;
    b.done.complete(b.result);
  }

  /**
   * The request line and headers of a subscription to node {@code node}, with {@code lastEventId}
   * if not null.
   */
  synchronized byte[] request(int node, String lastEventId) {
    if (lastEventId == null && requests[node] != null) {
      return requests[node];
    }
    UrlTemplate url = urls.get(node);
    StringBuilder r = new StringBuilder(256);
    r.append("GET ").append(url.target(Map.of("ch", channelName))).append(" HTTP/1.1\r\n");
    r.append("Host: ").append(url.authority()).append("\r\n");
    r.append("Accept: text/event-stream\r\nCache-Control: no-cache\r\n");
    for (String h : headers) {
      r.append(h).append("\r\n");
    }
    if (lastEventId != null) {
      r.append("Last-Event-ID: ").append(lastEventId).append("\r\n");
    }
    byte[] bytes = Subscriber.ascii(r.append("\r\n").toString());
    if (lastEventId == null) {
      requests[node] = bytes;
    }
    return bytes;
  }

  /** Closes every connection (the subscribers stay, for a reconnection); completes when closed. */
  CompletableFuture<Integer> disconnect() {
    List<Subscriber> open = new ArrayList<>();
    synchronized (this) {
      for (Subscriber s : all) {
        if (s.channel() != null && s.channel().isOpen()) {
          open.add(s);
        }
      }
    }
    CompletableFuture<?>[] closes = new CompletableFuture<?>[open.size()];
    for (int i = 0; i < closes.length; i++) {
      CompletableFuture<Void> c = new CompletableFuture<>();
      open.get(i).closeHere().addListener(x -> c.complete(null));
      closes[i] = c;
    }
    return CompletableFuture.allOf(closes).thenApply(x -> open.size());
  }

  /** Closes every connection and forgets every subscriber and counter. */
  void clear() throws InterruptedException, ExecutionException {
    disconnect().get();
    synchronized (this) {
      all.clear();
      waiting.clear();
      channelName = null;
      requests = null;
    }
    onLoops(
        st -> {
          st.subscribers.clear();
          st.reset();
          return 0L;
        });
  }

  /** Sums of the counters of every loop, and the latencies since the last snapshot. */
  Snapshot snapshot() throws InterruptedException, ExecutionException {
    Snapshot total = new Snapshot();
    for (LoopStats st : stats.values()) {
      Snapshot part = onLoop(st, Snapshot::of);
      total.add(part);
    }
    return total;
  }

  /**
   * Events received so far, over all loops, read without waiting for them: a loop busy reading
   * would answer a task late, and a probe's half-second samples with it.
   */
  long snapshotEvents() {
    long n = 0;
    for (LoopStats st : stats.values()) {
      n += st.eventsSoFar();
    }
    return n;
  }

  /** The sequence numbers up to {@code last} that never arrived, over all subscribers. */
  long missing(long last) throws InterruptedException, ExecutionException {
    return onLoops(
        st -> {
          long m = 0;
          for (Subscriber s : st.subscribers) {
            m += s.tracker().missing(last);
          }
          return m;
        });
  }

  /** How many subscribers have seen sequence number {@code seq} or a higher one, gaps or not. */
  long reached(long seq) throws InterruptedException, ExecutionException {
    return onLoops(
        st -> {
          long n = 0;
          for (Subscriber s : st.subscribers) {
            if (s.tracker().highest() >= seq) {
              n++;
            }
          }
          return n;
        });
  }

  /** How many subscribers have received every sequence number up to {@code seq}. */
  long caughtUp(long seq) throws InterruptedException, ExecutionException {
    return onLoops(
        st -> {
          long n = 0;
          for (Subscriber s : st.subscribers) {
            if (s.tracker().hasAllUpTo(seq)) {
              n++;
            }
          }
          return n;
        });
  }

  /** The number of subscribers, connected or not. */
  synchronized int size() {
    return all.size();
  }

  private long onLoops(Function<LoopStats, Long> task)
      throws InterruptedException, ExecutionException {
    long sum = 0;
    for (LoopStats st : stats.values()) {
      sum += onLoop(st, task);
    }
    return sum;
  }

  private static <T> T onLoop(LoopStats st, Function<LoopStats, T> task)
      throws InterruptedException, ExecutionException {
    Future<T> f = st.loop.submit(() -> task.apply(st));
    return f.get();
  }

  /** What one connect or reconnect came to. */
  static final class ConnectResult {
    int established;
    int failed;
    int timedOut;
    int closedEarly;
    final Map<Integer, Integer> statuses = new TreeMap<>();
    double millis;

    /** Refusals: HTTP answers other than 200 (as status:count). */
    String statusList() {
      StringBuilder b = new StringBuilder();
      statuses.forEach(
          (k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append(':').append(v));
      return b.length() == 0 ? "-" : b.toString();
    }

    int refused() {
      return statuses.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** Counters summed over loops. */
  static final class Snapshot {
    long events;
    long bytes;
    long distinct;
    long duplicates;
    long late;
    int open;
    int subscribers;
    int endedResponse;
    int endedFailed;
    int endedClosed;
    long lastEventNanos;
    final Histogram latency = new Histogram(LoopStats.MAX_MICROS, 3);

    static Snapshot of(LoopStats st) {
      Snapshot s = new Snapshot();
      s.events = st.events;
      s.bytes = st.bytes;
      s.lastEventNanos = st.lastEventNanos;
      s.endedResponse = st.endedResponse;
      s.endedFailed = st.endedFailed;
      s.endedClosed = st.endedClosed;
      for (Subscriber sub : st.subscribers) {
        s.subscribers++;
        s.distinct += sub.tracker().distinct();
        s.duplicates += sub.tracker().duplicates();
        s.late += sub.tracker().late();
        if (sub.state() == Subscriber.State.OPEN) {
          s.open++;
        }
      }
      s.latency.add(st.takeLatency());
      return s;
    }

    void add(Snapshot o) {
      events += o.events;
      bytes += o.bytes;
      distinct += o.distinct;
      duplicates += o.duplicates;
      late += o.late;
      open += o.open;
      subscribers += o.subscribers;
      endedResponse += o.endedResponse;
      endedFailed += o.endedFailed;
      endedClosed += o.endedClosed;
      lastEventNanos = Math.max(lastEventNanos, o.lastEventNanos);
      latency.add(o.latency);
    }
  }

  private static final class Batch {
    final CompletableFuture<ConnectResult> done = new CompletableFuture<>();
    final ConnectResult result = new ConnectResult();
    final java.util.Set<Subscriber> settled =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    final int concurrency;
    final long startNanos = System.nanoTime();
    int remaining;
    int inFlight;

    Batch(int n, int concurrency) {
      this.remaining = n;
      this.concurrency = Math.max(1, concurrency);
    }
  }
}
