package dev.herald.bench.server;

import dev.herald.core.EventIds;
import dev.herald.core.SseEvent;
import dev.herald.server.Broadcaster;
import dev.herald.server.HeraldServer;
import dev.herald.server.HeraldServerMetrics;
import dev.herald.server.Response;
import dev.herald.server.RingEventLog;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;

/**
 * Herald as the load generator's target, with the URL shape of the reference servers in {@code
 * ../shared/bench}: {@code GET /sub/{ch}} streams topic {@code ch}, resuming after the client's
 * {@code Last-Event-ID} from a history of the last 1000 events; {@code POST /pub/{ch}} publishes
 * the body as the event's data and answers 200 with the event's ID. {@code GET /metrics} serves the
 * server's meters ({@link HeraldServerMetrics}) as Prometheus text, as the hub's {@code /metrics}
 * does: among them {@code herald_dispatch_latency_seconds}, Herald's own part of a publish's
 * latency, which the bench scrapes around each latency point.
 *
 * <pre>{@code
 * java --module-path … --module dev.herald.bench/dev.herald.bench.server.HeraldBenchServer 8095
 * }</pre>
 *
 * <p>Everything else is {@link HeraldServer}'s default (event loops: one per processor; heartbeat:
 * 15 s; connection limit: the open-file limit less a reserve).
 */
public final class HeraldBenchServer implements AutoCloseable {
  /** Events kept for {@code Last-Event-ID}, as in the reference servers. */
  public static final int HISTORY_EVENTS = 1000;

  private static final String SUB = "/sub/";
  private static final String PUB = "/pub/";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HeraldServer server;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HeraldServerMetrics metrics;

  private HeraldBenchServer(String host, int port, boolean uuidIds) {
    Broadcaster<Void> broadcaster =
        Broadcaster.create(RingEventLog.builder().maxEvents(HISTORY_EVENTS).build());
    server =
        HeraldServer.builder()
            .host(host)
            .port(port)
            .sse(
                SUB + "*",
                (request, stream) ->
                    broadcaster.subscribe(
                        stream, Set.of(topic(request.path(), SUB)), stream.lastEventId()))
            .post(
                PUB + "*",
                request -> {
                  SseEvent event =
                      uuidIds
                          ? SseEvent.builder().id(EventIds.next()).data(request.bodyText()).build()
                          : SseEvent.of(request.bodyText());
                  String id = broadcaster.publish(topic(request.path(), PUB), event);
                  return Response.text(200, id);
                })
            .get(
                "/metrics",
                request -> Response.builder(200).body(PROMETHEUS_TEXT, registry.scrape()).build())
            .build();
    metrics = new HeraldServerMetrics(server);
    metrics.bindTo(registry);
  }

  /** Starts a bench server on {@code host}:{@code port} (0: any free port). */
  public static HeraldBenchServer start(String host, int port) {
    return start(host, port, false);
  }

  /**
   * Starts a bench server; {@code uuidIds}: events get IDs as Herald's hub makes them ({@link
   * EventIds}: time-ordered {@code urn:uuid:}) instead of their positions, so that its events are
   * as long on the wire as the hub's.
   */
  public static HeraldBenchServer start(String host, int port, boolean uuidIds) {
    HeraldBenchServer s = new HeraldBenchServer(host, port, uuidIds);
    s.server.start();
    return s;
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** The underlying server, for its counters. */
  public HeraldServer server() {
    return server;
  }

  @Override
  public void close() {
    server.close();
    metrics.close();
    registry.close();
  }

  private static String topic(String path, String prefix) {
    return path.length() > prefix.length() ? path.substring(prefix.length()) : "";
  }

  /**
   * Serves on 127.0.0.1:{@code args[0]} (default 8095) until the process is stopped; {@code
   * uuid-ids} as {@code args[1]}: IDs as a Mercure hub makes them.
   */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8095;
    boolean uuidIds = args.length > 1 && args[1].equals("uuid-ids");
    HeraldBenchServer s = start("127.0.0.1", port, uuidIds);
    Runtime.getRuntime().addShutdownHook(new Thread(s::close, "herald-bench-server-stop"));
    System.out.println(
        "herald bench server on 127.0.0.1:"
            + s.port()
            + " pid="
            + ProcessHandle.current().pid()
            + " maxConnections="
            + s.server.maxConnections()
            + " epoll="
            + io.netty.channel.epoll.Epoll.isAvailable());
    Thread.currentThread().join();
  }
}
