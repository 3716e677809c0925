package io.nsl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.NslException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns a failure into an exit code and one clear message: 1 for a failure the user can act on
 * ({@link NslException}), 2 for a command line that does not parse (code {@code USAGE}), 3 for an
 * unexpected internal error (code {@code INTERNAL}). The message is one line on stderr, or, when
 * the command was given {@code --json}, one {@code {"error":{"code","message"}}} object on stdout
 * (where the answer would have been), so a script reads a single stream. Never prints a stack trace
 * unless NSL_DEBUG=1 (then on stderr, in both modes).
 */
final class ErrorHandler
    implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
  static final int EXIT_FAILURE = 1;
  static final int EXIT_INTERNAL = 3;

  private final CommandLine.IParameterExceptionHandler textParseErrors;

  /**
   * @param textParseErrors picocli's own handler, kept for usage errors without --json
   */
  ErrorHandler(CommandLine.IParameterExceptionHandler textParseErrors) {
    this.textParseErrors = textParseErrors;
  }

  @Override
  public int handleExecutionException(
      Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
    if ("1".equals(System.getenv("NSL_DEBUG"))) {
      ex.printStackTrace(cmd.getErr());
    }
    boolean json = matchedJson(cmd.getParseResult());
    if (ex instanceof NslException nsl) {
      report(
          cmd,
          json,
          nsl.code(),
          nsl.getMessage(),
          "error [" + nsl.code() + "]: " + nsl.getMessage());
      return EXIT_FAILURE;
    }
    String message =
        "internal error: "
            + ex
            + " (this is a bug in NSL; rerun with NSL_DEBUG=1 for details and report it)";
    report(cmd, json, "INTERNAL", message, message);
    return EXIT_INTERNAL;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args)
      throws Exception {
    CommandLine cmd = ex.getCommandLine();
    int exit = cmd.getCommandSpec().exitCodeOnInvalidInput();
    // A parse that failed part-way may not have reached --json yet; the raw arguments have it.
    if (matchedJson(cmd.getParseResult()) || jsonInArgs(args)) {
      String help = "'" + cmd.getCommandSpec().qualifiedName() + " --help'";
      write(cmd.getOut(), "USAGE", ex.getMessage() + " (see " + help + ")");
      return exit;
    }
    // Text mode: what picocli does by default (message, then a suggestion or the usage help).
    return textParseErrors.handleParseException(ex, args);
  }

  private static boolean matchedJson(CommandLine.ParseResult pr) {
    return pr != null && pr.hasMatchedOption("--json");
  }

  /** {@code --json} among the options, i.e. before a {@code --} that ends them. */
  static boolean jsonInArgs(String[] args) {
    for (String a : args) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--json")) {
        return true;
      }
    }
    return false;
  }

  private static void report(
      CommandLine cmd, boolean json, String code, String message, String text) {
    if (json) {
      write(cmd.getOut(), code, message);
    } else {
      cmd.getErr().println(text);
      cmd.getErr().flush();
    }
  }

  private static void write(PrintWriter out, String code, String message) {
    ObjectNode root = Output.JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("code", code);
    error.put("message", message);
    try {
      out.println(Output.JSON.writeValueAsString(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print a JSON error", e);
    }
    out.flush();
  }
}
