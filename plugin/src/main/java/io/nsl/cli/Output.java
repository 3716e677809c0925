package io.nsl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Prints a command's answer: one JSON line with --json, else lines for people; progress to stderr.
 */
final class Output {
  static final ObjectMapper JSON = new ObjectMapper();

  private final CommandSpec spec;
  private final boolean json;

  Output(CommandSpec spec, boolean json) {
    this.spec = spec;
    this.json = json;
  }

  /** A step of a long operation, on stderr (so --json output stays one clean line on stdout). */
  void progress(String line) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("… " + line);
    err.flush();
  }

  /** The answer: {@code node} as JSON, or {@code text} for people. */
  void result(JsonNode node, String text) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      try {
        out.println(JSON.writeValueAsString(node));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot print JSON", e);
      }
    } else {
      out.println(text);
    }
    out.flush();
  }
}
