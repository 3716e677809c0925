package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.testing.DocText;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * GraalJS and the Graal compiler have separate versions (decision 0711): the pom names them, the
 * JVM that runs the tests loads them, and config/jvm.options and docs/functions.md name them. The
 * compiler jar's name is written out in config/jvm.options, so a version change in the pom alone
 * would leave ./nsl on a jar that is not there.
 */
class GraalVersionDocTest {
  private static String pomProperty(String name) {
    Matcher m =
        Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">")
            .matcher(DocText.read("pom.xml"));
    assertTrue(m.find(), "pom.xml has no property " + name);
    return m.group(1);
  }

  /** The jar file a boot-layer module was loaded from, e.g. truffle-api-25.0.5.jar. */
  private static String jarOf(String module) {
    return ModuleLayer.boot()
        .configuration()
        .findModule(module)
        .flatMap(r -> r.reference().location())
        .map(u -> u.getPath().substring(u.getPath().lastIndexOf('/') + 1))
        .orElseThrow(() -> new AssertionError(module + " is not in the boot layer"));
  }

  @Test
  void theJvmRunsThePomsGraalJsAndCompilerVersions() {
    String graal = pomProperty("graalvm.version");
    String compiler = pomProperty("graal.compiler.version");
    assertEquals("truffle-api-" + graal + ".jar", jarOf("org.graalvm.truffle"));
    assertEquals("js-language-" + graal + ".jar", jarOf("org.graalvm.js"));
    assertEquals("compiler-" + compiler + ".jar", jarOf("jdk.graal.compiler"));
  }

  @Test
  void jvmOptionsAndTheJitSectionNameBothVersions() {
    String graal = pomProperty("graalvm.version");
    String compiler = pomProperty("graal.compiler.version");
    assertTrue(
        DocText.read("config/jvm.options")
            .contains(
                "--upgrade-module-path @NSL_ROOT@/plugin/target/jvmci/compiler-"
                    + compiler
                    + ".jar"),
        "config/jvm.options should put compiler-" + compiler + ".jar on --upgrade-module-path");
    String jit = DocText.section(DocText.read("docs/functions.md"), "The JIT");
    assertTrue(
        jit.contains("--upgrade-module-path plugin/target/jvmci/compiler-" + compiler + ".jar"),
        "docs/functions.md's JIT section should show compiler-" + compiler + ".jar");
    assertTrue(
        jit.contains("(`${graalvm.version}`, " + graal + ")"),
        "docs/functions.md's JIT section should name GraalJS " + graal);
  }
}
