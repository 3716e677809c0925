package io.nsl.bench;

import java.nio.file.Path;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs EngineBenchmark in a forked JVM with the GraalJS JIT flags (config/jvm.options). */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws RunnerException {
    Path root = Path.of(System.getProperty("nsl.root", ".")).toAbsolutePath();
    String graal = root.resolve("plugin/target/graal").toString();
    String compiler = root.resolve("plugin/target/jvmci/compiler-25.0.3.jar").toString();
    int seconds = Integer.parseInt(System.getProperty("bench.seconds", "5"));
    Options opt = new OptionsBuilder()
        .include(EngineBenchmark.class.getSimpleName())
        .forks(1)
        .warmupIterations(5)
        .warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(5)
        .measurementTime(TimeValue.seconds(seconds))
        .threads(1)
        .param("workload", System.getProperty("bench.workloads",
            String.join(",", Workloads.NAMES)).split(","))
        .jvmArgsAppend("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
            "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=org.graalvm.truffle,ALL-UNNAMED",
            "--module-path", graal, "--add-modules", "org.graalvm.polyglot",
            "--upgrade-module-path", compiler, "-Xss16m", "-Dnsl.root=" + root, "-DNSL_LOG_LEVEL=WARN",
            "-Dbench.warmupSeconds=" + System.getProperty("bench.warmupSeconds", "20"))
        .resultFormat(org.openjdk.jmh.results.format.ResultFormatType.JSON)
        .result(root.resolve("bench/target/jmh.json").toString())
        .build();
    new Runner(opt).run();
  }
}
