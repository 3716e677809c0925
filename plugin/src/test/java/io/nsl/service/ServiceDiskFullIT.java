package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsl.ProjectRoot;
import io.nsl.devnet.LocalStack;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: a full disk killed the watcher for good while /ready said ready. Here the service's
 * data folder is a real tmpfs (needs root, as {@code DiskFailuresIT}; skipped otherwise) on a real
 * chain: another file fills the disk, the watcher stops on {@code STORAGE_DISK_FULL}, /ready
 * answers 503 with that reason; the file is removed and, with no operator, the service reads the
 * chain again, answers a request sent while the disk was full, and /ready is 200.
 */
class ServiceDiskFullIT {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir Path dir;
  private Path mount;
  private LocalStack stack;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (mount != null) {
      run("umount", mount.toString());
    }
  }

  @Test
  void fullDiskMakesTheServiceUnreadyAndItRecoversOnItsOwnOnceSpaceIsFreed() throws Exception {
    mount = Files.createDirectories(dir.resolve("mnt"));
    int rc = run("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", mount.toString());
    if (rc != 0) {
      mount = null;
    }
    assumeTrue(rc == 0, "cannot mount a tmpfs here (needs root); disk-full test skipped");

    stack = LocalStack.start(ProjectRoot.find(), mount.resolve("data"), QUIET);
    awaitReady(r -> r.statusCode() == 200, Duration.ofSeconds(60), "ready at start");
    stack.registerFunction("echo", echo());
    var before = stack.request("echo", "{\"n\":1}", 1_000_000);
    assertEquals(0, stack.awaitAnswer(before, Duration.ofSeconds(60)).status());

    // Another file takes the disk: leave half of what the store keeps free.
    FileStore fs = Files.getFileStore(mount);
    long floor = Math.min(64L << 20, fs.getTotalSpace() / 20);
    Path filler = mount.resolve("filler");
    fill(filler, fs.getUsableSpace() - floor / 2);

    HttpResponse<String> unready =
        awaitReady(r -> r.statusCode() == 503, Duration.ofSeconds(60), "503 while full");
    assertTrue(unready.body().contains("watcher stopped"), unready.body());
    assertTrue(unready.body().contains("StorageDiskFullException"), unready.body());
    assertTrue(unready.body().contains("is full"), unready.body());
    assertTrue(stack.service().stoppedLoops().containsKey("watcher"));

    // Sent while the disk is full: the watcher cannot record it yet.
    var during = stack.request("echo", "{\"n\":2}", 1_000_000);

    Files.delete(filler);
    var answer = stack.awaitAnswer(during, Duration.ofSeconds(120));
    assertEquals(0, answer.status(), answer.result());
    assertEquals("{\"echo\":2,\"square\":4}", answer.result());
    awaitReady(r -> r.statusCode() == 200, Duration.ofSeconds(60), "ready again");
    assertEquals(java.util.Map.of(), stack.service().stoppedLoops());
  }

  private static String echo() throws IOException {
    return Files.readString(
        ProjectRoot.find().resolve("plugin/src/test/resources/functions/echo.js"));
  }

  private HttpResponse<String> awaitReady(
      Predicate<HttpResponse<String>> wanted, Duration timeout, String what) throws Exception {
    long until = System.nanoTime() + timeout.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < until) {
      last =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + stack.service().apiPort() + "/ready"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (wanted.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "not " + what + " within " + timeout.toSeconds() + " s; last /ready: " + last.body());
  }

  private static void fill(Path file, long bytes) throws IOException {
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; left -= block.length) {
        out.write(block, 0, (int) Math.min(block.length, left));
      }
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
