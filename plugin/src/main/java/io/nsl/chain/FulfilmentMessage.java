package io.nsl.chain;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The bytes an enclave signs for a fulfilment, exactly as the gateway rebuilds them before {@code
 * CryptoLib.verifyWithECDsa} (secp256r1, SHA-256). Binding the network magic and the gateway's own
 * script hash stops a signature being replayed on another network or deployment; binding every
 * entry's request id, status, result and gas used stops it being moved to another request or
 * answer. One signature covers a whole {@code fulfilBatch}; a single {@code fulfil} signs a batch
 * of one. Layout (integers little-endian; see contracts/README.md):
 *
 * <pre>
 * networkMagic u32 | gatewayScriptHashLE 20 | entry_1 | ... | entry_n
 * entry = requestId u64 | status u8 | gasUsed u64 | len(result) u16 | len(fields) u16
 *         | result | fields | sha256(fields)
 * </pre>
 *
 * <p>{@code fields} are the request's fields exactly as its {@code Request} event carried them
 * (requester, callback, serialized userData); the gateway stored only their sha256 and puts the
 * stored value where this encoder puts {@code sha256(fields)}, so a signature verifies only over
 * the fields the request committed to. The result goes in whole, not as its hash: the gateway's one
 * verify call hashes the whole message at a fixed price, a sha256 per entry would cost a native
 * call each. The length fields keep the encoding unambiguous.
 */
public final class FulfilmentMessage {
  /** Bytes of the prefix (magic and gateway hash). */
  public static final int PREFIX_LENGTH = 4 + 20;

  /** Bytes of an entry's fixed head (before the result, the fields and their sha256). */
  public static final int ENTRY_HEAD_LENGTH = 8 + 1 + 8 + 2 + 2;

  /** The gateway's bounds on a request's fields (a requester and more; MaxPayloadSize). */
  public static final int MIN_FIELDS_BYTES = 21;

  public static final int MAX_FIELDS_BYTES = 832;

  /** The gateway's limit on a result (MaxResultSize). */
  public static final int MAX_RESULT_BYTES = 4096;

  /**
   * One answer as the enclave signs it.
   *
   * @param fields the request's fields as its Request event carried them ({@link
   *     GatewayRequest#fields()})
   */
  public record Entry(long requestId, int status, byte[] result, long gasUsed, byte[] fields) {
    public Entry {
      if (status < 0 || status > 255) {
        throw new IllegalArgumentException("status must fit one byte, got " + status);
      }
      if (requestId <= 0 || gasUsed < 0) {
        throw new IllegalArgumentException(
            "request id must be positive and gas used not negative, got "
                + requestId
                + ", "
                + gasUsed);
      }
      if (result.length > MAX_RESULT_BYTES) {
        throw new IllegalArgumentException(
            "result of "
                + result.length
                + " bytes is over the gateway's limit of "
                + MAX_RESULT_BYTES);
      }
      if (fields.length < MIN_FIELDS_BYTES || fields.length > MAX_FIELDS_BYTES) {
        throw new IllegalArgumentException(
            "request fields must be "
                + MIN_FIELDS_BYTES
                + ".."
                + MAX_FIELDS_BYTES
                + " bytes as the Request event carried them, got "
                + fields.length
                + " (a request seen before the gateway's commitment format has none)");
      }
      result = result.clone();
      fields = fields.clone();
    }

    @Override
    public byte[] result() {
      return result.clone();
    }

    @Override
    public byte[] fields() {
      return fields.clone();
    }
  }

  private FulfilmentMessage() {}

  /** The message for one answer (what {@code fulfil} checks; equal to a batch of one). */
  public static byte[] encode(
      long networkMagic,
      byte[] gatewayScriptHashLE,
      long requestId,
      int status,
      byte[] result,
      long gasUsed,
      byte[] fields) {
    return encodeBatch(
        networkMagic,
        gatewayScriptHashLE,
        List.of(new Entry(requestId, status, result, gasUsed, fields)));
  }

  /**
   * The message one {@code fulfilBatch} signature covers: the prefix, then every entry in order.
   */
  public static byte[] encodeBatch(
      long networkMagic, byte[] gatewayScriptHashLE, List<Entry> entries) {
    if (gatewayScriptHashLE.length != 20) {
      throw new IllegalArgumentException(
          "gateway script hash must be 20 bytes, got " + gatewayScriptHashLE.length);
    }
    if (networkMagic < 0 || networkMagic > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("network magic must be a u32, got " + networkMagic);
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one entry");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(PREFIX_LENGTH + entries.size() * 64);
    out.writeBytes(
        ByteBuffer.allocate(PREFIX_LENGTH)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt((int) networkMagic)
            .put(gatewayScriptHashLE)
            .array());
    for (Entry e : entries) {
      byte[] result = e.result();
      byte[] fields = e.fields();
      out.writeBytes(
          ByteBuffer.allocate(ENTRY_HEAD_LENGTH)
              .order(ByteOrder.LITTLE_ENDIAN)
              .putLong(e.requestId())
              .put((byte) e.status())
              .putLong(e.gasUsed())
              .putShort((short) result.length)
              .putShort((short) fields.length)
              .array());
      out.writeBytes(result);
      out.writeBytes(fields);
      out.writeBytes(sha256(fields));
    }
    return out.toByteArray();
  }

  /** The commitment the gateway stores for a request: sha256 of its fields. */
  public static byte[] commitment(byte[] fields) {
    return sha256(fields);
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }
}
