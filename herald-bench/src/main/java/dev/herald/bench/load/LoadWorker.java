package dev.herald.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * One load process: subscribers and a publisher on Netty (native epoll where available), driven by
 * commands on standard input, one per line, each answered by one line on standard output ({@code ok
 * key=value…} or {@code error message}). The bench command starts several, so that each holds fewer
 * connections than a process may have open files, and so that their CPU can be told apart from the
 * server's.
 *
 * <pre>
 * connect N CHANNEL FIRST_SEQ CONCURRENCY [N0,N1…]
 *                                           open N more subscribers: on the first --sub-url,
 *                                           or Ni on the i-th (a cluster's nodes; N is their sum)
 * reconnect CONCURRENCY                     reconnect the closed ones with their Last-Event-ID
 * disconnect                                close every subscriber's connection (client side)
 * clear                                     close and forget every subscriber
 * stats                                     counters; latencies since the last stats
 * count                                     events received so far (cheap)
 * missing LAST_SEQ                          gaps up to LAST_SEQ over all subscribers
 * await SEQ TIMEOUT_MS                      wait until every subscriber has all up to SEQ
 * open CONNECTIONS DEPTH                    open publisher connections, DEPTH requests in
 *                                           flight on each at most (scheduled runs)
 * publish CHANNEL RATE COUNT BYTES [MILLIS [DEPTH]]
 *                                           publish on an open-loop schedule (sending nothing
 *                                           new after MILLIS, if positive; DEPTH requests in
 *                                           flight per connection, if given)
 * flood CHANNEL MILLIS BYTES                publish as fast as acknowledged
 * quit
 * </pre>
 */
public final class LoadWorker {
  private final SubscriberPool subscribers;
  private final Publisher publisher;
  private final EventLoopGroup group;

  private LoadWorker(WorkerOptions o) {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends Channel> type = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    group = new MultiThreadIoEventLoopGroup(o.threads, io);
    subscribers =
        o.subUrls.isEmpty()
            ? null
            : new SubscriberPool(group, type, o.subUrls, o.headers, o.sources);
    publisher =
        o.pubUrl == null
            ? null
            : new Publisher(group, type, o.pubUrl, o.pubBody, o.pubContentType, o.headers);
  }

  /** Runs the commands of standard input until {@code quit} or its end. */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    LoadWorker worker = new LoadWorker(WorkerOptions.parse(args));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    out.println("ok ready pid=" + ProcessHandle.current().pid() + " epoll=" + Epoll.isAvailable());
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        if (line.trim().equals("quit")) {
          out.println("ok bye");
          break;
        }
        String reply;
        try {
          reply = "ok " + worker.execute(line.trim().split(" +"));
        } catch (Exception e) {
          Throwable cause = e.getCause() != null ? e.getCause() : e;
          reply = "error " + String.valueOf(cause).replace('\n', ' ');
        }
        out.println(reply);
      }
    } finally {
      worker.close();
    }
  }

  private String execute(String[] c) throws Exception {
    switch (c[0]) {
      case "connect":
        return connected(
            subscribers()
                .connect(perNode(c), c[2], Long.parseLong(c[3]), Integer.parseInt(c[4]))
                .get());
      case "reconnect":
        return connected(subscribers().reconnect(Integer.parseInt(c[1])).get());
      case "disconnect":
        return "closed=" + subscribers().disconnect().get();
      case "clear":
        subscribers().clear();
        return "cleared";
      case "stats":
        return stats();
      case "count":
        return "events=" + subscribers().snapshotEvents() + " nanos=" + System.nanoTime();
      case "missing":
        return "missing=" + subscribers().missing(Long.parseLong(c[1]));
      case "await":
        return await(Long.parseLong(c[1]), Long.parseLong(c[2]));
      case "open":
        return "connections="
            + publisher().open(Integer.parseInt(c[1]), Integer.parseInt(c[2])).get();
      case "publish":
        return published(
            publisher()
                .publish(
                    c[1],
                    Double.parseDouble(c[2]),
                    Long.parseLong(c[3]),
                    Integer.parseInt(c[4]),
                    c.length > 5 && Long.parseLong(c[5]) > 0
                        ? TimeUnit.MILLISECONDS.toNanos(Long.parseLong(c[5]))
                        : Long.MAX_VALUE,
                    c.length > 6 ? Integer.parseInt(c[6]) : 0)
                .get());
      case "flood":
        return published(
            publisher()
                .flood(
                    c[1],
                    TimeUnit.MILLISECONDS.toNanos(Long.parseLong(c[2])),
                    Integer.parseInt(c[3]))
                .get());
      default:
        throw new IllegalArgumentException("unknown command: " + c[0]);
    }
  }

  private static String connected(SubscriberPool.ConnectResult r) {
    return "established="
        + r.established
        + " failed="
        + r.failed
        + " timedOut="
        + r.timedOut
        + " closedEarly="
        + r.closedEarly
        + " refused="
        + r.refused()
        + " statuses="
        + r.statusList()
        + " millis="
        + r.millis;
  }

  private String stats() throws Exception {
    SubscriberPool.Snapshot s = subscribers().snapshot();
    return "events="
        + s.events
        + " bytes="
        + s.bytes
        + " distinct="
        + s.distinct
        + " duplicates="
        + s.duplicates
        + " late="
        + s.late
        + " open="
        + s.open
        + " subscribers="
        + s.subscribers
        + " endedResponse="
        + s.endedResponse
        + " endedFailed="
        + s.endedFailed
        + " endedClosed="
        + s.endedClosed
        + " lastEventNanos="
        + s.lastEventNanos
        + " cpuNanos="
        + cpuNanos()
        + " latency="
        + Histograms.encode(s.latency);
  }

  private String await(long seq, long timeoutMillis) throws Exception {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    int n = subscribers().size();
    long caught = subscribers().caughtUp(seq);
    while (caught < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
      caught = subscribers().caughtUp(seq);
    }
    return "caught="
        + caught
        + " of="
        + n
        + " millis="
        + (System.nanoTime() - start) / 1e6
        + " nanos="
        + System.nanoTime();
  }

  private static String published(Publisher.Result r) {
    return "sent="
        + r.sent
        + " acked="
        + r.acked
        + " failed="
        + r.failed
        + " firstSeq="
        + r.firstSequence
        + " lastSeq="
        + r.lastSequence
        + " startNanos="
        + r.startNanos
        + " endNanos="
        + r.endNanos
        + " lastAckNanos="
        + r.lastAckNanos
        + " maxLagNanos="
        + r.maxLagNanos
        + " ownLagNanos="
        + r.ownLagNanos
        + " blockedNanos="
        + r.blockedNanos
        + " maxInFlight="
        + r.maxInFlight
        + " inFlightCap="
        + r.inFlightCap
        + " ackLatency="
        + Histograms.encode(r.ackLatency)
        + " answerLatency="
        + Histograms.encode(r.answerLatency);
  }

  /** A connect command's subscribers per node: its sixth word, or all on the first node. */
  private static int[] perNode(String[] connect) {
    int n = Integer.parseInt(connect[1]);
    if (connect.length < 6) {
      return new int[] {n};
    }
    int[] counts = Arrays.stream(connect[5].split(",")).mapToInt(Integer::parseInt).toArray();
    if (IntStream.of(counts).sum() != n) {
      throw new IllegalArgumentException("the nodes' counts " + connect[5] + " do not sum to " + n);
    }
    return counts;
  }

  private static long cpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime()
        : -1;
  }

  private SubscriberPool subscribers() {
    if (subscribers == null) {
      throw new IllegalStateException("started without --sub-url");
    }
    return subscribers;
  }

  private Publisher publisher() {
    if (publisher == null) {
      throw new IllegalStateException("started without --pub-url");
    }
    return publisher;
  }

  private void close() throws Exception {
    if (subscribers != null) {
      subscribers.clear();
    }
    if (publisher != null) {
      publisher.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** The command line of a load process. */
  static final class WorkerOptions {
    final List<UrlTemplate> subUrls = new ArrayList<>(); // repeated: a cluster's nodes
    UrlTemplate pubUrl;
    String pubBody = "{data}";
    String pubContentType = "text/plain";
    final List<String> headers = new ArrayList<>();
    int threads = 1;
    int sources = 8;

    static WorkerOptions parse(String[] args) {
      WorkerOptions o = new WorkerOptions();
      for (int i = 0; i + 1 < args.length; i += 2) {
        String v = args[i + 1];
        switch (args[i]) {
          case "--sub-url":
            o.subUrls.add(UrlTemplate.of(v));
            break;
          case "--pub-url":
            o.pubUrl = UrlTemplate.of(v);
            break;
          case "--pub-body":
            o.pubBody = v;
            break;
          case "--pub-content-type":
            o.pubContentType = v;
            break;
          case "--header":
            o.headers.add(v);
            break;
          case "--threads":
            o.threads = Integer.parseInt(v);
            break;
          case "--sources":
            o.sources = Integer.parseInt(v);
            break;
          default:
            throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      return o;
    }
  }
}
