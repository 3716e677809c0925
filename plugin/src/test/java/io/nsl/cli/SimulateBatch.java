package io.nsl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs {@code ./nsl function simulate FILE --json} for each file given (with {@code --gas-limit}
 * and {@code --memory-limit} from the file's {@code // gas:} and {@code // memory:} headers, and a
 * {@code --timeout} chosen by its {@code // expect:} header), in this JVM, and prints one line per
 * file: the file, a tab, the exit code, a tab, the simulator's JSON. {@link
 * DeterminismAcrossJvmsIT} starts it in JVMs with different locales, time zones, stacks and heaps.
 */
public final class SimulateBatch {
  /**
   * The deadline of a file that is meant to finish: far past what any of them needs, so a loaded
   * machine cannot turn its answer into TIMEOUT in one JVM only (random-clock-locale.js once hit
   * the 10 s production deadline at load 38). A wall-clock deadline is the one input here that
   * depends on the machine; this takes it out of the comparison.
   */
  static final String GENEROUS_TIMEOUT = "120s";

  /**
   * The deadline of a file whose {@code // expect:} is TIMEOUT (catastrophic backtracking, 2^32
   * steps and more): being slower cannot make it finish, so a short deadline loses nothing and
   * saves the two JVMs the production 10 s each. The comparison still means something: status,
   * message and gas (the whole limit, whatever the run reached) must be equal in both JVMs.
   */
  static final String EXPECTED_TIMEOUT = "2s";

  private SimulateBatch() {}

  public static void main(String[] files) {
    for (String f : files) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      picocli.CommandLine cli = Main.commandLine();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      java.util.List<String> args =
          new java.util.ArrayList<>(java.util.List.of("function", "simulate", f, "--json"));
      args.addAll(headerOptions(f));
      int exit = cli.execute(args.toArray(String[]::new));
      String line = (exit <= 1 ? out.toString() : err.toString()).strip().replace('\n', ' ');
      System.out.println(f + "\t" + exit + "\t" + line);
    }
    System.out.flush();
  }

  // A hostile file's "// gas: N" and "// memory: bytes" headers, as simulate's options.
  private static java.util.List<String> headerOptions(String file) {
    String code;
    try {
      code = java.nio.file.Files.readString(java.nio.file.Path.of(file));
    } catch (java.io.IOException e) {
      return java.util.List.of();
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    out.add("--timeout");
    boolean meantToTimeOut =
        java.util.regex.Pattern.compile("(?m)^// expect: TIMEOUT$").matcher(code).find();
    out.add(meantToTimeOut ? EXPECTED_TIMEOUT : GENEROUS_TIMEOUT);
    java.util.regex.Matcher gas =
        java.util.regex.Pattern.compile("(?m)^// gas: ([0-9]+)$").matcher(code);
    if (gas.find()) {
      out.add("--gas-limit");
      out.add(gas.group(1));
    }
    java.util.regex.Matcher memory =
        java.util.regex.Pattern.compile("(?m)^// memory: ([0-9]+)$").matcher(code);
    if (memory.find()) {
      out.add("--memory-limit");
      out.add(memory.group(1));
    }
    return out;
  }
}
