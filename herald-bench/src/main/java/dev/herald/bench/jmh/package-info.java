/**
 * JMH benchmarks of Herald's wire format, with reference parsers measured in the same run.
 *
 * <p>{@link dev.herald.bench.jmh.ParserBenchmark} and {@link dev.herald.bench.jmh.WriterBenchmark}
 * measure one operation as one whole {@link dev.herald.bench.jmh.Shape} stream; {@link
 * dev.herald.bench.jmh.BenchReport} turns JMH's JSON result into the table of {@code
 * BENCHMARKS.md}. See {@code herald-bench/README.md} for how to run them.
 */
package dev.herald.bench.jmh;
