package io.nsl.devnet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the machine's PostgreSQL server programs are: the folder holding {@code initdb}, {@code
 * pg_ctl} and {@code postgres}. Looked for in {@code NSL_POSTGRES_BIN}, then on {@code PATH}, then
 * in {@code /usr/lib/postgresql/<major>/bin} (newest major first): Debian's {@code postgresql}
 * package puts the server programs there and only the client wrappers on {@code PATH}.
 *
 * @param bin the folder holding the server programs
 * @param createdb the {@code createdb} program (from {@code bin}, else from {@code PATH})
 */
public record PostgresBinaries(Path bin, Path createdb) {
  static final List<String> SERVER_PROGRAMS = List.of("initdb", "pg_ctl", "postgres");

  public PostgresBinaries {
    java.util.Objects.requireNonNull(bin, "bin");
    java.util.Objects.requireNonNull(createdb, "createdb");
  }

  public Path initdb() {
    return bin.resolve("initdb");
  }

  public Path pgCtl() {
    return bin.resolve("pg_ctl");
  }

  /** Finds the programs of this machine (environment of this process). */
  public static PostgresBinaries find() {
    return find(System.getenv(), Path.of("/usr/lib/postgresql"));
  }

  /**
   * Finds the programs by the rules above.
   *
   * @param env the environment ({@code NSL_POSTGRES_BIN}, {@code PATH})
   * @param debianRoot {@code /usr/lib/postgresql}, or another folder holding {@code <major>/bin}
   * @throws DevnetException naming where it looked and how to install PostgreSQL
   */
  public static PostgresBinaries find(Map<String, String> env, Path debianRoot) {
    List<Path> pathDirs = new ArrayList<>();
    String path = env.getOrDefault("PATH", "");
    for (String p : path.split(":")) {
      if (!p.isBlank()) {
        pathDirs.add(Path.of(p));
      }
    }
    String explicit = env.get("NSL_POSTGRES_BIN");
    if (explicit != null && !explicit.isBlank()) {
      Path dir = Path.of(explicit);
      if (!hasServer(dir)) {
        throw new DevnetException(
            "NSL_POSTGRES_BIN="
                + explicit
                + " does not hold initdb, pg_ctl and postgres; point it at the folder of the"
                + " PostgreSQL server programs (on Debian /usr/lib/postgresql/<major>/bin)");
      }
      return withCreatedb(dir, pathDirs);
    }
    for (Path dir : pathDirs) {
      if (hasServer(dir)) {
        return withCreatedb(dir, pathDirs);
      }
    }
    for (Path dir : debianBins(debianRoot)) {
      if (hasServer(dir)) {
        return withCreatedb(dir, pathDirs);
      }
    }
    throw new DevnetException(
        "the PostgreSQL server programs (initdb, pg_ctl, postgres) are not on PATH, nor in "
            + debianRoot
            + "/<major>/bin. Install them with scripts/install-postgres.sh (on Debian: apt-get"
            + " install postgresql), or set NSL_POSTGRES_BIN to the folder that holds initdb");
  }

  private static PostgresBinaries withCreatedb(Path dir, List<Path> pathDirs) {
    if (Files.isExecutable(dir.resolve("createdb"))) {
      return new PostgresBinaries(dir, dir.resolve("createdb"));
    }
    Optional<Path> onPath =
        pathDirs.stream().map(d -> d.resolve("createdb")).filter(Files::isExecutable).findFirst();
    return new PostgresBinaries(
        dir,
        onPath.orElseThrow(
            () ->
                new DevnetException(
                    "found the PostgreSQL server programs in "
                        + dir
                        + " but no createdb beside them or on PATH; install the PostgreSQL"
                        + " client programs (Debian: apt-get install postgresql-client)")));
  }

  private static boolean hasServer(Path dir) {
    return SERVER_PROGRAMS.stream().allMatch(p -> Files.isExecutable(dir.resolve(p)));
  }

  /** {@code root/<major>/bin}, the highest major version first (numeric, so 9.6 < 15 < 17). */
  static List<Path> debianBins(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> d.getFileName().toString().matches("\\d+(\\.\\d+)?"))
          .sorted(
              Comparator.comparingDouble((Path d) -> Double.parseDouble(d.getFileName().toString()))
                  .reversed())
          .map(d -> d.resolve("bin"))
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }
}
