package io.nsl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./nsl keys}: the running service's public keys (what the gateway owner registers). */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = {
      "Print the running service's enclave public keys: the signing key the gateway owner"
          + " registers (registerEnclave) and the secrets key developers encrypt to, with the mode"
          + " and instance id. The full attestation: ./nsl attestation show, or GET /v1/enclave."
    })
final class KeysCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions opts;

  @Override
  public Integer call() {
    Output out = new Output(spec, opts.json);
    JsonNode doc = opts.client(null).getPublic("/v1/enclave");
    ObjectNode n = Output.JSON.createObjectNode();
    for (String f :
        new String[] {
          "mode",
          "instanceId",
          "signingPublicKey",
          "secretsPublicKey",
          "gatewayScriptHash",
          "networkMagic",
          "reportData"
        }) {
      n.set(f, doc.path(f));
    }
    out.result(
        n,
        "mode               "
            + doc.path("mode").asText()
            + "\ninstance           "
            + doc.path("instanceId").asText()
            + "\nsigning key        "
            + doc.path("signingPublicKey").asText()
            + "\nsecrets key        "
            + doc.path("secretsPublicKey").asText()
            + "\ngateway            "
            + doc.path("gatewayScriptHash").asText()
            + " (network magic "
            + doc.path("networkMagic").asLong()
            + ")");
    return 0;
  }
}
