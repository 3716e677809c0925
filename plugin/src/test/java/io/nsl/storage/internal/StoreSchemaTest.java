package io.nsl.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.storage.Namespace;
import io.nsl.storage.StorageOpenException;
import io.nsl.storage.StorageTamperedException;
import io.nsl.storage.StorageUsage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The key spaces of {@link StoreSchema}: their bytes pinned (existing stores must stay readable: a
 * failure here means a migration is needed, not a new expected value), and properties of the codecs
 * with a seed that changes every run (jqwik prints it; pin it with {@code seed = "..."} to replay).
 */
class StoreSchemaTest {
  private static final HexFormat HEX = HexFormat.of();

  // ------------------------------------------------------------------ pinned bytes

  @Test
  void metadataKeysAreTheBytesExistingStoresHold() {
    assertEquals("05216d657461666f726d6174", HEX.formatHex(StoreSchema.FORMAT.physicalKey()));
    assertEquals(
        "05216d6574616b6579636865636b", HEX.formatHex(StoreSchema.KEY_CHECK.physicalKey()));
    assertEquals("05216d657461736571", HEX.formatHex(StoreSchema.VERSION_CEILING.physicalKey()));
    assertEquals(
        "05216d6574617573616765" + HEX.formatHex(ascii(":fn:f1")),
        HEX.formatHex(StoreSchema.usage(Namespace.functionState("f1")).physicalKey()));
  }

  @Test
  void valueAndChunkKeysAreTheBytesExistingStoresHold() {
    assertEquals(
        "07" + HEX.formatHex(ascii("fn:demo")) + "636f756e746572",
        HEX.formatHex(StoreSchema.physical(ascii("fn:demo"), ascii("counter"))));
    byte[] stream = HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
    assertEquals(
        "06216368756e6b"
            + "07"
            + HEX.formatHex(ascii("fn:demo"))
            + "00000007636f756e746572"
            + "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
            + "00000003",
        HEX.formatHex(
            new StoreSchema.ChunkKey(ascii("fn:demo"), ascii("counter"), stream, 3).encode()));
  }

  @Test
  void metadataValuesAreTheBytesExistingStoresHold() {
    assertEquals(
        "4e534c530101",
        HEX.formatHex(StoreSchema.FORMAT.codec().encode(new StoreSchema.Format(1, true))));
    assertEquals(
        "4e534c530100",
        HEX.formatHex(StoreSchema.FORMAT.codec().encode(new StoreSchema.Format(1, false))));
    assertEquals(
        "nsl-storage-keycheck-v1",
        new String(StoreSchema.KEY_CHECK.codec().encode(true), StandardCharsets.US_ASCII));
    assertEquals(
        "0000000000001000", HEX.formatHex(StoreSchema.VERSION_CEILING.codec().encode(4096L)));
    assertEquals(
        "0000000000000064" + "0000000000000003",
        HEX.formatHex(
            StoreSchema.usage(Namespace.functionState("x"))
                .codec()
                .encode(new StorageUsage(100, 3))));
    assertFalse(StoreSchema.FORMAT.sealed(), "the format must be readable without the key");
    assertTrue(StoreSchema.KEY_CHECK.sealed());
    assertTrue(StoreSchema.VERSION_CEILING.sealed());
  }

  @Test
  void refusesAFormatRecordOfAnotherVersionOrKind() {
    for (String bad : new String[] {"4e534c530201", "4e534c5301", "4e534c4c0101", ""}) {
      StorageOpenException e =
          assertThrows(
              StorageOpenException.class,
              () -> StoreSchema.FORMAT.codec().decode(HEX.parseHex(bad), "/data/db"));
      assertTrue(e.getMessage().contains("another NSL version"), e.getMessage());
    }
  }

  @Test
  void refusesMetadataValuesOfTheWrongLength() {
    assertThrows(
        StorageTamperedException.class,
        () -> StoreSchema.VERSION_CEILING.codec().decode(new byte[7], "!meta/seq"));
    assertThrows(
        StorageTamperedException.class,
        () -> StoreSchema.usage(Namespace.service()).codec().decode(new byte[17], "!meta/usage"));
    assertFalse(StoreSchema.KEY_CHECK.codec().decode(ascii("nsl-storage-keycheck-v2"), "kc"));
  }

  @Test
  void keySpacesStartWithDifferentBytes() {
    // Internal namespaces start with '!', which no public Namespace name can.
    assertThrows(io.nsl.storage.InvalidStorageKeyException.class, () -> new Namespace("!meta"));
    assertEquals(3, StoreSchema.ALL.size());
    assertArrayEquals(ascii("!chunk"), StoreSchema.ALL.get(0).namespace());
    assertArrayEquals(ascii("!meta"), StoreSchema.ALL.get(1).namespace());
  }

  // ------------------------------------------------------------------ properties

  @Provide
  Arbitrary<String> namespaceNames() {
    Arbitrary<Character> first = Arbitraries.chars().range('a', 'z').with('0', '1', '9');
    Arbitrary<String> rest =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars('.', '_', ':', '-', '0')
            .ofMaxLength(12);
    return net.jqwik.api.Combinators.combine(first, rest).as((f, r) -> f + r);
  }

  @Provide
  Arbitrary<byte[]> keys() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64);
  }

  @Provide
  Arbitrary<byte[]> streamIds() {
    return Arbitraries.bytes().array(byte[].class).ofSize(Sealer.STREAM_ID);
  }

  @Property(tries = 300)
  void chunkKeysDecodeToWhatWasEncoded(
      @ForAll("namespaceNames") String ns,
      @ForAll("keys") byte[] key,
      @ForAll("streamIds") byte[] streamId,
      @ForAll @IntRange(min = 0) int index) {
    StoreSchema.ChunkKey k = new StoreSchema.ChunkKey(ascii(ns), key, streamId, index);
    StoreSchema.ChunkKey back = StoreSchema.ChunkKey.decode(k.encode()).orElseThrow();
    assertArrayEquals(k.ns(), back.ns());
    assertArrayEquals(k.key(), back.key());
    assertArrayEquals(k.streamId(), back.streamId());
    assertEquals(index, back.index());
  }

  @Property(tries = 300)
  void aChunkKeyCutOrExtendedIsNotAChunkKey(
      @ForAll("namespaceNames") String ns,
      @ForAll("keys") byte[] key,
      @ForAll("streamIds") byte[] streamId,
      @ForAll @IntRange(min = 0) int index,
      @ForAll @IntRange(min = 1, max = 8) int by) {
    byte[] k = new StoreSchema.ChunkKey(ascii(ns), key, streamId, index).encode();
    assertEquals(Optional.empty(), StoreSchema.ChunkKey.decode(Arrays.copyOf(k, k.length - by)));
    assertEquals(Optional.empty(), StoreSchema.ChunkKey.decode(Arrays.copyOf(k, k.length + by)));
  }

  @Property(tries = 500)
  void decodingAnyBytesNeverThrows(@ForAll @Size(max = 80) byte[] tail) {
    byte[] prefix = StoreSchema.allChunksPrefix();
    byte[] k = Arrays.copyOf(prefix, prefix.length + tail.length);
    System.arraycopy(tail, 0, k, prefix.length, tail.length);
    StoreSchema.ChunkKey.decode(k).ifPresent(c -> assertArrayEquals(k, c.encode()));
  }

  @Property(tries = 300)
  void chunksOfOneStreamSortByIndex(
      @ForAll("namespaceNames") String ns,
      @ForAll("keys") byte[] key,
      @ForAll("streamIds") byte[] streamId,
      @ForAll @IntRange(min = 0) int a,
      @ForAll @IntRange(min = 0) int b) {
    Assume.that(a != b);
    byte[] ka = new StoreSchema.ChunkKey(ascii(ns), key, streamId, a).encode();
    byte[] kb = new StoreSchema.ChunkKey(ascii(ns), key, streamId, b).encode();
    // RocksDB's default comparator: unsigned bytewise.
    assertEquals(
        Integer.signum(Integer.compare(a, b)), Integer.signum(Arrays.compareUnsigned(ka, kb)));
  }

  @Property(tries = 500)
  void noKeyOfOneNamespaceFallsInsideAnother(
      @ForAll("namespaceNames") String a,
      @ForAll("namespaceNames") String b,
      @ForAll("keys") byte[] key,
      @ForAll("streamIds") byte[] streamId) {
    Assume.that(!a.equals(b));
    byte[] value = StoreSchema.physical(ascii(a), key);
    byte[] chunk = new StoreSchema.ChunkKey(ascii(a), key, streamId, 0).encode();
    assertFalse(startsWith(value, StoreSchema.namespacePrefix(ascii(b))));
    assertFalse(startsWith(chunk, StoreSchema.chunkPrefix(ascii(b))));
    assertTrue(startsWith(chunk, StoreSchema.chunkPrefix(ascii(a))));
    // ... nor inside an internal key space.
    assertFalse(startsWith(value, StoreSchema.allChunksPrefix()));
    assertFalse(startsWith(value, StoreSchema.namespacePrefix(StoreSchema.META_NS)));
  }

  @Property(tries = 200)
  void deletingANamespaceRangeCoversExactlyItsKeys(
      @ForAll("namespaceNames") String a,
      @ForAll("namespaceNames") String b,
      @ForAll("keys") byte[] key) {
    Assume.that(!a.equals(b));
    byte[] from = StoreSchema.namespacePrefix(ascii(a));
    byte[] to = Mutations.successor(from);
    byte[] own = StoreSchema.physical(ascii(a), key);
    byte[] other = StoreSchema.physical(ascii(b), key);
    assertTrue(Arrays.compareUnsigned(from, own) <= 0 && Arrays.compareUnsigned(own, to) < 0);
    assertFalse(Arrays.compareUnsigned(from, other) <= 0 && Arrays.compareUnsigned(other, to) < 0);
  }

  @Property(tries = 200)
  void metadataValuesDecodeToWhatWasEncoded(
      @ForAll long ceiling,
      @ForAll @LongRange(min = 0) long bytes,
      @ForAll @LongRange(min = 0) long keys,
      @ForAll boolean encrypted) {
    StoreSchema.Codec<Long> l = StoreSchema.VERSION_CEILING.codec();
    assertEquals(ceiling, l.decode(l.encode(ceiling), "seq"));
    StoreSchema.Codec<StorageUsage> u = StoreSchema.usage(Namespace.service()).codec();
    assertEquals(
        new StorageUsage(bytes, keys), u.decode(u.encode(new StorageUsage(bytes, keys)), "u"));
    StoreSchema.Codec<StoreSchema.Format> f = StoreSchema.FORMAT.codec();
    StoreSchema.Format format = new StoreSchema.Format(1, encrypted);
    assertEquals(format, f.decode(f.encode(format), "/db"));
  }

  private static boolean startsWith(byte[] a, byte[] prefix) {
    return StoreOpening.startsWith(a, prefix);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
