package io.nsl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neow3j.crypto.Sign;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.NameRules;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoRpcClient;
import io.nsl.secrets.OwnerSigner;
import io.nsl.secrets.SecretEnvelopeBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./nsl secret set|list|delete}. */
@Command(
    name = "secret",
    mixinStandardHelpOptions = true,
    description = "Keep secrets (API keys) for your functions, encrypted to the attested enclave.",
    subcommands = {SecretCommand.Set.class, SecretCommand.List.class, SecretCommand.Delete.class})
final class SecretCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static OwnerSigner signer(Account account) {
    var kp = account.getECKeyPair();
    return new OwnerSigner() {
      @Override
      public byte[] publicKey() {
        return kp.getPublicKey().getEncoded(true);
      }

      @Override
      public byte[] sign(byte[] message) {
        return Sign.signMessage(message, kp).getConcatenated();
      }
    };
  }

  static ObjectNode receipt(JsonNode r) {
    ObjectNode n = Output.JSON.createObjectNode();
    n.put("owner", r.path("owner").asText());
    n.put("name", r.path("name").asText());
    n.put("op", r.path("op").asText());
    n.put("sequence", r.path("sequence").asLong());
    return n;
  }

  /** Fetches and checks the attestation; the secrets key to encrypt to. */
  static AttestationCheck.Checked attested(
      ApiClient api, ClientOptions opts, boolean allowSimulated, Output out, Clock clock) {
    out.progress("fetching the enclave's attestation from " + api.baseUrl());
    JsonNode doc = api.getPublic("/v1/enclave");
    AttestationCheck.Checked c =
        AttestationCheck.check(doc, allowSimulated, opts.gatewayOrNull(), clock.instant());
    out.progress("attestation: " + c.detail());
    return c;
  }

  /**
   * Refuses unless the attested signing key is active on the gateway the attestation names (the one
   * --gateway gave, if given: {@link AttestationCheck#check} compared them). Asks the node at --rpc
   * with a read-only invocation.
   */
  /** Refuses a name the service would refuse, before anything is encrypted or sent. */
  static void requireSecretName(String name) {
    NameRules.secretNameProblem(name)
        .ifPresent(
            problem -> {
              throw new CliInputException(problem);
            });
  }

  static void registered(AttestationCheck.Checked c, ClientOptions opts, Output out) {
    out.progress(
        "checking at "
            + opts.rpcUrl()
            + " that gateway "
            + c.gateway()
            + " accepts this enclave's key");
    GatewayClient gw =
        new GatewayClient(
            new NeoChain(opts.rpcUrl(), Duration.ofSeconds(1)),
            new NeoRpcClient(opts.rpcUrl()),
            new Hash160(c.gateway().replaceFirst("^0x", "")));
    AttestationCheck.requireActive(c, gw.activeEnclaves());
    ClusterKeyCheck.requireNamedKey(c.secretsPublicKey(), gw, out);
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = {
        "Set secret NAME to the value read from standard input (one trailing newline is dropped)."
            + " The value is encrypted on this machine to the enclave's attested secrets key and"
            + " signed with your wallet; the operator never sees it. Refused unless the gateway"
            + " (--gateway, else the one the attestation names) lists the enclave's signing key as"
            + " active, asked read-only through the node at --rpc.",
        "Example: printf %%s \"$OPENAI_KEY\" | ./nsl secret set OPENAI_API_KEY"
      })
  static final class Set implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Parameters(
        index = "0",
        paramLabel = "NAME",
        description = "Secret name: 1..64 of [A-Za-z0-9_.-].")
    String name;

    @Option(
        names = "--allow-simulated",
        description =
            "Accept a SIMULATED attestation (local devnet only: the operator can read the value).")
    boolean allowSimulated;

    InputStream stdin = System.in;
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException {
      Output out = new Output(spec, opts.json);
      requireSecretName(name);
      Account account = opts.account();
      ApiClient api = opts.client(account);
      AttestationCheck.Checked att = attested(api, opts, allowSimulated, out, clock);
      registered(att, opts, out);
      byte[] value = stdin.readAllBytes();
      int len = value.length;
      if (len > 0 && value[len - 1] == '\n') {
        len--;
        if (len > 0 && value[len - 1] == '\r') {
          len--;
        }
      }
      byte[] trimmed = Arrays.copyOf(value, len);
      Arrays.fill(value, (byte) 0);
      byte[] envelope;
      try {
        envelope =
            SecretEnvelopeBuilder.put(
                att.secretsPublicKey(),
                name,
                trimmed,
                clock.millis(),
                signer(account),
                new SecureRandom());
      } finally {
        Arrays.fill(trimmed, (byte) 0);
      }
      ObjectNode body = Output.JSON.createObjectNode();
      body.put("envelope", Base64.getEncoder().encodeToString(envelope));
      JsonNode r = api.signed("POST", "/v1/secrets", body);
      ObjectNode result = receipt(r);
      result.put("enclaveMode", att.mode());
      out.result(
          result,
          "secret '"
              + name
              + "' set for account "
              + r.path("owner").asText()
              + " ("
              + len
              + " bytes, encrypted to the "
              + att.mode()
              + " enclave)");
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List your secret names (never values).")
  static final class List implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      JsonNode r = opts.client(opts.account()).signed("GET", "/v1/secrets", null);
      StringBuilder text = new StringBuilder();
      r.path("names").forEach(n -> text.append(n.asText()).append('\n'));
      out.result(
          r,
          text.isEmpty()
              ? "no secrets for account " + r.path("owner").asText()
              : text.toString().strip());
      return 0;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description =
          "Delete secret NAME (a signed DELETE envelope; deleting a missing name is accepted).")
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions opts;

    @Parameters(index = "0", paramLabel = "NAME", description = "Secret name.")
    String name;

    @Option(
        names = "--allow-simulated",
        description = "Accept a SIMULATED attestation (local devnet only).")
    boolean allowSimulated;

    @Override
    public Integer call() {
      Output out = new Output(spec, opts.json);
      requireSecretName(name);
      Account account = opts.account();
      ApiClient api = opts.client(account);
      Clock clock = Clock.systemUTC();
      AttestationCheck.Checked att = attested(api, opts, allowSimulated, out, clock);
      byte[] envelope =
          SecretEnvelopeBuilder.delete(
              att.secretsPublicKey(), name, clock.millis(), signer(account), new SecureRandom());
      ObjectNode body = Output.JSON.createObjectNode();
      body.put("envelope", Base64.getEncoder().encodeToString(envelope));
      JsonNode r = api.signed("DELETE", "/v1/secrets/" + name, body);
      out.result(
          receipt(r), "secret '" + name + "' deleted for account " + r.path("owner").asText());
      return 0;
    }
  }
}
