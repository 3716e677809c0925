package io.nsl.cluster;

import static io.nsl.cluster.ClusterFixture.GATEWAY;
import static io.nsl.cluster.ClusterFixture.HOST;
import static io.nsl.cluster.ClusterFixture.OTHER_GATEWAY;
import static io.nsl.cluster.ClusterFixture.OTHER_NETWORK;
import static io.nsl.cluster.ClusterFixture.OWNER;
import static io.nsl.cluster.ClusterFixture.OWNER_KEY;
import static io.nsl.cluster.ClusterFixture.ownerSigned;
import static io.nsl.cluster.ClusterFixture.policy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.cluster.ClusterFixture.HostFile;
import io.nsl.enclave.ClusterKeys;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.SimulatedEnclave;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The join protocol between SIMULATED instances: the happy path, and every refusal the newcomer or
 * the provider must make. (SGX quotes: {@link SgxJoinTest}.)
 */
class JoinProtocolTest {
  static final String X = "11".repeat(32);
  static final String Y = "22".repeat(32);
  static final String Z = "33".repeat(32);
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  SimulatedEnclave a;
  SimulatedEnclave b;
  HostFile aPolicy;
  HostFile bPolicy;
  JoinProvider provider;

  @BeforeEach
  void start() {
    a = enclave("a", X);
    a.initCluster();
    b = enclave("b", Y);
    aPolicy = new HostFile(ownerSigned(true, X, Y));
    bPolicy = new HostFile(ownerSigned(true, X, Y));
    provider = provider(a, aPolicy, GATEWAY, CLOCK);
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
  }

  private SimulatedEnclave enclave(String name, String measurement) {
    return SimulatedEnclave.open(dir.resolve(name), CLOCK, new SecureRandom(), measurement);
  }

  private static JoinProvider provider(
      SimulatedEnclave e, PolicySource policy, GatewayIdentity g, Clock clock) {
    return new JoinProvider(
        e,
        new ClusterTrust(g, OWNER_KEY, policy),
        ClusterFixture.simulatedVerifier(clock),
        new SeenJoins(clock, Duration.ofMinutes(5), 1000));
  }

  private static Joiner joiner(
      SimulatedEnclave e, PolicySource policy, GatewayIdentity g, Clock clock) {
    return new Joiner(
        e, new ClusterTrust(g, OWNER_KEY, policy), ClusterFixture.simulatedVerifier(clock), clock);
  }

  private Joiner joiner() {
    return joiner(b, bPolicy, GATEWAY, CLOCK);
  }

  private JoinRefusedException refused(JoinRefusal want, Joiner j, JoinTransport t) {
    JoinRefusedException e = assertThrows(JoinRefusedException.class, () -> j.join(t));
    assertEquals(want, e.refusal(), e.getMessage());
    assertEquals(want.name(), e.code());
    assertEquals(Optional.empty(), b.clusterKeys(), "a refused newcomer holds no cluster keys");
    return e;
  }

  /** A host in the middle that changes the provider's answer. */
  private JoinTransport tampering(UnaryOperator<JoinResponse> change) {
    return req -> change.apply(provider.handle(req));
  }

  @Test
  void anAllowedNewcomerReceivesEveryLiveEpochAndSealsIt() {
    ClusterKeys got = joiner().join(provider::handle);
    assertEquals(a.clusterKeys().orElseThrow(), got);
    assertArrayEquals(a.secretsPublicKey(), b.secretsPublicKey());
    assertArrayEquals(a.deriveStorageKey("nsl/storage/v1"), b.deriveStorageKey("nsl/storage/v1"));
    b.close();
    b = enclave("b", Y);
    assertEquals(got, b.clusterKeys().orElseThrow(), "the keys survive a restart");
    assertEquals(got, joiner().join(provider::handle), "joining again changes nothing");
  }

  @Test
  void joinsOverHttpOnItsOwnPortAndCarriesRefusalCodesBack() {
    try (JoinServer server = new JoinServer(new InetSocketAddress("127.0.0.1", 0), provider)) {
      HttpJoinTransport http =
          new HttpJoinTransport("http://127.0.0.1:" + server.port(), Duration.ofSeconds(10));
      try (SimulatedEnclave c = enclave("c", Z)) {
        JoinRefusedException e =
            assertThrows(
                JoinRefusedException.class,
                () ->
                    joiner(c, new HostFile(ownerSigned(true, X, Y, Z)), GATEWAY, CLOCK).join(http));
        assertEquals(JoinRefusal.JOIN_MEASUREMENT_NOT_ALLOWED, e.refusal(), e.getMessage());
        assertTrue(e.getMessage().contains(Z), e.getMessage());
      }
      assertEquals(a.clusterKeys().orElseThrow(), joiner().join(http));
    }
  }

  @Test
  void refusesANewcomerWhoseMeasurementTheOwnerDidNotAllow() {
    aPolicy.doc = ownerSigned(true, X);
    refused(JoinRefusal.JOIN_MEASUREMENT_NOT_ALLOWED, joiner(), provider::handle);
  }

  @Test
  void refusesANewcomerWhoseMeasurementWasRevoked() {
    aPolicy.doc =
        SignedPolicy.sign(policy(GATEWAY, 2, true, Set.of(X, Y), Set.of(Y)), OWNER).toJson();
    refused(JoinRefusal.JOIN_MEASUREMENT_REVOKED, joiner(), provider::handle);
  }

  @Test
  void refusesANewcomerForAnotherGatewayOrNetwork() {
    byte[] other =
        SignedPolicy.sign(policy(OTHER_GATEWAY, 1, true, Set.of(X, Y), Set.of()), OWNER).toJson();
    refused(
        JoinRefusal.JOIN_WRONG_GATEWAY,
        joiner(b, new HostFile(other), OTHER_GATEWAY, CLOCK),
        provider::handle);
    byte[] net =
        SignedPolicy.sign(policy(OTHER_NETWORK, 1, true, Set.of(X, Y), Set.of()), OWNER).toJson();
    refused(
        JoinRefusal.JOIN_WRONG_NETWORK,
        joiner(b, new HostFile(net), OTHER_NETWORK, CLOCK),
        provider::handle);
  }

  @Test
  void refusesAReplayedJoinRequest() {
    AtomicReference<JoinRequest> seen = new AtomicReference<>();
    joiner()
        .join(
            req -> {
              seen.set(req);
              return provider.handle(req);
            });
    JoinRefusedException e =
        assertThrows(JoinRefusedException.class, () -> provider.handle(seen.get()));
    assertEquals(JoinRefusal.JOIN_REPLAYED, e.refusal());
  }

  @Test
  void refusesAnAnswerMadeForAnotherRequest() {
    try (SimulatedEnclave c = enclave("c", X)) {
      AtomicReference<JoinResponse> old = new AtomicReference<>();
      joiner(c, bPolicy, GATEWAY, CLOCK)
          .join(
              req -> {
                old.set(provider.handle(req));
                return old.get();
              });
      // The host hands b the answer it recorded for c's join.
      refused(JoinRefusal.JOIN_REPLAYED, joiner(), req -> old.get());
    }
  }

  @Test
  void refusesAStaleRequest() {
    Clock past = Clock.offset(CLOCK, Duration.ofMinutes(-6));
    refused(JoinRefusal.JOIN_EXPIRED, joiner(b, bPolicy, GATEWAY, past), provider::handle);
  }

  @Test
  void refusesWrappedKeysTheHostAltered() {
    JoinRefusedException e =
        refused(
            JoinRefusal.JOIN_BINDING_MISMATCH,
            joiner(),
            tampering(
                r -> {
                  byte[] w = r.wrappedKeys();
                  w[w.length - 1] ^= 1;
                  return new JoinResponse(r.transcript(), r.mode(), r.epochs(), w, r.evidence());
                }));
    assertTrue(e.getMessage().contains("does not bind"), e.getMessage());
  }

  @Test
  void refusesAProviderWhoseOwnEvidenceFails() {
    refused(
        JoinRefusal.JOIN_QUOTE_INVALID,
        joiner(),
        tampering(
            r ->
                new JoinResponse(
                    r.transcript(), r.mode(), r.epochs(), r.wrappedKeys(), "{}".getBytes())));
  }

  @Test
  void refusesAProviderWhoseMeasurementTheOwnerDidNotAllow() {
    // The provider's host lets anyone in; the newcomer's owner-signed policy knows only Y.
    bPolicy.doc = ownerSigned(true, Y);
    refused(JoinRefusal.JOIN_MEASUREMENT_NOT_ALLOWED, joiner(), provider::handle);
  }

  @Test
  void refusesAPolicyForgedByTheHostOnEitherSide() {
    byte[] forged =
        SignedPolicy.sign(policy(GATEWAY, 9, true, Set.of(X, Y), Set.of()), HOST).toJson();
    aPolicy.doc = forged;
    refused(JoinRefusal.JOIN_POLICY_INVALID, joiner(), provider::handle);
    aPolicy.doc = ownerSigned(true, X, Y);
    bPolicy.doc = forged;
    refused(JoinRefusal.JOIN_POLICY_INVALID, joiner(), provider::handle);
  }

  @Test
  void refusesSimulatedInstancesWhenThePolicyDoesNotAllowSimulation() {
    aPolicy.doc = ownerSigned(false, X, Y);
    refused(JoinRefusal.JOIN_SIMULATED_REFUSED, joiner(), provider::handle);
  }

  @Test
  void aProviderWithoutClusterKeysSaysSo() {
    try (SimulatedEnclave c = enclave("c", X)) {
      refused(
          JoinRefusal.JOIN_PROVIDER_NOT_MEMBER,
          joiner(),
          provider(c, aPolicy, GATEWAY, CLOCK)::handle);
    }
  }

  @Test
  void anUnreachableProviderIsARetryableRefusal() {
    HttpJoinTransport http = new HttpJoinTransport("http://127.0.0.1:1", Duration.ofSeconds(2));
    JoinRefusedException e = refused(JoinRefusal.JOIN_PROVIDER_UNREACHABLE, joiner(), http);
    assertTrue(e.retryable());
    assertFalse(new JoinRefusedException(JoinRefusal.JOIN_REPLAYED, "x").retryable());
  }

  @Test
  void requestsWithBadEvidenceDoNotFillTheReplayMemory() {
    JoinProvider small =
        new JoinProvider(
            a,
            new ClusterTrust(GATEWAY, OWNER_KEY, aPolicy),
            ClusterFixture.simulatedVerifier(CLOCK),
            new SeenJoins(CLOCK, Duration.ofMinutes(5), 1));
    for (int i = 0; i < 3; i++) {
      JoinRefusedException e =
          assertThrows(
              JoinRefusedException.class,
              () ->
                  joiner()
                      .join(
                          req ->
                              small.handle(
                                  new JoinRequest(
                                      req.protocol(),
                                      req.gateway(),
                                      req.mode(),
                                      req.ephemeralPublicKey(),
                                      req.nonce(),
                                      req.createdAtMillis(),
                                      "{}".getBytes()))));
      assertEquals(JoinRefusal.JOIN_QUOTE_INVALID, e.refusal());
    }
    assertEquals(a.clusterKeys().orElseThrow(), joiner().join(small::handle));
  }
}
