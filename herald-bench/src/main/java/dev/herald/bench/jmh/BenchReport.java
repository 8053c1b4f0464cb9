package dev.herald.bench.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns JMH JSON results of {@link ParserBenchmark} and {@link WriterBenchmark} into the Markdown
 * tables of {@code BENCHMARKS.md}, with bytes and events per second computed from operations per
 * second and the {@link Shape} of each stream; and those of {@link ClientBenchmark} into events per
 * second ({@link ClientReport}).
 *
 * <pre>{@code
 * java -cp herald-bench/target/herald-bench.jar dev.herald.bench.jmh.BenchReport jmh-result.json
 * }</pre>
 *
 * <p>Each figure is the median over all forks (of all files given) of a fork's mean, with the
 * lowest and highest fork in brackets. MB is 10<sup>6</sup> bytes.
 */
public final class BenchReport {
  private static final String PARSER = "ParserBenchmark";
  private static final String WRITER = "WriterBenchmark";
  private static final String CLIENT = "ClientBenchmark";
  private static final String HERALD = "herald";
  private static final String HERALD_WHOLE = "heraldWhole";
  private static final List<String> REFERENCES = List.of("okhttpSse", "launchDarkly");
  private static final Map<String, String> TITLES =
      Map.of(
          HERALD,
          "Herald",
          HERALD_WHOLE,
          "Herald, whole stream in one feed",
          "okhttpSse",
          "okhttp-sse 4.12.0",
          "launchDarkly",
          "okhttp-eventsource 4.3.0");

  private final List<JmhResult> results;
  private final PrintStream out;

  BenchReport(List<JmhResult> results, PrintStream out) {
    this.results = results;
    this.out = out;
  }

  /** Prints the report of the JMH JSON result files named by {@code args} to standard output. */
  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: BenchReport jmh-result.json [more.json ...]");
      System.exit(2);
    }
    List<JmhResult> results = new ArrayList<>();
    for (String file : args) {
      results.addAll(JmhResult.read(Path.of(file)));
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    new BenchReport(results, out).print();
  }

  /** Prints the settings of the run, a table per benchmark class, and whether each goal is met. */
  void print() {
    printSettings();
    if (has(PARSER)) {
      printParsers();
    }
    if (has(WRITER)) {
      printWriter();
    }
    if (has(PARSER)) {
      printGoals();
    }
    if (has(CLIENT)) {
      new ClientReport(results, out).print();
    }
  }

  private void printSettings() {
    Map<String, Object> s = results.get(0).settings();
    out.printf(
        "JMH %s, %s %s; %d forks per benchmark, each of %s measured iterations of %s after %s"
            + " warm-up iterations of %s; JVM arguments %s. Each figure is the median over forks of"
            + " a fork's mean, with the slowest and fastest fork in brackets; MB = 10^6 bytes.%n",
        s.get("jmhVersion"),
        s.get("vmName"),
        s.get("vmVersion"),
        forksPerBenchmark(),
        whole(s.get("measurementIterations")),
        s.get("measurementTime"),
        whole(s.get("warmupIterations")),
        s.get("warmupTime"),
        s.get("jvmArgs"));
  }

  /** The most forks pooled for one benchmark method and its parameters, over all files. */
  private int forksPerBenchmark() {
    return results.stream()
        .collect(
            Collectors.groupingBy(
                r -> r.benchmark() + "." + r.method() + "/" + r.settings().get("params"),
                Collectors.summingInt(r -> r.forkOpsPerSecond().length)))
        .values()
        .stream()
        .max(Integer::compare)
        .orElse(0);
  }

  private void printParsers() {
    out.printf("%n#### Parsers (MB/s)%n%n| input | bytes/op | events/op | ");
    out.printf("%s | %s | %s | Herald / best reference | ", title(HERALD), title(0), title(1));
    out.printf(
        "%s |%n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |%n", title(HERALD_WHOLE));
    for (Shape shape : Shape.values()) {
      Optional<Stats> herald = megabytes(PARSER, HERALD, shape);
      if (herald.isEmpty()) {
        continue;
      }
      out.printf(
          "| %s | %,d | %,d | %s | %s | %s | %s | %s |%n",
          shape.label(),
          shape.streamBytes(),
          shape.eventCount(),
          herald.get(),
          megabytes(PARSER, REFERENCES.get(0), shape).map(Stats::toString).orElse("–"),
          megabytes(PARSER, REFERENCES.get(1), shape).map(Stats::toString).orElse("–"),
          bestReference(shape).map(r -> ratio(herald.get(), r)).orElse("–"),
          megabytes(PARSER, HERALD_WHOLE, shape).map(Stats::toString).orElse("–"));
    }
  }

  private void printWriter() {
    out.printf(
        "%n#### Writer (Herald)%n%n| input | bytes/op | events/op | million events/s | MB/s |%n");
    out.printf("| --- | ---: | ---: | ---: | ---: |%n");
    for (Shape shape : Shape.values()) {
      stats(WRITER, HERALD, shape)
          .ifPresent(
              ops ->
                  out.printf(
                      "| %s | %,d | %,d | %s | %s |%n",
                      shape.label(),
                      shape.streamBytes(),
                      shape.eventCount(),
                      ops.times(shape.eventCount() / 1e6),
                      ops.times(shape.streamBytes() / 1e6)));
    }
  }

  private void printGoals() {
    out.printf("%n#### Goals%n%n");
    Optional<Stats> small = megabytes(PARSER, HERALD, Shape.SMALL);
    Optional<Stats> best = bestReference(Shape.SMALL);
    if (small.isPresent() && best.isPresent()) {
      boolean met = small.get().median >= 2 * best.get().median;
      out.printf(
          "- At least 2× the faster reference on small events: **%s** (%s, Herald %s MB/s against"
              + " %s MB/s).%n",
          met ? "met" : "not met",
          ratio(small.get(), best.get()),
          number(small.get().median),
          number(best.get().median));
    }
    megabytes(PARSER, HERALD, Shape.LARGE)
        .ifPresent(
            large ->
                out.printf(
                    "- At least 1 GB/s on large events: **%s** (Herald %s MB/s).%n",
                    large.median >= 1000 ? "met" : "not met", number(large.median)));
  }

  private Optional<Stats> bestReference(Shape shape) {
    return REFERENCES.stream()
        .flatMap(r -> megabytes(PARSER, r, shape).stream())
        .max((a, b) -> Double.compare(a.median, b.median));
  }

  private Optional<Stats> megabytes(String benchmark, String method, Shape shape) {
    return stats(benchmark, method, shape).map(ops -> ops.times(shape.streamBytes() / 1e6));
  }

  /** The operations per second of every fork of every file for one benchmark method and shape. */
  private Optional<Stats> stats(String benchmark, String method, Shape shape) {
    double[] forks =
        results.stream()
            .filter(r -> r.benchmark().equals(benchmark) && r.method().equals(method))
            .filter(r -> r.shape() == shape)
            .flatMapToDouble(r -> Arrays.stream(r.forkOpsPerSecond()))
            .sorted()
            .toArray();
    return forks.length == 0 ? Optional.empty() : Optional.of(new Stats(forks));
  }

  private boolean has(String benchmark) {
    return results.stream().anyMatch(r -> r.benchmark().equals(benchmark));
  }

  private static String title(int reference) {
    return title(REFERENCES.get(reference));
  }

  private static String title(String method) {
    return TITLES.get(method);
  }

  private static String ratio(Stats herald, Stats reference) {
    return String.format(Locale.ROOT, "%.2f×", herald.median / reference.median);
  }

  private static String whole(Object number) {
    return String.valueOf(Math.round((Double) number));
  }

  static String number(double value) {
    return String.format(Locale.ROOT, value >= 100 ? "%,.0f" : "%.3g", value);
  }

  /** Sorted per-fork figures: their median, lowest and highest. */
  static final class Stats {
    private final double[] sorted;
    private final double median;

    Stats(double[] sorted) {
      this.sorted = sorted;
      int n = sorted.length;
      this.median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    double median() {
      return median;
    }

    Stats times(double factor) {
      return new Stats(Arrays.stream(sorted).map(v -> v * factor).toArray());
    }

    @Override
    public String toString() {
      if (sorted.length == 1) {
        return number(median);
      }
      return number(median)
          + " ["
          + number(sorted[0])
          + "–"
          + number(sorted[sorted.length - 1])
          + "]";
    }
  }
}
