package io.nsl.cli;

import io.nsl.NslException;
import picocli.CommandLine;

/**
 * Turns a failure into one clear line on stderr and an exit code: 1 for a failure the user can
 * act on ({@link NslException}), 3 for an unexpected internal error. Never prints a stack trace
 * unless NSL_DEBUG=1.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  static final int EXIT_FAILURE = 1;
  static final int EXIT_INTERNAL = 3;

  @Override
  public int handleExecutionException(
      Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
    if ("1".equals(System.getenv("NSL_DEBUG"))) {
      ex.printStackTrace(cmd.getErr());
    }
    if (ex instanceof NslException nsl) {
      cmd.getErr().println("error [" + nsl.code() + "]: " + nsl.getMessage());
      return EXIT_FAILURE;
    }
    cmd.getErr()
        .println(
            "internal error: "
                + ex
                + " (this is a bug in NSL; rerun with NSL_DEBUG=1 for details and report it)");
    return EXIT_INTERNAL;
  }
}
