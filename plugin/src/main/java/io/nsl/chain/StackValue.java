package io.nsl.chain;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A NeoVM stack item as a node reports it in JSON (notifications, invocation results). Values are
 * immutable; byte strings are copied in and out.
 */
public sealed interface StackValue {

  /** Integer item. */
  record Int(BigInteger value) implements StackValue {}

  /** ByteString or Buffer item. */
  record Bytes(byte[] value) implements StackValue {
    public Bytes {
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    public String utf8() {
      return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes b && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "Bytes[" + value.length + "]";
    }
  }

  /** Boolean item. */
  record Bool(boolean value) implements StackValue {}

  /** Array or Struct item. */
  record Array(List<StackValue> items) implements StackValue {
    public Array {
      items = List.copyOf(items);
    }
  }

  /** Map item, as key/value pairs in node order. */
  record Map(List<java.util.Map.Entry<StackValue, StackValue>> entries) implements StackValue {
    public Map {
      entries = List.copyOf(entries);
    }
  }

  /** Any (null) item, or a type this service does not read (Pointer, InteropInterface). */
  record Null() implements StackValue {}

  /**
   * This item as an integer; ByteStrings are read as NeoVM does (little-endian two's complement).
   */
  default BigInteger asInt() {
    return switch (this) {
      case Int i -> i.value();
      case Bytes b -> fromLittleEndian(b.value);
      case Bool b -> b.value() ? BigInteger.ONE : BigInteger.ZERO;
      default -> throw new IllegalArgumentException("not an integer: " + this);
    };
  }

  /** This item as bytes; integers are converted as NeoVM does. Null gives an empty array. */
  default byte[] asBytes() {
    return switch (this) {
      case Bytes b -> b.value();
      case Null n -> new byte[0];
      case Int i -> toLittleEndian(i.value());
      default -> throw new IllegalArgumentException("not a byte string: " + this);
    };
  }

  default List<StackValue> asList() {
    if (this instanceof Array a) {
      return a.items();
    }
    throw new IllegalArgumentException("not an array: " + this);
  }

  private static BigInteger fromLittleEndian(byte[] le) {
    if (le.length == 0) {
      return BigInteger.ZERO;
    }
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(be);
  }

  private static byte[] toLittleEndian(BigInteger v) {
    if (v.signum() == 0) {
      return new byte[0];
    }
    byte[] be = v.toByteArray();
    byte[] le = new byte[be.length];
    for (int i = 0; i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }
}
