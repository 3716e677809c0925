package io.nsl.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neow3j.types.Hash160;
import io.nsl.secrets.internal.EnvelopeCodec;
import io.nsl.secrets.internal.EnvelopeCrypto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The published test vector (also checked by Node.js, see secret-envelope-v1.check.mjs): the
 * builder must reproduce it byte for byte, and the enclave side must open it.
 */
class SecretEnvelopeVectorTest {
  static final HexFormat HEX = HexFormat.of();

  static JsonNode vectors() throws IOException {
    try (InputStream in =
        SecretEnvelopeVectorTest.class.getResourceAsStream("/vectors/secret-envelope-v1.json")) {
      return new ObjectMapper().readTree(in).get("vectors");
    }
  }

  static byte[] h(JsonNode v, String field) {
    return HEX.parseHex(v.get(field).asText());
  }

  @Test
  void builderReproducesPublishedVectors() throws IOException {
    int n = 0;
    for (JsonNode v : vectors()) {
      TestOwner owner = new TestOwner(h(v, "ownerPrivateKey"));
      byte[] env =
          SecretEnvelopeBuilder.build(
              SecretOp.valueOf(v.get("op").asText()),
              h(v, "enclaveSecretsPublicKey"),
              v.get("name").asText(),
              h(v, "valueHex"),
              v.get("sequence").asLong(),
              owner,
              h(v, "ephemeralPrivateKey"),
              h(v, "nonce"));
      assertEquals(v.get("envelope").asText(), HEX.formatHex(env), v.get("id").asText());
      n++;
    }
    assertEquals(2, n);
  }

  @Test
  void intermediateValuesMatchThePublishedVector() throws IOException {
    JsonNode v = vectors().get(0);
    byte[] ownerPub = h(v, "ownerPublicKey");
    assertArrayEquals(h(v, "ownerScriptHashLE"), EnvelopeCrypto.scriptHashLE(ownerPub));
    // neow3j, the library the chain side uses, agrees on the account.
    Hash160 neo = Hash160.fromPublicKey(ownerPub);
    assertArrayEquals(h(v, "ownerScriptHashLE"), neo.toLittleEndianArray());
    assertEquals(v.get("ownerAddress").asText(), neo.toAddress());
    TestSecretsKey enclave = new TestSecretsKey(h(v, "enclaveSecretsPrivateKey"));
    assertArrayEquals(h(v, "enclaveSecretsPublicKey"), enclave.publicKey());
    byte[] shared = enclave.agree(h(v, "ephemeralPublicKey"));
    assertArrayEquals(h(v, "ecdhSharedX"), shared);
    byte[] aesKey =
        EnvelopeCrypto.deriveAesKey(shared, h(v, "ephemeralPublicKey"), enclave.publicKey());
    assertArrayEquals(h(v, "aesKey"), aesKey);
    EnvelopeCodec.Parsed p = EnvelopeCodec.parse(h(v, "envelope"), 1 << 20);
    assertArrayEquals(h(v, "aad"), p.aad());
    assertArrayEquals(h(v, "signedMessage"), p.signed());
    assertTrue(EnvelopeCrypto.verify(ownerPub, p.signed(), p.signature()));
    byte[] plain = EnvelopeCrypto.aesGcmDecrypt(aesKey, p.nonce(), p.aad(), p.ciphertext());
    assertEquals(v.get("valueUtf8").asText(), new String(plain, StandardCharsets.UTF_8));
  }

  @Test
  void headerChangeBreaksDecryption() throws IOException {
    JsonNode v = vectors().get(0);
    EnvelopeCodec.Parsed p = EnvelopeCodec.parse(h(v, "envelope"), 1 << 20);
    byte[] aad = p.aad();
    aad[60] ^= 1; // inside the enclave key
    assertNull(EnvelopeCrypto.aesGcmDecrypt(h(v, "aesKey"), p.nonce(), aad, p.ciphertext()));
  }
}
