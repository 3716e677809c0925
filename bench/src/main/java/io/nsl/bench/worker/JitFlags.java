package io.nsl.bench.worker;

import java.nio.file.Path;
import java.util.List;

/** The GraalJS JIT flags of config/jvm.options and BenchMain, for a worker JVM's command line. */
final class JitFlags {
  private JitFlags() {}

  static List<String> forRoot(Path root) {
    return List.of(
        "-XX:+UnlockExperimentalVMOptions",
        "-XX:+EnableJVMCI",
        "--sun-misc-unsafe-memory-access=allow",
        "--enable-native-access=org.graalvm.truffle,ALL-UNNAMED",
        "--module-path",
        root.resolve("plugin/target/graal").toString(),
        "--add-modules",
        "org.graalvm.polyglot",
        "--upgrade-module-path",
        root.resolve("plugin/target/jvmci/compiler-25.0.3.jar").toString(),
        "-Dnsl.root=" + root);
  }
}
