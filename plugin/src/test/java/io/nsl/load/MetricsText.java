package io.nsl.load;

/** Reads figures out of a worker's {@code /metrics} (Prometheus text format). */
final class MetricsText {
  private MetricsText() {}

  /**
   * The sum of the samples of {@code series} in {@code text}: a bare name sums every label set of
   * that metric ({@code nsl_takeovers_total}); a name with labels ({@code
   * nsl_stage_seconds_sum{stage="execute"}}) matches that label set exactly. Comments, other
   * metrics and unparseable values are skipped; none found is 0.
   */
  static double sum(String text, String series) {
    boolean labelled = series.contains("{");
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(series)) {
        continue;
      }
      String rest = line.substring(series.length());
      if (!rest.startsWith(" ") && (labelled || !rest.startsWith("{"))) {
        continue; // another metric whose name starts with this one
      }
      // The value follows the labels' closing brace (an unclosed label set leaves "{…": skipped).
      int afterLabels = rest.startsWith("{") ? rest.lastIndexOf("} ") + 1 : 0;
      String value = rest.substring(afterLabels).trim().split("\\s+")[0];
      try {
        total += Double.parseDouble(value);
      } catch (NumberFormatException e) {
        // not a sample: skipped, as documented
      }
    }
    return total;
  }
}
