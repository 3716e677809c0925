package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.nsl.NameRulesTest;
import io.nsl.P256;
import io.nsl.cluster.OwnerKey;
import io.nsl.enclave.SimulatedEnclave;
import io.nsl.js.EngineConfig;
import io.nsl.js.FetchPolicy;
import io.nsl.js.JavaScriptEngine;
import io.nsl.pipeline.FunctionRunner;
import io.nsl.pipeline.JsFunctionRunner;
import io.nsl.secrets.OwnerSigner;
import io.nsl.secrets.SecretEnvelopeBuilder;
import io.nsl.secrets.SecretLimits;
import io.nsl.secrets.SecretOwner;
import io.nsl.secrets.SecretsKey;
import io.nsl.secrets.UserSecretManager;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One rule per name, seen from a function: the same storage keys and secret names (the shared table
 * testdata/name-cases.json), a lone surrogate in a result and an input with a byte order mark give
 * the same answer, byte for byte, from {@code ./nsl function simulate} and from the production
 * runner ({@link JsFunctionRunner} on the real encrypted store and secrets manager).
 */
class NameRulesAcrossLayersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant BLOCK_TIME = Instant.parse("2026-01-01T00:00:00Z");
  private static final Map<String, String> SECRETS = new LinkedHashMap<>();

  @TempDir Path dir;

  /** What each storage key and secret name does in storage.put/get and getSecret. */
  private static String namesFunction() throws Exception {
    ArrayNode keys = JSON.createArrayNode();
    NameRulesTest.cases("storageKey").forEach(c -> keys.add(c.value()));
    ArrayNode names = JSON.createArrayNode();
    NameRulesTest.cases("secretName").forEach(c -> names.add(c.value()));
    // ASCII source, lone surrogates as \\uXXXX escapes: a file can't hold them as characters.
    com.fasterxml.jackson.databind.ObjectWriter ascii =
        JSON.writer().with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII);
    return "const keys = "
        + ascii.writeValueAsString(keys)
        + ";\nconst names = "
        + ascii.writeValueAsString(names)
        + ";\nfunction attempt(f) { try { return ['ok', f()]; } catch (e) {"
        + " return [String(e.kind), String(e.message)]; } }\n"
        + "function main() { return {\n"
        + "  put: keys.map((k) => attempt(() => { storage.put(k, 'v'); return null; })),\n"
        + "  get: keys.map((k) => attempt(() => storage.get(k))),\n"
        + "  del: keys.map((k) => attempt(() => storage.delete(k))),\n"
        + "  list: attempt(() => storage.list()),\n"
        + "  secrets: names.map((n) => attempt(() => getSecret(n))),\n"
        + "}; }\n";
  }

  private record Answer(String kind, JsonNode result, long gasUsed, String message) {}

  @Test
  void simulateAndProductionGiveTheSameAnswers() throws Exception {
    for (NameRulesTest.Case c : NameRulesTest.cases("secretName")) {
      if (c.valid()) {
        SECRETS.put(c.value(), "value of " + c.value().length());
      }
    }
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put("names", new String[] {namesFunction(), "null"});
    cases.put(
        "lone surrogate in the result",
        new String[] {"function main() { return ['a\\ud800', '\\udc00b'] }", "null"});
    cases.put(
        "byte order mark before the input",
        new String[] {"function main(i) { return i }", "\ufeff{\"a\":1}"});

    Path secretsFile =
        Files.writeString(dir.resolve("secrets.json"), JSON.writeValueAsString(SECRETS));
    SimulatedEnclave enclave =
        SimulatedEnclave.open(
            dir.resolve("enclave"), Clock.fixed(BLOCK_TIME, ZoneOffset.UTC), new SecureRandom());
    byte[] ownerKey = P256.sha256("owner".getBytes(StandardCharsets.UTF_8));
    OwnerSigner owner =
        new OwnerSigner() {
          @Override
          public byte[] publicKey() {
            return P256.publicKeyOf(ownerKey);
          }

          @Override
          public byte[] sign(byte[] message) {
            return OwnerKey.sign(ownerKey, message);
          }
        };
    SecretsKey secretsKey =
        new SecretsKey() {
          @Override
          public byte[] publicKey() {
            return enclave.secretsPublicKey();
          }

          @Override
          public byte[] agree(byte[] peer) {
            return enclave.secretsKeyAgreement(peer);
          }
        };
    try (PersistentStorageService store =
            PersistentStorageService.initialise(
                StorageOptions.defaults(dir.resolve("store")), enclave::deriveStorageKey);
        JavaScriptEngine engine = JavaScriptEngine.start(EngineConfig.defaults())) {
      UserSecretManager secrets = new UserSecretManager(store, secretsKey, SecretLimits.defaults());
      long seq = 1;
      for (Map.Entry<String, String> s : SECRETS.entrySet()) {
        secrets.store(
            SecretEnvelopeBuilder.put(
                enclave.secretsPublicKey(),
                s.getKey(),
                s.getValue().getBytes(StandardCharsets.UTF_8),
                seq++,
                owner,
                new SecureRandom()));
      }
      JsFunctionRunner runner =
          new JsFunctionRunner(
              engine, secrets, store, b -> {}, FetchPolicy.denyAll(), i -> BLOCK_TIME);
      String ownerHash = SecretOwner.fromPublicKey(owner.publicKey()).toString();
      int n = 0;
      for (Map.Entry<String, String[]> c : cases.entrySet()) {
        n++;
        String code = c.getValue()[0];
        String input = c.getValue()[1];
        FunctionRunner.Outcome p =
            runner.run(
                new FunctionRunner.Invocation(
                    "case-" + n,
                    ownerHash,
                    1,
                    code,
                    Optional.empty(),
                    Optional.empty(),
                    input.getBytes(StandardCharsets.UTF_8),
                    10_000_000,
                    1));
        Answer production =
            new Answer(
                p.kind(),
                p.result().length == 0 ? null : JSON.readTree(p.result()),
                p.gasUsed(),
                p.errorMessage());
        Answer simulated = simulate(code, input, secretsFile, n);
        assertEquals(production, simulated, c.getKey());
        assertTrue(
            !production.kind().equals("INTERNAL_ERROR"),
            c.getKey() + ": a name the rule refuses is the function's mistake, not the service's");
      }
    } finally {
      enclave.close();
    }
  }

  private Answer simulate(String code, String input, Path secretsFile, int n) throws Exception {
    Path fn = Files.writeString(dir.resolve("case-" + n + ".js"), code);
    Path in =
        Files.write(dir.resolve("case-" + n + ".json"), input.getBytes(StandardCharsets.UTF_8));
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit =
        cli.execute(
            "function",
            "simulate",
            fn.toString(),
            "--input-file",
            in.toString(),
            "--secrets",
            secretsFile.toString(),
            "--request-id",
            "1",
            "--json");
    assertTrue(exit == 0 || exit == 1, "simulate exited " + exit + ": " + err);
    JsonNode o = JSON.readTree(out.toString());
    boolean ok = o.get("status").asText().equals("ok");
    return new Answer(
        ok ? "OK" : o.get("error").get("kind").asText(),
        ok ? o.get("result") : null,
        o.get("gasUsed").asLong(),
        ok ? "" : o.get("error").get("message").asText());
  }
}
