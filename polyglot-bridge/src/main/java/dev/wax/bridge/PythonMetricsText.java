package dev.wax.bridge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python metrics of a run's workers as one Prometheus text. Bytewax has one interpreter per
 * process; Wax's {@code -w N} gives each worker its own Context, and so its own {@code
 * prometheus_client} registry. Their families are merged, and a sample that does not say its
 * worker gets a {@code worker_index} label, so no two samples collide.
 */
final class PythonMetricsText {
  private PythonMetricsText() {}

  /** One family's comment lines (from the first worker that has it) and every worker's samples. */
  private static final class Family {
    final int firstWorker;
    final List<String> comments = new ArrayList<>();
    final List<String> samples = new ArrayList<>();

    Family(int firstWorker) {
      this.firstWorker = firstWorker;
    }
  }

  /** {@code texts} by worker index; a single text is returned as it is. */
  static String merge(Map<Integer, String> texts) {
    if (texts.size() == 1) {
      return texts.values().iterator().next();
    }
    Map<String, Family> families = new LinkedHashMap<>();
    texts.forEach(
        (worker, text) -> {
          Family family = null;
          for (String line : text.split("\n")) {
            if (line.isEmpty()) {
              continue;
            }
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
              String name = line.substring(7).split(" ", 2)[0];
              family = families.computeIfAbsent(name, n -> new Family(worker));
              if (family.firstWorker == worker) {
                family.comments.add(line);
              }
            } else if (family != null && !line.startsWith("#")) {
              family.samples.add(withWorker(line, worker));
            }
          }
        });
    StringBuilder merged = new StringBuilder();
    for (Family family : families.values()) {
      family.comments.forEach(line -> merged.append(line).append('\n'));
      family.samples.forEach(line -> merged.append(line).append('\n'));
    }
    return merged.toString();
  }

  /** {@code sample} with {@code worker_index="worker"} first among its labels, unless it has one. */
  static String withWorker(String sample, int worker) {
    String label = "worker_index=\"" + worker + "\"";
    int brace = sample.indexOf('{');
    int space = sample.indexOf(' ');
    if (brace >= 0 && (space < 0 || brace < space)) {
      if (sample.contains("worker_index=\"")) {
        return sample;
      }
      boolean empty = sample.charAt(brace + 1) == '}';
      return sample.substring(0, brace + 1) + label + (empty ? "" : ",") + sample.substring(brace + 1);
    }
    return sample.substring(0, space) + "{" + label + "}" + sample.substring(space);
  }
}
