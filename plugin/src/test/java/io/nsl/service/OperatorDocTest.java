package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import io.nsl.pipeline.PipelineMetrics;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/operator.md stays true to the configuration classes and the metrics the service exports. */
class OperatorDocTest {
  private static String doc() throws IOException {
    return Files.readString(ProjectRoot.find().resolve("docs/operator.md"));
  }

  @Test
  void configurationReferenceNamesEveryOption() throws IOException {
    String text = doc();
    List<String> missing = new ArrayList<>();
    collect(ServiceConfig.class, "", text, missing);
    assertEquals(List.of(), missing, "docs/operator.md lacks these options in its reference table");
  }

  private static void collect(Class<?> type, String prefix, String text, List<String> missing) {
    for (RecordComponent c : type.getRecordComponents()) {
      String path = prefix + c.getName();
      if (c.getType().isRecord()) {
        collect(c.getType(), path + ".", text, missing);
      } else if (!text.contains("| `" + path + "` |")) {
        missing.add(path);
      }
    }
  }

  @Test
  void monitoringSectionNamesEveryExportedMetric() throws IOException {
    PipelineMetrics m = new PipelineMetrics();
    m.requestFailed("RUNTIME_ERROR");
    Set<String> names = new TreeSet<>();
    for (String line : m.renderPrometheus().split("\n")) {
      if (line.startsWith("# TYPE ")) {
        names.add(line.split(" ")[2]);
      }
    }
    assertTrue(names.size() >= 10, "found only " + names);
    String text = doc();
    Set<String> missing = new TreeSet<>();
    for (String n : names) {
      if (!text.contains("`" + n + "`") && !text.contains("`" + n + "{")) {
        missing.add(n);
      }
    }
    assertEquals(Set.of(), missing, "docs/operator.md does not describe these metrics");
  }
}
