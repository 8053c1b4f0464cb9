package dev.herald.bench.jmh;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parser throughput: one operation parses a whole {@link Shape} stream of about 1 MiB, so bytes per
 * second are operations per second times {@link Shape#streamBytes()}. Herald and the two reference
 * parsers read the same bytes the same way ({@link ParserHarness}), and every event's data goes to
 * a {@link Blackhole}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class ParserBenchmark {
  /** The shape of the events in the stream. */
  @Param public Shape shape;

  private byte[] stream;

  /** Builds the stream once per fork. */
  @Setup
  public void setUp() {
    stream = shape.stream();
  }

  /** Herald's {@code SseParser}. */
  @Benchmark
  public int herald(Blackhole bh) throws IOException {
    return ParserHarness.HERALD.parse(stream, bh::consume);
  }

  /** Herald's {@code SseParser} given the whole stream in one call (not a reference figure). */
  @Benchmark
  public int heraldWhole(Blackhole bh) throws IOException {
    return ParserHarness.HERALD_WHOLE.parse(stream, bh::consume);
  }

  /** OkHttp's {@code okhttp-sse} {@code ServerSentEventReader}. */
  @Benchmark
  public int okhttpSse(Blackhole bh) throws IOException {
    return ParserHarness.OKHTTP_SSE.parse(stream, bh::consume);
  }

  /** LaunchDarkly's {@code okhttp-eventsource} {@code EventSource}. */
  @Benchmark
  public int launchDarkly(Blackhole bh) throws IOException {
    return ParserHarness.LAUNCHDARKLY.parse(stream, bh::consume);
  }
}
