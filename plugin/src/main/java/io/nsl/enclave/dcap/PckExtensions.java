package io.nsl.enclave.dcap;

import java.io.IOException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * The SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1): the platform's TCB component
 * SVNs, PCE SVN, PCE id and FMSPC. These, not the quote header, are what the TCB levels are matched
 * against (the certificate is signed by Intel; the header is not).
 */
record PckExtensions(int[] cpuSvnComponents, int pceSvn, byte[] pceId, byte[] fmspc) {
  static final String SGX_EXTENSION = "1.2.840.113741.1.13.1";
  private static final String TCB = SGX_EXTENSION + ".2";
  private static final String PCEID = SGX_EXTENSION + ".3";
  private static final String FMSPC = SGX_EXTENSION + ".4";

  static PckExtensions of(X509Certificate pck) throws QuoteRejectedException {
    byte[] ext = pck.getExtensionValue(SGX_EXTENSION);
    if (ext == null) {
      throw new QuoteRejectedException(
          FailureReason.PCK_CHAIN_MALFORMED,
          "the PCK certificate has no SGX extension (" + SGX_EXTENSION + ")");
    }
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(JcaX509ExtensionUtils.parseExtensionValue(ext));
      int[] comps = null;
      Integer pceSvn = null;
      byte[] pceId = null;
      byte[] fmspc = null;
      for (ASN1Encodable item : seq) {
        ASN1Sequence pair = ASN1Sequence.getInstance(item);
        String oid = ASN1ObjectIdentifier.getInstance(pair.getObjectAt(0)).getId();
        ASN1Primitive value = pair.getObjectAt(1).toASN1Primitive();
        switch (oid) {
          case TCB -> {
            comps = new int[16];
            for (ASN1Encodable t : ASN1Sequence.getInstance(value)) {
              ASN1Sequence tp = ASN1Sequence.getInstance(t);
              String toid = ASN1ObjectIdentifier.getInstance(tp.getObjectAt(0)).getId();
              int idx = Integer.parseInt(toid.substring(TCB.length() + 1));
              if (idx >= 1 && idx <= 16) {
                comps[idx - 1] = ASN1Integer.getInstance(tp.getObjectAt(1)).intValueExact();
              } else if (idx == 17) {
                pceSvn = ASN1Integer.getInstance(tp.getObjectAt(1)).intValueExact();
              }
            }
          }
          case PCEID -> pceId = ASN1OctetString.getInstance(value).getOctets();
          case FMSPC -> fmspc = ASN1OctetString.getInstance(value).getOctets();
          default -> {
            // PPID, SGX type, platform instance id, configuration: not needed for TCB matching.
          }
        }
      }
      if (comps == null || pceSvn == null || pceId == null || fmspc == null) {
        throw new QuoteRejectedException(
            FailureReason.PCK_CHAIN_MALFORMED,
            "the PCK certificate's SGX extension lacks TCB, PCE id or FMSPC");
      }
      return new PckExtensions(comps, pceSvn, pceId, fmspc);
    } catch (IOException | IllegalArgumentException | ArithmeticException | ClassCastException e) {
      throw new QuoteRejectedException(
          FailureReason.PCK_CHAIN_MALFORMED,
          "the PCK certificate's SGX extension is malformed: " + e.getMessage());
    }
  }
}
