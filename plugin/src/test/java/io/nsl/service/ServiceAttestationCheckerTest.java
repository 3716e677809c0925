package io.nsl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.api.ApiFailure;
import io.nsl.api.AttestationChecker;
import io.nsl.api.ErrorStatus;
import io.nsl.enclave.dcap.SgxVectors;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which collateral a check uses: the pasted one, else the operator's, else none. */
class ServiceAttestationCheckerTest {
  static final Clock AT = Clock.fixed(Instant.parse("2025-07-01T00:00:00Z"), ZoneOffset.UTC);

  static ServiceAttestationChecker checker(boolean operatorHasCollateral) {
    return new ServiceAttestationChecker(
        () -> {
          throw new IllegalStateException("not used: only quotes are checked here");
        },
        SgxVectors.verifier(),
        AT,
        operatorHasCollateral ? Optional.of(SgxVectors.phalaCollateral()) : Optional.empty());
  }

  static AttestationChecker.Report check(ServiceAttestationChecker c, Optional<String> pasted) {
    return c.checkQuote(SgxVectors.phalaQuote(), Optional.empty(), Optional.empty(), pasted);
  }

  static String tcbOutcome(AttestationChecker.Report r) {
    return r.checks().get(4).outcome();
  }

  @Test
  void usesTheOperatorsCollateralWhenTheCallerGivesNone() {
    AttestationChecker.Report r = check(checker(true), Optional.empty());
    assertEquals("operator", r.facts().get("collateral"));
    assertEquals("PASSED", tcbOutcome(r), r.checks().toString());
    assertEquals("PASSED", r.checks().get(3).outcome(), "QE identity");
  }

  @Test
  void pastedCollateralWinsOverTheOperators() {
    AttestationChecker.Report r =
        check(checker(true), Optional.of(SgxVectors.phalaCollateralJson()));
    assertEquals("pasted", r.facts().get("collateral"));
    assertEquals("PASSED", tcbOutcome(r));
  }

  @Test
  void withoutAnyCollateralTcbAndQeIdentityAreNotChecked() {
    AttestationChecker.Report r = check(checker(false), Optional.empty());
    assertEquals("none", r.facts().get("collateral"));
    assertEquals("NOT_CHECKED", tcbOutcome(r));
    assertEquals("NOT_CHECKED", r.checks().get(3).outcome());
  }

  @Test
  void malformedPastedCollateralIsAnInvalidValueNamingTheField() {
    ApiFailure e =
        assertThrows(ApiFailure.class, () -> check(checker(true), Optional.of("{\"tcb_info\":1}")));
    assertEquals(ErrorStatus.INVALID_VALUE, e.status());
    assertTrue(e.getMessage().startsWith("field 'collateral': "), e.getMessage());
  }
}
