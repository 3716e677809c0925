package io.nsl.secrets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neow3j.types.Hash160;
import io.nsl.secrets.internal.EnvelopeCodec;
import io.nsl.secrets.internal.EnvelopeCrypto;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Writes plugin/src/test/resources/vectors/secret-envelope-v1.json. Run by hand after a deliberate
 * format change (and then check the file with the Node.js script beside it): {@code java -cp
 * plugin/target/test-classes:plugin/target/classes:<deps>
 * io.nsl.secrets.SecretEnvelopeVectorGenerator
 * plugin/src/test/resources/vectors/secret-envelope-v1.json}
 */
public final class SecretEnvelopeVectorGenerator {
  static final HexFormat HEX = HexFormat.of();

  private SecretEnvelopeVectorGenerator() {}

  static byte[] seed(String s) {
    return EnvelopeCrypto.sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  public static void main(String[] args) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("format", "NSL secret envelope v1");
    root.put("spec", "docs/secrets-envelope.md");
    root.put("hkdfInfoAscii", new String(EnvelopeCrypto.HKDF_INFO, StandardCharsets.US_ASCII));
    root.put(
        "note",
        "Private keys are sha256(UTF-8 seed). Signatures are RFC 6979 with low s; a verifier"
            + " must also accept randomized signatures and high s.");
    ArrayNode vectors = root.putArray("vectors");
    vectors.add(
        vector(
            json,
            "put",
            SecretOp.PUT,
            "OPENAI_API_KEY",
            "sk-test-0123456789abcdef",
            1718000000000L));
    vectors.add(vector(json, "delete", SecretOp.DELETE, "OPENAI_API_KEY", "", 1718000000001L));
    json.writeValue(new File(args[0]), root);
  }

  static ObjectNode vector(
      ObjectMapper json, String id, SecretOp op, String name, String value, long sequence) {
    byte[] enclavePriv = seed("NSL test vector: enclave secrets key");
    byte[] ownerPriv = seed("NSL test vector: owner key");
    byte[] ephPriv = seed("NSL test vector: ephemeral key " + id);
    byte[] nonce = Arrays.copyOf(seed("NSL test vector: nonce " + id), 12);
    byte[] enclavePub = EnvelopeCrypto.publicKeyOf(enclavePriv);
    TestOwner owner = new TestOwner(ownerPriv);
    byte[] ownerPub = owner.publicKey();
    byte[] ephPub = EnvelopeCrypto.publicKeyOf(ephPriv);
    byte[] shared = EnvelopeCrypto.agree(ephPriv, enclavePub);
    byte[] aesKey = EnvelopeCrypto.deriveAesKey(shared, ephPub, enclavePub);
    byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
    byte[] env =
        SecretEnvelopeBuilder.build(
            op, enclavePub, name, valueBytes, sequence, owner, ephPriv, nonce);
    EnvelopeCodec.Parsed p = EnvelopeCodec.parse(env, 1 << 20);
    Hash160 neoHash = Hash160.fromPublicKey(ownerPub);

    ObjectNode v = json.createObjectNode();
    v.put("id", id);
    v.put("op", op.name());
    v.put("opCode", op.code());
    v.put("enclaveSecretsPrivateKey", HEX.formatHex(enclavePriv));
    v.put("enclaveSecretsPublicKey", HEX.formatHex(enclavePub));
    v.put("ownerPrivateKey", HEX.formatHex(ownerPriv));
    v.put("ownerPublicKey", HEX.formatHex(ownerPub));
    v.put("ownerVerificationScript", HEX.formatHex(EnvelopeCrypto.verificationScript(ownerPub)));
    v.put("ownerScriptHashLE", HEX.formatHex(EnvelopeCrypto.scriptHashLE(ownerPub)));
    v.put("ownerScriptHash", "0x" + neoHash.toString());
    v.put("ownerAddress", neoHash.toAddress());
    v.put("sequence", sequence);
    v.put("name", name);
    v.put("valueUtf8", value);
    v.put("valueHex", HEX.formatHex(valueBytes));
    v.put("ephemeralPrivateKey", HEX.formatHex(ephPriv));
    v.put("ephemeralPublicKey", HEX.formatHex(ephPub));
    v.put("ecdhSharedX", HEX.formatHex(shared));
    v.put("hkdfSalt", HEX.formatHex(p.ephemeralKey()) + HEX.formatHex(enclavePub));
    v.put("aesKey", HEX.formatHex(aesKey));
    v.put("nonce", HEX.formatHex(nonce));
    v.put("aad", HEX.formatHex(p.aad()));
    v.put("ciphertextWithTag", HEX.formatHex(p.ciphertext()));
    v.put("signedMessage", HEX.formatHex(p.signed()));
    v.put("signedMessageSha256", HEX.formatHex(EnvelopeCrypto.sha256(p.signed())));
    v.put("signature", HEX.formatHex(p.signature()));
    v.put("envelope", HEX.formatHex(env));
    return v;
  }
}
