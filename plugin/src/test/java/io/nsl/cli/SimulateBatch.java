package io.nsl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs {@code ./nsl function simulate FILE --json} for each file given, in this JVM, and prints one
 * line per file: the file, a tab, the exit code, a tab, the simulator's JSON. {@link
 * DeterminismAcrossJvmsIT} starts it in JVMs with different locales, time zones, stacks and heaps.
 */
public final class SimulateBatch {
  private SimulateBatch() {}

  public static void main(String[] files) {
    for (String f : files) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      picocli.CommandLine cli = Main.commandLine();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      int exit = cli.execute("function", "simulate", f, "--json");
      String line = (exit <= 1 ? out.toString() : err.toString()).strip().replace('\n', ' ');
      System.out.println(f + "\t" + exit + "\t" + line);
    }
    System.out.flush();
  }
}
