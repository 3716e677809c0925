package io.nsl.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nsl.storage.StorageTamperedException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The on-disk record format (docs/storage.md) byte for byte, so a change to how the sealer builds
 * its header or associated data cannot silently make existing stores unreadable. The expected hex
 * was produced by the sealer before its allocation-free AAD rewrite and is reproduced after it.
 */
class SealerFormatTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] NS = "fn:demo".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEY = "counter".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STREAM = HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  private static final String VALUE =
      "01020000000000000007000000000000000b2a2a2a2a2a2a2a2a2a2a2a2af55a6bfecdacc97714eac7bb8c5a60"
          + "38b51f24367c81ef31de03b1";
  private static final String CHUNK =
      "010a00000002000000042b2b2b2b2b2b2b2b2b2b2b2b22a2723e5889096f08800117162f80dea6dca198";

  /** Nonces 2a..2a, then 2b..2b, ...: deterministic, and never the same twice. */
  private static SecureRandom countingNonces() {
    return new SecureRandom() {
      private int next = 0x2a;

      @Override
      public void nextBytes(byte[] b) {
        Arrays.fill(b, (byte) next++);
      }
    };
  }

  private static Sealer sealer() {
    byte[] key = new byte[32];
    for (int i = 0; i < 32; i++) {
      key[i] = (byte) i;
    }
    return new Sealer(key, false, countingNonces());
  }

  @Test
  void sealsValuesAndChunksInTheDocumentedFormat() {
    Sealer s = sealer();
    assertEquals(
        VALUE,
        HEX.formatHex(s.sealValue(NS, KEY, 7, "hello world".getBytes(StandardCharsets.UTF_8))));
    assertEquals(
        CHUNK,
        HEX.formatHex(
            s.sealChunk(NS, KEY, STREAM, 2, true, "tail".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void opensRecordsWrittenInThatFormat() {
    Sealer s = sealer();
    Sealer.Opened v = s.openValue(NS, KEY, HEX.parseHex(VALUE), "test");
    assertEquals(7, v.header().version());
    assertArrayEquals("hello world".getBytes(StandardCharsets.UTF_8), v.body());
    assertArrayEquals(
        "tail".getBytes(StandardCharsets.UTF_8),
        s.openChunk(NS, KEY, STREAM, 2, 3, HEX.parseHex(CHUNK), "test"));
  }

  @Test
  void theLocationIsPartOfTheAssociatedData() {
    Sealer s = sealer();
    byte[] other = "counter2".getBytes(StandardCharsets.US_ASCII);
    assertThrows(
        StorageTamperedException.class, () -> s.openValue(NS, other, HEX.parseHex(VALUE), "test"));
    byte[] otherStream = STREAM.clone();
    otherStream[15] ^= 1;
    assertThrows(
        StorageTamperedException.class,
        () -> s.openChunk(NS, KEY, otherStream, 2, 3, HEX.parseHex(CHUNK), "test"));
  }
}
