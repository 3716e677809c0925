package io.nsl.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neow3j.wallet.Account;
import io.neow3j.wallet.Wallet;
import io.nsl.ProjectRoot;
import io.nsl.chain.NeoChain;
import io.nsl.cluster.ClusterTrust;
import io.nsl.cluster.MeasurementPolicy;
import io.nsl.cluster.SignedPolicy;
import io.nsl.devnet.DevnetWallets;
import io.nsl.enclave.ClusterKeys;
import io.nsl.enclave.Enclave;
import io.nsl.enclave.EnclaveMode;
import io.nsl.enclave.Enclaves;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.service.ClusterOptions;
import io.nsl.service.ClusterWiring;
import io.nsl.service.ServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bouncycastle.util.BigIntegers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nsl cluster ...}: the cluster keys of this instance (docs/cluster.md). {@code init} and
 * {@code status} open the enclave in the service's data folder (inside Occlum in SGX mode); {@code
 * policy sign} is the owner's offline tool.
 *
 * <p>Why one file of about 700 lines: each subcommand is a small nested picocli class (options and
 * printing only; the protocol is in {@code io.nsl.cluster}), and {@code --help} lists them in the
 * order they are declared here. The HTTP client of the service's rotation routes is {@link
 * ClusterAdminClient}.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Cluster keys shared by the attested instances of one gateway: init, status, join, rotate,"
          + " publish, policy sign.",
      "Join a cluster with ./nsl run --join URL; see docs/cluster.md."
    },
    subcommands = {
      ClusterCommand.Init.class,
      ClusterCommand.Status.class,
      ClusterCommand.Join.class,
      ClusterCommand.Rotate.class,
      ClusterCommand.Publish.class,
      ClusterCommand.Policy.class
    })
final class ClusterCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options of the commands that open this instance's enclave. */
  static final class Local {
    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "Service configuration (default: config/nsl.yml).")
    Path config;

    @Option(names = "--json", description = "Print the answer as one JSON object.")
    boolean json;

    ServiceConfig cfg(Path root) {
      return ServiceConfig.load(config != null ? config : root.resolve("config/nsl.yml"));
    }

    static Path dataDir(Path root, ServiceConfig cfg) {
      return root.resolve(cfg.dataDir());
    }

    static Enclave open(Path root, ServiceConfig cfg) {
      return Enclaves.open(cfg.enclaveMode(), cfg.enclaveDir(root), Clock.systemUTC());
    }

    /** {@code --network-magic} when given, else the magic of the node at chain.rpcUrl. */
    static long networkMagic(Long given, ServiceConfig cfg) {
      return given != null
          ? given
          : new NeoChain(cfg.chain().rpcUrl(), Duration.ofSeconds(1)).networkMagic();
    }
  }

  static ObjectNode keysJson(Enclave e, Optional<ClusterKeys> keys) {
    ObjectNode n = Output.JSON.createObjectNode();
    n.put("mode", e.mode().name());
    n.put("instanceId", e.instanceId());
    n.put("measurement", e.measurement());
    n.put("member", keys.isPresent());
    if (keys.isPresent()) {
      n.put("currentEpoch", keys.get().currentEpoch());
      ArrayNode a = n.putArray("epochs");
      for (ClusterKeys.EpochKey k : keys.get().epochs()) {
        a.addObject().put("epoch", k.epoch()).put("secretsPublicKey", k.secretsPublicKeyHex());
      }
    }
    return n;
  }

  static String keysText(Enclave e, Optional<ClusterKeys> keys) {
    StringBuilder sb = new StringBuilder();
    sb.append("instance      ").append(e.instanceId()).append(" (").append(e.mode()).append(")\n");
    sb.append("measurement   ").append(e.measurement()).append('\n');
    if (keys.isEmpty()) {
      sb.append(
          "cluster keys  none: run ./nsl cluster init (first instance) or ./nsl run --join URL");
    } else {
      sb.append("current epoch ").append(keys.get().currentEpoch());
      for (ClusterKeys.EpochKey k : keys.get().epochs()) {
        sb.append("\nepoch ")
            .append(k.epoch())
            .append("       secrets key ")
            .append(k.secretsPublicKeyHex());
      }
    }
    return sb.toString();
  }

  /** {@code cluster init}. */
  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = {
        "Make this instance the first holder of the cluster keys: epoch 0 is its current secrets"
            + " key and storage root secret, so every secret and all state stay readable.",
        "Idempotent: an instance that already holds cluster keys prints them unchanged."
      })
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin Local local = new Local();

    @Override
    public Integer call() {
      Path root = ProjectRoot.find();
      ServiceConfig cfg = local.cfg(root);
      try (Enclave e = Local.open(root, cfg)) {
        boolean before = e.clusterKeys().isPresent();
        ClusterKeys k = e.initCluster();
        ObjectNode n = keysJson(e, Optional.of(k));
        n.put("created", !before);
        new Output(spec, local.json)
            .result(
                n,
                (before
                        ? "already a cluster member\n"
                        : "cluster initialised: epoch 0 of this instance's keys\n")
                    + keysText(e, Optional.of(k)));
      }
      return 0;
    }
  }

  /** {@code cluster status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Epoch(s) and secrets public key per epoch, this instance's measurement, the"
            + " owner-signed measurement policy (whether it verifies with the pinned owner key,"
            + " NSL_CLUSTER_OWNER_KEY), and the instances the gateway knows (registered signing"
            + " keys, when the node at chain.rpcUrl answers)."
      })
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin Local local = new Local();

    @Option(
        names = "--cluster-policy",
        paramLabel = "FILE",
        description = "The policy file (default: <dataDir>/cluster-policy.json).")
    Path policyFile;

    @Option(
        names = "--network-magic",
        paramLabel = "N",
        description = "The network magic (default: asked of the node at chain.rpcUrl).")
    Long networkMagic;

    @Override
    public Integer call() {
      Path root = ProjectRoot.find();
      ServiceConfig cfg = local.cfg(root);
      Path dataDir = Local.dataDir(root, cfg);
      try (Enclave e = Local.open(root, cfg)) {
        Optional<ClusterKeys> keys = e.clusterKeys();
        ObjectNode n = keysJson(e, keys);
        ObjectNode p = n.putObject("policy");
        Path file = policyFile != null ? policyFile : ClusterWiring.defaultPolicyFile(dataDir);
        p.put("file", file.toString());
        String policyText;
        String owner = System.getenv(ClusterOptions.OWNER_KEY_ENV);
        if (owner == null || owner.isBlank()) {
          p.put("verified", false);
          p.put("detail", ClusterOptions.OWNER_KEY_ENV + " is not set: no owner key is pinned");
        } else {
          long magic = Local.networkMagic(networkMagic, cfg);
          ClusterOptions o =
              new ClusterOptions(
                  Optional.empty(),
                  Optional.empty(),
                  "127.0.0.1",
                  Optional.of(file),
                  Optional.empty(),
                  Optional.of(owner));
          ClusterTrust.PolicyStatus st =
              ClusterWiring.trust(
                      GatewayIdentity.ofBigEndianHex(magic, cfg.chain().gatewayHash()), dataDir, o)
                  .status();
          p.put("verified", st.verified());
          p.put("sequence", st.sequence());
          p.put("detail", st.detail());
        }
        policyText =
            "policy        "
                + (p.path("verified").asBoolean()
                    ? "verified, sequence " + p.path("sequence").asLong()
                    : "NOT verified")
                + ": "
                + p.path("detail").asText();
        ObjectNode inst = n.putObject("instances");
        String instText;
        try {
          List<byte[]> registered =
              new io.nsl.chain.GatewayClient(
                      new NeoChain(cfg.chain().rpcUrl(), Duration.ofSeconds(1)),
                      new io.nsl.chain.NeoRpcClient(cfg.chain().rpcUrl()),
                      new io.neow3j.types.Hash160(
                          cfg.chain().gatewayHash().replaceFirst("^0x", "")))
                  .activeEnclaves();
          ArrayNode a = inst.putArray("registeredSigningKeys");
          registered.forEach(k -> a.add(java.util.HexFormat.of().formatHex(k)));
          inst.put(
              "thisInstanceRegistered",
              registered.stream().anyMatch(k -> java.util.Arrays.equals(k, e.signingPublicKey())));
          instText =
              registered.size()
                  + " signing key(s) registered on the gateway"
                  + (inst.path("thisInstanceRegistered").asBoolean()
                      ? ", this instance's among them"
                      : ", not this instance's");
        } catch (RuntimeException ex) {
          inst.put("detail", "the gateway was not asked: " + ex.getMessage());
          instText = "the gateway was not asked: " + ex.getMessage();
        }
        String rotText;
        Optional<ClusterAdminClient> admin = ClusterAdminClient.of(dataDir);
        if (admin.isEmpty()) {
          n.putObject("rotation").put("detail", "the service does not serve a cluster port");
          rotText = "rotation      unknown: the service does not serve a cluster port";
        } else {
          try {
            com.fasterxml.jackson.databind.JsonNode r =
                admin.get().call("GET", "/cluster/v1/rotation", null);
            n.set("rotation", r);
            rotText = ClusterAdminClient.rotationText(r);
          } catch (ApiCallException ex) {
            n.putObject("rotation").put("detail", ex.getMessage());
            rotText = "rotation      unknown: " + ex.getMessage();
          }
        }
        new Output(spec, local.json)
            .result(
                n,
                keysText(e, keys)
                    + "\n"
                    + policyText
                    + "\ninstances     "
                    + instText
                    + "\n"
                    + rotText);
      }
      return 0;
    }
  }

  /** {@code cluster join}: the upgrade step on one machine. */
  @Command(
      name = "join",
      mixinStandardHelpOptions = true,
      description = {
        "Join the cluster through the running instance at URL into a new enclave folder, then exit"
            + " (the upgrade step on one machine: the old build keeps serving until it is stopped,"
            + " see docs/cluster.md). On another machine use ./nsl run --join URL.",
        "Run against a member's own (stopped) enclave folder, it takes the epochs a rotation made"
            + " since it joined.",
      })
  static final class Join implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin Local local = new Local();

    @picocli.CommandLine.Parameters(
        paramLabel = "URL",
        description = "The provider's join endpoint.")
    String url;

    @Option(
        names = "--enclave-dir",
        required = true,
        paramLabel = "DIR",
        description = "The new build's enclave folder (e.g. <dataDir>/enclave.next).")
    Path enclaveDir;

    @Option(
        names = "--cluster-policy",
        paramLabel = "FILE",
        description = "Owner-signed measurement policy (default: <dataDir>/cluster-policy.json).")
    Path policyFile;

    @Option(
        names = "--owner-key",
        paramLabel = "HEX",
        description =
            "The owner's public key, SIMULATED mode only (default: $NSL_CLUSTER_OWNER_KEY; in SGX"
                + " the key comes only from the measured configuration).")
    String ownerKey;

    @Option(
        names = "--network-magic",
        paramLabel = "N",
        description = "The network magic (default: asked of the node at chain.rpcUrl).")
    Long networkMagic;

    @Override
    public Integer call() {
      Path root = ProjectRoot.find();
      ServiceConfig cfg = local.cfg(root);
      EnclaveMode mode = cfg.enclaveMode();
      if (ownerKey != null && mode == EnclaveMode.SGX) {
        throw new CliInputException(
            "--owner-key is refused in SGX mode: the owner key must come from the measured"
                + " configuration (NSL_CLUSTER_OWNER_KEY in occlum/Occlum.json env.default)");
      }
      String owner = ownerKey != null ? ownerKey : System.getenv(ClusterOptions.OWNER_KEY_ENV);
      long magic = Local.networkMagic(networkMagic, cfg);
      ClusterOptions o =
          new ClusterOptions(
              Optional.of(url),
              Optional.empty(),
              "127.0.0.1",
              Optional.ofNullable(policyFile),
              Optional.empty(),
              Optional.ofNullable(owner));
      try (Enclave e = Enclaves.open(mode, enclaveDir, Clock.systemUTC())) {
        ClusterWiring.joinNow(
            e,
            GatewayIdentity.ofBigEndianHex(magic, cfg.chain().gatewayHash()),
            Local.dataDir(root, cfg),
            o,
            Clock.systemUTC());
        Optional<ClusterKeys> k = e.clusterKeys();
        ObjectNode n = keysJson(e, k);
        n.put("signingPublicKey", java.util.HexFormat.of().formatHex(e.signingPublicKey()));
        new Output(spec, local.json)
            .result(
                n,
                "joined\n"
                    + keysText(e, k)
                    + "\nsigning key   "
                    + n.path("signingPublicKey").asText()
                    + " (register it on the gateway before this build serves)");
      }
      return 0;
    }
  }

  /** {@code cluster rotate}: a new epoch, or retiring an old one, in the running service. */
  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = {
        "Make cluster epoch n+1 (new secrets key pair and storage root secret) in the running"
            + " service, which then moves every stored secret and all function state to it in the"
            + " background (./nsl cluster status shows the progress; a crash resumes it).",
        "With --retire N: drop epoch N, refused while anything is still stored under it.",
        "Needs ./nsl run --cluster-port PORT; see docs/cluster.md, Rotation."
      })
  static final class Rotate implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin Local local = new Local();

    @Option(
        names = "--retire",
        paramLabel = "N",
        description = "Retire epoch N instead of rotating (after the move is DONE).")
    Integer retire;

    @Option(
        names = "--wait",
        description = "After rotating, wait until the move is DONE (or FAILED), then print.")
    boolean await;

    @Override
    public Integer call() {
      Path root = ProjectRoot.find();
      ServiceConfig cfg = local.cfg(root);
      if (retire != null && retire < 0) {
        throw new CliInputException("--retire must be an epoch >= 0, got " + retire);
      }
      ClusterAdminClient admin = ClusterAdminClient.require(Local.dataDir(root, cfg));
      com.fasterxml.jackson.databind.JsonNode r =
          retire != null
              ? admin.call("POST", "/cluster/v1/retire", "{\"epoch\":" + retire + "}")
              : admin.call("POST", "/cluster/v1/rotate", null);
      while (await && retire == null && "MOVING".equals(r.path("stage").asText())) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        r = admin.call("GET", "/cluster/v1/rotation", null);
      }
      String next;
      if (retire != null) {
        next = "epoch " + retire + " retired; envelopes made for its key are refused from now on";
      } else {
        next =
            "next: publish the new key on the gateway:\n  ./nsl cluster publish --epoch "
                + r.path("currentEpoch").asInt()
                + " --secrets-key "
                + r.path("currentSecretsPublicKey").asText()
                + " --wallet owner.json\nthen, when ./nsl cluster status shows DONE and clients"
                + " encrypt to the new key: ./nsl cluster rotate --retire <old epoch>";
      }
      ObjectNode n = ((ObjectNode) r).deepCopy();
      n.put("next", next);
      new Output(spec, local.json).result(n, ClusterAdminClient.rotationText(r) + "\n" + next);
      return 0;
    }
  }

  /** {@code cluster publish}: the owner records the current epoch's key on the gateway. */
  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description = {
        "Record the cluster's current epoch and its secrets public key on the gateway"
            + " (setClusterKey, owner only; --wallet is the owner's). Clients then encrypt"
            + " secrets only to an attested instance that holds this key.",
        "Take the epoch and key from ./nsl cluster status of an instance."
      })
  static final class Publish implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin ClientOptions opts;

    @Option(names = "--epoch", required = true, paramLabel = "N")
    long epoch;

    @Option(
        names = "--secrets-key",
        required = true,
        paramLabel = "HEX",
        description = "33 bytes, hex.")
    String secretsKey;

    @Override
    public Integer call() {
      byte[] key;
      try {
        key = java.util.HexFormat.of().parseHex(secretsKey.replaceFirst("^0x", ""));
      } catch (IllegalArgumentException e) {
        throw new CliInputException("--secrets-key must be hex, got '" + secretsKey + "'");
      }
      if (key.length != 33 || (key[0] != 2 && key[0] != 3)) {
        throw new CliInputException(
            "--secrets-key must be a 33-byte compressed public key (66 hex digits), got '"
                + secretsKey
                + "'");
      }
      String gw = opts.gatewayOrNull();
      if (gw == null) {
        throw new CliInputException("--gateway (or NSL_GATEWAY_HASH) is required");
      }
      io.nsl.chain.GatewayClient client =
          new io.nsl.chain.GatewayClient(
              new NeoChain(opts.rpcUrl(), Duration.ofSeconds(1)),
              new io.nsl.chain.NeoRpcClient(opts.rpcUrl()),
              new io.neow3j.types.Hash160(gw.replaceFirst("^0x", "")));
      var log = client.setClusterKey(epoch, key, opts.account());
      ObjectNode n = Output.JSON.createObjectNode();
      n.put("epoch", epoch);
      n.put("secretsPublicKey", java.util.HexFormat.of().formatHex(key));
      n.put("tx", log.getTransactionId().toString());
      new Output(spec, opts.json)
          .result(
              n,
              "gateway "
                  + gw
                  + " now names epoch "
                  + epoch
                  + " key "
                  + n.path("secretsPublicKey").asText());
      return 0;
    }
  }

  /** {@code cluster policy ...}. */
  @Command(
      name = "policy",
      mixinStandardHelpOptions = true,
      description = "The owner-signed measurement policy.",
      subcommands = {ClusterCommand.Sign.class})
  static final class Policy implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  /** {@code cluster policy sign}: the owner's offline tool. */
  @Command(
      name = "sign",
      mixinStandardHelpOptions = true,
      description = {
        "Sign a measurement policy with the gateway owner's wallet key and write it to --out.",
        "Give every instance the file (--cluster-policy, or <dataDir>/cluster-policy.json); each"
            + " checks it with the owner key pinned in its measured configuration."
      })
  static final class Sign implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--wallet",
        required = true,
        paramLabel = "FILE",
        description = "Owner NEP-6 wallet.")
    Path wallet;

    @Option(
        names = "--password-env",
        paramLabel = "VAR",
        defaultValue = "NSL_OWNER_PASSWORD",
        description = "Environment variable with the wallet password (devnet wallets need none).")
    String passwordEnv;

    @Option(names = "--network-magic", required = true, paramLabel = "N")
    long networkMagic;

    @Option(
        names = "--gateway",
        required = true,
        paramLabel = "HASH",
        description = "Gateway script hash: 0x + 40 hex (big-endian) or 40 hex (little-endian).")
    String gateway;

    @Option(
        names = "--sequence",
        required = true,
        paramLabel = "N",
        description = "Higher than the last.")
    long sequence;

    @Option(names = "--allow-simulated", description = "Allow SIMULATED instances (devnets only).")
    boolean allowSimulated;

    @Option(
        names = "--mrenclave",
        paramLabel = "HEX",
        description = "An allowed measurement (repeat).")
    List<String> mrEnclaves = new ArrayList<>();

    @Option(
        names = "--signer",
        paramLabel = "MRSIGNER:PRODID:MINSVN",
        description = "Allow every build of this signer and product at or above MINSVN (repeat).")
    List<String> signers = new ArrayList<>();

    @Option(names = "--revoke", paramLabel = "HEX", description = "A revoked measurement (repeat).")
    List<String> revoked = new ArrayList<>();

    @Option(
        names = "--from-chain",
        description =
            "Also allow every rule of the gateway's on-chain allowlist (measurements), read from"
                + " the node at --rpc: the owner signs what the chain says.")
    boolean fromChain;

    @Option(
        names = "--rpc",
        paramLabel = "URL",
        defaultValue = ClientOptions.DEFAULT_RPC,
        description = "Neo node for --from-chain (default: ${DEFAULT-VALUE}).")
    String rpc;

    @Option(names = "--out", required = true, paramLabel = "FILE")
    Path out;

    @Option(names = "--json", description = "Print the answer as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      HashArgument gw = HashArgument.parse("--gateway", gateway, HashArgument.Kind.CONTRACT);
      spec.commandLine().getErr().println("… " + gw.note());
      gateway = gw.bigEndian0x();
      List<MeasurementPolicy.SignerRule> rules = new ArrayList<>();
      MeasurementPolicy policy;
      if (fromChain) {
        for (io.nsl.chain.GatewayClient.MeasurementRule r :
            new io.nsl.chain.GatewayClient(
                    new NeoChain(rpc, Duration.ofSeconds(1)),
                    new io.nsl.chain.NeoRpcClient(rpc),
                    new io.neow3j.types.Hash160(gateway.replaceFirst("^0x", "")))
                .measurements()) {
          String v = java.util.HexFormat.of().formatHex(r.value());
          if (r.kind() == 1) {
            mrEnclaves.add(v);
          } else {
            signers.add(v + ":" + r.isvProdId() + ":" + r.minIsvSvn());
          }
        }
      }
      try {
        for (String s : signers) {
          String[] p = s.split(":");
          if (p.length != 3) {
            throw new IllegalArgumentException(
                "--signer must be MRSIGNER:PRODID:MINSVN, got '" + s + "'");
          }
          rules.add(
              new MeasurementPolicy.SignerRule(
                  p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2])));
        }
        policy =
            new MeasurementPolicy(
                GatewayIdentity.ofBigEndianHex(networkMagic, gateway),
                sequence,
                allowSimulated,
                new LinkedHashSet<>(mrEnclaves),
                rules,
                new LinkedHashSet<>(revoked));
      } catch (IllegalArgumentException e) {
        throw new CliInputException(e.getMessage());
      }
      byte[] key = ownerPrivateKey();
      SignedPolicy signed;
      try {
        signed = SignedPolicy.sign(policy, key);
      } finally {
        java.util.Arrays.fill(key, (byte) 0);
      }
      try {
        Files.write(out, signed.toJson());
      } catch (IOException e) {
        throw new CliInputException("cannot write " + out + ": " + e.getMessage());
      }
      ObjectNode n = Output.JSON.createObjectNode();
      n.put("out", out.toString());
      n.put("sequence", sequence);
      n.put("ownerPublicKey", java.util.HexFormat.of().formatHex(signed.ownerPublicKey()));
      new Output(spec, json)
          .result(
              n,
              "signed policy (sequence "
                  + sequence
                  + ") written to "
                  + out
                  + "; owner key "
                  + n.path("ownerPublicKey").asText());
      return 0;
    }

    private byte[] ownerPrivateKey() {
      String password = System.getenv(passwordEnv);
      if (password == null) {
        password = DevnetWallets.PASSWORD;
      }
      try {
        Wallet w = Wallet.fromNEP6Wallet(wallet.toFile());
        w.decryptAllAccounts(password);
        Account a = w.getAccounts().get(0);
        return BigIntegers.asUnsignedByteArray(32, a.getECKeyPair().getPrivateKey().getInt());
      } catch (IOException e) {
        throw new CliInputException("cannot read the wallet " + wallet + ": " + e.getMessage());
      } catch (Exception e) {
        throw new CliInputException(
            "cannot unlock the wallet " + wallet + " (password in " + passwordEnv + "?)");
      }
    }
  }
}
