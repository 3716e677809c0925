package io.nsl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import io.nsl.NameRules;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoRpcClient;
import io.nsl.js.FetchPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./nsl function register FILE --id ID}: on-chain registration + code upload. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = {
      "Register a function: commit sha256(FILE) on the gateway (registerFunction, or updateFunction"
          + " when you already own ID with other code), signed by your wallet, then upload the"
          + " code to the NSL service, which checks it against the chain.",
      "Run './nsl function simulate FILE' first: same engine, same gas."
    })
final class FunctionRegisterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ClientOptions opts;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "The function's script (defines main(input)).")
  Path file;

  @Option(
      names = "--id",
      required = true,
      paramLabel = "ID",
      description =
          "The function id: 1..63 characters of a-z 0-9 . _ -, starting with a letter or digit"
              + " (the gateway's rule); first come, first served on the gateway.")
  String id;

  @Option(
      names = "--input-schema",
      paramLabel = "FILE",
      description = "A JSON Schema every request input must satisfy.")
  Path inputSchema;

  @Option(
      names = "--fetch-host",
      paramLabel = "HOST",
      description =
          "A host this function's fetch may call (repeatable). Declared, fetch reaches only these"
              + " (and only those the operator allows); none declared, any host the operator"
              + " allows.")
  List<String> fetchHosts = List.of();

  @Option(
      names = "--memory-limit",
      paramLabel = "SIZE",
      description =
          "This function's memory budget per execution (docs/functions.md, \"Memory budget\"):"
              + " bytes, or a whole number of KiB, MiB or GiB, like 64MiB. At most the operator's"
              + " limit (the service refuses more); none declared, the operator's default.")
  String memoryLimit;

  @Override
  public Integer call() {
    Output out = new Output(spec, opts.json);
    String code = read(file, "function");
    NameRules.functionIdProblem(id)
        .ifPresent(
            problem -> {
              throw new CliInputException("--id: " + problem);
            });
    JsonNode schema = null;
    if (inputSchema != null) {
      try {
        schema = Output.JSON.readTree(read(inputSchema, "--input-schema"));
      } catch (IOException e) {
        throw new CliInputException("--input-schema " + inputSchema + " is not valid JSON");
      }
      if (schema == null || !schema.isObject()) {
        throw new CliInputException("--input-schema " + inputSchema + " must hold a JSON object");
      }
    }
    FetchPolicy.hostListProblem(fetchHosts)
        .ifPresent(
            problem -> {
              throw new CliInputException("--fetch-host " + problem);
            });
    // The operator's limit is the service's to check; here only the form.
    Long memoryLimitBytes =
        memoryLimit == null
            ? null
            : MemoryArgument.bytes("--memory-limit", memoryLimit, Long.MAX_VALUE);
    byte[] sha = sha256(code.getBytes(StandardCharsets.UTF_8));
    String shaHex = HexFormat.of().formatHex(sha);
    Account account = opts.account();
    String owner = "0x" + account.getScriptHash();
    ApiClient api = opts.client(account);
    String gatewayHash = opts.gatewayOrNull();
    if (gatewayHash == null) {
      gatewayHash = api.getPublic("/v1/enclave").path("gatewayScriptHash").asText();
      out.progress("gateway " + gatewayHash + " (from the service's attestation)");
    }
    NeoChain chain = new NeoChain(opts.rpcUrl(), Duration.ofSeconds(1));
    GatewayClient gw =
        new GatewayClient(
            chain,
            new NeoRpcClient(opts.rpcUrl()),
            new Hash160(gatewayHash.replaceFirst("^0x", "")));
    Optional<GatewayClient.FunctionInfo> reg = gw.function(id);
    String action;
    String tx = null;
    if (reg.isEmpty()) {
      out.progress(
          "registering '" + id + "' with code sha256 " + shaHex + " (waiting for the block)");
      NeoApplicationLog log = gw.registerFunction(id, sha, account);
      tx = log.getTransactionId().toString();
      action = "registered";
    } else if (!reg.get().owner().equalsIgnoreCase(owner)) {
      throw new CliInputException(
          "function id '"
              + id
              + "' is already registered to account "
              + reg.get().owner()
              + " (you are "
              + owner
              + "); ids are first come, first served: choose another --id");
    } else if (!HexFormat.of().formatHex(reg.get().codeHash()).equals(shaHex)) {
      out.progress(
          "'"
              + id
              + "' is yours with other code; updating it to sha256 "
              + shaHex
              + " (waiting for the block)");
      NeoApplicationLog log = gw.updateFunction(id, sha, account);
      tx = log.getTransactionId().toString();
      action = "updated";
    } else {
      out.progress("'" + id + "' is already registered with this code");
      action = "unchanged";
    }
    out.progress("uploading the code to " + api.baseUrl());
    ObjectNode body = Output.JSON.createObjectNode();
    body.put("code", code);
    if (schema != null) {
      body.set("inputSchema", schema);
    }
    if (!fetchHosts.isEmpty()) {
      fetchHosts.forEach(body.putArray("fetchHosts")::add);
    }
    if (memoryLimitBytes != null) {
      body.put("memoryLimitBytes", memoryLimitBytes);
    }
    JsonNode answer = api.signed("PUT", "/v1/functions/" + encode(id), body);
    ObjectNode result = Output.JSON.createObjectNode();
    result.put("functionId", id);
    result.put("owner", owner);
    result.put("codeSha256", shaHex);
    result.put("version", answer.path("version").asLong());
    result.put("action", action);
    if (tx != null) {
      result.put("transaction", tx);
    } else {
      result.putNull("transaction");
    }
    JsonNode notAllowed = answer.path("fetchHostsNotAllowed");
    result.set("fetchHostsNotAllowed", notAllowed.isArray() ? notAllowed : result.arrayNode());
    if (notAllowed.isArray() && !notAllowed.isEmpty()) {
      List<String> hosts = new java.util.ArrayList<>();
      notAllowed.forEach(h -> hosts.add(h.asText()));
      out.progress(
          "warning: this service's operator does not allow fetch to "
              + String.join(", ", hosts)
              + "; the function's calls to them will be FORBIDDEN until the operator lists them"
              + " in fetch.allowedHosts");
    }
    out.result(
        result,
        "function '"
            + id
            + "' "
            + action
            + " (version "
            + answer.path("version").asLong()
            + ", code sha256 "
            + shaHex
            + ") and uploaded; owner "
            + owner
            + (tx != null ? "; transaction " + tx : ""));
    return 0;
  }

  static String encode(String segment) {
    return java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String read(Path p, String what) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CliInputException("the " + what + " file " + p + " does not exist");
    } catch (IOException e) {
      throw new CliInputException("cannot read the " + what + " file " + p + ": " + e.getMessage());
    }
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
