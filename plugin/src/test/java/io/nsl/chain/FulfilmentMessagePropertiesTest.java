package io.nsl.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nsl.chain.FulfilmentMessage.Entry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link FulfilmentMessage} as properties (the seed changes every run; jqwik prints it, and {@code
 * seed = "..."} replays it): the layout the gateway rebuilds parses back to exactly the magic,
 * gateway and entries (with their fields and the fields' sha256) that went in, so no two different
 * batches share a message (a signature cannot be moved to another answer), and a single answer is a
 * batch of one.
 */
class FulfilmentMessagePropertiesTest {

  @Provide
  Arbitrary<Entry> entries() {
    return Combinators.combine(
            Arbitraries.longs().between(1, Long.MAX_VALUE),
            Arbitraries.integers().between(0, 255),
            Arbitraries.bytes()
                .array(byte[].class)
                .ofMaxSize(FulfilmentMessage.MAX_RESULT_BYTES)
                .edgeCases(e -> e.add(new byte[FulfilmentMessage.MAX_RESULT_BYTES])),
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            Arbitraries.bytes()
                .array(byte[].class)
                .ofMinSize(FulfilmentMessage.MIN_FIELDS_BYTES)
                .ofMaxSize(FulfilmentMessage.MAX_FIELDS_BYTES))
        .as(Entry::new);
  }

  @Property(tries = 200)
  void parsesBackToWhatWentIn(
      @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long magic,
      @ForAll @Size(20) byte[] gatewayLE,
      @ForAll("batches") List<Entry> batch) {
    byte[] msg = FulfilmentMessage.encodeBatch(magic, gatewayLE, batch);
    Parsed p = parse(msg);
    assertEquals(magic, p.magic());
    assertArrayEquals(gatewayLE, p.gatewayLE());
    assertEquals(batch.size(), p.entries().size());
    for (int i = 0; i < batch.size(); i++) {
      Entry in = batch.get(i);
      Entry out = p.entries().get(i);
      assertEquals(in.requestId(), out.requestId());
      assertEquals(in.status(), out.status());
      assertEquals(in.gasUsed(), out.gasUsed());
      assertArrayEquals(in.result(), out.result());
      assertArrayEquals(in.fields(), out.fields());
    }
  }

  @Property(tries = 200)
  void hasTheLengthTheGatewayExpects(@ForAll("batches") List<Entry> batch) {
    int expected = FulfilmentMessage.PREFIX_LENGTH;
    for (Entry e : batch) {
      expected += FulfilmentMessage.ENTRY_HEAD_LENGTH + e.result().length + e.fields().length + 32;
    }
    assertEquals(expected, FulfilmentMessage.encodeBatch(1, new byte[20], batch).length);
  }

  @Property(tries = 200)
  void aSingleAnswerIsABatchOfOne(
      @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long magic,
      @ForAll @Size(20) byte[] gatewayLE,
      @ForAll("entries") Entry e) {
    assertArrayEquals(
        FulfilmentMessage.encodeBatch(magic, gatewayLE, List.of(e)),
        FulfilmentMessage.encode(
            magic, gatewayLE, e.requestId(), e.status(), e.result(), e.gasUsed(), e.fields()));
  }

  @Provide
  Arbitrary<List<Entry>> batches() {
    return entries().list().ofMinSize(1).ofMaxSize(6);
  }

  record Parsed(long magic, byte[] gatewayLE, List<Entry> entries) {}

  /** The gateway's reading of the layout (contracts/README.md), written apart from the encoder. */
  private static Parsed parse(byte[] msg) {
    ByteBuffer b = ByteBuffer.wrap(msg).order(ByteOrder.LITTLE_ENDIAN);
    long magic = Integer.toUnsignedLong(b.getInt());
    byte[] gateway = new byte[20];
    b.get(gateway);
    List<Entry> entries = new ArrayList<>();
    while (b.hasRemaining()) {
      long id = b.getLong();
      int status = b.get() & 0xff;
      long gas = b.getLong();
      byte[] result = new byte[b.getShort() & 0xffff];
      byte[] fields = new byte[b.getShort() & 0xffff];
      b.get(result);
      b.get(fields);
      byte[] commitment = new byte[32];
      b.get(commitment);
      assertArrayEquals(FulfilmentMessage.commitment(fields), commitment);
      entries.add(new Entry(id, status, result, gas, fields));
    }
    return new Parsed(magic, gateway, entries);
  }
}
