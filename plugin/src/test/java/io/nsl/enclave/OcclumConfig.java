package io.nsl.enclave;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.enclave.dcap.SgxVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads occlum/Occlum.json, occlum/jvm.options and occlum/bom.yaml for the consistency tests. */
final class OcclumConfig {
  static final Path DIR = SgxVectors.repoRoot().resolve("occlum");

  /** occlum/build runs copy_bom in occlum/instance: relative BOM sources start there. */
  static final Path BOM_CWD = DIR.resolve("instance");

  private OcclumConfig() {}

  static JsonNode occlumJson() throws IOException {
    return new ObjectMapper().readTree(DIR.resolve("Occlum.json").toFile());
  }

  static List<String> jvmFlags() throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(DIR.resolve("jvm.options"))) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        out.add(l);
      }
    }
    return out;
  }

  /** "4096MB", "1GB", "512m", "2g" -> bytes. */
  static long bytes(String size) {
    Matcher m =
        Pattern.compile("(\\d+)\\s*([kmgt]?)b?").matcher(size.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: " + size);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "k" -> n << 10;
      case "m" -> n << 20;
      case "g" -> n << 30;
      case "t" -> n << 40;
      default -> n;
    };
  }

  /** The value of a flag like -Xmx2048m or -XX:MaxMetaspaceSize=256m, in bytes. */
  static long flagBytes(List<String> flags, String prefix) {
    for (String f : flags) {
      if (f.startsWith(prefix)) {
        return bytes(f.substring(prefix.length()));
      }
    }
    throw new AssertionError("occlum/jvm.options has no " + prefix + " flag");
  }

  /** One source the BOM copies: a file or a directory. */
  record BomEntry(Path source, boolean directory) {}

  /**
   * The sources bom.yaml names: each {@code from:} prefix joined with its {@code dirs:} and {@code
   * files:} items. A small reader for the block-style subset the file uses.
   */
  static List<BomEntry> bomEntries(String jdkHome) throws IOException {
    List<BomEntry> out = new ArrayList<>();
    Path from = null;
    String list = null;
    for (String raw : Files.readAllLines(DIR.resolve("bom.yaml"))) {
      String line = raw.replaceFirst("#.*$", "").stripTrailing();
      String t = line.strip();
      if (t.isEmpty()) {
        continue;
      }
      if (t.startsWith("- from:")) {
        String v = t.substring("- from:".length()).strip().replace("${NSL_JDK_HOME}", jdkHome);
        from = BOM_CWD.resolve(v).normalize();
        list = null;
      } else if (t.equals("dirs:") || t.equals("files:")) {
        list = t;
      } else if (t.startsWith("- target:")
          || t.equals("mkdirs:")
          || t.equals("copy:")
          || t.equals("includes:")
          || t.equals("targets:")) {
        list = t.equals("mkdirs:") || t.equals("includes:") ? "skip" : null;
        if (t.startsWith("- target:")) {
          from = null;
        }
      } else if (t.startsWith("- ") && list != null && !list.equals("skip") && from != null) {
        out.add(new BomEntry(from.resolve(t.substring(2).strip()), list.equals("dirs:")));
      }
    }
    return out;
  }
}
