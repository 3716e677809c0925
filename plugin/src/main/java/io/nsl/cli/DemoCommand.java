package io.nsl.cli;

import picocli.CommandLine.Command;

/** {@code ./nsl demo}: the main job, end to end, on a throw-away local chain. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the end-to-end demo on a local chain.")
final class DemoCommand implements Runnable {
  @Override
  public void run() {
    throw new IllegalStateException("demo is being built (issue 3)");
  }
}
