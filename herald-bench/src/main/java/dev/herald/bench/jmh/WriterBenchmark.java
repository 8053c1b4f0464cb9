package dev.herald.bench.jmh;

import dev.herald.core.SseEvent;
import dev.herald.core.SseWriter;
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

/**
 * Writer throughput: one operation encodes every event of a {@link Shape} stream, built once as
 * {@link SseEvent}s, into one reusable array, so events per second are operations per second times
 * {@link Shape#eventCount()} and bytes per second are operations per second times {@link
 * Shape#streamBytes()}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class WriterBenchmark {
  /** The shape of the events. */
  @Param public Shape shape;

  private SseEvent[] events;
  private byte[] buffer;

  /** Builds the events and a buffer that fits the largest once per fork. */
  @Setup
  public void setUp() {
    events = shape.events().toArray(SseEvent[]::new);
    buffer = new byte[shape.encodedEventBytes()];
  }

  /**
   * Herald's {@code SseWriter}, each event at the start of the buffer.
   *
   * @return the bytes written, so that no write is dead code
   */
  @Benchmark
  public long herald() {
    long bytes = 0;
    for (SseEvent event : events) {
      bytes += SseWriter.encode(event, buffer, 0);
    }
    return bytes;
  }
}
