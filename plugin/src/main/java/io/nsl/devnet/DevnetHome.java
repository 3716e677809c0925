package io.nsl.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The folder of a devnet that outlives the command that started it ({@code ./nsl devnet}, default
 * {@code .run/devnet}): {@code node/} (neo-go's configuration, chain, log, pid file), {@code
 * service/} (the service's configuration, data, log, pid file), on a PostgreSQL devnet {@code
 * service-2/} … for the other workers and {@code postgres/} ({@link LocalPostgres#startIn}), and
 * {@code devnet.json}, written last by a complete {@code up}: a folder without it is what a killed
 * {@code up} left. LOCAL DEVELOPMENT ONLY.
 *
 * <p>A process is this devnet's only while its pid file names a live process whose command line
 * names this folder, so a pid reused by another program is never stopped.
 */
public final class DevnetHome {
  static final String STATE_FILE = "devnet.json";
  static final String SERVICE_PID_FILE = "service.pid";
  private static final String LOCK_FILE = ".lock";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;

  public DevnetHome(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  public Path dir() {
    return dir;
  }

  public Path nodeDir() {
    return dir.resolve("node");
  }

  public Path serviceDir() {
    return serviceDir(1);
  }

  /**
   * The folder of worker {@code n} (1-based): {@code service/} for the first, else {@code
   * service-n/}.
   */
  public Path serviceDir(int n) {
    if (n < 1 || n > Devnet.MAX_WORKERS) {
      throw new IllegalArgumentException("worker " + n + " is not in 1.." + Devnet.MAX_WORKERS);
    }
    return dir.resolve(n == 1 ? "service" : "service-" + n);
  }

  public Path serviceConfig() {
    return serviceConfig(1);
  }

  public Path serviceConfig(int n) {
    return serviceDir(n).resolve("nsl.yml");
  }

  public Path serviceLog() {
    return serviceLog(1);
  }

  public Path serviceLog(int n) {
    return serviceDir(n).resolve("service.log");
  }

  /** The local PostgreSQL server's folder (a PostgreSQL devnet only). */
  public Path postgresDir() {
    return dir.resolve("postgres");
  }

  Path stateFile() {
    return dir.resolve(STATE_FILE);
  }

  /** Held while a command changes the folder; released when closed or when the process dies. */
  public interface Lock extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes the folder for one command.
   *
   * @throws DevnetBusyException when another command (in any process) holds it
   */
  public Lock lock() {
    try {
      Files.createDirectories(dir);
      FileChannel ch =
          FileChannel.open(
              dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        ch.close();
        throw new DevnetBusyException(dir);
      }
      FileLock held = l;
      return () -> {
        try {
          held.release();
          ch.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
    } catch (IOException e) {
      throw new DevnetException("cannot use the devnet folder " + dir + ": " + e.getMessage());
    }
  }

  /** The devnet a complete {@code up} recorded, if any. */
  public Optional<DevnetInfo> info() {
    if (!Files.exists(stateFile())) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(stateFile().toFile(), DevnetInfo.class));
    } catch (IOException e) {
      throw new DevnetException(
          "cannot read "
              + stateFile()
              + " ("
              + e.getMessage()
              + "); run './nsl devnet down --purge' and './nsl devnet up' for a new devnet");
    }
  }

  /** Records the devnet (atomically: a reader sees the old file or the new one). */
  void writeInfo(DevnetInfo info) {
    Path tmp = dir.resolve(STATE_FILE + ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), info);
      Files.move(tmp, stateFile(), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new DevnetException("cannot write " + stateFile() + ": " + e.getMessage());
    }
  }

  /** The running neo-go node of this devnet. */
  public Optional<ProcessHandle> node() {
    return live(nodeDir().resolve(LocalNeoNode.PID_FILE));
  }

  /** The running service of this devnet (its first worker). */
  public Optional<ProcessHandle> service() {
    return service(1);
  }

  /** The running worker {@code n} of this devnet. */
  public Optional<ProcessHandle> service(int n) {
    return live(serviceDir(n).resolve(SERVICE_PID_FILE));
  }

  private Optional<ProcessHandle> live(Path pidFile) {
    long pid;
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      pid = Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::namesThisFolder);
  }

  private boolean namesThisFolder(ProcessHandle h) {
    ProcessHandle.Info info = h.info();
    String line =
        info.commandLine()
            .orElseGet(() -> String.join(" ", info.arguments().orElse(new String[0])));
    return line.contains(dir.toString());
  }

  /**
   * Starts worker {@code n} ({@code nsl run --config service…/nsl.yml ARGS}) as a process of its
   * own, in its own session, with the launcher's JVM flags (config/jvm.options) and classpath
   * (plugin/target) and {@code env} added to this process's environment; writes its pid file at
   * once.
   */
  ProcessHandle startService(Path root, int n, List<String> args, Map<String, String> env) {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    try {
      for (String line : Files.readAllLines(root.resolve("config/jvm.options"))) {
        if (!line.isBlank() && !line.startsWith("#")) {
          cmd.addAll(List.of(line.replace("@NSL_ROOT@", root.toString()).trim().split("\\s+")));
        }
      }
    } catch (IOException e) {
      throw new DevnetException("cannot read config/jvm.options: " + e.getMessage());
    }
    cmd.add("-Dnsl.root=" + root);
    cmd.add("-cp");
    cmd.add(
        root.resolve("plugin/target/classes")
            + File.pathSeparator
            + root.resolve("plugin/target/lib")
            + "/*");
    cmd.addAll(List.of("io.nsl.cli.Main", "run", "--config", serviceConfig(n).toString()));
    cmd.addAll(args);
    try {
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(serviceLog(n).toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(env);
      ProcessHandle h = pb.start().toHandle();
      Files.writeString(serviceDir(n).resolve(SERVICE_PID_FILE), Long.toString(h.pid()));
      return h;
    } catch (IOException e) {
      throw new DevnetException("cannot start the service (" + cmd.get(0) + "): " + e.getMessage());
    }
  }

  /**
   * Stops this devnet's processes, the workers first (SIGTERM, then SIGKILL after 10 s; in
   * parallel), then the node, then PostgreSQL ({@code pg_ctl stop}), and removes their pid files.
   * Returns the pids stopped, in that order.
   */
  public List<Long> stopAll() {
    List<Path> pidFiles = new ArrayList<>();
    for (int n = 1; n <= Devnet.MAX_WORKERS; n++) {
      pidFiles.add(serviceDir(n).resolve(SERVICE_PID_FILE));
    }
    List<ProcessHandle> workers = new ArrayList<>();
    for (Path pidFile : pidFiles) {
      live(pidFile).ifPresent(workers::add);
    }
    workers.forEach(ProcessHandle::destroy);
    List<Long> stopped = new ArrayList<>();
    for (ProcessHandle h : workers) {
      stop(h);
      stopped.add(h.pid());
    }
    pidFiles.add(nodeDir().resolve(LocalNeoNode.PID_FILE));
    live(nodeDir().resolve(LocalNeoNode.PID_FILE))
        .ifPresent(
            h -> {
              stop(h);
              stopped.add(h.pid());
            });
    for (Path pidFile : pidFiles) {
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException e) {
        throw new DevnetException("cannot remove " + pidFile + ": " + e.getMessage());
      }
    }
    LocalPostgres.stopIn(postgresDir()).ifPresent(stopped::add);
    return stopped;
  }

  /** The pid of the devnet's PostgreSQL server when it runs. */
  public Optional<Long> postgres() {
    return LocalPostgres.runningIn(postgresDir());
  }

  private static void stop(ProcessHandle h) {
    h.destroy();
    try {
      h.onExit().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      h.destroyForcibly();
      try {
        h.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception again) {
        throw new DevnetException("process " + h.pid() + " does not stop; kill it by hand");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      h.destroyForcibly();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes everything in the folder except the lock (the caller holds it). */
  void clear() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    LocalPostgres.deleteIn(postgresDir());
    try (Stream<Path> top = Files.list(dir)) {
      for (Path p : top.filter(p -> !p.getFileName().toString().equals(LOCK_FILE)).toList()) {
        deleteTree(p);
      }
    } catch (IOException e) {
      throw new DevnetException("cannot clear " + dir + ": " + e.getMessage());
    }
  }

  /** Deletes the folder, lock included: only after the lock is released. */
  void delete() {
    LocalPostgres.deleteIn(postgresDir());
    deleteTree(dir);
  }

  private static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    } catch (IOException e) {
      throw new DevnetException("cannot delete " + p + ": " + e.getMessage());
    }
  }

  /** Waits until {@code url} answers 200, while {@code process} lives. */
  static void awaitHealthy(String url, ProcessHandle process, Duration timeout, Path log) {
    var http = java.net.http.HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new DevnetException("the service stopped while starting; see its log " + log);
      }
      try {
        var r =
            http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DevnetException("interrupted while waiting for the service");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DevnetException("interrupted while waiting for the service");
      }
    }
    throw new DevnetException(
        "the service did not answer " + url + " within " + timeout.toSeconds() + " s; see " + log);
  }
}
