package io.nsl.cluster;

import static io.nsl.cluster.ClusterFixture.GATEWAY;
import static io.nsl.cluster.ClusterFixture.HOST;
import static io.nsl.cluster.ClusterFixture.OTHER_GATEWAY;
import static io.nsl.cluster.ClusterFixture.OWNER;
import static io.nsl.cluster.ClusterFixture.OWNER_KEY;
import static io.nsl.cluster.ClusterFixture.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.enclave.EnclaveMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The owner's measurement policy: its rules, and that only the pinned owner key makes it. */
class MeasurementPolicyTest {
  static final String X = "11".repeat(32);
  static final String Y = "22".repeat(32);
  static final String SIGNER = "33".repeat(32);

  private static PeerFacts sgx(String m) {
    return new PeerFacts(EnclaveMode.SGX, m, SIGNER, 1, 5, "UpToDate");
  }

  private static JoinRefusal refusal(MeasurementPolicy p, PeerFacts f) {
    return p.refusalFor(f).map(JoinRefusedException::refusal).orElse(null);
  }

  @Test
  void allowsListedMeasurementsAndRefusesOthers() {
    MeasurementPolicy p = policy(GATEWAY, 1, false, Set.of(X), Set.of());
    assertEquals(Optional.empty(), p.refusalFor(sgx(X)));
    assertEquals(JoinRefusal.JOIN_MEASUREMENT_NOT_ALLOWED, refusal(p, sgx(Y)));
  }

  @Test
  void revocationWinsOverEveryRule() {
    MeasurementPolicy p =
        new MeasurementPolicy(
            GATEWAY,
            2,
            false,
            Set.of(X),
            List.of(new MeasurementPolicy.SignerRule(SIGNER, 1, 1)),
            Set.of(X));
    assertEquals(JoinRefusal.JOIN_MEASUREMENT_REVOKED, refusal(p, sgx(X)));
    assertEquals(Optional.empty(), p.refusalFor(sgx(Y)), "Y is allowed by its signer");
  }

  @Test
  void signerRulesNeedTheProductAndAtLeastTheMinimumSvn() {
    MeasurementPolicy p =
        new MeasurementPolicy(
            GATEWAY,
            1,
            false,
            Set.of(),
            List.of(new MeasurementPolicy.SignerRule(SIGNER, 1, 5)),
            Set.of());
    assertEquals(Optional.empty(), p.refusalFor(sgx(Y)));
    assertEquals(
        JoinRefusal.JOIN_MEASUREMENT_NOT_ALLOWED,
        refusal(p, new PeerFacts(EnclaveMode.SGX, Y, SIGNER, 1, 4, null)));
    assertEquals(
        JoinRefusal.JOIN_MEASUREMENT_NOT_ALLOWED,
        refusal(p, new PeerFacts(EnclaveMode.SGX, Y, SIGNER, 2, 9, null)));
  }

  @Test
  void simulatedPeersNeedThePolicyToAllowSimulation() {
    PeerFacts sim = new PeerFacts(EnclaveMode.SIMULATED, X, null, -1, -1, null);
    assertEquals(
        JoinRefusal.JOIN_SIMULATED_REFUSED,
        refusal(policy(GATEWAY, 1, false, Set.of(X), Set.of()), sim));
    assertEquals(Optional.empty(), policy(GATEWAY, 1, true, Set.of(X), Set.of()).refusalFor(sim));
  }

  @Test
  void anOwnerSignedPolicyVerifiesAndSurvivesItsJsonForm() {
    SignedPolicy s = SignedPolicy.sign(policy(GATEWAY, 7, true, Set.of(X, Y), Set.of()), OWNER);
    MeasurementPolicy p = SignedPolicy.parse(s.toJson()).verify(OWNER_KEY, GATEWAY);
    assertEquals(s.policy(), p);
    assertEquals(7, p.sequence());
  }

  @Test
  void refusesAPolicyTheHostSignedWithItsOwnKey() {
    byte[] forged =
        SignedPolicy.sign(policy(GATEWAY, 99, true, Set.of(X, Y), Set.of()), HOST).toJson();
    JoinRefusedException e =
        assertThrows(
            JoinRefusedException.class,
            () -> SignedPolicy.parse(forged).verify(OWNER_KEY, GATEWAY));
    assertEquals("JOIN_POLICY_INVALID", e.code());
    assertTrue(e.getMessage().contains("not by the owner key"), e.getMessage());
  }

  @Test
  void refusesAnOwnerSignedPolicyTheHostAlteredAfterwards() {
    String doc =
        new String(
            SignedPolicy.sign(policy(GATEWAY, 1, false, Set.of(X), Set.of()), OWNER).toJson(),
            StandardCharsets.UTF_8);
    // The host adds its own build to the allowlist, keeping the owner's signature and key.
    String altered = doc.replace("\"" + X + "\"", "\"" + X + "\", \"" + Y + "\"");
    assertTrue(altered.contains(Y));
    JoinRefusedException e =
        assertThrows(
            JoinRefusedException.class,
            () ->
                SignedPolicy.parse(altered.getBytes(StandardCharsets.UTF_8))
                    .verify(OWNER_KEY, GATEWAY));
    assertTrue(e.getMessage().contains("altered after signing"), e.getMessage());
  }

  @Test
  void refusesAnOwnerSignedPolicyForAnotherGateway() {
    SignedPolicy other =
        SignedPolicy.sign(policy(OTHER_GATEWAY, 1, false, Set.of(X), Set.of()), OWNER);
    JoinRefusedException e =
        assertThrows(JoinRefusedException.class, () -> other.verify(OWNER_KEY, GATEWAY));
    assertEquals(JoinRefusal.JOIN_POLICY_INVALID, e.refusal());
  }

  @Test
  void refusesADocumentThatIsNotAPolicy() {
    JoinRefusedException e =
        assertThrows(
            JoinRefusedException.class,
            () -> SignedPolicy.parse("{\"format\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(JoinRefusal.JOIN_POLICY_INVALID, e.refusal());
  }
}
