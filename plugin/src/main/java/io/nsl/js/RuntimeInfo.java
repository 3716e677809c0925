package io.nsl.js;

/**
 * What the engine runs on, for logs and {@code --version}-style reports.
 *
 * @param implementationName Truffle's name for the runtime ("GraalVM CE" with the JIT,
 *     "Interpreted" without)
 * @param jit whether guest code is compiled
 * @param javaVersion the JDK running the engine
 * @param compilerModuleVersion version of the {@code jdk.graal.compiler} module (or the jar it was
 *     loaded from when its descriptor has no version), or "absent"
 */
public record RuntimeInfo(
    String implementationName, boolean jit, String javaVersion, String compilerModuleVersion) {}
