package io.nsl.enclave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** occlum/ is consistent: memory fits, production settings, the BOM's JDK sources exist. */
class OcclumConfigTest {
  /** Native memory outside the JVM's own pools: RocksDB, Truffle, glibc arenas, the JDK's libs. */
  static final long NATIVE_RESERVE = 768L << 20;

  @Test
  void jvmMemoryFitsTheEnclaveUserSpace() throws Exception {
    JsonNode cfg = OcclumConfig.occlumJson();
    List<String> flags = OcclumConfig.jvmFlags();
    long userSpace = OcclumConfig.bytes(cfg.at("/resource_limits/user_space_size").asText());
    int threads = cfg.at("/resource_limits/max_num_of_threads").asInt();
    long heap = OcclumConfig.flagBytes(flags, "-Xmx");
    long meta = OcclumConfig.flagBytes(flags, "-XX:MaxMetaspaceSize=");
    long code = OcclumConfig.flagBytes(flags, "-XX:ReservedCodeCacheSize=");
    long direct = OcclumConfig.flagBytes(flags, "-XX:MaxDirectMemorySize=");
    long stack = OcclumConfig.flagBytes(flags, "-Xss");
    long need = heap + meta + code + direct + (long) threads * stack + NATIVE_RESERVE;
    assertTrue(
        need <= userSpace,
        "JVM needs " + (need >> 20) + " MB but user_space_size is " + (userSpace >> 20) + " MB");
    assertTrue(OcclumConfig.flagBytes(flags, "-Xms") <= heap, "-Xms above -Xmx");
    long mmap = OcclumConfig.bytes(cfg.at("/process/default_mmap_size").asText());
    assertTrue(heap + meta + code + direct <= mmap, "JVM pools exceed default_mmap_size");
    assertTrue(mmap <= userSpace, "default_mmap_size exceeds user_space_size");
  }

  @Test
  void productionImageIsNotDebuggable() throws Exception {
    // A debuggable enclave makes every quote a DEBUG quote, which AttestationPolicy refuses.
    assertFalse(OcclumConfig.occlumJson().at("/metadata/debuggable").asBoolean(true));
  }

  @Test
  void environmentTellsNslItRunsInsideOcclum() throws Exception {
    List<String> env = new ArrayList<>();
    OcclumConfig.occlumJson().at("/env/default").forEach(n -> env.add(n.asText()));
    assertTrue(env.contains("OCCLUM=yes"), "OcclumEnclave.open checks OCCLUM=yes");
    assertTrue(env.contains("NSL_ENCLAVE_MODE=sgx"));
    List<String> untrusted = new ArrayList<>();
    OcclumConfig.occlumJson().at("/env/untrusted").forEach(n -> untrusted.add(n.asText()));
    assertFalse(
        untrusted.contains("NSL_ENCLAVE_MODE"),
        "the host must not be able to switch the enclave to simulation");
    assertFalse(untrusted.contains("NSL_ENCLAVE_DIR"));
  }

  @Test
  void jvmFlagsEnableFfmForTheSgxDevice() throws Exception {
    assertTrue(OcclumConfig.jvmFlags().contains("--enable-native-access=ALL-UNNAMED"));
    assertTrue(OcclumConfig.jvmFlags().contains("-XX:-UseCompressedOops"));
  }

  @Test
  void bomJdkSourcesExist() throws Exception {
    String jdk = System.getProperty("java.home");
    List<OcclumConfig.BomEntry> entries = OcclumConfig.bomEntries(jdk);
    List<OcclumConfig.BomEntry> jdkEntries =
        entries.stream().filter(e -> e.source().startsWith(jdk)).toList();
    assertEquals(4, jdkEntries.size(), entries.toString());
    for (OcclumConfig.BomEntry e : jdkEntries) {
      assertTrue(
          e.directory() ? Files.isDirectory(e.source()) : Files.isRegularFile(e.source()),
          "BOM names " + e.source() + " which does not exist");
    }
    assertTrue(Files.isRegularFile(OcclumConfig.DIR.resolve("jvm.options")));
  }

  @Test
  void scriptsAreExecutable() {
    for (String s : new String[] {"build", "run", "run-sim"}) {
      assertTrue(Files.isExecutable(OcclumConfig.DIR.resolve(s)), s);
    }
  }
}
