package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import io.nsl.pipeline.Simulation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's determinism test: each hostile function that once depended on the machine (clock,
 * Math.random, locale and time-zone formatting, deep JSON, a timeout, memory-hungry ones) is run by
 * {@code ./nsl function simulate} in two separate JVMs that differ in {@code user.language}, {@code
 * user.country}, {@code user.timezone}, {@code -Xss} and {@code -Xmx}; status, result, error
 * message, gas and logs must be equal byte for byte, and the status the one the file expects.
 *
 * <p>The memory bombs here (hostile 105, 106, 111, 150-162, 194) are stopped by the counted
 * per-execution budget (decision 0710), so status, gas and message must not follow {@code -Xmx};
 * each runs with the gas and memory its header gives.
 *
 * <p>The wall-clock deadline is the one input that is the machine's, so it is taken out of the
 * comparison ({@link SimulateBatch}): {@code --timeout 120s} for every file meant to finish (at the
 * 10 s production deadline random-clock-locale.js once timed out in one JVM only, at load 38), and
 * {@code --timeout 2s} for the one meant to time out (hostile 43, 2^32 backtracking steps), whose
 * status, message and gas (the whole limit) must still be equal in both JVMs.
 */
class DeterminismAcrossJvmsIT {
  private static final Pattern EXPECT = Pattern.compile("(?m)^// expect: ([A-Z_]+)$");
  private static final Pattern GAS = Pattern.compile("(?m)^// gas: ([0-9]+)$");

  @TempDir Path dir;

  @Test
  void hostileFunctionsGiveTheSameAnswerAndGasInDifferentJvms() throws Exception {
    Path root = ProjectRoot.find();
    Path hostile = root.resolve("plugin/src/test/resources/io/nsl/js/hostile");
    List<Path> files = new ArrayList<>();
    files.add(
        root.resolve("plugin/src/test/resources/io/nsl/cli/determinism/random-clock-locale.js"));
    for (String prefix :
        List.of(
            "97-", "98-", "99-", "100-", "101-", "102-", "103-", "104-", "43-", "55-", "79-", "86-",
            "105-", "106-", "111-", "150-", "151-", "152-", "153-", "154-", "155-", "156-", "157-",
            "158-", "159-", "160-", "161-", "162-", "185-", "191-", "192-", "194-", "210-", "211-",
            "212-", "213-", "214-", "227-", "228-", "229-")) {
      try (var s = Files.list(hostile)) {
        files.add(
            s.filter(p -> p.getFileName().toString().startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no hostile function " + prefix + "*")));
      }
    }
    Map<String, String> a =
        simulate(
            files,
            root,
            List.of(
                "-Duser.language=tr",
                "-Duser.country=TR",
                "-Duser.timezone=Asia/Kolkata",
                "-Xss512k",
                "-Xmx768m"),
            "a");
    Map<String, String> b =
        simulate(
            files,
            root,
            List.of(
                "-Duser.language=de",
                "-Duser.country=DE",
                "-Duser.timezone=America/Los_Angeles",
                "-Xss8m",
                "-Xmx1536m"),
            "b");
    for (Path f : files) {
      String key = f.toString();
      String first = a.get(key);
      String second = b.get(key);
      assertTrue(first != null && second != null, "no answer for " + f.getFileName());
      assertEquals(first, second, f.getFileName() + " answered differently in the two JVMs");
      Matcher m = EXPECT.matcher(Files.readString(f));
      assertTrue(m.find(), f.getFileName() + " has no // expect: header");
      String kind = m.group(1);
      assertTrue(
          kind.equals("OK")
              ? first.contains("\"status\":\"ok\"")
              : first.contains("\"kind\":\"" + kind + "\""),
          f.getFileName() + " expected " + kind + ", got " + first);
      if (kind.equals("TIMEOUT")) {
        // How far the run got by its deadline must not show: the whole limit, in both JVMs.
        Matcher gas = GAS.matcher(Files.readString(f));
        long limit = gas.find() ? Long.parseLong(gas.group(1)) : Simulation.DEFAULT_GAS_LIMIT;
        assertTrue(
            first.contains("\"gasUsed\":" + limit + ","),
            f.getFileName()
                + " timed out charged other than its whole gas limit "
                + limit
                + ": "
                + first);
      }
    }
  }

  private Map<String, String> simulate(List<Path> files, Path root, List<String> jvm, String name)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String line : Files.readAllLines(root.resolve("config/jvm.options"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      for (String part : line.replace("@NSL_ROOT@", root.toString()).trim().split("\\s+")) {
        cmd.add(part);
      }
    }
    cmd.addAll(jvm);
    cmd.add("-Dnsl.root=" + root);
    cmd.add("-cp");
    cmd.add(
        root.resolve("plugin/target/classes")
            + ":"
            + root.resolve("plugin/target/test-classes")
            + ":"
            + root.resolve("plugin/target/lib")
            + "/*");
    cmd.add(SimulateBatch.class.getName());
    for (Path f : files) {
      cmd.add(f.toString());
    }
    Path out = dir.resolve(name + ".out");
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(dir.resolve(name + ".err").toFile())
            .redirectOutput(out.toFile())
            .start();
    assertTrue(p.waitFor(15, TimeUnit.MINUTES), "the " + name + " JVM did not finish");
    assertEquals(
        0,
        p.exitValue(),
        "the " + name + " JVM failed: " + Files.readString(dir.resolve(name + ".err")));
    Map<String, String> answers = new LinkedHashMap<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        answers.put(line.substring(0, tab), line.substring(tab + 1));
      }
    }
    return answers;
  }
}
