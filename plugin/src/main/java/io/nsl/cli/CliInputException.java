package io.nsl.cli;

import io.nsl.NslException;

/** A file or value given on the command line cannot be used (missing, unreadable, malformed). */
final class CliInputException extends NslException {
  CliInputException(String message) {
    super("CLI_INPUT", message);
  }
}
