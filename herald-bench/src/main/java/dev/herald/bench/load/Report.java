package dev.herald.bench.load;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the results of one bench run (one scenario, or {@code compare}'s runs over every target)
 * into {@code results.json}, a Markdown report with medians over runs and ratios, and SVG charts.
 */
final class Report {
  private static final String HERALD = "herald";
  private static final String FLOOR = "kernel floor";
  private static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p99.9", "max");

  private final Map<String, Object> doc;
  private final List<Map<String, Object>> runs;
  private final List<String> targets;
  private final String cpu;

  @SuppressWarnings("unchecked")
  Report(Map<String, Object> doc) {
    this.doc = doc;
    this.runs = (List<Map<String, Object>>) doc.get("runs");
    Set<String> names = new LinkedHashSet<>();
    for (Map<String, Object> run : runs) {
      names.addAll(map(run.get("targets")).keySet());
    }
    this.targets = new ArrayList<>(names);
    this.cpu = doc.get("cpu") == null ? "CPU not recorded" : String.valueOf(doc.get("cpu"));
  }

  /** Writes results.json, report.md and the charts into {@code dir}; returns the Markdown. */
  String write(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Writer w = Files.newBufferedWriter(dir.resolve("results.json"), StandardCharsets.UTF_8)) {
      Json.write(doc, w);
    }
    StringBuilder md = new StringBuilder();
    md.append(String.format("Results of `%s`, %s.%n", doc.get("command"), doc.get("date")));
    md.append(String.format("%nMachine: %s.%n", doc.get("machine")));
    md.append(String.format("CPU: **%s** (every table below was measured on it).%n", cpu));
    md.append(
        String.format(
            "Load average (1, 5, 15 min) at the start: %s; at the end: %s.%n",
            doc.get("loadBefore"),
            doc.get("loadAfter") == null ? "(run not finished)" : doc.get("loadAfter")));
    Map<String, Object> settings = map(doc.get("settings"));
    if (number(settings.get("timeWaitBelow")) != null
        && number(settings.get("timeWaitBelow")) > 0) {
      md.append(
          String.format(
              "Before each scenario and point the run waited (%s s at most) until fewer than %s"
                  + " sockets were in TIME_WAIT; the log says where it waited.%n",
              settings.get("timeWaitMaxSeconds"), settings.get("timeWaitBelow")));
    }
    if (Boolean.TRUE.equals(map(doc.get("settings")).get("cpuLatencyQos"))) {
      md.append(
          "CPU wake-up latency: a 0 µs request held during the run (`--cpu-latency-qos`): idle"
              + " cores polled instead of sleeping.\n");
    }
    if (doc.get("skipped") != null && !map(doc.get("skipped")).isEmpty()) {
      md.append("\nSkipped (not installed):\n\n");
      map(doc.get("skipped"))
          .forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    }
    md.append(String.format("%nRuns: %d. Figures are medians over the runs", runs.size()));
    md.append(runs.size() > 1 ? ", lowest and highest in brackets.\n" : ".\n");
    fanout(md, dir);
    generator(md);
    latency(md, dir);
    curve(md, dir);
    idle(md);
    held(md);
    reconnect(md);
    publish(md);
    calibrate(md);
    Files.writeString(dir.resolve("report.md"), md.toString(), StandardCharsets.UTF_8);
    return md.toString();
  }

  // ---- fan-out

  private void fanout(StringBuilder md, Path dir) throws IOException {
    Set<String> cases = new LinkedHashSet<>();
    for (Map<String, Object> run : runs) {
      for (String t : targets) {
        for (Map<String, Object> f : list(scenario(run, t, "fanout"))) {
          String k = caseKey(f);
          if (k != null) {
            cases.add(k);
          }
        }
      }
    }
    if (cases.isEmpty()) {
      return;
    }
    List<String> columns = new ArrayList<>(targets);
    boolean floor = runs.stream().anyMatch(r -> r.get("floor") != null);
    md.append("\n### Fan-out: most deliveries/s with zero loss (").append(cpu).append(")\n\n");
    md.append("| subscribers | event bytes | ");
    columns.forEach(c -> md.append(c).append(" | "));
    if (floor) {
      md.append(FLOOR).append(" | ");
    }
    md.append("Herald / best reference | Herald / kernel floor |");
    List<String> hubs = columns.stream().filter(TargetServer::isHub).toList();
    hubs.forEach(h -> md.append(' ').append(h).append(" / herald |"));
    hubs.forEach(h -> md.append(' ').append(h).append(" / best reference |"));
    md.append("\n|");
    md.append(" ---: |".repeat(columns.size() + (floor ? 5 : 4) + 2 * hubs.size())).append('\n');
    List<String> categories = new ArrayList<>();
    List<String> series = new ArrayList<>(columns);
    if (floor) {
      series.add(FLOOR);
    }
    List<Double[]> chart = new ArrayList<>();
    for (String k : cases) {
      String[] nb = k.split("/");
      md.append(String.format("| %,d | %s | ", Integer.parseInt(nb[0]), nb[1]));
      Double[] row = new Double[series.size()];
      double bestRef = 0;
      for (int i = 0; i < columns.size(); i++) {
        String t = columns.get(i);
        List<Double> v = values(run -> fanoutCase(run, t, k, "zeroLossDeliveriesPerSecond"));
        row[i] = median(v);
        md.append(cell(v, "%,.0f")).append(" | ");
        if (isReference(t) && row[i] != null) {
          bestRef = Math.max(bestRef, row[i]);
        }
      }
      Double floorValue = null;
      if (floor) {
        List<Double> v = values(run -> number(map(run.get("floor")).get(nb[0])));
        floorValue = median(v);
        row[columns.size()] = floorValue;
        md.append(cell(v, "%,.0f")).append(" | ");
      }
      Double herald = columns.contains(HERALD) ? row[columns.indexOf(HERALD)] : null;
      Double best = bestRef > 0 ? bestRef : null;
      md.append(ratio(herald, best)).append(" | ");
      md.append(ratio(herald, floorValue)).append(" |");
      for (String h : hubs) {
        md.append(' ').append(ratio(row[columns.indexOf(h)], herald)).append(" |");
      }
      for (String h : hubs) {
        md.append(' ').append(ratio(row[columns.indexOf(h)], best)).append(" |");
      }
      md.append('\n');
      categories.add(String.format("%,d subs, %s B", Integer.parseInt(nb[0]), nb[1]));
      chart.add(row);
    }
    if (!hubs.isEmpty()) {
      md.append(
          "\nThe hub is Herald's, not a reference: it is left out of the best reference. Its goal:"
              + " hub / herald ≥ 0.80×.\n");
    }
    md.append(
        "\nA cell without a figure: every trial lost events or fell behind (see results.json)."
            + String.format(
                " Saturated rate (what the server delivered under a probe offering %,.0f"
                    + " deliveries/s after a warm-up, loss allowed):%n%n",
                Scenarios.PROBE_DELIVERIES));
    caseTable(
        md,
        columns,
        cases,
        (t, k) ->
            cell(values(run -> fanoutCase(run, t, k, "saturatedDeliveriesPerSecond")), "%,.0f")
                + samplesNote(t, k));
    md.append(
        "\nA saturated rate is the median of half-second samples (at least "
            + Scenarios.MIN_PROBE_SAMPLES
            + ", probes repeat until there are); after it, each run's samples: how many, and their"
            + " spread (highest − lowest) / median.\n");
    threads(md, columns, cases);
    spring(md, cases);
    Double[][] values = new Double[series.size()][categories.size()];
    for (int c = 0; c < categories.size(); c++) {
      for (int s = 0; s < series.size(); s++) {
        values[s][c] = chart.get(c)[s];
      }
    }
    Files.writeString(
        dir.resolve("fanout.svg"),
        SvgChart.bars(
            "Fan-out: deliveries/s with zero loss (median)",
            "subscribers",
            "deliveries per second",
            categories,
            series,
            values));
    md.append("\n![fan-out](fanout.svg)\n");
  }

  /**
   * The threads each server's processes held at most during a fan-out point ({@code
   * serverThreadsPeak}, from {@code /proc/PID/status}): medians over the runs; "–" where none was
   * recorded (an external server, a run that failed).
   */
  private void threads(StringBuilder md, List<String> columns, Set<String> cases) {
    boolean any = false;
    for (String k : cases) {
      for (String t : columns) {
        any |= !values(run -> fanoutCase(run, t, k, "serverThreadsPeak")).isEmpty();
      }
    }
    if (!any) {
      return;
    }
    md.append(
        "\nThreads used: the most threads the server's processes held together during the point"
            + " (warm-up, probes and trials; `Threads:` of /proc/PID/status every "
            + ThreadPeak.PERIOD_MILLIS
            + " ms):\n\n");
    caseTable(
        md,
        columns,
        cases,
        (t, k) -> cell(values(run -> fanoutCase(run, t, k, "serverThreadsPeak")), "%,.0f"));
  }

  /**
   * A table of fan-out points (subscribers, event bytes) by target: a row per point, a column per
   * target, each cell {@code cell.apply(target, point)}.
   */
  private static void caseTable(
      StringBuilder md,
      List<String> columns,
      Set<String> cases,
      java.util.function.BiFunction<String, String, String> cell) {
    md.append("| subscribers | event bytes |");
    columns.forEach(c -> md.append(' ').append(c).append(" |"));
    md.append("\n|").append(" ---: |".repeat(columns.size() + 2)).append('\n');
    for (String k : cases) {
      String[] nb = k.split("/");
      md.append(String.format("| %,d | %s |", Integer.parseInt(nb[0]), nb[1]));
      for (String t : columns) {
        md.append(' ').append(cell.apply(t, k)).append(" |");
      }
      md.append('\n');
    }
  }

  /**
   * The Spring MVC comparison of issue 15 side by side, if both Spring targets ran: deliveries/s
   * (with zero loss, and saturated) and threads used, per fan-out point, and Herald's stream over
   * {@code SseEmitter}.
   */
  private void spring(StringBuilder md, Set<String> cases) {
    String h = SpringTarget.NAMES.get(0);
    String e = SpringTarget.NAMES.get(1);
    if (!targets.contains(h) || !targets.contains(e)) {
      return;
    }
    md.append(
        "\n#### Spring MVC: a controller returning a Herald stream against `SseEmitter` ("
            + cpu
            + ")\n\n"
            + "The same controller on Tomcat, one returning a `TopicStream` (`"
            + h
            + "`), the other keeping an `SseEmitter` per subscriber and looping over them on each"
            + " publish (`"
            + e
            + "`), each in a process of its own. Deliveries/s: the most with zero loss, and the"
            + " saturated rate (loss allowed); threads: the most the server held during the"
            + " point.\n\n");
    md.append(
        "| subscribers | event bytes | "
            + h
            + " deliveries/s | "
            + h
            + " saturated/s | "
            + h
            + " threads | "
            + e
            + " deliveries/s | "
            + e
            + " saturated/s | "
            + e
            + " threads | herald / emitter (zero loss) | herald / emitter (saturated) |\n|");
    md.append(" ---: |".repeat(10)).append('\n');
    for (String k : cases) {
      String[] nb = k.split("/");
      md.append(String.format("| %,d | %s |", Integer.parseInt(nb[0]), nb[1]));
      for (String t : List.of(h, e)) {
        for (String field :
            List.of(
                "zeroLossDeliveriesPerSecond",
                "saturatedDeliveriesPerSecond",
                "serverThreadsPeak")) {
          md.append(' ').append(cell(values(run -> fanoutCase(run, t, k, field)), "%,.0f"));
          md.append(" |");
        }
      }
      for (String field : List.of("zeroLossDeliveriesPerSecond", "saturatedDeliveriesPerSecond")) {
        Double a = median(values(run -> fanoutCase(run, h, k, field)));
        Double b = median(values(run -> fanoutCase(run, e, k, field)));
        md.append(' ').append(ratio(a, b)).append(" |");
      }
      md.append('\n');
    }
  }

  /** "SUBSCRIBERS/BYTES" of a fan-out point, or {@code null} if it lacks either. */
  static String caseKey(Map<String, Object> f) {
    Double n = number(f.get("subscribers"));
    Double b = number(f.get("bytes"));
    return n == null || b == null ? null : n.intValue() + "/" + b.intValue();
  }

  /** " (4 samples ±6 %; …)" over the runs of target {@code t} at fan-out case {@code k}. */
  private String samplesNote(String t, String k) {
    List<String> notes = new ArrayList<>();
    for (Map<String, Object> run : runs) {
      for (Map<String, Object> f : list(scenario(run, t, "fanout"))) {
        if (k.equals(caseKey(f))) {
          notes.add(spread(f));
        }
      }
    }
    notes.removeIf(String::isEmpty);
    return notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
  }

  /** "4 samples, spread 12 %" of a result with saturatedSamples, or "". */
  static String spread(Map<String, Object> f) {
    Object samples = f.get("saturatedSamples");
    if (!(samples instanceof List) || ((List<?>) samples).isEmpty()) {
      return "";
    }
    List<?> v = (List<?>) samples;
    Double lo = number(f.get("saturatedLowest"));
    Double hi = number(f.get("saturatedHighest"));
    Double med = number(f.get("saturatedDeliveriesPerSecond"));
    if (lo == null || hi == null || med == null) {
      return v.size() + " sample" + (v.size() == 1 ? "" : "s");
    }
    return String.format(
        Locale.ROOT,
        "%d sample%s, spread %.0f %%",
        v.size(),
        v.size() == 1 ? "" : "s",
        med > 0 ? (hi - lo) / med * 100 : 0);
  }

  // ---- can the generator saturate?

  /**
   * Per fan-out case and latency curve, per target and run: what the probe's schedule offered
   * against what the server took, and whether the generator may have been the limit.
   */
  private void generator(StringBuilder md) {
    List<String> rows = new ArrayList<>();
    // per scenario and subscribers: the most any server took, and the least the generator showed
    Map<String, double[]> points = new LinkedHashMap<>();
    Map<String, String> fastest = new LinkedHashMap<>();
    for (String scenarioName : List.of("fanout", "latency-curve")) {
      for (String t : targets) {
        for (int i = 0; i < runs.size(); i++) {
          for (Map<String, Object> f : list(scenario(runs.get(i), t, scenarioName))) {
            Map<String, Object> g = map(f.get("generator"));
            if (g.isEmpty()) {
              continue;
            }
            Double subscribers = number(f.get("subscribers"));
            if (subscribers == null) {
              continue;
            }
            int n = subscribers.intValue();
            rows.add(
                String.format(
                    Locale.ROOT,
                    "| %s | %s | %,d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
                    scenarioName,
                    t,
                    n,
                    i + 1,
                    fmt0(g.get("offeredPublishesPerSecond")),
                    fmt0(g.get("shownOfferPublishesPerSecond")),
                    fmt0(g.get("sentPublishesPerSecond")),
                    fmt0(g.get("takenPublishesPerSecond")),
                    g.get("shownOverTaken") == null ? "–" : fmt(g.get("shownOverTaken")) + "×",
                    g.get("leastOwedOverDelivered") == null
                        ? "–"
                        : fmt(g.get("leastOwedOverDelivered")) + "×",
                    fmt(g.get("publisherWaitedOnServerShare")),
                    fmt(map(g.get("answerMillis")).get("p50"))
                        + " / "
                        + fmt(map(g.get("answerMillis")).get("p99")),
                    fmt(g.get("publisherCpu")),
                    fmt(g.get("busiestSubscriberThreadCpu")),
                    Boolean.TRUE.equals(g.get("saturates"))
                        ? "yes"
                        : "**no**: " + g.get("verdict")));
            Double taken = number(g.get("takenPublishesPerSecond"));
            Double shown = number(g.get("shownOfferPublishesPerSecond"));
            Double owed = number(g.get("leastOwedOverDelivered"));
            String key = scenarioName + "/" + n;
            double[] p = points.computeIfAbsent(key, k -> new double[] {0, Double.MAX_VALUE, 0});
            if (taken != null && taken > p[0]) {
              p[0] = taken;
              p[2] = owed == null ? 0 : owed;
              fastest.put(key, t + ", run " + (i + 1));
            }
            if (shown != null) {
              p[1] = Math.min(p[1], shown);
            }
          }
        }
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    md.append("\n### Can the load generator saturate what it measures? (")
        .append(cpu)
        .append(")\n\n");
    md.append(
        "Per saturation probe (the most stretched when probes repeated), in publishes/s: what the"
            + " probe's schedule offered; what the generator showed it can offer (acknowledged"
            + " when it published on the same schedule to a channel nobody reads, for "
            + Scenarios.OFFER_SECONDS
            + " s before and after the probes, the higher: its publisher and the server's publish"
            + " path, no fan-out);"
            + " what it sent and what the server took (acknowledged) in the probe; and what the"
            + " server owed against what it delivered (taken × subscribers over the deliveries/s"
            + " its subscribers received, the least of the counted probes). The goal: shown ≥ "
            + Scenarios.MIN_OFFERED_OVER_TAKEN
            + "× taken, or owed ≥ "
            + Scenarios.MIN_OFFERED_OVER_TAKEN
            + "× delivered (a server that takes every publish and falls that far behind fanning"
            + " them out is bounded by its fan-out, not by the offer); the publisher on time (late"
            + " only while the server held every request slot), the window not holding the server"
            + " back (a second probe with twice the requests in flight took no more than "
            + Scenarios.WINDOW_GAIN
            + "× as much), and no load thread busy on a whole core. A **no** names why the"
            + " reading may be the generator's, not the server's. Sent cannot pass taken by more"
            + " than the request slots: a server that does not answer holds the publisher.\n\n");
    md.append(
        "| scenario | server | subscribers | run | offered/s | shown/s | sent/s | taken/s | shown /"
            + " taken | owed / delivered | share of the probe waiting on the server | server's"
            + " answer p50 / p99 (ms)"
            + " | publisher CPU (cores) | busiest subscribing thread (share of a core) | saturates |\n"
            + "| --- | --- |");
    md.append(" ---: |".repeat(12)).append(" --- |\n");
    rows.forEach(r -> md.append(r).append('\n'));
    md.append('\n');
    points.forEach(
        (key, p) -> {
          String[] parts = key.split("/");
          if (p[1] == Double.MAX_VALUE || p[0] <= 0) {
            return;
          }
          double ratio = p[1] / p[0];
          boolean behind = p[2] >= Scenarios.MIN_OFFERED_OVER_TAKEN;
          md.append(
              String.format(
                  Locale.ROOT,
                  "- %s, %,d subscribers: the fastest server took %,.0f publishes/s (%s); the"
                      + " generator showed at least %,.0f/s against every server: %.2f× (goal ≥"
                      + " %.1f×%s: %s).%n",
                  parts[0],
                  Integer.parseInt(parts[1]),
                  p[0],
                  fastest.get(key),
                  p[1],
                  ratio,
                  Scenarios.MIN_OFFERED_OVER_TAKEN,
                  behind
                      ? String.format(
                          Locale.ROOT,
                          ", or the server owing that much more than it delivered: %.2f×",
                          p[2])
                      : "",
                  ratio >= Scenarios.MIN_OFFERED_OVER_TAKEN || behind ? "met" : "**not met**"));
        });
  }

  private static String fmt0(Object v) {
    Double d = number(v);
    return d == null ? "–" : String.format(Locale.ROOT, "%,.0f", d);
  }

  /**
   * Whether {@code target} is a reference server: neither Herald's server nor its hub, nor a Spring
   * target (compared with each other, not with the references).
   */
  private static boolean isReference(String target) {
    return !target.equals(HERALD) && !TargetServer.isHub(target) && !SpringTarget.is(target);
  }

  private Double fanoutCase(Map<String, Object> run, String t, String k, String field) {
    for (Map<String, Object> f : list(scenario(run, t, "fanout"))) {
      if (k.equals(caseKey(f))) {
        return number(f.get(field));
      }
    }
    return null;
  }

  // ---- latency

  private void latency(StringBuilder md, Path dir) throws IOException {
    Set<String> cases = new LinkedHashSet<>();
    for (Map<String, Object> run : runs) {
      for (String t : targets) {
        for (Map<String, Object> l : list(scenario(run, t, "latency"))) {
          cases.add(latencyKey(l));
        }
      }
    }
    for (String k : cases) {
      String[] parts = k.split("/");
      md.append(
          String.format(
              "%n### Latency, publish → receive (ms): %,d subscribers, %,.0f deliveries/s,"
                  + " %s-byte events (%s)%n%n",
              Integer.parseInt(parts[0]), Double.parseDouble(parts[1]), parts[2], cpu));
      md.append(
              "| server | p50 | p90 | p99 | p99.9 | max | Herald's own p50 | Herald's own p99 |"
                  + " events measured | missing | duplicates |\n| --- |")
          .append(" ---: |".repeat(10))
          .append('\n');
      Double[][] values = new Double[targets.size()][PERCENTILES.size()];
      List<String> series = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        String t = targets.get(i);
        if (values(run -> latencyCase(run, t, k, "measuredEvents")).isEmpty()) {
          continue;
        }
        series.add(t);
        md.append("| ").append(t).append(" | ");
        for (int p = 0; p < PERCENTILES.size(); p++) {
          String pn = PERCENTILES.get(p);
          List<Double> v =
              values(
                  run -> {
                    Map<String, Object> l = latencyEntry(run, t, k);
                    return l == null ? null : number(map(l.get("latencyMillis")).get(pn));
                  });
          values[series.size() - 1][p] = median(v);
          md.append(cell(v, "%.2f")).append(" | ");
        }
        for (String q : List.of("p50", "p99")) {
          md.append(
                  cell(
                      values(
                          run -> {
                            Map<String, Object> l = latencyEntry(run, t, k);
                            return l == null ? null : number(map(l.get("heraldOwnMillis")).get(q));
                          }),
                      "%.2f"))
              .append(" | ");
        }
        md.append(cell(values(run -> latencyCase(run, t, k, "measuredEvents")), "%,.0f"))
            .append(" | ");
        md.append(sum(values(run -> latencyCase(run, t, k, "missing")))).append(" | ");
        md.append(sum(values(run -> latencyCase(run, t, k, "duplicates")))).append(" |\n");
      }
      md.append(OWN_NOTE);
      String file = "latency-" + parts[0] + "-" + parts[1].replace(".0", "") + ".svg";
      Double[][] used = java.util.Arrays.copyOf(values, series.size());
      Files.writeString(
          dir.resolve(file),
          SvgChart.logLines(
              String.format(
                  Locale.ROOT,
                  "Latency at %,.0f deliveries/s, %,d subscribers (median)",
                  Double.parseDouble(parts[1]),
                  Integer.parseInt(parts[0])),
              "percentile",
              "milliseconds (log scale)",
              PERCENTILES,
              series,
              used));
      md.append("\n![latency](").append(file).append(")\n");
    }
  }

  private static final String OWN_NOTE =
      "\nHerald's own part (Herald's targets only): `herald.dispatch.latency` from the server's"
          + " `/metrics`, per publish and event loop, from `Broadcaster.publish` to the end of the"
          + " loop's flush; the difference of the histogram's buckets before and after the measured"
          + " part, its quantiles interpolated within buckets (about 10–30 % wide). The rest of the"
          + " end-to-end figure is the network, the publisher and the subscribers' reading.\n";

  // ---- latency against load

  private void curve(StringBuilder md, Path dir) throws IOException {
    Set<Integer> sizes = new LinkedHashSet<>();
    Set<Integer> percents = new java.util.TreeSet<>();
    for (Map<String, Object> run : runs) {
      for (String t : targets) {
        for (Map<String, Object> c : list(scenario(run, t, "latency-curve"))) {
          sizes.add(((Number) c.get("subscribers")).intValue());
          for (Map<String, Object> p : list(c.get("points"))) {
            percents.add(((Number) p.get("percent")).intValue());
          }
        }
      }
    }
    for (int n : sizes) {
      md.append(
          String.format(
              Locale.ROOT,
              "%n### Latency against load, publish → receive (ms): %,d subscribers (%s)%n%n",
              n,
              cpu));
      md.append(
          "Each point publishes at a share of the server's own saturated rate (found by the probes"
              + " of the same run) to the same subscribers: p50 / p99 end to end, and Herald's own"
              + " p50 / p99 in brackets where the target has it.\n\n");
      md.append("| % of saturated |");
      targets.forEach(t -> md.append(' ').append(t).append(" |"));
      md.append("\n| ---: |").append(" ---: |".repeat(targets.size())).append('\n');
      md.append("| saturated (deliveries/s) |");
      for (String t : targets) {
        md.append(' ')
            .append(
                cell(
                    values(
                        run -> number(map(curveOf(run, t, n)).get("saturatedDeliveriesPerSecond"))),
                    "%,.0f"))
            .append(" |");
      }
      md.append('\n');
      List<String> labels = new ArrayList<>();
      Double[][] p50 = new Double[targets.size()][percents.size()];
      Double[][] p99 = new Double[targets.size()][percents.size()];
      int col = 0;
      for (int pct : percents) {
        labels.add(pct + " %");
        md.append("| ").append(pct).append(" % |");
        for (int i = 0; i < targets.size(); i++) {
          String t = targets.get(i);
          List<Double> a = values(run -> curvePoint(run, t, n, pct, "latencyMillis", "p50"));
          List<Double> b = values(run -> curvePoint(run, t, n, pct, "latencyMillis", "p99"));
          List<Double> oa = values(run -> curvePoint(run, t, n, pct, "heraldOwnMillis", "p50"));
          List<Double> ob = values(run -> curvePoint(run, t, n, pct, "heraldOwnMillis", "p99"));
          p50[i][col] = median(a);
          p99[i][col] = median(b);
          md.append(' ');
          if (a.isEmpty()) {
            md.append("–");
          } else {
            md.append(String.format(Locale.ROOT, "%.2f / %.2f", median(a), median(b)));
            if (!oa.isEmpty()) {
              md.append(String.format(Locale.ROOT, " (%.2f / %.2f)", median(oa), median(ob)));
            }
          }
          md.append(" |");
        }
        md.append('\n');
        col++;
      }
      md.append(
          "\nMedians over the runs; results.json holds every point's percentiles, missing events,"
              + " and the publisher's lag.\n");
      for (String q : List.of("p50", "p99")) {
        String file = "latency-curve-" + n + "-" + q + ".svg";
        Files.writeString(
            dir.resolve(file),
            SvgChart.logLines(
                String.format(
                    Locale.ROOT, "Latency %s against load, %,d subscribers (%s)", q, n, cpu),
                "% of each server's saturated rate",
                "milliseconds (log scale)",
                labels,
                targets,
                q.equals("p50") ? p50 : p99));
        md.append("\n![latency-curve ").append(q).append("](").append(file).append(")\n");
      }
    }
  }

  private static Object curveOf(Map<String, Object> run, String t, int n) {
    for (Map<String, Object> c : list(scenario(run, t, "latency-curve"))) {
      if (((Number) c.get("subscribers")).intValue() == n) {
        return c;
      }
    }
    return null;
  }

  private static Double curvePoint(
      Map<String, Object> run, String t, int n, int pct, String field, String q) {
    Object c = curveOf(run, t, n);
    if (c == null) {
      return null;
    }
    for (Map<String, Object> p : list(map(c).get("points"))) {
      if (((Number) p.get("percent")).intValue() == pct) {
        return number(map(p.get(field)).get(q));
      }
    }
    return null;
  }

  private static String latencyKey(Map<String, Object> l) {
    return l.get("subscribers") + "/" + l.get("deliveriesPerSecond") + "/" + l.get("bytes");
  }

  private Map<String, Object> latencyEntry(Map<String, Object> run, String t, String k) {
    for (Map<String, Object> l : list(scenario(run, t, "latency"))) {
      if (k.equals(latencyKey(l))) {
        return l;
      }
    }
    return null;
  }

  private Double latencyCase(Map<String, Object> run, String t, String k, String field) {
    Map<String, Object> l = latencyEntry(run, t, k);
    return l == null ? null : number(l.get(field));
  }

  // ---- idle, held, reconnect, publish, calibrate

  /** The {@code held} scenario: subscribers a cluster holds live over its nodes, per run. */
  private void held(StringBuilder md) {
    if (targets.stream()
        .noneMatch(t -> runs.stream().anyMatch(r -> scenario(r, t, "held") != null))) {
      return;
    }
    md.append("\n### Subscribers held by a cluster (live: each received an event)\n\n");
    md.append("| server | nodes | asked | held, per run | not established |\n| --- |")
        .append(" ---: |".repeat(4))
        .append('\n');
    for (String t : targets) {
      List<String> held = new ArrayList<>();
      int failed = 0;
      Map<String, Object> any = null;
      for (Map<String, Object> run : runs) {
        Object h = scenario(run, t, "held");
        if (h == null || map(h).get("held") == null) {
          continue;
        }
        any = map(h);
        held.add(String.format(Locale.ROOT, "%,d", ((Number) any.get("held")).longValue()));
        Map<String, Object> c = map(any.get("connect"));
        failed +=
            ((Number) c.get("refused")).intValue()
                + ((Number) c.get("connectFailed")).intValue()
                + ((Number) c.get("timedOut")).intValue()
                + ((Number) c.get("closedBeforeHead")).intValue();
      }
      if (any != null) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %,d | %s | %,d |%n",
                t,
                ((Number) any.get("nodes")).intValue(),
                ((Number) any.get("offered")).intValue(),
                String.join(", ", held),
                failed));
      }
    }
  }

  private void idle(StringBuilder md) {
    if (targets.stream()
        .noneMatch(t -> runs.stream().anyMatch(r -> scenario(r, t, "idle") != null))) {
      return;
    }
    md.append("\n### Idle capacity and memory per subscriber\n\n");
    md.append(
            "| server | asked | held open | not established (refused / failed / timed out) |"
                + " live heap KiB per sub | RSS KiB per sub | Pss KiB per sub | kernel slab KiB per"
                + " connection (both ends) |\n| --- |")
        .append(" ---: |".repeat(7))
        .append('\n');
    for (String t : targets) {
      for (Map<String, Object> run : runs) {
        Object idle = scenario(run, t, "idle");
        if (idle == null) {
          continue;
        }
        Map<String, Object> best = null;
        int refused = 0;
        int failed = 0;
        int timedOut = 0;
        for (Map<String, Object> step : list(map(idle).get("steps"))) {
          Map<String, Object> c = map(step.get("connect"));
          refused += ((Number) c.get("refused")).intValue();
          failed +=
              ((Number) c.get("connectFailed")).intValue()
                  + ((Number) c.get("closedBeforeHead")).intValue();
          timedOut += ((Number) c.get("timedOut")).intValue();
          if (best == null
              || ((Number) step.get("open")).intValue() > ((Number) best.get("open")).intValue()) {
            best = step;
          }
        }
        if (best == null) {
          continue;
        }
        Map<String, Object> per =
            best.get("perSubscriber") == null ? Map.of() : map(best.get("perSubscriber"));
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %,d | %,d | %d / %d / %d | %s | %s | %s | %s |%n",
                t,
                ((Number) best.get("asked")).intValue(),
                ((Number) best.get("open")).intValue(),
                refused,
                failed,
                timedOut,
                fmt(per.get("liveHeapKib")),
                fmt(per.get("rssKib")),
                fmt(per.get("pssKib")),
                fmt(per.get("slabKib"))));
      }
    }
    md.append(
        "\nPer subscriber: (value at the step holding the most − value before any"
            + " subscriber) / subscribers held. Slab is machine-wide: both ends of each connection,"
            + " the load processes' sockets included.\n");
  }

  private void reconnect(StringBuilder md) {
    if (targets.stream()
        .noneMatch(t -> runs.stream().anyMatch(r -> scenario(r, t, "reconnect") != null))) {
      return;
    }
    md.append("\n### Reconnect storm with Last-Event-ID\n\n");
    md.append(
            "| server | subscribers | events behind | all connected (ms) | all caught up (ms) |"
                + " caught up | missing | duplicates |\n| --- |")
        .append(" ---: |".repeat(7))
        .append('\n');
    for (String t : targets) {
      List<Double> connected = values(run -> reconnectField(run, t, "allConnectedMillis"));
      if (connected.isEmpty()) {
        continue;
      }
      md.append(
          String.format(
              "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
              t,
              cell(values(run -> reconnectField(run, t, "subscribers")), "%,.0f"),
              cell(values(run -> reconnectField(run, t, "eventsBehind")), "%,.0f"),
              cell(connected, "%,.0f"),
              cell(values(run -> reconnectField(run, t, "allCaughtUpMillis")), "%,.0f"),
              cell(values(run -> reconnectField(run, t, "caughtUp")), "%,.0f"),
              sum(values(run -> reconnectField(run, t, "missing"))),
              sum(values(run -> reconnectField(run, t, "duplicates")))));
    }
  }

  private Double reconnectField(Map<String, Object> run, String t, String field) {
    Object r = scenario(run, t, "reconnect");
    return r == null ? null : number(map(r).get(field));
  }

  private void publish(StringBuilder md) {
    if (targets.stream()
        .noneMatch(t -> runs.stream().anyMatch(r -> scenario(r, t, "publish") != null))) {
      return;
    }
    md.append("\n### Publish throughput (acknowledged publishes/s)\n\n");
    md.append(
            "| server | connections | acked/s | ack p50 (ms) | ack p99 (ms) | subscribers |"
                + " missing |\n| --- |")
        .append(" ---: |".repeat(6))
        .append('\n');
    for (String t : targets) {
      List<Double> acked = values(run -> publishField(run, t, "ackedPerSecond"));
      if (acked.isEmpty()) {
        continue;
      }
      md.append(
          String.format(
              "| %s | %s | %s | %s | %s | %s | %s |%n",
              t,
              cell(values(run -> publishField(run, t, "connections")), "%.0f"),
              cell(acked, "%,.0f"),
              cell(
                  values(
                      run -> {
                        Object p = scenario(run, t, "publish");
                        return p == null
                            ? null
                            : number(map(map(p).get("ackLatencyMillis")).get("p50"));
                      }),
                  "%.2f"),
              cell(
                  values(
                      run -> {
                        Object p = scenario(run, t, "publish");
                        return p == null
                            ? null
                            : number(map(map(p).get("ackLatencyMillis")).get("p99"));
                      }),
                  "%.2f"),
              cell(values(run -> publishField(run, t, "subscribers")), "%.0f"),
              sum(values(run -> publishField(run, t, "missing")))));
    }
  }

  private Double publishField(Map<String, Object> run, String t, String field) {
    Object p = scenario(run, t, "publish");
    return p == null ? null : number(map(p).get(field));
  }

  private void calibrate(StringBuilder md) {
    for (Map<String, Object> run : runs) {
      for (String t : targets) {
        Object c = scenario(run, t, "calibrate");
        if (c == null) {
          continue;
        }
        Map<String, Object> m = map(c);
        if (m.get("error") != null) { // a scenario that failed: its error, no figures
          md.append(
              String.format("%n### Calibration against sseload (%s): %s%n", t, m.get("error")));
          continue;
        }
        Map<String, Object> ours = map(m.get("loadGenerator"));
        Map<String, Object> theirs = map(m.get("sseload"));
        md.append(
            String.format(
                Locale.ROOT,
                "%n### Calibration against sseload (%s, %,d subscribers, %,.0f deliveries/s, %s s;"
                    + " %s)%n%n"
                    + "| client | events | CPU s | CPU µs per event |%n| --- | ---: | ---: | ---: |%n"
                    + "| load generator | %,d | %.2f | %s |%n| sseload | %,d | %.2f | %s |%n%n"
                    + "Ratio of CPU per event (load generator / sseload): **%s×**%n",
                t,
                ((Number) m.get("subscribers")).intValue(),
                number(m.get("deliveriesPerSecond")),
                m.get("seconds"),
                cpu,
                ((Number) ours.get("events")).longValue(),
                number(ours.get("cpuSeconds")),
                fmt(ours.get("cpuMicrosPerEvent")),
                ((Number) theirs.get("events")).longValue(),
                number(theirs.get("cpuSeconds")),
                fmt(theirs.get("cpuMicrosPerEvent")),
                m.get("ratio")));
      }
    }
    calibrateDeliveries(md);
  }

  /**
   * Calibrate's deliveries at saturation: one row per target and run (the generator's two parts,
   * sseload's, their ratio and what each part received), then each target's medians over the runs.
   */
  private void calibrateDeliveries(StringBuilder md) {
    StringBuilder rows = new StringBuilder();
    Map<String, List<Double>> ratios = new LinkedHashMap<>();
    Map<String, Object> shape = null;
    for (int i = 0; i < runs.size(); i++) {
      for (String t : targets) {
        Object c = scenario(runs.get(i), t, "calibrate");
        Map<String, Object> d = c == null ? Map.of() : map(map(c).get("deliveries"));
        if (d.get("error") != null) {
          rows.append(
              String.format("| %s | %d | – | – | – | – | – | %s |%n", t, i + 1, d.get("error")));
          continue;
        }
        if (d.get("parts") == null) {
          continue;
        }
        shape = d;
        List<Map<String, Object>> parts = list(d.get("parts"));
        rows.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %,d | %s | %s | %s | %s | warm-up: %s; %s; %s; %s |%n",
                t,
                i + 1,
                ((Number) d.get("publishes")).longValue(),
                fmt0(parts.get(0).get("deliveredPerSecond")),
                fmt0(parts.get(1).get("deliveredPerSecond")),
                fmt0(parts.get(2).get("deliveredPerSecond")),
                d.get("ratio") == null ? "–" : d.get("ratio") + "×",
                d.getOrDefault("warmupVerdict", "–"),
                parts.get(0).get("verdict"),
                parts.get(1).get("verdict"),
                parts.get(2).get("verdict")));
        if (d.get("ratio") != null) {
          ratios.computeIfAbsent(t, k -> new ArrayList<>()).add(number(d.get("ratio")));
        }
      }
    }
    if (rows.length() == 0) {
      return;
    }
    md.append(String.format("%n### Deliveries/s at saturation against sseload (%s)%n%n", cpu));
    if (shape != null) { // else every run failed, each with its error in its row
      md.append(
          String.format(
              Locale.ROOT,
              "%,d subscribers; the same publisher offers %,.0f deliveries/s until it has sent the"
                  + " run's publishes (what the server took in %s s of warm-up at that offer, per"
                  + " second, times the part's seconds); each part is read to the last event, its"
                  + " rate every event received over the time from the first publish to the last"
                  + " event; the parts run load generator, sseload, load generator (the"
                  + " generator's figure is their mean). A run gives a ratio only if every part"
                  + " received every event (else the parts did not do the same work); the"
                  + " warm-up's verdict says whether the offer saturated the server.%n%n",
              ((Number) shape.get("subscribers")).intValue(),
              number(shape.get("offeredDeliveriesPerSecond")),
              shape.get("warmupSeconds")));
    }
    md.append(
        "| target | run | publishes | load generator | sseload | load generator | ratio |"
            + " received |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    md.append(rows).append('\n');
    ratios.forEach(
        (t, v) ->
            md.append(
                String.format(
                    Locale.ROOT,
                    "Median ratio (load generator / sseload), %s: **%.2f×** over %d run(s) — %s"
                        + " (goal: within %.0f %%).%n",
                    t,
                    median(v),
                    v.size(),
                    Scenarios.agrees(median(v)) ? "agrees" : "**does not agree**",
                    Scenarios.AGREEMENT * 100)));
  }

  // ---- helpers

  private static Object scenario(Map<String, Object> run, String target, String scenario) {
    Object t = map(run.get("targets")).get(target);
    return t == null ? null : map(t).get(scenario);
  }

  private List<Double> values(Function<Map<String, Object>, Double> f) {
    List<Double> v = new ArrayList<>();
    for (Map<String, Object> run : runs) {
      Double d = f.apply(run);
      if (d != null) {
        v.add(d);
      }
    }
    return v;
  }

  static Double median(List<Double> v) {
    return v.isEmpty() ? null : Scenarios.median(v);
  }

  private static String cell(List<Double> v, String format) {
    if (v.isEmpty()) {
      return "–";
    }
    String m = String.format(Locale.ROOT, format, median(v));
    if (v.size() == 1) {
      return m;
    }
    double lo = v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double hi = v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return m
        + " ["
        + String.format(Locale.ROOT, format, lo)
        + "–"
        + String.format(Locale.ROOT, format, hi)
        + "]";
  }

  private static String sum(List<Double> v) {
    return v.isEmpty()
        ? "–"
        : String.format(Locale.ROOT, "%,.0f", v.stream().mapToDouble(Double::doubleValue).sum());
  }

  private static String ratio(Double a, Double b) {
    return a == null || b == null || b == 0 ? "–" : String.format(Locale.ROOT, "%.2f×", a / b);
  }

  private static String fmt(Object v) {
    Double d = number(v);
    return d == null ? "–" : String.format(Locale.ROOT, "%.2f", d);
  }

  static Double number(Object v) {
    return v instanceof Number ? ((Number) v).doubleValue() : null;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object v) {
    return v == null ? new LinkedHashMap<>() : (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object v) {
    // a scenario that failed is recorded as a map with its error: no rows
    return v instanceof List<?> ? (List<Map<String, Object>>) v : List.of();
  }
}
