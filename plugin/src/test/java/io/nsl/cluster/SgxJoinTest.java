package io.nsl.cluster;

import static io.nsl.cluster.ClusterFixture.GATEWAY;
import static io.nsl.cluster.ClusterFixture.OWNER_KEY;
import static io.nsl.cluster.ClusterFixture.ownerSigned;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nsl.cluster.ClusterFixture.Developer;
import io.nsl.cluster.ClusterFixture.HostFile;
import io.nsl.enclave.ClusterKeys;
import io.nsl.enclave.Enclave;
import io.nsl.enclave.OcclumEnclave;
import io.nsl.enclave.SimulatedEnclave;
import io.nsl.enclave.dcap.AttestationPolicy;
import io.nsl.enclave.dcap.SyntheticSgxPlatform;
import io.nsl.js.EngineConfig;
import io.nsl.js.FetchPolicy;
import io.nsl.js.JavaScriptEngine;
import io.nsl.pipeline.FunctionRunner;
import io.nsl.pipeline.JsFunctionRunner;
import io.nsl.secrets.SecretEnvelopeBuilder;
import io.nsl.secrets.SecretLimits;
import io.nsl.secrets.SecretOwner;
import io.nsl.secrets.SecretsKey;
import io.nsl.secrets.UserSecretManager;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageKeyMismatchException;
import io.nsl.storage.StorageOptions;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joins between SGX instances on an emulated SGX platform whose quotes are signed through a
 * synthetic PKI and checked by the real DCAP verifier with collateral: the upgrade A → B at two
 * MRENCLAVEs, and the refusals that need real quotes (DEBUG, a measurement not allowed, a bad
 * provider quote, SIMULATED meeting SGX).
 */
class SgxJoinTest {
  static final Clock CLOCK = Clock.fixed(SyntheticSgxPlatform.AT, ZoneOffset.UTC);
  static final String X = SyntheticSgxPlatform.measurement("nsl build 1.0");
  static final String Y = SyntheticSgxPlatform.measurement("nsl build 1.1");
  static final String BAD = SyntheticSgxPlatform.measurement("someone else's build");

  @TempDir Path dir;

  final SyntheticSgxPlatform machine = SyntheticSgxPlatform.create("cpu of machine 1");

  private OcclumEnclave sgx(String name, String mrEnclave, boolean debug) {
    return OcclumEnclave.open(
        dir.resolve(name), machine.device(mrEnclave, debug), CLOCK, new SecureRandom());
  }

  private EvidenceVerifier verifier() {
    AttestationPolicy tcb =
        new AttestationPolicy(
            false, java.util.Set.of(), AttestationPolicy.DEFAULT_TCB_STATUSES, true, null);
    return new EvidenceVerifier(machine.verifier(), tcb, q -> machine.collateral(), CLOCK);
  }

  private JoinProvider provider(Enclave e, byte[] policy) {
    return new JoinProvider(
        e,
        new ClusterTrust(GATEWAY, OWNER_KEY, new HostFile(policy)),
        verifier(),
        new SeenJoins(CLOCK, Duration.ofMinutes(5), 100));
  }

  private Joiner joiner(Enclave e, byte[] policy) {
    return new Joiner(
        e, new ClusterTrust(GATEWAY, OWNER_KEY, new HostFile(policy)), verifier(), CLOCK);
  }

  private static SecretsKey secretsKeyOf(Enclave e) {
    return new SecretsKey() {
      @Override
      public byte[] publicKey() {
        return e.secretsPublicKey();
      }

      @Override
      public byte[] agree(byte[] peer) {
        return e.secretsKeyAgreement(peer);
      }
    };
  }

  private static PersistentStorageService store(Path p, Enclave e) {
    return PersistentStorageService.initialise(StorageOptions.defaults(p), e::deriveStorageKey);
  }

  private static final String READS_SECRET_AND_STATE =
      "function main(input) {"
          + "  const n = Number(storage.get('count') || '0') + 1;"
          + "  storage.put('count', String(n));"
          + "  return { key: getSecret('apiKey'), count: n };"
          + "}";

  @Test
  void upgradeFromBuildXToBuildYKeepsEverySecretAndEveryFunctionsState() {
    Developer alice = Developer.of("alice");
    Developer bob = Developer.of("bob");
    SecretOwner aliceAccount = SecretOwner.fromPublicKey(alice.publicKey());
    SecretOwner bobAccount = SecretOwner.fromPublicKey(bob.publicKey());
    Path storePath = dir.resolve("store");
    byte[] aliceEnvelope;
    byte[] secretsKeyBeforeMigration;

    // Instance A, build X, as it ran before clusters existed: its own keys, secrets, state.
    OcclumEnclave a = sgx("a", X, false);
    secretsKeyBeforeMigration = a.secretsPublicKey();
    try (PersistentStorageService s = store(storePath, a)) {
      UserSecretManager secrets =
          new UserSecretManager(s, secretsKeyOf(a), SecretLimits.defaults());
      SecureRandom r = new SecureRandom();
      secrets.store(
          SecretEnvelopeBuilder.put(
              a.secretsPublicKey(), "apiKey", bytes("alice-key"), 1, alice, r));
      secrets.store(
          SecretEnvelopeBuilder.put(a.secretsPublicKey(), "apiKey", bytes("bob-key"), 1, bob, r));
      s.write(Namespace.functionState("fn-alice"), "count", bytes("41"));
      s.write(Namespace.functionState("fn-bob"), "count", bytes("7"));
      // An envelope built for A's key before the upgrade, delivered after it.
      aliceEnvelope =
          SecretEnvelopeBuilder.put(a.secretsPublicKey(), "late", bytes("late-value"), 2, alice, r);
    }
    // Migration: A becomes epoch 0 with its own keys.
    ClusterKeys epoch0 = a.initCluster();
    assertArrayEquals(secretsKeyBeforeMigration, epoch0.currentSecretsPublicKey());

    // The owner allows Y besides X; B (build Y) joins through A over the operator's network.
    byte[] policy = ownerSigned(false, X, Y);
    OcclumEnclave b = sgx("b", Y, false);
    assertThrows(
        StorageKeyMismatchException.class,
        () -> store(storePath, b).close(),
        "before joining, B cannot open A's store");
    try (JoinServer server =
        new JoinServer(new InetSocketAddress("127.0.0.1", 0), provider(a, policy))) {
      ClusterKeys got =
          joiner(b, policy)
              .join(
                  new HttpJoinTransport(
                      "http://127.0.0.1:" + server.port(), Duration.ofSeconds(10)));
      assertEquals(epoch0, got);
    }
    assertFalse(java.util.Arrays.equals(a.signingPublicKey(), b.signingPublicKey()));
    a.close();

    // A is gone. B (restarted, to show the keys were sealed) serves: secrets, state, a late
    // envelope.
    b.close();
    OcclumEnclave b2 = sgx("b", Y, false);
    try (PersistentStorageService s = store(storePath, b2);
        JavaScriptEngine engine = JavaScriptEngine.start(EngineConfig.defaults())) {
      UserSecretManager secrets =
          new UserSecretManager(s, secretsKeyOf(b2), SecretLimits.defaults());
      assertArrayEquals(bytes("bob-key"), secrets.get(bobAccount, "apiKey"));
      secrets.store(aliceEnvelope);
      assertArrayEquals(bytes("late-value"), secrets.get(aliceAccount, "late"));
      JsFunctionRunner runner =
          new JsFunctionRunner(
              engine,
              secrets,
              s,
              new SecureRandom()::nextBytes,
              FetchPolicy.denyAll(),
              i -> SyntheticSgxPlatform.AT);
      FunctionRunner.Outcome out =
          runner.run(
              new FunctionRunner.Invocation(
                  "fn-alice",
                  aliceAccount.toString(),
                  1,
                  READS_SECRET_AND_STATE,
                  Optional.empty(),
                  Optional.empty(),
                  "{}".getBytes(StandardCharsets.UTF_8),
                  10_000_000,
                  1));
      assertEquals("OK", out.kind(), out.errorMessage());
      assertEquals(
          "{\"key\":\"alice-key\",\"count\":42}", new String(out.result(), StandardCharsets.UTF_8));
      assertArrayEquals(
          bytes("7"), s.read(Namespace.functionState("fn-bob"), "count").orElseThrow());
    } finally {
      b2.close();
    }
  }

  @Test
  void refusesADebugNewcomerEvenWithAnAllowedMeasurement() {
    try (OcclumEnclave a = sgx("a", X, false);
        OcclumEnclave d = sgx("d", Y, true)) {
      a.initCluster();
      byte[] policy = ownerSigned(false, X, Y);
      JoinRefusedException e =
          assertThrows(
              JoinRefusedException.class,
              () -> joiner(d, policy).join(provider(a, policy)::handle));
      assertEquals(JoinRefusal.JOIN_DEBUG_ENCLAVE, e.refusal(), e.getMessage());
      assertEquals(Optional.empty(), d.clusterKeys());
    }
  }

  @Test
  void refusesAnSgxNewcomerWhoseMeasurementIsNotAllowed() {
    try (OcclumEnclave a = sgx("a", X, false);
        OcclumEnclave n = sgx("n", BAD, false)) {
      a.initCluster();
      JoinRefusedException e =
          assertThrows(
              JoinRefusedException.class,
              () ->
                  joiner(n, ownerSigned(false, X, BAD))
                      .join(provider(a, ownerSigned(false, X, Y))::handle));
      assertEquals(JoinRefusal.JOIN_MEASUREMENT_NOT_ALLOWED, e.refusal(), e.getMessage());
    }
  }

  @Test
  void refusesAProviderWhoseQuoteDoesNotVerify() {
    try (OcclumEnclave a = sgx("a", X, false);
        OcclumEnclave b = sgx("b", Y, false)) {
      a.initCluster();
      byte[] policy = ownerSigned(false, X, Y);
      JoinProvider p = provider(a, policy);
      JoinRefusedException e =
          assertThrows(
              JoinRefusedException.class,
              () ->
                  joiner(b, policy)
                      .join(
                          req -> {
                            JoinResponse r = p.handle(req);
                            byte[] q = r.evidence();
                            q[q.length - 100] ^= 1; // inside the quote's signature data
                            return new JoinResponse(
                                r.transcript(), r.mode(), r.epochs(), r.wrappedKeys(), q);
                          }));
      assertEquals(JoinRefusal.JOIN_QUOTE_INVALID, e.refusal(), e.getMessage());
      assertEquals(Optional.empty(), b.clusterKeys());
    }
  }

  @Test
  void anSgxProviderRefusesEverySimulatedNewcomer() {
    try (OcclumEnclave a = sgx("a", X, false);
        SimulatedEnclave s =
            SimulatedEnclave.open(dir.resolve("s"), CLOCK, new SecureRandom(), Y)) {
      a.initCluster();
      byte[] policy = ownerSigned(true, X, Y); // even a policy that allows simulation
      JoinRefusedException e =
          assertThrows(
              JoinRefusedException.class,
              () -> joiner(s, policy).join(provider(a, policy)::handle));
      assertEquals(JoinRefusal.JOIN_SIMULATED_REFUSED, e.refusal(), e.getMessage());
      assertEquals(Optional.empty(), s.clusterKeys());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
