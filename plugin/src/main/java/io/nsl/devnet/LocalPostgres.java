package io.nsl.devnet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server for development and tests, from the machine's own installation ({@link
 * PostgresBinaries}; decision 1001): {@code initdb} into a folder, {@code postgres} on loopback
 * with a free port (TCP, password authentication) and its unix socket inside the folder, one
 * database, stopped with {@code pg_ctl stop -m fast}. LOCAL DEVELOPMENT ONLY: the password sits in
 * the folder in plain text.
 *
 * <p><b>Root.</b> PostgreSQL refuses to run as root. When this JVM is root, the server programs run
 * as the {@code postgres} user (or {@code nobody}) through {@code runuser}, and the cluster lives
 * in a folder of the temporary directory owned by that user (a folder under {@code /root} is not
 * reachable for it); the given folder then holds a {@code pgdata} link to it.
 *
 * <p><b>Lifetimes.</b> {@link #start}: a throw-away server; {@link #close()} stops it and deletes
 * its folder, and a watchdog process stops it when this JVM dies, also by SIGKILL. {@link
 * #startIn}: a server whose folder is kept and which outlives this JVM ({@code ./nsl devnet});
 * starting it again in the same folder brings back the same database on the same port.
 *
 * <p>Not thread-safe: one owner starts, stops and closes it.
 */
public final class LocalPostgres implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);

  /** The database user created by {@code initdb}. */
  public static final String USER = "nsl";

  private static final String PORT_FILE = "postgres.port";
  private static final String PASSWORD_FILE = "postgres.password";
  private static final String CLUSTER_LINK = "pgdata";
  private static final String TEMP_PREFIX = "nsl-pg-";
  private static final int MAX_SOCKET_PATH = 100;

  private final PostgresBinaries binaries;
  private final Path folder;
  private final Path cluster;
  private final String osUser;
  private final int port;
  private final String password;
  private final String database;
  private final boolean throwAway;
  private Process watchdog;
  private boolean running;

  private LocalPostgres(
      PostgresBinaries binaries,
      Path folder,
      Path cluster,
      String osUser,
      int port,
      String password,
      String database,
      boolean throwAway) {
    this.binaries = binaries;
    this.folder = folder;
    this.cluster = cluster;
    this.osUser = osUser;
    this.port = port;
    this.password = password;
    this.database = database;
    this.throwAway = throwAway;
  }

  /**
   * Starts a throw-away server with database {@code database} in a fresh temporary folder.
   *
   * @throws DevnetException with what to do when PostgreSQL is not installed or does not start
   */
  public static LocalPostgres start(String database) {
    Path folder;
    try {
      folder = Files.createTempDirectory(TEMP_PREFIX);
    } catch (IOException e) {
      throw new DevnetException("cannot create a temporary folder for PostgreSQL: " + e);
    }
    LocalPostgres pg = open(PostgresBinaries.find(), folder, database, true);
    try {
      pg.startServer();
      pg.createDatabase();
      pg.watchdog = pg.startWatchdog();
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
    return pg;
  }

  /**
   * Starts the server kept in {@code folder} (made there by an earlier call), or initialises one.
   * The server outlives this JVM; stop it with {@link #stop()} or {@link #close()} (which keep the
   * folder).
   */
  public static LocalPostgres startIn(Path folder, String database) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new DevnetException("cannot create the PostgreSQL folder " + folder + ": " + e);
    }
    LocalPostgres pg = open(PostgresBinaries.find(), folder, database, false);
    if (!pg.isUp()) {
      pg.startServer();
    }
    pg.running = true;
    pg.createDatabase();
    return pg;
  }

  /**
   * The pid of the server kept in {@code folder} ({@link #startIn}) while it runs; empty when the
   * folder holds no cluster or its server is stopped. Starts and creates nothing.
   */
  public static Optional<Long> runningIn(Path folder) {
    return existingCluster(folder).flatMap(LocalPostgres::postmaster).map(ProcessHandle::pid);
  }

  /**
   * Stops the server kept in {@code folder} ({@code pg_ctl stop -m fast}, waiting for it), keeping
   * its data; returns its pid, or empty when none ran. Starts and creates nothing.
   *
   * @throws DevnetException when pg_ctl fails
   */
  public static Optional<Long> stopIn(Path folder) {
    Optional<Path> cluster = existingCluster(folder);
    Optional<ProcessHandle> running = cluster.flatMap(LocalPostgres::postmaster);
    if (running.isEmpty()) {
      return Optional.empty();
    }
    LocalPostgres pg = open(PostgresBinaries.find(), folder, "postgres", false);
    pg.running = true;
    pg.stop();
    try {
      running.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new DevnetException(
          "PostgreSQL (pid " + running.get().pid() + ") did not stop within 30 s; kill it by hand");
    }
    return Optional.of(running.get().pid());
  }

  /**
   * Deletes the folder of a kept server and, as root, the cluster folder it links to. The server
   * must be stopped ({@link #stopIn}).
   */
  public static void deleteIn(Path folder) {
    Path link = folder.resolve(CLUSTER_LINK);
    if (Files.isSymbolicLink(link)) {
      try {
        deleteTree(Files.readSymbolicLink(link));
      } catch (IOException e) {
        log.warn("could not read the link {}: {}", link, e.getMessage());
      }
    }
    deleteTree(folder);
  }

  /** The cluster made in {@code folder} by an earlier start, without creating anything. */
  private static Optional<Path> existingCluster(Path folder) {
    Path link = folder.resolve(CLUSTER_LINK);
    try {
      Path cluster = Files.isSymbolicLink(link) ? Files.readSymbolicLink(link) : link;
      return isCluster(cluster) && Files.exists(folder.resolve(PORT_FILE))
          ? Optional.of(cluster)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The live postmaster of {@code cluster} (first line of its postmaster.pid). */
  private static Optional<ProcessHandle> postmaster(Path cluster) {
    Path pidFile = cluster.resolve("data/postmaster.pid");
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().command().map(c -> c.contains("postgres")).orElse(true));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static LocalPostgres open(
      PostgresBinaries binaries, Path folder, String database, boolean throwAway) {
    if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "database name must match [a-z][a-z0-9_]{0,62}, got '" + database + "'");
    }
    String osUser = runningAsRoot() ? unprivilegedUser() : null;
    try {
      Path portFile = folder.resolve(PORT_FILE);
      Path passwordFile = folder.resolve(PASSWORD_FILE);
      Path cluster = clusterFolder(folder, osUser);
      if (Files.exists(portFile) && Files.exists(passwordFile) && isCluster(cluster)) {
        int port = Integer.parseInt(Files.readString(portFile).trim());
        String password = Files.readString(passwordFile).trim();
        return new LocalPostgres(
            binaries, folder, cluster, osUser, port, password, database, throwAway);
      }
      byte[] secret = new byte[18];
      new SecureRandom().nextBytes(secret);
      String password = HexFormat.of().formatHex(secret);
      int port = LocalNeoNode.freePort();
      LocalPostgres pg =
          new LocalPostgres(binaries, folder, cluster, osUser, port, password, database, throwAway);
      pg.initialise();
      Files.writeString(passwordFile, password);
      Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(portFile, Integer.toString(port));
      return pg;
    } catch (IOException | NumberFormatException e) {
      throw new DevnetException("cannot prepare the PostgreSQL folder " + folder + ": " + e);
    }
  }

  /** {@code folder/pgdata}, or as root a folder of the temporary directory linked from there. */
  private static Path clusterFolder(Path folder, String osUser) throws IOException {
    Path link = folder.resolve(CLUSTER_LINK);
    if (osUser == null) {
      return link;
    }
    if (Files.isSymbolicLink(link)) {
      Path target = Files.readSymbolicLink(link);
      if (Files.isDirectory(target)) {
        return target;
      }
      Files.delete(link);
    }
    Path owned = Files.createTempDirectory(TEMP_PREFIX + "data-");
    Files.setOwner(
        owned, owned.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser));
    Files.createSymbolicLink(link, owned);
    return owned;
  }

  private static boolean isCluster(Path cluster) {
    return Files.exists(cluster.resolve("data/PG_VERSION"));
  }

  private void initialise() throws IOException {
    Path pwFile = cluster.resolve("initdb.pw");
    Files.createDirectories(cluster);
    Files.writeString(pwFile, password);
    chown(cluster);
    chown(pwFile);
    try {
      run(
          "initdb",
          true,
          binaries.initdb().toString(),
          "-D",
          cluster.resolve("data").toString(),
          "-U",
          USER,
          "--pwfile=" + pwFile,
          "--auth-host=scram-sha-256",
          "--auth-local=trust",
          "-E",
          "UTF8",
          "--no-locale",
          // initdb's own fsync of a fresh, empty cluster; the server runs with fsync on.
          "--no-sync");
    } finally {
      Files.deleteIfExists(pwFile);
    }
    Path socketDir = cluster.resolve("sock");
    Files.createDirectories(socketDir);
    chown(socketDir);
    // Settings appended to the file initdb wrote (owned by the server's user; appending keeps it).
    // A socket path past the kernel's limit (about 107 bytes) would stop the server: TCP only then.
    String sockets =
        socketDir.toString().length() + 20 > MAX_SOCKET_PATH ? "" : socketDir.toString();
    String settings =
        "\n# written by NSL's LocalPostgres\n"
            + "listen_addresses = '127.0.0.1'\n"
            + "port = "
            + port
            + "\n"
            + "unix_socket_directories = '"
            + sockets
            + "'\n"
            + "fsync = on\n"
            + "synchronous_commit = on\n"
            + "max_connections = 100\n"
            + "shared_buffers = 32MB\n";
    Files.writeString(
        cluster.resolve("data/postgresql.conf"), settings, java.nio.file.StandardOpenOption.APPEND);
  }

  private void startServer() {
    run(
        "pg_ctl start",
        true,
        binaries.pgCtl().toString(),
        "-D",
        cluster.resolve("data").toString(),
        "-l",
        cluster.resolve("postgres.log").toString(),
        "-w",
        "-t",
        "60",
        "start");
    running = true;
    log.info("PostgreSQL up on 127.0.0.1:{} (cluster {})", port, cluster);
  }

  private void createDatabase() {
    createDatabase(database);
  }

  /**
   * Creates another database on this server (one per test, say); one that exists already is kept.
   */
  public void createDatabase(String name) {
    if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "database name must match [a-z][a-z0-9_]{0,62}, got '" + name + "'");
    }
    ProcessBuilder pb =
        new ProcessBuilder(
            binaries.createdb().toString(),
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-U",
            USER,
            name);
    pb.environment().put("PGPASSWORD", password);
    String out = runProcess("createdb", pb);
    if (out != null && !out.contains("already exists")) {
      throw new DevnetException("createdb " + name + " failed: " + out);
    }
  }

  /** Whether a server answers on the port (pg_ctl status of the cluster). */
  private boolean isUp() {
    ProcessBuilder pb =
        new ProcessBuilder(
            command(
                binaries.pgCtl().toString(), "-D", cluster.resolve("data").toString(), "status"));
    return runProcess("pg_ctl status", pb) == null;
  }

  /**
   * A process that stops the server ({@code -m immediate}) and deletes the folder when this JVM is
   * gone, however it ended.
   */
  private Process startWatchdog() {
    String stop =
        String.join(
            " ",
            command(
                binaries.pgCtl().toString(),
                "-D",
                cluster.resolve("data").toString(),
                "-m",
                "immediate",
                "stop"));
    String script =
        "while kill -0 "
            + ProcessHandle.current().pid()
            + " 2>/dev/null; do sleep 1; done; "
            + stop
            + " >/dev/null 2>&1; rm -rf '"
            + folder
            + "' '"
            + cluster
            + "'";
    try {
      return new ProcessBuilder("bash", "-c", script)
          .directory(cluster.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new DevnetException("cannot start the PostgreSQL watchdog: " + e.getMessage());
    }
  }

  /** Stops the server ({@code pg_ctl stop -m fast}), keeping its data; {@link #restart()} again. */
  public void stop() {
    if (!running) {
      return;
    }
    run(
        "pg_ctl stop",
        true,
        binaries.pgCtl().toString(),
        "-D",
        cluster.resolve("data").toString(),
        "-m",
        "fast",
        "-w",
        "stop");
    running = false;
  }

  /** Starts the server again after {@link #stop()}, on the same port with the same data. */
  public void restart() {
    if (running) {
      throw new DevnetException("PostgreSQL is still running; stop() it first");
    }
    startServer();
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>} (user and password apart). */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /**
   * The store location NSL takes ({@code --store}): {@code
   * postgresql://nsl:<password>@127.0.0.1:<port>/<database>}.
   */
  public String storeUrl() {
    return storeUrl(database);
  }

  /** {@link #storeUrl()} of another database of this server. */
  public String storeUrl(String database) {
    return "postgresql://"
        + USER
        + ":"
        + URLEncoder.encode(password, StandardCharsets.UTF_8)
        + "@127.0.0.1:"
        + port
        + "/"
        + database;
  }

  public String user() {
    return USER;
  }

  /** The database user's password: development only, also in the folder in plain text. */
  public String password() {
    return password;
  }

  public int port() {
    return port;
  }

  public String database() {
    return database;
  }

  public Path folder() {
    return folder;
  }

  /** The server's log file. */
  public Path logFile() {
    return cluster.resolve("postgres.log");
  }

  /** Stops the server; a throw-away one's folder is deleted. Idempotent. */
  @Override
  public void close() {
    try {
      stop();
    } catch (DevnetException e) {
      log.warn("could not stop PostgreSQL in {}: {}", cluster, e.getMessage());
    }
    if (watchdog != null) {
      watchdog.destroy();
      watchdog = null;
    }
    if (throwAway) {
      deleteTree(cluster);
      deleteTree(folder);
    }
  }

  // ---- processes

  private List<String> command(String... args) {
    List<String> cmd = new ArrayList<>();
    if (osUser != null) {
      cmd.addAll(List.of("runuser", "-u", osUser, "--"));
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  private void run(String what, boolean asServerUser, String... args) {
    List<String> cmd = asServerUser ? command(args) : List.of(args);
    String failure = runProcess(what, new ProcessBuilder(cmd));
    if (failure != null) {
      throw new DevnetException(
          what
              + " failed: "
              + failure
              + (Files.exists(logFile()) ? "\nLast lines of " + logFile() + ":\n" + tail() : ""));
    }
  }

  /** Runs to completion; {@code null} on exit 0, else its output. */
  private String runProcess(String what, ProcessBuilder pb) {
    if (Files.isDirectory(cluster)) {
      pb.directory(cluster.toFile());
    }
    pb.redirectErrorStream(true);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return what + " did not finish within 120 s";
      }
      return p.exitValue() == 0
          ? null
          : "exit " + p.exitValue() + ": " + new String(out, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new DevnetException("cannot run " + pb.command().getFirst() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevnetException("interrupted while running " + what);
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(logFile());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private void chown(Path p) throws IOException {
    if (osUser != null) {
      Files.setOwner(
          p, p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser));
    }
  }

  static boolean runningAsRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The account the server runs as when this JVM is root: {@code postgres}, else {@code nobody}.
   */
  static String unprivilegedUser() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
        if (line.startsWith("postgres:")) {
          return "postgres";
        }
      }
    } catch (IOException e) {
      // fall through to nobody
    }
    return "nobody";
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      log.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }
}
