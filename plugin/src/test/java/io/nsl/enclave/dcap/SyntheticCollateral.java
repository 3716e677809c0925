package io.nsl.enclave.dcap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * TCB info (v3) and QE identity (v2) texts in Intel's format, and {@link Collateral} signed by a
 * {@link SyntheticPki}'s TCB signing key.
 */
final class SyntheticCollateral {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SyntheticCollateral() {}

  /** One platform TCB level: at or above these 16 components and PCE SVN, {@code status}. */
  record TcbLevel(int[] components, int pceSvn, String status, List<String> advisoryIds) {
    TcbLevel {
      components = components.clone();
      advisoryIds = List.copyOf(advisoryIds);
    }
  }

  /** One QE TCB level: ISVSVN at or above {@code isvSvn}, {@code status}. */
  record QeLevel(int isvSvn, String status, List<String> advisoryIds) {
    QeLevel {
      advisoryIds = List.copyOf(advisoryIds);
    }
  }

  static int[] svns(int... first) {
    int[] out = new int[16];
    System.arraycopy(first, 0, out, 0, first.length);
    return out;
  }

  static String tcbInfo(
      String fmspc, String pceId, Instant issueDate, Instant nextUpdate, List<TcbLevel> levels) {
    ObjectNode info = JSON.createObjectNode();
    info.put("id", "SGX");
    info.put("version", 3);
    info.put("issueDate", issueDate.toString());
    info.put("nextUpdate", nextUpdate.toString());
    info.put("fmspc", fmspc.toUpperCase(java.util.Locale.ROOT));
    info.put("pceId", pceId);
    info.put("tcbType", 0);
    info.put("tcbEvaluationDataNumber", 17);
    ArrayNode out = info.putArray("tcbLevels");
    for (TcbLevel l : levels) {
      ObjectNode level = out.addObject();
      ObjectNode tcb = level.putObject("tcb");
      ArrayNode comps = tcb.putArray("sgxtcbcomponents");
      for (int svn : l.components()) {
        comps.addObject().put("svn", svn);
      }
      tcb.put("pcesvn", l.pceSvn());
      level.put("tcbDate", "2025-11-12T00:00:00Z");
      level.put("tcbStatus", l.status());
      if (!l.advisoryIds().isEmpty()) {
        ArrayNode a = level.putArray("advisoryIDs");
        l.advisoryIds().forEach(a::add);
      }
    }
    return info.toString();
  }

  /**
   * A QE identity for Intel's production QE (MRSIGNER {@link SyntheticQuote#INTEL_QE_MRSIGNER},
   * ISVPRODID 1, attributes 0x11 under mask FBFF…, MISCSELECT 0 under mask FFFFFFFF).
   */
  static String qeIdentity(Instant issueDate, Instant nextUpdate, List<QeLevel> levels) {
    ObjectNode id = JSON.createObjectNode();
    id.put("id", "QE");
    id.put("version", 2);
    id.put("issueDate", issueDate.toString());
    id.put("nextUpdate", nextUpdate.toString());
    id.put("tcbEvaluationDataNumber", 17);
    id.put("miscselect", "00000000");
    id.put("miscselectMask", "FFFFFFFF");
    id.put("attributes", "11000000000000000000000000000000");
    id.put("attributesMask", "FBFFFFFFFFFFFFFF0000000000000000");
    id.put("mrsigner", SyntheticQuote.INTEL_QE_MRSIGNER.toUpperCase(java.util.Locale.ROOT));
    id.put("isvprodid", 1);
    ArrayNode out = id.putArray("tcbLevels");
    for (QeLevel l : levels) {
      ObjectNode level = out.addObject();
      level.putObject("tcb").put("isvsvn", l.isvSvn());
      level.put("tcbDate", "2025-11-12T00:00:00Z");
      level.put("tcbStatus", l.status());
      if (!l.advisoryIds().isEmpty()) {
        ArrayNode a = level.putArray("advisoryIDs");
        l.advisoryIds().forEach(a::add);
      }
    }
    return id.toString();
  }

  /** Collateral whose TCB info and QE identity are signed by {@code pki}'s TCB signing key. */
  static Collateral signed(
      SyntheticPki pki, String tcbInfo, String qeIdentity, byte[] rootCrl, byte[] pckCrl) {
    return signed(pki, tcbInfo, qeIdentity, rootCrl, pckCrl, List.of());
  }

  static Collateral signed(
      SyntheticPki pki,
      String tcbInfo,
      String qeIdentity,
      byte[] rootCrl,
      byte[] pckCrl,
      List<X509Certificate> pckCrlIssuerChain) {
    List<X509Certificate> signerChain = List.of(pki.tcbSigner(), pki.root());
    return new Collateral(
        tcbInfo,
        pki.signWithTcbKey(tcbInfo.getBytes(StandardCharsets.UTF_8)),
        signerChain,
        qeIdentity,
        pki.signWithTcbKey(qeIdentity.getBytes(StandardCharsets.UTF_8)),
        signerChain,
        rootCrl,
        pckCrl,
        pckCrlIssuerChain);
  }
}
