package dev.herald.bench.load;

import java.util.List;
import java.util.Locale;

/**
 * Small SVG charts for the report, written directly: grouped bars (deliveries per second against
 * subscribers) and lines on a logarithmic axis (latency percentiles). Missing values are left out.
 */
final class SvgChart {
  private static final String[] COLORS = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#7f7f7f"
  };
  private static final int WIDTH = 760;
  private static final int HEIGHT = 420;
  private static final int LEFT = 90;
  private static final int RIGHT = 170;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;

  private SvgChart() {}

  /**
   * Grouped bars: one group per category, one bar per series; {@code values[series][category]},
   * {@code null} where there is none.
   */
  static String bars(
      String title,
      String xLabel,
      String yLabel,
      List<String> categories,
      List<String> series,
      Double[][] values) {
    double max = 0;
    for (Double[] row : values) {
      for (Double v : row) {
        if (v != null) {
          max = Math.max(max, v);
        }
      }
    }
    double top = niceCeiling(max);
    StringBuilder s = header(title, xLabel, yLabel);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    for (int i = 0; i <= 5; i++) {
      double v = top * i / 5;
      double y = TOP + plotH - plotH * i / 5.0;
      line(s, LEFT, y, LEFT + plotW, y, "#ddd");
      text(s, LEFT - 6, y + 4, "end", compact(v));
    }
    double groupW = plotW / (double) Math.max(1, categories.size());
    double barW = groupW * 0.8 / Math.max(1, series.size());
    for (int c = 0; c < categories.size(); c++) {
      double gx = LEFT + c * groupW + groupW * 0.1;
      for (int k = 0; k < series.size(); k++) {
        Double v = values[k][c];
        if (v == null || top == 0) {
          continue;
        }
        double h = plotH * v / top;
        s.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s,"
                    + " %s: %s</title></rect>%n",
                gx + k * barW,
                TOP + plotH - h,
                barW - 1,
                h,
                color(k),
                escape(series.get(k)),
                escape(categories.get(c)),
                compact(v)));
      }
      text(s, gx + groupW * 0.4, TOP + plotH + 18, "middle", categories.get(c));
    }
    legend(s, series);
    return s.append("</svg>\n").toString();
  }

  /**
   * Lines over {@code points} on a logarithmic y axis; {@code values[series][point]}, {@code null}
   * where there is none.
   */
  static String logLines(
      String title,
      String xLabel,
      String yLabel,
      List<String> points,
      List<String> series,
      Double[][] values) {
    double min = Double.MAX_VALUE;
    double max = 0;
    for (Double[] row : values) {
      for (Double v : row) {
        if (v != null && v > 0) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    if (max == 0) {
      min = 0.1;
      max = 1;
    }
    double lo = Math.floor(Math.log10(min));
    double hi = Math.max(lo + 1, Math.ceil(Math.log10(max)));
    StringBuilder s = header(title, xLabel, yLabel);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    for (double d = lo; d <= hi; d++) {
      double y = TOP + plotH - plotH * (d - lo) / (hi - lo);
      line(s, LEFT, y, LEFT + plotW, y, "#ddd");
      text(s, LEFT - 6, y + 4, "end", compact(Math.pow(10, d)));
    }
    double step = plotW / (double) Math.max(1, points.size() - 1);
    for (int p = 0; p < points.size(); p++) {
      text(s, LEFT + p * step, TOP + plotH + 18, "middle", points.get(p));
    }
    for (int k = 0; k < series.size(); k++) {
      StringBuilder path = new StringBuilder();
      for (int p = 0; p < points.size(); p++) {
        Double v = values[k][p];
        if (v == null || v <= 0) {
          continue;
        }
        double x = LEFT + p * step;
        double y = TOP + plotH - plotH * (Math.log10(v) - lo) / (hi - lo);
        path.append(path.length() == 0 ? "M" : " L")
            .append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
        s.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s, %s: %s ms</title>"
                    + "</circle>%n",
                x,
                y,
                color(k),
                escape(series.get(k)),
                points.get(p),
                compact(v)));
      }
      if (path.length() > 0) {
        s.append(
            String.format(
                "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                path, color(k)));
      }
    }
    legend(s, series);
    return s.append("</svg>\n").toString();
  }

  private static StringBuilder header(String title, String xLabel, String yLabel) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT));
    s.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    s.append(
        String.format(
            "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
            LEFT, escape(title)));
    text(s, LEFT + (WIDTH - LEFT - RIGHT) / 2.0, HEIGHT - 18, "middle", xLabel);
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">%s"
                + "</text>%n",
            TOP + (HEIGHT - TOP - BOTTOM) / 2.0,
            TOP + (HEIGHT - TOP - BOTTOM) / 2.0,
            escape(yLabel)));
    line(s, LEFT, TOP, LEFT, HEIGHT - BOTTOM, "#333");
    line(s, LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, "#333");
    return s;
  }

  private static void legend(StringBuilder s, List<String> series) {
    int x = WIDTH - RIGHT + 16;
    for (int k = 0; k < series.size(); k++) {
      int y = TOP + 10 + k * 20;
      s.append(
          String.format(
              "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
              x, y - 10, color(k)));
      text(s, x + 18, y, "start", series.get(k));
    }
  }

  private static void line(StringBuilder s, double x1, double y1, double x2, double y2, String c) {
    s.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
            x1,
            y1,
            x2,
            y2,
            c));
  }

  private static void text(StringBuilder s, double x, double y, String anchor, String text) {
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n",
            x,
            y,
            anchor,
            escape(text)));
  }

  private static String color(int k) {
    return COLORS[k % COLORS.length];
  }

  /** 1,234,567 as 1.23M; 0.5 as 0.5. */
  static String compact(double v) {
    if (v >= 1e6) {
      return String.format(Locale.ROOT, "%.3gM", v / 1e6);
    }
    if (v >= 1e3) {
      return String.format(Locale.ROOT, "%.3gk", v / 1e3);
    }
    String t = String.format(Locale.ROOT, "%.3g", v);
    return t.contains(".") ? t.replaceAll("\\.?0+$", "") : t;
  }

  private static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
