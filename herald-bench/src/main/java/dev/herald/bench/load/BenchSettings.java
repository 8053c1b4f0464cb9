package dev.herald.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings of one {@code ./herald bench} run. Lists left empty and numbers left at 0 take the
 * scenario's default. Not thread-safe: built by the command, then only read.
 */
public final class BenchSettings {
  String target = "herald";
  List<String> targets = new ArrayList<>();
  List<String> scenarios = new ArrayList<>();
  String subUrl;
  String pubUrl;
  String pubBody = "{data}";
  String pubContentType = "text/plain";
  List<String> headers = new ArrayList<>();
  List<Integer> subscribers = new ArrayList<>();
  List<Integer> sizes = new ArrayList<>();
  double rate;
  List<String> latencyCases = new ArrayList<>();
  double seconds;
  double warmupSeconds;
  int runs = 3;
  int publishers = 4;
  int pipeline = 8;
  long timeWaitBelow = 1_000;
  double timeWaitSeconds = 90;
  double probeSeconds;
  List<Integer> curvePercents = new ArrayList<>();
  boolean cpuLatencyQos;
  int back = 100;
  int max;
  int perProcess = 19_000;
  int clientThreads; // 0: the rig's default (Rig#clientThreads)
  int concurrency = 512;
  int heraldPort = 8095;
  Path out;
  Path cache;
  String commandLine = "";

  /** Settings with every default. */
  public BenchSettings() {}

  /** The target server: one of {@link TargetServer#NAMED}. */
  public BenchSettings target(String target) {
    this.target = Objects.requireNonNull(target, "target");
    return this;
  }

  /** The targets of {@code compare}; empty for all installed ones. */
  public BenchSettings targets(List<String> targets) {
    this.targets = List.copyOf(targets);
    return this;
  }

  /** The scenarios of {@code compare}; empty for its default set. */
  public BenchSettings scenarios(List<String> scenarios) {
    this.scenarios = List.copyOf(scenarios);
    return this;
  }

  /** An external server's subscribe and publish URL templates (then nothing is started). */
  public BenchSettings urls(String subUrl, String pubUrl) {
    this.subUrl = subUrl;
    this.pubUrl = pubUrl;
    return this;
  }

  /** The publish request's body template ({@code {data}}, {@code {data_form}}, {@code {ch}}). */
  public BenchSettings pubBody(String template, String contentType) {
    this.pubBody = Objects.requireNonNull(template, "template");
    this.pubContentType = Objects.requireNonNull(contentType, "contentType");
    return this;
  }

  /** Extra request headers ({@code Name: value}) for subscribers and publishers. */
  public BenchSettings headers(List<String> headers) {
    this.headers = List.copyOf(headers);
    return this;
  }

  /** Subscriber counts. */
  public BenchSettings subscribers(List<Integer> counts) {
    this.subscribers = List.copyOf(counts);
    return this;
  }

  /** Event data sizes, in bytes. */
  public BenchSettings sizes(List<Integer> bytes) {
    this.sizes = List.copyOf(bytes);
    return this;
  }

  /** Deliveries per second (latency). */
  public BenchSettings rate(double deliveriesPerSecond) {
    this.rate = deliveriesPerSecond;
    return this;
  }

  /** Latency cases as {@code SUBSCRIBERS@DELIVERIES_PER_SECOND}; empty for the default. */
  public BenchSettings latencyCases(List<String> cases) {
    for (String c : cases) {
      if (!c.matches("[0-9]+@[0-9]+(\\.[0-9]+)?")) {
        throw new IllegalArgumentException(
            "a latency case is SUBSCRIBERS@RATE, such as 1000@20000: " + c);
      }
    }
    this.latencyCases = List.copyOf(cases);
    return this;
  }

  /** Measured seconds of a trial. */
  public BenchSettings seconds(double seconds) {
    this.seconds = seconds;
    return this;
  }

  /** Warm-up seconds before measuring (latency). */
  public BenchSettings warmupSeconds(double seconds) {
    this.warmupSeconds = seconds;
    return this;
  }

  /** Runs of {@code compare}, whose medians are reported. */
  public BenchSettings runs(int runs) {
    this.runs = runs;
    return this;
  }

  /**
   * Whether to hold a CPU wake-up latency request of 0 µs ({@code /dev/cpu_dma_latency}, which
   * needs root) for the whole run: idle cores then poll instead of sleeping, so that a delivery
   * does not wait for a sleeping core to wake (on a virtual machine, for the host to run it again).
   */
  public BenchSettings cpuLatencyQos(boolean hold) {
    this.cpuLatencyQos = hold;
    return this;
  }

  /** Publisher connections. */
  public BenchSettings publishers(int connections) {
    this.publishers = connections;
    return this;
  }

  /** Requests in flight at most on each publisher connection, for scheduled publishing. */
  public BenchSettings pipeline(int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("--pipeline must be positive: " + depth);
    }
    this.pipeline = depth;
    return this;
  }

  /**
   * Before each scenario and each point, wait until the machine holds fewer than {@code below}
   * sockets in {@code TIME_WAIT}, for {@code maxSeconds} at most; {@code below} 0: do not wait.
   */
  public BenchSettings timeWait(long below, double maxSeconds) {
    if (below < 0 || maxSeconds < 0) {
      throw new IllegalArgumentException("the TIME_WAIT bound and wait must not be negative");
    }
    this.timeWaitBelow = below;
    this.timeWaitSeconds = maxSeconds;
    return this;
  }

  /** Seconds of one fan-out probe (the saturated rate), 0 for the default. */
  public BenchSettings probeSeconds(double seconds) {
    this.probeSeconds = seconds;
    return this;
  }

  /** The latency curve's points, in percent of the saturated rate (1–100); empty: 10…90. */
  public BenchSettings curvePercents(List<Integer> percents) {
    for (int p : percents) {
      if (p < 1 || p > 100) {
        throw new IllegalArgumentException("a latency-curve point is 1–100 (%): " + p);
      }
    }
    this.curvePercents = List.copyOf(percents);
    return this;
  }

  /** How many events a reconnecting client is behind. */
  public BenchSettings back(int events) {
    this.back = events;
    return this;
  }

  /** The most subscribers of the idle ramp. */
  public BenchSettings max(int subscribers) {
    this.max = subscribers;
    return this;
  }

  /** Subscribers per load process at most. */
  public BenchSettings perProcess(int subscribers) {
    this.perProcess = subscribers;
    return this;
  }

  /** Event-loop threads per load process. */
  public BenchSettings clientThreads(int threads) {
    this.clientThreads = threads;
    return this;
  }

  /** Connections being opened at once, per load process. */
  public BenchSettings concurrency(int connections) {
    this.concurrency = connections;
    return this;
  }

  /** The port of Herald's bench server. */
  public BenchSettings heraldPort(int port) {
    this.heraldPort = port;
    return this;
  }

  /** Where results go. */
  public BenchSettings out(Path dir) {
    this.out = dir;
    return this;
  }

  /** Where the reference servers are installed. */
  public BenchSettings cache(Path dir) {
    this.cache = dir;
    return this;
  }

  /** The command line as typed, for the report. */
  public BenchSettings commandLine(String line) {
    this.commandLine = line;
    return this;
  }

  double secondsOr(double dflt) {
    return seconds > 0 ? seconds : dflt;
  }

  double warmupOr(double dflt) {
    return warmupSeconds > 0 ? warmupSeconds : dflt;
  }

  List<Integer> subscribersOr(List<Integer> dflt) {
    return subscribers.isEmpty() ? dflt : subscribers;
  }

  List<Integer> sizesOr(List<Integer> dflt) {
    return sizes.isEmpty() ? dflt : sizes;
  }
}
