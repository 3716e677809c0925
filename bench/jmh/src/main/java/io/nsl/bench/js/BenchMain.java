package io.nsl.bench.js;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link EngineBenchmark} in a forked JVM with the GraalJS JIT flags. The flags come from
 * config/jvm.options, the one place the project keeps them (./nsl and bench/lib.sh read it too), so
 * a JDK or Graal upgrade changes one file. Results go to bench/jmh/target/jmh.json.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws RunnerException, IOException {
    Path root = Path.of(System.getProperty("nsl.root", ".")).toAbsolutePath();
    int seconds = Integer.parseInt(System.getProperty("bench.seconds", "5"));
    List<String> jvmArgs = new ArrayList<>(jitFlags(root));
    jvmArgs.addAll(
        List.of(
            "-Xss16m",
            "-Dnsl.root=" + root,
            "-DNSL_LOG_LEVEL=WARN",
            "-Dbench.warmupSeconds=" + System.getProperty("bench.warmupSeconds", "20")));
    Options opt =
        new OptionsBuilder()
            // A regex over full names: the simple name alone also matched
            // io.nsl.bench.storage.StorageEngineBenchmark, which then ran after the workloads.
            .include("^" + EngineBenchmark.class.getName().replace(".", "\\.") + "\\.")
            .forks(1)
            .warmupIterations(5)
            .warmupTime(TimeValue.seconds(seconds))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(seconds))
            .threads(1)
            .param(
                "workload",
                System.getProperty("bench.workloads", String.join(",", Workloads.NAMES)).split(","))
            .jvmArgsAppend(jvmArgs.toArray(String[]::new))
            .resultFormat(ResultFormatType.JSON)
            .result(root.resolve("bench/jmh/target/jmh.json").toString())
            .build();
    new Runner(opt).run();
  }

  /** config/jvm.options: '#' lines are comments, flags are separated by blanks. */
  static List<String> jitFlags(Path root) throws IOException {
    List<String> flags = new ArrayList<>();
    for (String line : Files.readAllLines(root.resolve("config/jvm.options"))) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      Arrays.stream(t.replace("@NSL_ROOT@", root.toString()).split("\\s+")).forEach(flags::add);
    }
    return flags;
  }
}
