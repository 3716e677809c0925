package io.nsl.enclave.internal;

import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.ReportData;
import io.nsl.enclave.dcap.SgxQuote;
import io.nsl.testing.DocText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/enclave.md's byte layouts give the sizes and masks the code writes and reads. */
class EnclaveDocTest {
  private static final String DOC = "docs/enclave.md";

  private static String doc() {
    return DocText.fold(DocText.read(DOC));
  }

  @Test
  void sealedFileLayoutIsTheCodes() {
    String magic = new String(SealedKeyFile.MAGIC, StandardCharsets.US_ASCII);
    DocText.assertSays(
        DOC + ", \"Sealing\"",
        DocText.section(DocText.read(DOC), "Sealing"),
        List.of(
            "("
                + KeyRing.SERIALIZED_LENGTH
                + " bytes: version 1, signing scalar, secrets scalar, root secret)",
            "\""
                + magic
                + "\" ("
                + SealedKeyFile.MAGIC.length
                + ") | source tag (1) | context length u16 BE | context | nonce ("
                + SealedKeyFile.NONCE_BYTES
                + ") | AES-256-GCM(ct ‖ tag ("
                + SealedKeyFile.TAG_BYTES
                + "))",
            "| SIMULATED | `"
                + (char) FileSealingKeySource.TAG
                + "` | "
                + FileSealingKeySource.KEY_BYTES
                + " random bytes in `<dataDir>/seal.key`",
            "| SGX | `" + (char) SgxSealingKeySource.TAG + "` |",
            "| key id ("
                + SgxStructs.SealContext.KEY_ID_BYTES
                + " random) ‖ CPU SVN ("
                + SgxStructs.SealContext.CPU_SVN_BYTES
                + ") ‖ ISV SVN u16 LE ‖ CONFIG SVN u16 LE |",
            "(`sgx_key_request_t`, " + SgxStructs.KEY_REQUEST_SIZE + " bytes)",
            "attribute mask `0x" + hex(SgxStructs.SEAL_FLAGS_MASK, 16) + "`",
            "misc mask `0x" + hex(SgxStructs.SEAL_MISC_MASK & 0xFFFF_FFFFL, 8) + "`"));
  }

  @Test
  void keyTableAndClusterRingAreTheCodes() {
    DocText.assertSays(
        DOC,
        doc(),
        List.of(
            "| root secret (" + KeyRing.ROOT_SECRET_BYTES + " bytes) |",
            "version 1 | epoch count u16 | per epoch: epoch u32 | secrets scalar ("
                + KeyRing.SCALAR_BYTES
                + ") | root secret ("
                + KeyRing.ROOT_SECRET_BYTES
                + ")"));
  }

  @Test
  void reportDataLayoutIsTheCodes() {
    DocText.assertSays(
        DOC + ", \"report_data\"",
        DocText.section(DocText.read(DOC), "report_data"),
        List.of(
            "report_data = SHA-256( \""
                + ReportData.TAG
                + "\" "
                + ReportData.TAG.length()
                + " bytes ASCII || networkMagic u"
                + ReportData.NETWORK_MAGIC_BYTES * 8
                + " little-endian || gatewayScriptHashLE "
                + GatewayIdentity.SCRIPT_HASH_BYTES
                + " bytes (little-endian, as the VM stores it) || signingPublicKey "
                + ReportData.PUBLIC_KEY_BYTES
                + " bytes compressed || secretsPublicKey ) "
                + ReportData.PUBLIC_KEY_BYTES
                + " bytes compressed || "
                + (ReportData.LENGTH - ReportData.DIGEST_BYTES)
                + " zero bytes ("
                + ReportData.LENGTH
                + " bytes in all)"));
  }

  @Test
  void quoteCertificationDataTypesAreTheCodes() {
    DocText.assertSays(
        DOC,
        doc(),
        List.of(
            "certification data of type " + SgxQuote.CERT_DATA_QE_REPORT + " wrapping QE report",
            "certification data type " + SgxQuote.CERT_DATA_PCK_CHAIN + " (the PCK chain)"));
  }

  private static String hex(long v, int digits) {
    return String.format(Locale.ROOT, "%0" + digits + "X", v);
  }
}
