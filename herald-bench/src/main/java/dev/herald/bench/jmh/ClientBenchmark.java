package dev.herald.bench.jmh;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Client throughput over loopback, HTTP and parsing and dispatch included: one operation is one
 * client connecting to a {@link LoopbackSseServer}, receiving every event of one stream through its
 * public API with each event's data going to a {@link Blackhole}, and closing; so events per second
 * are operations per second times the events of the stream.
 *
 * <p>The server, in the same JVM, writes a response built once ({@link BodyFraming#response}) as
 * fast as the socket takes it, the same bytes for every client. A stream is long enough (about 7 to
 * 10 MB) that setting up the connection is a small part of an operation; {@code -p events=1}
 * measures that part alone.
 *
 * <p>The listener of {@link ClientHarness#HERALD} and {@link ClientHarness#OKHTTP_SSE} runs on the
 * client's own thread, which consumes into the benchmark thread's {@code Blackhole} while that
 * thread waits: one thread at a time, handed over through a latch.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class ClientBenchmark {
  /** The client library and API. */
  @Param public ClientHarness client;

  /** The size of each event's data, and the default number of events. */
  @Param public ClientPayload payload;

  /** How the response frames the stream. */
  @Param public BodyFraming framing;

  /** Events per connection; 0 (the default) takes {@link ClientPayload#defaultEvents()}. */
  @Param("0")
  public int events;

  private LoopbackSseServer server;
  private ClientHarness.Receiver receiver;
  private URI uri;
  private int eventsPerConnection;
  private int operations;

  /** Starts the server with its response, and the client library, once per fork. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    eventsPerConnection = events == 0 ? payload.defaultEvents() : events;
    server = LoopbackSseServer.start(framing.response(payload, eventsPerConnection));
    uri = server.uri();
    receiver = client.newReceiver();
  }

  /**
   * Stops both; fails the fork if any client connected more often than it was asked to, as one that
   * reconnected behind the harness's back would.
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    receiver.close();
    server.close();
    if (server.connections() != operations) {
      throw new IllegalStateException(
          server.connections() + " connections for " + operations + " operations");
    }
  }

  /** One connection: every event of the stream, received by {@link #client}. */
  @Benchmark
  public int receive(Blackhole bh) throws IOException, InterruptedException {
    operations++;
    return receiver.receive(uri, eventsPerConnection, bh::consume);
  }
}
