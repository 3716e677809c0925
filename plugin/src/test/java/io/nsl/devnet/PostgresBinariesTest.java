package io.nsl.devnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {
  @TempDir Path dir;

  private Path programs(String folder, String... names) throws IOException {
    Path d = Files.createDirectories(dir.resolve(folder));
    for (String n : names) {
      Path p = d.resolve(n);
      Files.writeString(p, "#!/bin/sh\n");
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return d;
  }

  @Test
  void prefersTheServerProgramsOnPath() throws IOException {
    Path onPath = programs("local/bin", "initdb", "pg_ctl", "postgres", "createdb");
    programs("debian/15/bin", "initdb", "pg_ctl", "postgres", "createdb");
    PostgresBinaries b =
        PostgresBinaries.find(Map.of("PATH", "/nonexistent:" + onPath), dir.resolve("debian"));
    assertEquals(onPath, b.bin());
    assertEquals(onPath.resolve("createdb"), b.createdb());
  }

  @Test
  void findsDebiansServerProgramsOffPathNewestMajorFirst() throws IOException {
    Path clients = programs("usr/bin", "psql", "createdb");
    programs("debian/9.6/bin", "initdb", "pg_ctl", "postgres");
    Path v17 = programs("debian/17/bin", "initdb", "pg_ctl", "postgres");
    programs("debian/15/bin", "initdb", "pg_ctl", "postgres");
    PostgresBinaries b =
        PostgresBinaries.find(Map.of("PATH", clients.toString()), dir.resolve("debian"));
    assertEquals(v17, b.bin());
    assertEquals(clients.resolve("createdb"), b.createdb(), "createdb from PATH when not beside");
  }

  @Test
  void skipsAPathFolderWithOnlySomeOfTheServerPrograms() throws IOException {
    // /usr/local/bin on this kind of machine: initdb linked, postgres missing.
    Path partial = programs("local/bin", "initdb", "pg_ctl");
    Path debian = programs("debian/15/bin", "initdb", "pg_ctl", "postgres", "createdb");
    PostgresBinaries b =
        PostgresBinaries.find(Map.of("PATH", partial.toString()), dir.resolve("debian"));
    assertEquals(debian, b.bin());
  }

  @Test
  void explicitFolderWinsAndIsChecked() throws IOException {
    Path mine = programs("mine", "initdb", "pg_ctl", "postgres", "createdb");
    programs("local/bin", "initdb", "pg_ctl", "postgres", "createdb");
    assertEquals(
        mine,
        PostgresBinaries.find(
                Map.of(
                    "NSL_POSTGRES_BIN",
                    mine.toString(),
                    "PATH",
                    dir.resolve("local/bin").toString()),
                dir.resolve("none"))
            .bin());
    DevnetException e =
        assertThrows(
            DevnetException.class,
            () ->
                PostgresBinaries.find(
                    Map.of("NSL_POSTGRES_BIN", dir.resolve("local").toString()),
                    dir.resolve("none")));
    assertTrue(e.getMessage().contains("NSL_POSTGRES_BIN="), e.getMessage());
  }

  @Test
  void sayHowToInstallWhenNothingIsFound() throws IOException {
    Path empty = programs("empty");
    DevnetException e =
        assertThrows(
            DevnetException.class,
            () -> PostgresBinaries.find(Map.of("PATH", empty.toString()), dir.resolve("debian")));
    assertTrue(e.getMessage().contains("scripts/install-postgres.sh"), e.getMessage());
    assertTrue(e.getMessage().contains("/<major>/bin"), e.getMessage());
  }

  @Test
  void notExecutableFilesDoNotCount() throws IOException {
    Path d = programs("local/bin", "initdb", "pg_ctl", "postgres", "createdb");
    Files.setPosixFilePermissions(
        d.resolve("postgres"), PosixFilePermissions.fromString("rw-r--r--"));
    // root may execute anything with an x bit; a file with none is not a program for anyone.
    assertThrows(
        DevnetException.class,
        () -> PostgresBinaries.find(Map.of("PATH", d.toString()), dir.resolve("debian")));
    assertEquals(List.of(), PostgresBinaries.debianBins(dir.resolve("debian")));
  }
}
