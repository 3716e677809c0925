package io.nsl.secrets;

/** What an envelope asks for; the byte is its code in the envelope. */
public enum SecretOp {
  PUT((byte) 1),
  DELETE((byte) 2);

  private final byte code;

  SecretOp(byte code) {
    this.code = code;
  }

  public byte code() {
    return code;
  }

  /** The op with {@code code}, or {@code null}. */
  public static SecretOp fromCode(byte code) {
    for (SecretOp op : values()) {
      if (op.code == code) {
        return op;
      }
    }
    return null;
  }
}
