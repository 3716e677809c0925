package io.nsl.storage;

import static io.nsl.storage.TestStores.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk and a read-only folder, made real with a small tmpfs (needs root or CAP_SYS_ADMIN;
 * skipped with a reason otherwise). Both must give a clear error and leave the store readable.
 */
class DiskFailuresIT {
  static final Namespace SVC = Namespace.service();

  @TempDir Path dir;
  private Path mount;

  private Path mountTmpfs(String size) throws Exception {
    mount = Files.createDirectories(dir.resolve("mnt"));
    int rc = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString());
    if (rc != 0) {
      mount = null;
    }
    assumeTrue(rc == 0, "cannot mount a tmpfs here (needs root); disk-failure tests skipped");
    return mount;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      run("umount", mount.toString());
    }
  }

  @Test
  void fullDiskGivesClearErrorAndKeepsAcknowledgedDataReadable() throws Exception {
    Path db = mountTmpfs("12m").resolve("db");
    StorageOptions options = StorageOptions.defaults(db);
    List<byte[]> acked = new ArrayList<>();
    Random random = new Random(5);
    StorageDiskFullException full = null;
    try (PersistentStorageService s =
        PersistentStorageService.initialise(options, TestStores.fixedKey(7))) {
      for (int i = 0; i < 1000 && full == null; i++) {
        byte[] v = new byte[64 * 1024];
        random.nextBytes(v);
        try {
          s.write(SVC, "k" + i, v);
          acked.add(v);
        } catch (StorageDiskFullException e) {
          full = e;
        }
      }
      assertTrue(full != null, "the disk never filled up");
      assertEquals("STORAGE_DISK_FULL", full.code());
      assertTrue(full.getMessage().contains("full"), full.getMessage());
      assertTrue(full.retryable());
      assertTrue(acked.size() > 10, "only " + acked.size() + " writes before the disk was full");
      for (int i = 0; i < acked.size(); i++) {
        assertArrayEquals(acked.get(i), s.read(SVC, "k" + i).orElseThrow(), "k" + i);
      }
    }
    try (PersistentStorageService s =
        PersistentStorageService.initialise(options.withReadOnly(true), TestStores.fixedKey(7))) {
      for (int i = 0; i < acked.size(); i++) {
        assertArrayEquals(acked.get(i), s.read(SVC, "k" + i).orElseThrow(), "k" + i);
      }
    }
  }

  @Test
  void readOnlyFolderGivesClearErrorAndOpensReadOnly() throws Exception {
    Path db = mountTmpfs("64m").resolve("db");
    StorageOptions options = StorageOptions.defaults(db);
    try (PersistentStorageService s =
        PersistentStorageService.initialise(options, TestStores.fixedKey(7))) {
      s.write(SVC, "k", bytes("kept"));
    }
    assertEquals(0, run("mount", "-o", "remount,ro", mount.toString()));
    StorageReadOnlyException e =
        assertThrows(
            StorageReadOnlyException.class,
            () -> PersistentStorageService.initialise(options, TestStores.fixedKey(7)));
    assertEquals("STORAGE_READ_ONLY", e.code());
    assertTrue(e.getMessage().contains("readOnly"), e.getMessage());
    try (PersistentStorageService s =
        PersistentStorageService.initialise(options.withReadOnly(true), TestStores.fixedKey(7))) {
      assertEquals("kept", TestStores.str(s.read(SVC, "k").orElseThrow()));
    }
  }

  private static int run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.toHandle().destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
