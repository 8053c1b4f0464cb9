/**
 * JMH benchmarks of Herald's wire format and client, with reference libraries measured in the same
 * run.
 *
 * <p>{@link dev.herald.bench.jmh.ParserBenchmark} and {@link dev.herald.bench.jmh.WriterBenchmark}
 * measure one operation as one whole {@link dev.herald.bench.jmh.Shape} stream; {@link
 * dev.herald.bench.jmh.ClientBenchmark} measures one operation as one client connection over
 * loopback receiving a whole stream from a {@link dev.herald.bench.jmh.LoopbackSseServer}. {@link
 * dev.herald.bench.jmh.BenchReport} turns JMH's JSON results into the tables of {@code
 * BENCHMARKS.md}. See {@code herald-bench/README.md} for how to run them.
 */
package dev.herald.bench.jmh;
