package dev.herald.bench.cli;

import dev.herald.bench.load.Bench;
import dev.herald.bench.load.BenchSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald bench SCENARIO [options]}: runs one load scenario against Herald or a reference
 * server, or {@code compare} to run them all side by side, and writes JSON, Markdown and SVG
 * charts. The load runs in child JVMs (see {@code docs/architecture.md}).
 *
 * <p>Not thread-safe: an instance runs one command line.
 *
 * @since 0.1
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs a load scenario against Herald or a reference server.",
      "%nScenarios: fanout (most deliveries/s with zero loss), latency (percentiles at a fixed"
          + " rate), latency-curve (p50/p99 at 10 %%…90 %% of the saturated rate), idle (capacity and memory per subscriber), reconnect (a storm with"
          + " Last-Event-ID), publish (acknowledged publishes/s), calibrate (the generator against"
          + " sseload: deliveries/s at saturation and CPU per event), compare (every installed target, several runs,"
          + " medians and ratios, with the kernel floor), cluster (Redis and three nodes on this"
          + " machine, subscribers spread over them, publishes on the first: hub-cluster and"
          + " nchan-redis, each with held, fanout, latency and publish).",
      "%nReference servers and the C floor tools are installed outside the repository by"
          + " herald-bench/scripts/install-references.sh.%n"
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      paramLabel = "SCENARIO",
      description =
          "fanout, latency, latency-curve, idle, reconnect, publish, calibrate, compare or cluster.")
  private String scenario;

  @Option(
      names = "--target",
      paramLabel = "NAME",
      defaultValue = "herald",
      description =
          "herald, hub (Herald's Mercure hub), hub-sqlite (the hub on SQLite), hub-redis (one"
              + " hub on a Redis that syncs each write), nchan, node, vertx, webflux, hub-cluster"
              + " (three hubs on Redis), nchan-redis (three nchan on Redis), spring-herald or"
              + " spring-emitter (a Spring MVC controller returning a Herald stream, or written"
              + " with SseEmitter; from the Spring Boot sample's jar) (default: ${DEFAULT-VALUE}).")
  private String target;

  @Option(
      names = "--targets",
      split = ",",
      paramLabel = "NAME",
      description =
          "compare: these targets only (default: all installed but hub-sqlite, the cluster"
              + " and the Spring ones); cluster: hub-cluster,nchan-redis by default.")
  private List<String> targets = new ArrayList<>();

  @Option(
      names = "--scenarios",
      split = ",",
      paramLabel = "NAME",
      description =
          "compare: these scenarios (default: fanout,latency); cluster: held,fanout,latency,"
              + "publish.")
  private List<String> scenarios = new ArrayList<>();

  @Option(
      names = "--runs",
      defaultValue = "3",
      description = "compare: runs, whose medians are reported (default: ${DEFAULT-VALUE}).")
  private int runs;

  @Option(
      names = "--subscribers",
      split = ",",
      paramLabel = "N",
      description =
          "Subscriber counts (fanout: 100,1000,10000,19000; compare's fanout: 1000,10000;"
              + " latency, latency-curve, calibrate: 1000; reconnect: 10000; publish: 10).")
  private List<Integer> subscribers = new ArrayList<>();

  @Option(
      names = "--bytes",
      split = ",",
      paramLabel = "BYTES",
      description = "Event data sizes (default: 64; fanout takes several, e.g. 64,1024).")
  private List<Integer> bytes = new ArrayList<>();

  @Option(
      names = "--rate",
      paramLabel = "PER_SECOND",
      description = "latency: deliveries per second (default: 20000); calibrate: 50000.")
  private double rate;

  @Option(
      names = "--latency",
      split = ",",
      paramLabel = "N@RATE",
      description = "Latency cases, e.g. 1000@20000,100@50000 (default: --subscribers at --rate).")
  private List<String> latencyCases = new ArrayList<>();

  @Option(
      names = "--seconds",
      paramLabel = "S",
      description =
          "Seconds of a measured trial (fanout, publish, each latency-curve point: 5; latency,"
              + " calibrate: 10, and the work of each of its parts at saturation: 10 s of what the"
              + " server took in the warm-up).")
  private double seconds;

  @Option(
      names = "--warmup",
      paramLabel = "S",
      description =
          "Warm-up seconds. fanout: before each point (default: 5; on a cluster: "
              + Bench.CLUSTER_WARMUP_SECONDS
              + "); latency: before each case (default: 5); latency-curve: before its probes"
              + " (default: 5; each point then warms up 1 s); calibrate: before its deliveries at"
              + " saturation (default: "
              + Bench.CALIBRATE_WARMUP_SECONDS
              + ").")
  private double warmup;

  @Option(
      names = "--back",
      defaultValue = "100",
      description = "reconnect: events published while the clients are away (default: 100).")
  private int back;

  @Option(
      names = "--max",
      paramLabel = "N",
      description =
          "idle: subscribers to ramp up to (default: 21000, past Herald's limit); held: to open"
              + " over a cluster's nodes (default: 45000).")
  private int max;

  @Option(
      names = "--publishers",
      defaultValue = "4",
      description = "Publisher keep-alive connections (default: ${DEFAULT-VALUE}).")
  private int publishers;

  @Option(
      names = "--pipeline",
      defaultValue = "8",
      paramLabel = "DEPTH",
      description =
          "Requests in flight at most on each publisher connection when publishing on a schedule"
              + " (HTTP/1.1 pipelining; publish's flood keeps one; default: ${DEFAULT-VALUE}).")
  private int pipeline;

  @Option(
      names = "--time-wait-below",
      defaultValue = "1000",
      paramLabel = "N",
      description =
          "Before each scenario and point, wait until fewer than N sockets are in TIME_WAIT"
              + " (0: do not wait; default: ${DEFAULT-VALUE}).")
  private long timeWaitBelow;

  @Option(
      names = "--time-wait-max",
      defaultValue = "90",
      paramLabel = "S",
      description = "Wait that long at most for TIME_WAIT sockets (default: ${DEFAULT-VALUE}).")
  private double timeWaitMax;

  @Option(
      names = "--probe-seconds",
      paramLabel = "S",
      description =
          "fanout and latency-curve: seconds of one saturation probe (default: 3; a cluster's: 8);"
              + " probes repeat until 3 half-second samples are taken.")
  private double probeSeconds;

  @Option(
      names = "--curve",
      split = ",",
      paramLabel = "PERCENT",
      description = "latency-curve: points in percent of the saturated rate (default: 10,20,…,90).")
  private List<Integer> curve = new ArrayList<>();

  @Option(
      names = "--sub-url",
      paramLabel = "URL",
      description =
          "An external server's subscribe URL template, e.g. http://127.0.0.1:8080/sub/{ch}.")
  private String subUrl;

  @Option(
      names = "--pub-url",
      paramLabel = "URL",
      description =
          "An external server's publish URL template, e.g. http://127.0.0.1:8080/pub/{ch}.")
  private String pubUrl;

  @Option(
      names = "--pub-body",
      defaultValue = "{data}",
      paramLabel = "TEMPLATE",
      description =
          "Publish body: {data}, {data_form} (form-encoded), {ch} (default: ${DEFAULT-VALUE}).")
  private String pubBody;

  @Option(
      names = "--pub-content-type",
      defaultValue = "text/plain",
      description = "Publish Content-Type (default: ${DEFAULT-VALUE}).")
  private String pubContentType;

  @Option(
      names = "--header",
      paramLabel = "'NAME: VALUE'",
      description = "An extra request header for subscribers and publishers (repeatable).")
  private List<String> headers = new ArrayList<>();

  @Option(
      names = "--cpu-latency-qos",
      description =
          "Hold a 0 µs CPU wake-up latency request (/dev/cpu_dma_latency, root) during the run:"
              + " idle cores poll instead of sleeping, as latency benchmarks are usually run.")
  private boolean cpuLatencyQos;

  @Option(
      names = "--per-process",
      defaultValue = "19000",
      description = "Subscribers per load process at most (default: ${DEFAULT-VALUE}).")
  private int perProcess;

  @Option(
      names = "--client-threads",
      description =
          "Event-loop threads per load process (default: 1; a cluster's: one per node, at most the"
              + " cores).")
  private int clientThreads;

  @Option(
      names = "--concurrency",
      defaultValue = "512",
      description = "Connections opened at once per load process (default: ${DEFAULT-VALUE}).")
  private int concurrency;

  @Option(
      names = "--port",
      defaultValue = "8095",
      description = "Port of Herald's bench server (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Results directory (default: bench-results/tmp/SCENARIO-TIME).")
  private Path out;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "Where the reference servers are installed (default: $HERALD_BENCH_CACHE or"
              + " ~/.cache/herald-bench).")
  private Path cache;

  /** For picocli. */
  public BenchCommand() {}

  @Override
  public Integer call() throws IOException {
    if (!Bench.SCENARIOS.contains(scenario)) {
      throw new ParameterException(
          spec.commandLine(),
          "unknown scenario '" + scenario + "'; one of " + String.join(", ", Bench.SCENARIOS));
    }
    if ((subUrl == null) != (pubUrl == null)) {
      throw new ParameterException(spec.commandLine(), "--sub-url and --pub-url go together");
    }
    if (cpuLatencyQos && !java.nio.file.Files.isWritable(Path.of("/dev/cpu_dma_latency"))) {
      throw new ParameterException(
          spec.commandLine(),
          "--cpu-latency-qos needs write access to /dev/cpu_dma_latency (root)");
    }
    positive("--runs", runs);
    positive("--publishers", publishers);
    positive("--per-process", perProcess);
    if (spec.commandLine().getParseResult().hasMatchedOption("--client-threads")) {
      positive("--client-threads", clientThreads);
    }
    positive("--concurrency", concurrency);
    BenchSettings settings;
    try {
      settings =
          new BenchSettings()
              .target(target)
              .targets(targets)
              .scenarios(scenarios)
              .runs(runs)
              .subscribers(subscribers)
              .sizes(bytes)
              .rate(rate)
              .latencyCases(latencyCases)
              .seconds(seconds)
              .warmupSeconds(warmup)
              .back(back)
              .max(max)
              .publishers(publishers)
              .pipeline(pipeline)
              .timeWait(timeWaitBelow, timeWaitMax)
              .probeSeconds(probeSeconds)
              .curvePercents(curve)
              .cpuLatencyQos(cpuLatencyQos)
              .urls(subUrl, pubUrl)
              .pubBody(pubBody, pubContentType)
              .headers(headers)
              .perProcess(perProcess)
              .clientThreads(clientThreads)
              .concurrency(concurrency)
              .heraldPort(port)
              .out(out)
              .cache(cache)
              .commandLine(
                  "./herald "
                      + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return Bench.run(scenario, settings, spec.commandLine().getOut());
  }

  private void positive(String option, int value) {
    if (value <= 0) {
      throw new ParameterException(spec.commandLine(), option + " must be positive: " + value);
    }
  }
}
