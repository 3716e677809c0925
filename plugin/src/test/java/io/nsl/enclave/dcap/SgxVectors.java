package io.nsl.enclave.dcap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

/**
 * The recorded SGX DCAP vectors, vendored in {@code <repo>/testdata/sgx-vectors} with their
 * licences and origins (README.txt there). The repo root comes from system property {@code
 * nsl.root} or from walking up from the working directory to the folder holding {@code pom.xml} and
 * {@code plugin/}.
 */
public final class SgxVectors {
  private SgxVectors() {}

  public static Path repoRoot() {
    String prop = System.getProperty("nsl.root");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("plugin"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new IllegalStateException(
        "cannot find the repo root (pom.xml + plugin/) above " + Path.of("").toAbsolutePath());
  }

  public static Path dir() {
    Path d = repoRoot().resolve("testdata/sgx-vectors");
    if (!Files.isDirectory(d)) {
      throw new IllegalStateException(
          "the SGX test vectors are missing: expected "
              + d
              + " (they are part of the repository; restore them with git checkout testdata/)");
    }
    return d;
  }

  public static Path file(String relative) {
    return dir().resolve(relative);
  }

  public static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(file(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String relative) {
    return new String(bytes(relative), StandardCharsets.UTF_8);
  }

  /** A quote stored as hex text (optional 0x prefix). */
  public static byte[] hexFile(String relative) {
    String s = text(relative).strip();
    return HexFormat.of().parseHex(s.startsWith("0x") ? s.substring(2) : s);
  }

  public static List<X509Certificate> pem(String relative) {
    try {
      return Collateral.parsePemChain(text(relative));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static DcapQuoteVerifier verifier() {
    return new DcapQuoteVerifier(pem("intel_sgx_root_ca.pem").get(0));
  }

  public static byte[] phalaQuote() {
    return bytes("phala-dcap-qvl/sgx_quote.bin");
  }

  public static String phalaCollateralJson() {
    return text("phala-dcap-qvl/sgx_quote_collateral.json");
  }

  public static Collateral phalaCollateral() {
    return Collateral.fromPccsJson(phalaCollateralJson());
  }

  public static Collateral automataCollateral() {
    return Collateral.fromPcsResponses(
        text("automata-dcap-attestation/sgx_tcbinfov3_00606a000000.json"),
        text("automata-dcap-attestation/sgx_qeidentity_v4.json"),
        pem("automata-dcap-attestation/tcb_signing_cert.pem"),
        bytes("automata-dcap-attestation/intel_root_ca_crl.der"),
        bytes("automata-dcap-attestation/platform_crl.der"));
  }

  public static Collateral mobilecoinCollateral() {
    return Collateral.fromPcsResponses(
        text("mobilecoin-attestation/fmspc_00906ED50000_2023_07_12.json"),
        text("mobilecoin-attestation/qe_identity.json"),
        pem("mobilecoin-attestation/tcb_signer.pem"),
        bytes("mobilecoin-attestation/root_crl.der"),
        bytes("mobilecoin-attestation/processor_crl.der"));
  }
}
