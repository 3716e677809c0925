package io.nsl.testing;

import io.nsl.ProjectRoot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
