package io.nsl.devnet;

import io.neow3j.contract.GasToken;
import io.neow3j.crypto.Sign;
import io.neow3j.transaction.Transaction;
import io.neow3j.transaction.Witness;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.chain.ChainException;
import io.nsl.chain.NeoChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real neo-go node for development and tests: a single validator on loopback with a fresh data
 * folder, free ports, and the devnet wallets from {@code config/devnet/}. LOCAL DEVELOPMENT ONLY.
 *
 * <p>{@link #start}: {@link #close()} stops the node and deletes its folder. The node also dies
 * with this JVM: a shutdown hook stops it, and a small shell guard kills it if the JVM is killed
 * outright. {@link #startDetached}: the node and its folder outlive this JVM ({@code ./nsl
 * devnet}).
 */
public final class LocalNeoNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalNeoNode.class);

  /** Why 500 ms: see config/devnet/protocol.template.yml. */
  public static final Duration DEFAULT_BLOCK_TIME = Duration.ofMillis(500);

  private final Path workDir;
  private final ProcessBuilder processBuilder;
  private final Path logFile;
  private volatile Process process;
  private final int rpcPort;
  private final NeoChain chain;
  private final DevnetWallets wallets;
  private final Thread shutdownHook;
  private final boolean detached;

  private LocalNeoNode(
      Path workDir,
      ProcessBuilder processBuilder,
      Path logFile,
      Process process,
      int rpcPort,
      NeoChain chain,
      DevnetWallets wallets,
      boolean detached) {
    this.workDir = workDir;
    this.processBuilder = processBuilder;
    this.logFile = logFile;
    this.process = process;
    this.rpcPort = rpcPort;
    this.chain = chain;
    this.wallets = wallets;
    this.detached = detached;
    if (detached) {
      this.shutdownHook = null;
    } else {
      this.shutdownHook = new Thread(this::stopAndDeleteQuietly, "neo-go-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /**
   * Starts a node and waits until its RPC answers and it has produced blocks.
   *
   * @param repoRoot the project folder (holds .tools/bin/neo-go and config/devnet)
   * @throws DevnetException with what to do when neo-go is missing, a port is taken, or the node
   *     does not come up
   */
  public static LocalNeoNode start(Path repoRoot, Duration blockTime) {
    Path neoGo = requireNeoGo(repoRoot);
    DevnetWallets wallets = new DevnetWallets(repoRoot.resolve("config/devnet"));
    removeAbandonedWorkDirs();
    Path workDir;
    try {
      workDir = Files.createTempDirectory(WORK_DIR_PREFIX);
      Files.writeString(workDir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
    } catch (IOException e) {
      throw new DevnetException("cannot create a temporary folder for the chain: " + e);
    }
    int rpcPort = freePort();
    Path config = writeConfig(repoRoot, wallets, workDir, blockTime, rpcPort);
    Path logFile = workDir.resolve("neo-go.log");

    // The guard kills neo-go when this JVM disappears, even by SIGKILL, so no node outlives us.
    String guard =
        "\"$0\" \"$@\" & child=$!; trap 'kill $child 2>/dev/null; wait $child' EXIT INT TERM; "
            + "while kill -0 $child 2>/dev/null && kill -0 "
            + ProcessHandle.current().pid()
            + " 2>/dev/null; do sleep 0.5; done";
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash", "-c", guard, neoGo.toString(), "node", "--config-file", config.toString())
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile());
    return launch(pb, workDir, logFile, rpcPort, wallets, false);
  }

  /** In a detached node's folder: the node's process id, written as soon as it starts. */
  public static final String PID_FILE = "neo-go.pid";

  private static final String RPC_PORT_FILE = "rpc.port";
  private static final String CONFIG_FILE = "protocol.yml";

  /**
   * Starts a node that outlives this JVM (for {@code ./nsl devnet}): configuration, chain, log and
   * {@link #PID_FILE} in {@code folder}, which is kept. A folder that already holds a configuration
   * starts the same chain again, on the same ports. The node runs in its own session (setsid), so
   * neither this JVM's end nor a Ctrl-C in its terminal stops it; stop it by its pid. {@link
   * #close()} stops it too, and keeps the folder.
   *
   * @throws DevnetException as {@link #start}; a port taken since the folder was made says so
   */
  public static LocalNeoNode startDetached(Path repoRoot, Path folder, Duration blockTime) {
    Path neoGo = requireNeoGo(repoRoot);
    DevnetWallets wallets = new DevnetWallets(repoRoot.resolve("config/devnet"));
    Path config = folder.resolve(CONFIG_FILE);
    Path portFile = folder.resolve(RPC_PORT_FILE);
    int rpcPort;
    try {
      Files.createDirectories(folder);
      if (Files.exists(config) && Files.exists(portFile)) {
        rpcPort = Integer.parseInt(Files.readString(portFile).trim());
      } else {
        rpcPort = freePort();
        writeConfig(repoRoot, wallets, folder, blockTime, rpcPort);
        Files.writeString(portFile, Integer.toString(rpcPort));
      }
    } catch (IOException | NumberFormatException e) {
      throw new DevnetException("cannot prepare the node folder " + folder + ": " + e.getMessage());
    }
    Path logFile = folder.resolve("neo-go.log");
    List<String> cmd = new java.util.ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");
    }
    cmd.addAll(List.of(neoGo.toString(), "node", "--config-file", config.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return launch(pb, folder, logFile, rpcPort, wallets, true);
  }

  private static LocalNeoNode launch(
      ProcessBuilder pb,
      Path workDir,
      Path logFile,
      int rpcPort,
      DevnetWallets wallets,
      boolean detached) {
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new DevnetException("cannot start neo-go (" + pb.command() + "): " + e.getMessage());
    }
    NeoChain chain = new NeoChain("http://127.0.0.1:" + rpcPort, Duration.ofMillis(100));
    LocalNeoNode node =
        new LocalNeoNode(workDir, pb, logFile, process, rpcPort, chain, wallets, detached);
    try {
      if (detached) {
        Files.writeString(workDir.resolve(PID_FILE), Long.toString(process.pid()));
      }
      node.awaitBlocks(Duration.ofSeconds(60), logFile);
    } catch (IOException e) {
      node.close();
      throw new DevnetException("cannot write " + workDir.resolve(PID_FILE) + ": " + e);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    log.info("neo-go node up at {} (data {})", chain.rpcUrl(), workDir);
    return node;
  }

  private static Path requireNeoGo(Path repoRoot) {
    Path neoGo = repoRoot.resolve(".tools/bin/neo-go");
    if (!Files.isExecutable(neoGo)) {
      throw new DevnetException(
          "neo-go is not installed at "
              + neoGo
              + ". Run scripts/install-neo-go.sh (./nsl does it).");
    }
    return neoGo;
  }

  /** Writes {@code workDir/protocol.yml} from config/devnet/protocol.template.yml. */
  private static Path writeConfig(
      Path repoRoot, DevnetWallets wallets, Path workDir, Duration blockTime, int rpcPort) {
    Account validator = wallets.validator();
    Map<String, String> values =
        Map.of(
            "timePerBlockMs", Long.toString(blockTime.toMillis()),
            "validatorPublicKey", validator.getECKeyPair().getPublicKey().getEncodedCompressedHex(),
            "dataDir", workDir.resolve("chain").toString(),
            "p2pPort", Integer.toString(freePort()),
            "rpcPort", Integer.toString(rpcPort),
            "consensusWallet", wallets.consensusWalletPath().toAbsolutePath().toString(),
            "consensusPassword", DevnetWallets.PASSWORD);
    Path config = workDir.resolve(CONFIG_FILE);
    try {
      String template =
          Files.readString(repoRoot.resolve("config/devnet").resolve("protocol.template.yml"));
      for (var e : values.entrySet()) {
        template = template.replace("${" + e.getKey() + "}", e.getValue());
      }
      Files.writeString(config, template);
    } catch (IOException e) {
      throw new DevnetException("cannot write the node configuration " + config + ": " + e);
    }
    return config;
  }

  private static final String WORK_DIR_PREFIX = "nsl-devnet-";
  private static final String OWNER_FILE = "owner.pid";

  /** Deletes chain folders left by JVMs that were killed outright (their node died with them). */
  private static void removeAbandonedWorkDirs() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> dirs = Files.list(tmp)) {
      dirs.filter(d -> d.getFileName().toString().startsWith(WORK_DIR_PREFIX))
          .filter(d -> !ownerAlive(d))
          .forEach(LocalNeoNode::deleteTree);
    } catch (IOException | UncheckedIOException e) {
      log.warn("could not clean up old devnet folders in {}: {}", tmp, e.getMessage());
    }
  }

  private static boolean ownerAlive(Path dir) {
    try {
      if (!Files.exists(dir.resolve(OWNER_FILE))) {
        // Possibly another JVM between creating the folder and writing its pid: leave young ones.
        return Files.getLastModifiedTime(dir).toMillis() > System.currentTimeMillis() - 60_000;
      }
      long pid = Long.parseLong(Files.readString(dir.resolve(OWNER_FILE)).trim());
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  private void awaitBlocks(Duration timeout, Path logFile) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long first = -1;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new DevnetException(
            "neo-go exited with code "
                + process.exitValue()
                + " while starting. "
                + explain(logFile));
      }
      try {
        long count = chain.blockCount();
        if (first < 0) {
          first = count;
        } else if (count > first) {
          return;
        }
      } catch (ChainException.NodeUnreachable e) {
        // not up yet
      }
      sleep(100);
    }
    throw new DevnetException(
        "neo-go did not produce blocks within " + timeout.toSeconds() + " s. " + explain(logFile));
  }

  private static String explain(Path logFile) {
    String text;
    try {
      text = Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      text = "";
    }
    if (text.contains("address already in use")) {
      return "A port it needs is taken (another node running?). Its log says:\n" + tail(text);
    }
    return "Last lines of its log (" + logFile + "):\n" + tail(text);
  }

  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }

  /**
   * Stops the node but keeps its data, ports and configuration, to simulate a node going away.
   * {@link #restart()} brings the same chain back.
   */
  public void stop() {
    stopProcess();
  }

  /** Starts the node again after {@link #stop()} and waits until it makes blocks. */
  public void restart() {
    if (process.isAlive()) {
      throw new DevnetException("the node is still running; stop() it first");
    }
    processBuilder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    try {
      process = processBuilder.start();
    } catch (IOException e) {
      throw new DevnetException("cannot restart neo-go: " + e.getMessage());
    }
    awaitBlocks(Duration.ofSeconds(60), logFile);
  }

  public NeoChain chain() {
    return chain;
  }

  public String rpcUrl() {
    return chain.rpcUrl();
  }

  public int rpcPort() {
    return rpcPort;
  }

  public DevnetWallets wallets() {
    return wallets;
  }

  /** The validators' 1-of-1 multisig committee account, which holds all genesis NEO and GAS. */
  public Account committee() {
    return Account.createMultiSigAccount(
        List.of(wallets.validator().getECKeyPair().getPublicKey()), 1);
  }

  /**
   * Transfers GAS from the committee account to {@code to}.
   *
   * @param gasFractions amount in GAS fractions (1 GAS = 10^8)
   */
  public void fundGas(Hash160 to, long gasFractions) {
    Account committee = committee();
    Account validator = wallets.validator();
    String what = "fund " + to.toAddress() + " with GAS";
    io.neow3j.transaction.TransactionBuilder transfer;
    try {
      transfer =
          new GasToken(chain.neow3j()).transfer(committee, to, BigInteger.valueOf(gasFractions));
    } catch (IOException e) {
      throw new ChainException.NodeUnreachable(chain.rpcUrl(), e);
    }
    // The committee is a 1-of-1 multisig account: its witness is the validator's signature in a
    // multisig invocation script.
    Transaction tx =
        chain.build(
            transfer.getScript(),
            transfer.getSigners(),
            chain.blockCount() + 100,
            hashData ->
                List.of(
                    Witness.createMultiSigWitness(
                        List.of(Sign.signMessage(hashData, validator.getECKeyPair())),
                        committee.getVerificationScript())),
            what);
    chain.sendAndWait(tx, what, Duration.ofSeconds(30));
  }

  @Override
  public void close() {
    stopProcess();
    if (detached) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run; nothing to remove
    }
    deleteTree(workDir);
  }

  /** The shutdown hook (Ctrl-C, SIGTERM): no node and no chain folder outlive the JVM. */
  private void stopAndDeleteQuietly() {
    stopProcess();
    try {
      deleteTree(workDir);
    } catch (UncheckedIOException e) {
      log.warn("could not delete the devnet folder {}: {}", workDir, e.getMessage());
    }
  }

  private void stopProcess() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new DevnetException("cannot find a free loopback port: " + e.getMessage());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevnetException("interrupted while waiting for neo-go");
    }
  }
}
