package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import io.nsl.js.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one table of statuses agrees with the engine (and so the simulator), with the docs, and with
 * the gateway's bounds on the status byte.
 */
class ExecutionStatusTest {
  @Test
  void everyEngineOutcomeHasTheSameNumberAndKind() {
    for (ErrorKind k : ErrorKind.values()) {
      ExecutionStatus s = ExecutionStatus.of(k);
      assertEquals(k.code(), s.onChain(), k.name());
      assertEquals(k.name(), s.kind());
      assertEquals(k == ErrorKind.INTERNAL_ERROR, s.retried(), k.name());
    }
  }

  @Test
  void numbersAreUniqueAndFitTheGatewaysStatusByte() throws IOException {
    Set<Integer> seen = new HashSet<>();
    for (ExecutionStatus s : ExecutionStatus.values()) {
      assertTrue(seen.add(s.onChain()), "status " + s.onChain() + " is used twice");
      assertTrue(s.onChain() >= 0 && s.onChain() <= 255, s + " " + s.onChain());
      assertFalse(s.refunded(), s.name());
    }
    // The gateway's own bound (contracts/gateway/fulfilment.go, checkAnswerFormat).
    String gateway =
        Files.readString(ProjectRoot.find().resolve("contracts/gateway/fulfilment.go"));
    assertTrue(
        gateway.contains("if status < 0 || status > 255 {"),
        "the gateway's status bound changed; check ExecutionStatus");
  }

  @Test
  void unknownNumberIsRefusedWithTheNumber() {
    var e = assertThrows(IllegalArgumentException.class, () -> ExecutionStatus.ofOnChain(77));
    assertTrue(e.getMessage().contains("77"), e.getMessage());
  }

  /** The body rows of the markdown table under {@code header}, each as its trimmed cells. */
  static List<List<String>> rows(Path doc, String header) throws IOException {
    List<String> lines = Files.readAllLines(doc);
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(header)) {
        at = i;
      }
    }
    assertTrue(at >= 0, doc + " lacks the table " + header);
    List<List<String>> out = new ArrayList<>();
    for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String line = lines.get(i);
      List<String> cells = new ArrayList<>();
      for (String c : line.substring(1, line.length() - 1).split("\\|")) {
        cells.add(c.trim().replace("`", ""));
      }
      out.add(cells);
    }
    return out;
  }

  @Test
  void pipelineDocListsEveryStatusAsTheTableSays() throws IOException {
    List<List<String>> rows =
        rows(ProjectRoot.find().resolve("docs/pipeline.md"), "| on chain | kind |");
    List<String> expected = new ArrayList<>();
    for (ExecutionStatus s : ExecutionStatus.values()) {
      expected.add(
          s.onChain()
              + " "
              + s.kind()
              + " "
              + (s.retried() ? "yes" : "no")
              + " "
              + (s.refunded() ? "yes" : "no"));
    }
    List<String> documented = new ArrayList<>();
    for (List<String> r : rows) {
      documented.add(String.join(" ", r));
    }
    assertEquals(
        expected.stream().sorted().toList(),
        documented.stream().sorted().toList(),
        "docs/pipeline.md's status table");
  }

  @Test
  void functionsDocListsEveryEngineStatus() throws IOException {
    List<List<String>> rows =
        rows(ProjectRoot.find().resolve("docs/functions.md"), "| code | kind | meaning |");
    List<String> documented = rows.stream().map(r -> r.get(0) + " " + r.get(1)).toList();
    List<String> expected = new ArrayList<>();
    for (ErrorKind k : ErrorKind.values()) {
      ExecutionStatus s = ExecutionStatus.of(k);
      expected.add(s.onChain() + " " + s.kind());
    }
    assertEquals(expected, documented, "docs/functions.md's status table");
  }
}
