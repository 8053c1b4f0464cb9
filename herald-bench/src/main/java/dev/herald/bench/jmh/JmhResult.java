package dev.herald.bench.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One throughput benchmark of a JMH JSON result file ({@code -rf json}): which method on which
 * {@link Shape}, its operations per second in each fork, and the run's settings.
 *
 * @param benchmark the benchmark's simple class name, such as {@code ParserBenchmark}
 * @param method the benchmark method, such as {@code herald}
 * @param shape the {@code shape} parameter; {@code null} for a benchmark without one, such as
 *     {@link ClientBenchmark}
 * @param forkOpsPerSecond the mean of the measured iterations of each fork, in operations per
 *     second
 * @param settings JMH's, JVM's and the run's settings as JMH reported them, by their JSON names
 */
record JmhResult(
    String benchmark,
    String method,
    Shape shape,
    double[] forkOpsPerSecond,
    Map<String, Object> settings) {

  private static final Map<String, Double> PER_SECOND =
      Map.of("ops/s", 1.0, "ops/ms", 1e3, "ops/us", 1e6, "ops/ns", 1e9, "ops/min", 1 / 60.0);

  /** Reads every benchmark of a JMH JSON result file. */
  static List<JmhResult> read(Path file) throws IOException {
    List<JmhResult> results = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file);
        JsonParser parser = new JsonFactory().createParser(in)) {
      parser.nextToken();
      for (Object entry : (List<?>) readValue(parser)) {
        results.add(of(asMap(entry), file));
      }
    }
    return results;
  }

  private static JmhResult of(Map<String, Object> entry, Path file) {
    String name = (String) entry.get("benchmark");
    if (!"thrpt".equals(entry.get("mode"))) {
      throw new IllegalArgumentException(file + ": " + name + " is not in throughput mode");
    }
    Map<String, Object> metric = asMap(entry.get("primaryMetric"));
    Double perSecond = PER_SECOND.get((String) metric.get("scoreUnit"));
    if (perSecond == null) {
      throw new IllegalArgumentException(file + ": unknown unit " + metric.get("scoreUnit"));
    }
    List<?> forks = (List<?>) metric.get("rawData");
    double[] means = new double[forks.size()];
    for (int f = 0; f < means.length; f++) {
      means[f] = perSecond * mean((List<?>) forks.get(f));
    }
    Object params = entry.get("params");
    String shape = params == null ? null : (String) asMap(params).get("shape");
    int dot = name.lastIndexOf('.');
    String benchmark = name.substring(name.lastIndexOf('.', dot - 1) + 1, dot);
    return new JmhResult(
        benchmark,
        name.substring(dot + 1),
        shape == null ? null : Shape.valueOf(shape),
        means,
        entry);
  }

  /** The value of the benchmark parameter {@code name}, or {@code null} if it has none. */
  String param(String name) {
    Object params = settings.get("params");
    return params == null ? null : (String) asMap(params).get(name);
  }

  private static double mean(List<?> values) {
    double sum = 0;
    for (Object v : values) {
      sum += (Double) v;
    }
    return sum / values.size();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return (Map<String, Object>) value;
  }

  /** Reads the JSON value at the parser's current token into maps, lists, strings and doubles. */
  private static Object readValue(JsonParser p) throws IOException {
    JsonToken token = p.currentToken();
    switch (token) {
      case START_OBJECT:
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          p.nextToken();
          map.put(key, readValue(p));
        }
        return map;
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(readValue(p));
        }
        return list;
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
      case VALUE_FALSE:
        return p.getBooleanValue();
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected JSON token " + token + " at " + p.currentLocation());
    }
  }
}
