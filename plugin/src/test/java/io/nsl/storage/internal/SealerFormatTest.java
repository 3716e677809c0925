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

  /** Keys 0..31 for epoch 0 and 100..131 for epoch 3, epoch 3 current when {@code current[0]}. */
  private static Sealer epochSealer(boolean[] current) {
    return new Sealer(
        new Sealer.Keys() {
          @Override
          public int currentEpoch() {
            return current[0] ? 3 : 0;
          }

          @Override
          public javax.crypto.spec.SecretKeySpec key(int epoch) {
            byte[] k = new byte[32];
            for (int i = 0; i < 32; i++) {
              k[i] = (byte) (i + (epoch == 3 ? 100 : 0));
            }
            if (epoch != 0 && epoch != 3) {
              throw new io.nsl.storage.StorageKeyMismatchException("no key for epoch " + epoch);
            }
            return new javax.crypto.spec.SecretKeySpec(k, "AES");
          }
        },
        false,
        countingNonces());
  }

  @Test
  void recordsOfALaterEpochAreFormatTwoWithTheEpochInTheAuthenticatedHeader() {
    boolean[] current = {false};
    Sealer s = epochSealer(current);
    byte[] hello = "hello world".getBytes(StandardCharsets.UTF_8);
    byte[] old = s.sealValue(NS, KEY, 7, hello);
    assertEquals("0102", HEX.formatHex(old, 0, 2), "epoch 0 keeps format 1");
    current[0] = true;
    byte[] v = s.sealValue(NS, KEY, 7, hello);
    assertEquals(
        "0202" + "00000003" + "0000000000000007" + "000000000000000b", HEX.formatHex(v, 0, 22));
    assertEquals(3, Sealer.epochOf(v));
    assertEquals(0, Sealer.epochOf(old));
    assertArrayEquals(hello, s.openValue(NS, KEY, v, "test").body());
    assertArrayEquals(hello, s.openValue(NS, KEY, old, "test").body(), "epoch 0 still opens");
    byte[] c = s.sealChunk(NS, KEY, STREAM, 2, true, "tail".getBytes(StandardCharsets.UTF_8));
    assertEquals("020a" + "00000003" + "00000002" + "00000004", HEX.formatHex(c, 0, 14));
    assertArrayEquals(
        "tail".getBytes(StandardCharsets.UTF_8), s.openChunk(NS, KEY, STREAM, 2, 3, c, "test"));

    // The epoch is authenticated: naming epoch 0 instead opens with the wrong key.
    byte[] relabelled = v.clone();
    relabelled[5] = 0;
    relabelled[0] = 2;
    assertThrows(StorageTamperedException.class, () -> s.openValue(NS, KEY, relabelled, "t"));

    // Re-sealing moves a format-1 record to epoch 3 with its version, and leaves epoch 3 alone.
    byte[] moved = s.resealToCurrent(NS, KEY, null, old, "test");
    assertEquals(3, Sealer.epochOf(moved));
    Sealer.Opened o = s.openValue(NS, KEY, moved, "test");
    assertEquals(7, o.header().version());
    assertArrayEquals(hello, o.body());
    assertEquals(null, s.resealToCurrent(NS, KEY, null, moved, "test"));
  }
}
