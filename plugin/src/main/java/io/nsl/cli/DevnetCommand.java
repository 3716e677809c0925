package io.nsl.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neow3j.wallet.Account;
import io.nsl.NslException;
import io.nsl.ProjectRoot;
import io.nsl.cluster.MeasurementPolicy;
import io.nsl.cluster.SignedPolicy;
import io.nsl.devnet.Devnet;
import io.nsl.devnet.DevnetException;
import io.nsl.devnet.DevnetHome;
import io.nsl.devnet.DevnetInfo;
import io.nsl.enclave.GatewayIdentity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bouncycastle.util.BigIntegers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nsl devnet up|status|down}: a local chain with the gateway, the example consumer and the
 * service (simulation mode) that stays up after the command returns. LOCAL DEVELOPMENT ONLY.
 */
@Command(
    name = "devnet",
    mixinStandardHelpOptions = true,
    description = {
      "A local Neo chain that stays up: a single-validator neo-go node, the gateway and the example"
          + " consumer deployed, the NSL service in SIMULATION mode with its key registered, and"
          + " the example functions of examples/functions registered. LOCAL DEVELOPMENT ONLY:"
          + " its wallets' keys are published."
    },
    subcommands = {DevnetCommand.Up.class, DevnetCommand.Status.class, DevnetCommand.Down.class})
final class DevnetCommand implements Runnable {
  /** The secret API_KEY that examples/functions/double.js reads, set for the developer. */
  static final String DEVNET_API_KEY = "devnet-api-key-not-secret";

  /**
   * A variable that is normally unset, so the devnet wallets fall back to their published password
   * even when NSL_WALLET_PASSWORD holds the password of the user's own wallet.
   */
  private static final String NO_PASSWORD_ENV = "NSL_DEVNET_WALLET_PASSWORD_UNSET";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Folder {
    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "The devnet's folder (default: .run/devnet in the project folder).")
    Path dir;

    DevnetHome home(Path root) {
      return new DevnetHome(dir != null ? dir : root.resolve(".run/devnet"));
    }
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = {
        "Start the devnet in DIR and print where everything is: rpcUrl, networkMagic, gateway and"
            + " consumer (0x + big-endian hash), apiUrl, validatorPublicKey, functions (file →"
            + " function id), the wallets (path, address, WIF) and their password, dir.",
        "On a running devnet it starts nothing and prints the same. After 'down' it starts the same"
            + " chain again; after an 'up' that was killed it stops what that one left and starts"
            + " afresh."
      })
  static final class Up implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Folder folder;

    @Option(
        names = "--workers",
        paramLabel = "N",
        description =
            "Service processes (workers), 1.."
                + Devnet.MAX_WORKERS
                + " (default 1); more than 1 needs --store postgresql.")
    Integer workers;

    @Option(
        names = "--store",
        paramLabel = "ENGINE",
        description =
            "rocksdb (default: the service's embedded store) or postgresql (a local PostgreSQL"
                + " server in DIR/postgres, from this machine's PostgreSQL programs, shared by the"
                + " workers).")
    String store;

    @Option(names = "--json", description = "Print the answer as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      Optional<Devnet.Shape> asked;
      try {
        asked =
            workers == null && store == null
                ? Optional.empty()
                : Optional.of(
                    new Devnet.Shape(
                        workers == null ? 1 : workers, store == null ? DevnetInfo.ROCKSDB : store));
      } catch (IllegalArgumentException e) {
        throw new CliInputException(e.getMessage());
      }
      Output out = new Output(spec, json);
      Path root = ProjectRoot.find();
      DevnetHome home = folder.home(root);
      Devnet.Up up =
          new Devnet(root, home, out::progress)
              .up(asked, info -> provision(root, info, out), DevnetCommand::signPolicy);
      out.progress(
          up.started().isEmpty()
              ? "the devnet in " + home.dir() + " is already running; started nothing"
              : "started: " + String.join(", ", up.started()));
      out.result(json(up.info()), text(up.info()));
      return 0;
    }
  }

  /**
   * The owner's policy for a devnet's workers: SIMULATED allowed, the devnet measurement only,
   * sequence 1. The owner is the devnet validator, whose key is published.
   */
  static byte[] signPolicy(long networkMagic, String gateway, String measurement, Account owner) {
    MeasurementPolicy policy =
        new MeasurementPolicy(
            GatewayIdentity.ofBigEndianHex(networkMagic, gateway),
            1,
            true,
            Set.of(measurement),
            List.of(),
            Set.of());
    byte[] key = BigIntegers.asUnsignedByteArray(32, owner.getECKeyPair().getPrivateKey().getInt());
    try {
      return SignedPolicy.sign(policy, key).toJson();
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show the devnet in DIR: what 'up' printed, and whether its node and service run.",
        "Exit code: 0 running, 1 stopped, partly running, or no devnet in DIR."
      })
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Folder folder;

    @Option(names = "--json", description = "Print the answer as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      Output out = new Output(spec, json);
      Path root = ProjectRoot.find();
      Devnet.Status s = new Devnet(root, folder.home(root), out::progress).status();
      ObjectNode n = json(s.info());
      n.put("running", s.running());
      ObjectNode node = n.putObject("node");
      node.put("running", s.nodeRunning());
      node.put("blockCount", s.blockCount());
      ObjectNode service = n.putObject("service");
      service.put("running", s.serviceRunning());
      service.put("ready", s.ready());
      ArrayNode workers = n.putArray("workers");
      for (Devnet.WorkerStatus w : s.workers()) {
        workers
            .addObject()
            .put("id", w.id())
            .put("apiUrl", w.apiUrl())
            .put("pid", w.pid())
            .put("running", w.running())
            .put("ready", w.ready());
      }
      if (s.info().storeUrl() != null) {
        n.putObject("postgresql")
            .put("running", s.storeRunning())
            .put("pid", s.postgresPid())
            .put("storeUrl", s.info().storeUrl());
      }
      String head =
          s.running()
              ? "devnet running: node at block " + s.blockCount() + ", service " + ready(s)
              : "devnet NOT running (node "
                  + (s.nodeRunning() ? "running" : "stopped")
                  + ", service "
                  + (s.serviceRunning() ? "running" : "stopped")
                  + (s.info().storeUrl() == null
                      ? ""
                      : ", PostgreSQL " + (s.storeRunning() ? "running" : "stopped"))
                  + "); './nsl devnet up' starts it again";
      StringBuilder rows = new StringBuilder();
      if (s.workers().size() > 1 || s.info().storeUrl() != null) {
        for (Devnet.WorkerStatus w : s.workers()) {
          rows.append(
              String.format(
                  "%-20s%s  %s%n",
                  "worker " + w.id(),
                  w.apiUrl(),
                  !w.running()
                      ? "stopped"
                      : "pid " + w.pid() + (w.ready() ? ", ready" : ", NOT ready")));
        }
        rows.append(
            String.format(
                "%-20s%s%n",
                "postgresql", s.storeRunning() ? "pid " + s.postgresPid() : "stopped"));
      }
      out.result(n, head + "\n" + rows + text(s.info()));
      return s.running() ? 0 : 1;
    }

    private static String ready(Devnet.Status s) {
      return s.ready() ? "ready" : "running, not ready (see GET " + s.info().apiUrl() + "/ready)";
    }
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = {
        "Stop the devnet in DIR (the service, then the node); its chain and data stay for the next"
            + " 'up' unless --purge.",
      })
  static final class Down implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Folder folder;

    @Option(names = "--purge", description = "Delete the devnet's folder too: chain, data, logs.")
    boolean purge;

    @Option(names = "--json", description = "Print the answer as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      Output out = new Output(spec, json);
      Path root = ProjectRoot.find();
      DevnetHome home = folder.home(root);
      List<Long> stopped = new Devnet(root, home, out::progress).down(purge);
      ObjectNode n = Output.JSON.createObjectNode();
      ArrayNode pids = n.putArray("stopped");
      stopped.forEach(pids::add);
      n.put("purged", purge);
      n.put("dir", home.dir().toString());
      out.result(
          n,
          (stopped.isEmpty()
                  ? "no devnet process was running in " + home.dir()
                  : "stopped processes " + stopped + " of the devnet in " + home.dir())
              + (purge ? "; deleted the folder" : ""));
      return 0;
    }
  }

  /**
   * Registers every examples/functions/*.js (id: the file name without .js) and sets the API_KEY
   * secret they read, with the same commands a developer runs ({@code function register}, {@code
   * secret set}), from the developer wallet.
   */
  static Map<String, String> provision(Path root, DevnetInfo info, Output out) {
    String[] client = {
      "--api", info.apiUrl(),
      "--rpc", info.rpcUrl(),
      "--gateway", info.gateway(),
      "--wallet", info.wallets().get("developer").path(),
      "--wallet-password-env", NO_PASSWORD_ENV,
      "--json"
    };
    List<Path> files;
    try (Stream<Path> s = Files.list(root.resolve("examples/functions"))) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".js")).sorted().toList();
    } catch (IOException e) {
      throw new DevnetException("cannot list examples/functions: " + e.getMessage());
    }
    Map<String, String> functions = new TreeMap<>();
    for (Path f : files) {
      String file = f.getFileName().toString();
      String id = file.substring(0, file.length() - ".js".length());
      out.progress("function register " + file + " --id " + id);
      runClient(
          new FunctionRegisterCommand(),
          "function register",
          List.of(f.toString(), "--id", id),
          client);
      functions.put(file, id);
    }
    out.progress("secret set API_KEY (the developer's, read by the examples)");
    SecretCommand.Set set = new SecretCommand.Set();
    set.stdin = new ByteArrayInputStream(DEVNET_API_KEY.getBytes(StandardCharsets.UTF_8));
    runClient(set, "secret set", List.of("API_KEY", "--allow-simulated"), client);
    return functions;
  }

  /** Runs a client command as the CLI would; its failure becomes this command's. */
  private static void runClient(Object command, String name, List<String> head, String[] client) {
    List<String> args = new ArrayList<>(head);
    args.addAll(List.of(client));
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(stdout));
    cl.setErr(new PrintWriter(stderr));
    NslException[] failed = new NslException[1];
    cl.setExecutionExceptionHandler(
        (ex, c, pr) -> {
          if (ex instanceof NslException nsl) {
            failed[0] = nsl;
            return 1;
          }
          throw ex;
        });
    int exit = cl.execute(args.toArray(String[]::new));
    if (failed[0] != null) {
      throw failed[0];
    }
    if (exit != 0) {
      throw new DevnetException(
          "'" + name + "' failed (exit " + exit + "): " + stdout + stderr.toString().strip());
    }
  }

  static ObjectNode json(DevnetInfo info) {
    ObjectNode o = Output.JSON.valueToTree(info);
    consoleUrl(info).ifPresent(u -> o.put("consoleUrl", u));
    return o;
  }

  /**
   * The web console, signed in as the devnet developer. The WIF rides in the URL's fragment, which
   * the browser never sends to a server; it is the published devnet key (public anyway).
   */
  static java.util.Optional<String> consoleUrl(DevnetInfo info) {
    DevnetInfo.Wallet dev = info.wallets().get("developer");
    if (dev == null || info.apiUrl() == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(info.apiUrl() + "/console/#/signin?wif=" + dev.wif());
  }

  static String text(DevnetInfo info) {
    StringBuilder t = new StringBuilder();
    row(t, "dir", info.dir());
    row(t, "rpcUrl", info.rpcUrl());
    row(t, "networkMagic", Long.toString(info.networkMagic()));
    row(t, "gateway", info.gateway());
    row(t, "consumer", info.consumer() + "  (the example consumer; owner: the developer wallet)");
    row(t, "apiUrl", info.apiUrl());
    if (info.storeUrl() != null) {
      row(t, "store", info.storeUrl() + "  (PostgreSQL in " + info.dir() + "/postgres)");
      for (DevnetInfo.Worker w : info.workers()) {
        row(t, "workers", w.id() + "  " + w.apiUrl());
      }
    }
    consoleUrl(info).ifPresent(u -> row(t, "console", u + "  (open in a browser)"));
    row(t, "validatorPublicKey", info.validatorPublicKey());
    info.functions()
        .forEach((file, id) -> row(t, "functions", "examples/functions/" + file + " → " + id));
    t.append("wallets (password '")
        .append(info.password())
        .append("'; LOCAL DEVELOPMENT ONLY, these keys are public)\n");
    info.wallets()
        .forEach(
            (role, w) ->
                t.append(
                    String.format(
                        "  %-10s %s  WIF %s%n             %s%n",
                        role, w.address(), w.wif(), w.path())));
    t.append("for the other commands:\n  export NSL_RPC_URL=")
        .append(info.rpcUrl())
        .append(" NSL_API_URL=")
        .append(info.apiUrl())
        .append(" NSL_GATEWAY_HASH=")
        .append(info.gateway());
    return t.toString();
  }

  private static void row(StringBuilder t, String name, String value) {
    t.append(String.format("%-20s%s%n", name, value));
  }
}
