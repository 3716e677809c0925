package io.nsl;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project folder (with config/, contracts/, .tools/) for dev-mode commands and tests. */
public final class ProjectRoot {
  private ProjectRoot() {}

  /**
   * The folder named by the {@code nsl.root} system property (set by ./nsl and the build), else the
   * nearest folder at or above the working directory that holds {@code nsl} and {@code config/}.
   */
  public static Path find() {
    String prop = System.getProperty("nsl.root");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("nsl")) && Files.isDirectory(p.resolve("config"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find the NSL project folder above "
            + dir
            + "; run from inside it or set -Dnsl.root");
  }
}
