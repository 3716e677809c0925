package io.nsl.enclave.dcap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A stand-in for Intel's SGX PKI, built in test code with Bouncy Castle: a root CA (in place of the
 * Intel SGX Root CA), a PCK CA, a PCK leaf carrying the SGX extension (OID 1.2.840.113741.1.13.1:
 * TCB components, PCE SVN, PCE id, FMSPC) and a TCB signing certificate. It signs CRLs, TCB info
 * and QE identity texts the way Intel does (ECDSA P-256, raw r‖s over the exact bytes), so
 * collateral the recorded vectors never contain (revoked certificates, Revoked TCB levels, foreign
 * QEs) can be made.
 *
 * <p>A {@link DcapQuoteVerifier} trusts it only when handed {@link #root()} explicitly; the
 * production default ({@link DcapQuoteVerifier#withIntelRoot()}) does not.
 */
final class SyntheticPki {
  /** Every certificate is valid in this window. */
  static final Instant NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");

  static final Instant NOT_AFTER = Instant.parse("2035-01-01T00:00:00Z");

  static final BigInteger ROOT_SERIAL = BigInteger.valueOf(0x5001);
  static final BigInteger PCK_CA_SERIAL = BigInteger.valueOf(0x5002);
  static final BigInteger PCK_SERIAL = BigInteger.valueOf(0x5003);
  static final BigInteger TCB_SIGNER_SERIAL = BigInteger.valueOf(0x5004);

  /** The distinguished names of the four certificates. */
  record Names(X500Name root, X500Name pckCa, X500Name pck, X500Name tcbSigner) {
    static final Names TEST =
        new Names(
            new X500Name("CN=NSL Test SGX Root CA, O=NSL tests"),
            new X500Name("CN=NSL Test SGX PCK Processor CA, O=NSL tests"),
            new X500Name("CN=NSL Test SGX PCK Certificate, O=NSL tests"),
            new X500Name("CN=NSL Test SGX TCB Signing, O=NSL tests"));

    /** Intel's own names, taken from a genuine PCK chain (leaf, PCK CA, root). */
    static Names of(List<X509Certificate> chain, X509Certificate tcbSigner) {
      return new Names(name(chain.get(2)), name(chain.get(1)), name(chain.get(0)), name(tcbSigner));
    }

    private static X500Name name(X509Certificate c) {
      return X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
    }
  }

  /**
   * The platform TCB a PCK certificate states.
   *
   * @param cpuSvnComponents 16 SGX TCB component SVNs
   */
  record PlatformTcb(String fmspcHex, String pceIdHex, int[] cpuSvnComponents, int pceSvn) {
    PlatformTcb {
      cpuSvnComponents = cpuSvnComponents.clone();
      if (cpuSvnComponents.length != 16) {
        throw new IllegalArgumentException("16 TCB components");
      }
    }

    /** The DER value of the SGX extension, laid out as Intel's PCK certificate profile has it. */
    byte[] sgxExtensionDer() {
      String base = PckExtensions.SGX_EXTENSION;
      ASN1EncodableVector tcb = new ASN1EncodableVector();
      for (int i = 0; i < 16; i++) {
        tcb.add(pair(base + ".2." + (i + 1), new ASN1Integer(cpuSvnComponents[i])));
      }
      tcb.add(pair(base + ".2.17", new ASN1Integer(pceSvn)));
      byte[] cpuSvn = new byte[16];
      for (int i = 0; i < 16; i++) {
        cpuSvn[i] = (byte) cpuSvnComponents[i];
      }
      tcb.add(pair(base + ".2.18", new DEROctetString(cpuSvn)));
      ASN1EncodableVector ext = new ASN1EncodableVector();
      ext.add(pair(base + ".1", new DEROctetString(new byte[16]))); // PPID
      ext.add(pair(base + ".2", new DERSequence(tcb)));
      ext.add(pair(base + ".3", new DEROctetString(HexFormat.of().parseHex(pceIdHex))));
      ext.add(pair(base + ".4", new DEROctetString(HexFormat.of().parseHex(fmspcHex))));
      ext.add(pair(base + ".5", new ASN1Enumerated(0))); // SGX type: Standard
      try {
        return new DERSequence(ext).getEncoded();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static DERSequence pair(String oid, org.bouncycastle.asn1.ASN1Encodable value) {
      return new DERSequence(
          new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1ObjectIdentifier(oid), value});
    }
  }

  private final Names names;
  private final KeyPair rootKey;
  private final KeyPair pckCaKey;
  private final KeyPair pckKey;
  private final KeyPair tcbKey;
  private final X509Certificate root;
  private final X509Certificate pckCa;
  private final X509Certificate pck;
  private final X509Certificate tcbSigner;

  private SyntheticPki(Names names, byte[] sgxExtensionDer) {
    this.names = names;
    rootKey = p256();
    pckCaKey = p256();
    pckKey = p256();
    tcbKey = p256();
    root = cert(names.root(), rootKey, names.root(), rootKey, ROOT_SERIAL, true, null);
    pckCa = cert(names.pckCa(), pckCaKey, names.root(), rootKey, PCK_CA_SERIAL, true, null);
    pck = cert(names.pck(), pckKey, names.pckCa(), pckCaKey, PCK_SERIAL, false, sgxExtensionDer);
    tcbSigner =
        cert(names.tcbSigner(), tcbKey, names.root(), rootKey, TCB_SIGNER_SERIAL, false, null);
  }

  static SyntheticPki create(PlatformTcb platform) {
    return new SyntheticPki(Names.TEST, platform.sgxExtensionDer());
  }

  /** A PKI with the given names whose PCK leaf carries exactly {@code sgxExtensionDer}. */
  static SyntheticPki create(Names names, byte[] sgxExtensionDer) {
    return new SyntheticPki(names, sgxExtensionDer);
  }

  X509Certificate root() {
    return root;
  }

  X509Certificate pckCa() {
    return pckCa;
  }

  X509Certificate pck() {
    return pck;
  }

  X509Certificate tcbSigner() {
    return tcbSigner;
  }

  /** The leaf, PCK CA, root: the order a quote's certification data carries them. */
  List<X509Certificate> pckChain() {
    return List.of(pck, pckCa, root);
  }

  /** A verifier trusting this PKI's root instead of Intel's. */
  DcapQuoteVerifier verifier() {
    return new DcapQuoteVerifier(root);
  }

  /** The PCK leaf key signs the QE report. */
  byte[] signWithPckKey(byte[] data) {
    return signP1363(pckKey.getPrivate(), data);
  }

  /** The TCB signing key signs TCB info and QE identity texts. */
  byte[] signWithTcbKey(byte[] data) {
    return signP1363(tcbKey.getPrivate(), data);
  }

  /** A CRL of the root, current {@code thisUpdate .. nextUpdate}, revoking {@code serials}. */
  byte[] rootCrl(Instant thisUpdate, Instant nextUpdate, BigInteger... serials) {
    return crl(names.root(), rootKey.getPrivate(), thisUpdate, nextUpdate, serials);
  }

  /** A CRL of the PCK CA, current {@code thisUpdate .. nextUpdate}, revoking {@code serials}. */
  byte[] pckCrl(Instant thisUpdate, Instant nextUpdate, BigInteger... serials) {
    return crl(names.pckCa(), pckCaKey.getPrivate(), thisUpdate, nextUpdate, serials);
  }

  static byte[] crl(
      X500Name issuer,
      PrivateKey key,
      Instant thisUpdate,
      Instant nextUpdate,
      BigInteger... serials) {
    X509v2CRLBuilder b = new X509v2CRLBuilder(issuer, Date.from(thisUpdate));
    b.setNextUpdate(Date.from(nextUpdate));
    for (BigInteger serial : serials) {
      b.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
    }
    try {
      return new JcaX509CRLConverter()
          .getCRL(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)))
          .getEncoded();
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] signP1363(PrivateKey key, byte[] data) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate cert(
      X500Name subject,
      KeyPair subjectKey,
      X500Name issuer,
      KeyPair issuerKey,
      BigInteger serial,
      boolean ca,
      byte[] sgxExtensionDer) {
    try {
      var b =
          new JcaX509v3CertificateBuilder(
              issuer,
              serial,
              Date.from(NOT_BEFORE),
              Date.from(NOT_AFTER),
              subject,
              subjectKey.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(
              ca
                  ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                  : KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
      if (sgxExtensionDer != null) {
        b.addExtension(
            new ASN1ObjectIdentifier(PckExtensions.SGX_EXTENSION), false, sgxExtensionDer);
      }
      var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
