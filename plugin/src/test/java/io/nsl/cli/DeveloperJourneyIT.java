package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.ProjectRoot;
import io.nsl.chain.GatewayClient;
import io.nsl.devnet.DevnetDeployment;
import io.nsl.devnet.DevnetWallets;
import io.nsl.devnet.LocalStack;
import io.nsl.enclave.AttestationJson;
import io.nsl.service.NslService;
import io.nsl.service.ServiceConfig;
import io.nsl.testing.LocalChain;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new developer's first hour, against a real local chain and the real service (simulation mode),
 * using only the CLI as docs/quickstart.md tells it: register a function, set a secret the function
 * reads, have the example consumer send a request, and read the request's status until the answer
 * is fulfilled on chain. The operator's commands (status, keys) run against the same service.
 */
class DeveloperJourneyIT {
  @RegisterExtension static final LocalChain chain = new LocalChain();
  @TempDir static Path dir;

  static final ObjectMapper JSON = new ObjectMapper();
  static final String SECRET = "sk-test-journey-4242";
  static final String CODE =
      """
      function main(input) {
        const key = getSecret("WEATHER_KEY");
        log("calling with " + key);
        return { greeting: "hello " + input.name, keyLength: key.length };
      }
      """;

  static DevnetDeployment deployment;
  static NslService service;
  static String[] common;
  static String api;

  @BeforeAll
  static void startChainAndService() {
    Path root = ProjectRoot.find();
    deployment = DevnetDeployment.deploy(chain.node(), root.resolve("contracts/build"));
    ServiceConfig cfg = LocalStack.configFor(chain.node(), deployment, dir.resolve("service"));
    service = NslService.start(cfg, root, Clock.systemUTC(), DevnetWallets.knownPasswords(root));
    // The gateway owner registers this instance's signing key (what ./nsl demo does on the devnet).
    byte[] attestation =
        AttestationJson.toJson(service.enclave().attest(service.gatewayIdentity()))
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    service
        .gateway()
        .registerEnclave(
            service.enclave().signingPublicKey(),
            attestation,
            GatewayClient.MODE_SIMULATED,
            chain.node().wallets().validator());
    api = "http://127.0.0.1:" + service.apiPort();
    common = new String[] {"--rpc", chain.node().rpcUrl(), "--json"};
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (java.io.IOException e) {
        throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
      }
    }

    /** The code of the {@code {"error":{...}}} object --json prints on failure. */
    String errorCode() {
      return json().path("error").path("code").asText();
    }
  }

  static Run nsl(String stdin, String... args) {
    return nslAt(api, stdin, args);
  }

  /** Runs the CLI against the service at {@code apiUrl}. */
  static Run nslAt(String apiUrl, String stdin, String... args) {
    InputStream saved = System.in;
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      var cli = Main.commandLine();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      String[] all = concat(concat(args, common), new String[] {"--api", apiUrl});
      int exit = cli.execute(all);
      return new Run(exit, out.toString().strip(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void newDeveloperRegistersSetsASecretAndReadsTheFulfilledAnswer() throws Exception {
    Path fn = dir.resolve("weather.js");
    Files.writeString(fn, CODE);

    Run reg = nsl("", "function", "register", fn.toString(), "--id", "weather");
    assertEquals(0, reg.exit(), reg.err());
    assertEquals("registered", reg.json().path("action").asText());
    Run again = nsl("", "function", "register", fn.toString(), "--id", "weather");
    assertEquals("unchanged", again.json().path("action").asText(), again.err());
    // Declaring a host the operator does not allow is stored, and said at once (this service
    // allows no fetch hosts at all).
    Run hosts =
        nsl(
            "",
            "function",
            "register",
            fn.toString(),
            "--id",
            "weather",
            "--fetch-host",
            "api.weather.example");
    assertEquals(0, hosts.exit(), hosts.err());
    assertEquals("api.weather.example", hosts.json().path("fetchHostsNotAllowed").path(0).asText());
    assertTrue(
        hosts.err().contains("operator does not allow fetch to api.weather.example"), hosts.err());
    Run badHost =
        nsl("", "function", "register", fn.toString(), "--id", "weather", "--fetch-host", "*.x");
    assertEquals(1, badHost.exit(), badHost.out() + badHost.err());
    assertEquals("CLI_INPUT", badHost.errorCode(), badHost.out());
    assertTrue(badHost.out().contains("without scheme, port, path or wildcard"), badHost.out());

    Run refused = nsl(SECRET + "\n", "secret", "set", "WEATHER_KEY");
    assertEquals(1, refused.exit(), "a simulated attestation needs --allow-simulated");
    assertEquals("ATTESTATION_REFUSED", refused.errorCode(), refused.out() + refused.err());
    Run set = nsl(SECRET + "\n", "secret", "set", "WEATHER_KEY", "--allow-simulated");
    assertEquals(0, set.exit(), set.err());
    assertEquals("WEATHER_KEY", set.json().path("name").asText());
    Run list = nsl("", "secret", "list");
    assertEquals("WEATHER_KEY", list.json().path("names").path(0).asText(), list.out());
    assertFalse(list.out().contains(SECRET));

    long requestId =
        DevnetDeployment.request(
            chain.chain(),
            deployment.consumer(),
            chain.node().wallets().developer(),
            "weather",
            "{\"name\":\"neo\"}",
            5_000_000);

    Run status = nsl("", "request", "status", Long.toString(requestId), "--wait", "120");
    assertEquals(0, status.exit(), status.out() + status.err());
    JsonNode s = status.json();
    assertEquals("FULFILLED", s.path("chainState").asText(), s.toString());
    assertEquals(0, s.path("status").asInt());
    assertEquals("hello neo", s.path("result").path("greeting").asText());
    assertEquals(SECRET.length(), s.path("result").path("keyLength").asInt());
    assertTrue(s.path("gasUsed").asLong() > 0);
    assertFalse(s.toString().contains(SECRET), "logs are scrubbed: " + s);

    Run keys = nsl("", "keys");
    assertEquals(0, keys.exit(), keys.err());
    assertEquals("SIMULATED", keys.json().path("mode").asText());
    Run op = nsl("", "status");
    assertTrue(op.exit() == 0 || op.exit() == 1, op.err());
    assertTrue(op.json().path("chainHeight").asLong() > 0, op.out());
    assertTrue(op.json().path("requestsFulfilled").asLong() >= 1, op.out());
  }

  /**
   * A second service instance whose signing key the gateway does not accept: its attestation is
   * perfectly valid (report_data binds its keys and this gateway), but `secret set` must not
   * encrypt to it, neither before registration nor after the owner revoked the key.
   */
  @Test
  void secretSetRefusesAnEnclaveTheGatewayDoesNotAccept() {
    ServiceConfig cfg = LocalStack.configFor(chain.node(), deployment, dir.resolve("unregistered"));
    try (NslService other =
        NslService.start(
            cfg,
            ProjectRoot.find(),
            Clock.systemUTC(),
            DevnetWallets.knownPasswords(ProjectRoot.find()))) {
      String at = "http://127.0.0.1:" + other.apiPort();
      String keyHex = java.util.HexFormat.of().formatHex(other.enclave().signingPublicKey());

      Run never = nslAt(at, SECRET + "\n", "secret", "set", "STRAY", "--allow-simulated");
      assertEquals(1, never.exit(), never.out() + never.err());
      assertEquals("ENCLAVE_NOT_REGISTERED", never.errorCode(), never.out() + never.err());
      assertTrue(never.json().path("error").path("message").asText().contains(keyHex), never.out());

      byte[] attestation =
          AttestationJson.toJson(other.enclave().attest(other.gatewayIdentity()))
              .toString()
              .getBytes(StandardCharsets.UTF_8);
      other
          .gateway()
          .registerEnclave(
              other.enclave().signingPublicKey(),
              attestation,
              GatewayClient.MODE_SIMULATED,
              chain.node().wallets().validator());
      assertTrue(
          other.gateway().activeEnclaves().stream()
              .anyMatch(k -> java.util.Arrays.equals(k, other.enclave().signingPublicKey())));
      other
          .gateway()
          .invoke(
              chain.node().wallets().validator(),
              "revoke enclave",
              "revokeEnclave",
              io.neow3j.types.ContractParameter.publicKey(other.enclave().signingPublicKey()));

      Run revoked = nslAt(at, SECRET + "\n", "secret", "set", "STRAY", "--allow-simulated");
      assertEquals(1, revoked.exit(), revoked.out() + revoked.err());
      assertEquals("ENCLAVE_NOT_REGISTERED", revoked.errorCode(), revoked.out() + revoked.err());
      Run names = nslAt(at, "", "secret", "list");
      assertEquals(0, names.exit(), names.err());
      assertEquals(
          0,
          names.json().path("names").size(),
          "nothing reached the refused enclave: " + names.out());
    }
  }

  /** The operator's api.* options in nsl.yml reach the running service's API. */
  @Test
  void operatorsApiLimitsFromTheConfigFileApply() throws Exception {
    Path yml = dir.resolve("limits.yml");
    Files.writeString(yml, "api:\n  port: 0\n  maxBodyBytes: 2048\n");
    ServiceConfig base = LocalStack.configFor(chain.node(), deployment, dir.resolve("limited"));
    ServiceConfig cfg =
        new ServiceConfig(
            base.mode(),
            base.dataDir(),
            base.chain(),
            base.executor(),
            base.submitter(),
            ServiceConfig.load(yml).api(),
            base.fetch());
    try (NslService limited =
        NslService.start(
            cfg,
            ProjectRoot.find(),
            Clock.systemUTC(),
            DevnetWallets.knownPasswords(ProjectRoot.find()))) {
      var http = java.net.http.HttpClient.newHttpClient();
      var answer =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + limited.apiPort() + "/v1/secrets"))
                  .header("Content-Type", "application/json")
                  .POST(
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          "{\"envelope\":\"" + "A".repeat(3000) + "\"}"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(413, answer.statusCode(), answer.body());
      assertEquals(
          "BODY_TOO_LARGE", JSON.readTree(answer.body()).path("error").path("code").asText());
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void everyCommandAnswersHelp() {
    for (String[] c :
        new String[][] {
          {"function", "register", "--help"},
          {"secret", "--help"},
          {"secret", "set", "--help"},
          {"secret", "list", "--help"},
          {"secret", "delete", "--help"},
          {"request", "status", "--help"},
          {"status", "--help"},
          {"keys", "--help"}
        }) {
      var cli = Main.commandLine();
      StringWriter out = new StringWriter();
      cli.setOut(new PrintWriter(out, true));
      assertEquals(0, cli.execute(c), String.join(" ", c));
      assertTrue(out.toString().contains("Usage:"), out.toString());
    }
  }

  @Test
  void unreachableApiSaysWhatToDo() {
    var cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute("keys", "--api", "http://127.0.0.1:1");
    assertEquals(1, exit);
    assertTrue(
        err.toString().contains("API_UNREACHABLE") && err.toString().contains("./nsl run"),
        err.toString());

    Run json = nslAt("http://127.0.0.1:1", "", "keys");
    assertEquals(1, json.exit(), "same exit code with --json");
    assertEquals("API_UNREACHABLE", json.errorCode(), json.out());
    assertTrue(
        json.json().path("error").path("message").asText().contains("./nsl run"), json.out());
  }
}
