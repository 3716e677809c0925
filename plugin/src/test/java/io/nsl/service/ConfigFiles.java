package io.nsl.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Configuration files a test writes, loaded as {@code ./nsl run --config} loads them. */
final class ConfigFiles {
  private ConfigFiles() {}

  /** {@code yaml} written to {@code <dir>/nsl.yml} and loaded ({@link ServiceConfig#load}). */
  static ServiceConfig load(Path dir, String yaml) throws IOException {
    Path f = dir.resolve("nsl.yml");
    Files.writeString(f, yaml);
    return ServiceConfig.load(f);
  }
}
