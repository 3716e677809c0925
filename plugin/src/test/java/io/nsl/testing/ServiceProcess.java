package io.nsl.testing;

import io.nsl.ProjectRoot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The service as a separate JVM ({@code Main run --config FILE}), to kill it for real. */
public final class ServiceProcess implements AutoCloseable {
  private final Path config;
  private final Path log;
  private final int apiPort;
  private final List<String> extraArgs;
  private final java.util.Map<String, String> env;
  private Process process;

  public ServiceProcess(Path config, Path log, int apiPort) {
    this(config, log, apiPort, List.of(), java.util.Map.of());
  }

  /** With more {@code run} options and environment variables (cluster tests). */
  public ServiceProcess(
      Path config,
      Path log,
      int apiPort,
      List<String> extraArgs,
      java.util.Map<String, String> env) {
    this.config = config;
    this.log = log;
    this.apiPort = apiPort;
    this.extraArgs = List.copyOf(extraArgs);
    this.env = java.util.Map.copyOf(env);
  }

  public void start() throws IOException {
    Path root = ProjectRoot.find();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String line : Files.readAllLines(root.resolve("config/jvm.options"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      for (String part : line.replace("@NSL_ROOT@", root.toString()).trim().split("\\s+")) {
        cmd.add(part);
      }
    }
    cmd.add("-Xmx1g");
    cmd.add("-Dnsl.root=" + root);
    cmd.add("-cp");
    cmd.add(root.resolve("plugin/target/classes") + ":" + root.resolve("plugin/target/lib") + "/*");
    cmd.add("io.nsl.cli.Main");
    cmd.add("run");
    cmd.add("--config");
    cmd.add(config.toString());
    cmd.addAll(extraArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    process =
        pb.redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
  }

  /** Waits until /health answers. */
  public void awaitUp(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "service exited with " + process.exitValue() + "; see " + log);
      }
      try {
        var r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("service did not come up within " + timeout + "; see " + log);
  }

  /** SIGKILL: no shutdown hook, no flush. */
  public void kill9() throws InterruptedException {
    ProcessHandle h = process.toHandle();
    h.destroyForcibly();
    process.waitFor();
  }

  /** SIGSTOP: the process is frozen where it is (threads, sockets, timers), as by a long GC. */
  public void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze()}. */
  public void thaw() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + ": " + out);
    }
  }

  /** The exit code once the process has ended. */
  public java.util.OptionalInt exitCode() {
    return process == null || process.isAlive()
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(process.exitValue());
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** {@code GET /ready}: its HTTP status and body. */
  public HttpResponse<String> ready() throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/ready"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until {@code /ready} answers 200. */
  public void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "service exited with " + process.exitValue() + "; see " + log);
      }
      try {
        var r = ready();
        if (r.statusCode() == 200) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    threadDump();
    throw new IllegalStateException(
        "service not ready within " + timeout + " (last: " + last + "); see " + log);
  }

  /** Appends the process's threads ({@code jcmd PID Thread.print}) to its log, for a hang. */
  public void threadDump() throws InterruptedException {
    if (!isAlive()) {
      return;
    }
    try {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start()
          .waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException e) {
      // the dump is a help for reading a failure, not part of it
    }
  }

  public Path log() {
    return log;
  }

  public String metrics() throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      try {
        thaw(); // a frozen process would not act on SIGTERM
      } catch (IOException | IllegalStateException e) {
        // it ended meanwhile
      }
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
