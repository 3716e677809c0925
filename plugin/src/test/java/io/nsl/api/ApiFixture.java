package io.nsl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.enclave.AttestationJson;
import io.nsl.enclave.Enclave;
import io.nsl.enclave.EnclaveMode;
import io.nsl.enclave.Enclaves;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.js.ExecutionLimits;
import io.nsl.js.FetchPolicy;
import io.nsl.pipeline.ExecutionRecords;
import io.nsl.pipeline.StoredFunctionCatalog;
import io.nsl.secrets.SecretLimits;
import io.nsl.secrets.SecretsKey;
import io.nsl.secrets.UserSecretManager;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real API server on loopback over a real simulated enclave and real encrypted storage; only the
 * chain is an in-memory table ({@link FakeChain}), so registrations can be set per test.
 */
final class ApiFixture implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final GatewayIdentity GATEWAY =
      GatewayIdentity.ofBigEndianHex(0x4e534c31L, "0x" + "ab".repeat(20));

  /** Registrations and request states by hand. */
  static final class FakeChain implements ChainView {
    final Map<String, Registration> functions = new ConcurrentHashMap<>();
    final Map<Long, String> states = new ConcurrentHashMap<>();

    @Override
    public Optional<Registration> function(String functionId) {
      return Optional.ofNullable(functions.get(functionId));
    }

    @Override
    public String requestState(long requestId) {
      return states.getOrDefault(requestId, "UNKNOWN");
    }
  }

  final Enclave enclave;
  final PersistentStorageService storage;
  final UserSecretManager secrets;
  final StoredFunctionCatalog functions;
  final ExecutionRecords executions;
  final FakeChain chain = new FakeChain();
  final ApiServer server;

  ApiFixture(Path dir, ApiLimits limits) {
    this(dir, limits, TriggerView.NONE, Clock.systemUTC(), ConsoleBackends.none());
  }

  ApiFixture(Path dir, ApiLimits limits, ConsoleBackends console) {
    this(dir, limits, TriggerView.NONE, Clock.systemUTC(), console);
  }

  /** As above, with {@code triggers} behind {@code /v1/triggers} and a clock. */
  ApiFixture(Path dir, ApiLimits limits, TriggerView triggers, Clock clock) {
    this(dir, limits, triggers, clock, ConsoleBackends.none());
  }

  ApiFixture(
      Path dir, ApiLimits limits, TriggerView triggers, Clock clock, ConsoleBackends console) {
    enclave = Enclaves.open(EnclaveMode.SIMULATED, dir.resolve("enclave"), clock);
    storage =
        PersistentStorageService.initialise(
            StorageOptions.defaults(dir.resolve("store")), enclave::deriveStorageKey);
    secrets =
        new UserSecretManager(
            storage,
            new SecretsKey() {
              @Override
              public byte[] publicKey() {
                return enclave.secretsPublicKey();
              }

              @Override
              public byte[] agree(byte[] peer) {
                return enclave.secretsKeyAgreement(peer);
              }
            },
            SecretLimits.defaults());
    functions = new StoredFunctionCatalog(storage);
    executions = new ExecutionRecords(storage);
    DeveloperApi dev =
        new DeveloperApi(
            chain,
            () -> AttestationJson.toJson(enclave.attest(GATEWAY)),
            functions,
            secrets,
            executions,
            limits,
            FetchPolicy.allowing(Set.of("api.example.com"), false),
            ExecutionLimits.DEFAULT_MEMORY_BYTES,
            clock,
            triggers,
            console,
            null);
    server =
        new ApiServer(
            new InetSocketAddress("127.0.0.1", 0),
            () -> "# TYPE nsl_queue_depth gauge\nnsl_queue_depth 0\n",
            () ->
                new ApiServer.Readiness(
                    true,
                    Map.of(
                        "chainHeight",
                        5,
                        "lagBlocks",
                        0,
                        "enclaveMode",
                        "SIMULATED",
                        "backlog",
                        0)),
            dev,
            new ConsoleAssets(ApiFixture.class.getClassLoader(), ConsoleAssetsTest.FIXTURE));
    server.start();
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  JsonNode attestation() {
    return AttestationJson.toJson(enclave.attest(GATEWAY));
  }

  @Override
  public void close() {
    server.close();
    storage.close();
    enclave.close();
  }
}
