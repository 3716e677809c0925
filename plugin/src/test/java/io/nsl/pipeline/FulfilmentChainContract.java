package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.chain.FulfilmentChain;
import io.nsl.chain.FulfilmentChain.Inclusion;
import io.nsl.chain.FulfilmentChain.PreparedFulfilment;
import io.nsl.chain.FulfilmentMessage;
import io.nsl.chain.GatewayClient.RequestState;
import io.nsl.chain.GatewayRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link FulfilmentSubmitter} relies on from a {@link FulfilmentChain}, so that its unit tests
 * on {@link FakeFulfilmentChain} mean something for the real adapter ({@code NeoFulfilmentChain} on
 * a neo-go node with the gateway deployed): the height only grows; the gateway's state of a
 * request; a prepared transaction is not on chain until sent; a sent one is included with the
 * pending requests' ids accepted (and fulfilled) and the others rejected; sending twice is no
 * error; an unknown transaction has no inclusion; block times do not go back.
 */
abstract class FulfilmentChainContract {
  /** A chain with the gateway, a registered enclave and function, and a way to make requests. */
  interface Fixture extends AutoCloseable {
    FulfilmentChain chain();

    /** {@code n} new requests, pending on the gateway, as their Request events carried them. */
    List<GatewayRequest> request(int n);

    /** The enclave's one signature over a batch. */
    byte[] signBatch(List<FulfilmentMessage.Entry> entries);

    /** Returns once at least one more block is on chain (the fake makes one). */
    void nextBlock();

    @Override
    void close();
  }

  abstract Fixture open();

  private Fixture fixture;
  private FulfilmentChain chain;

  @BeforeEach
  void openChain() {
    fixture = open();
    chain = fixture.chain();
  }

  @AfterEach
  void closeChain() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static FulfilmentMessage.Entry answer(GatewayRequest r) {
    return new FulfilmentMessage.Entry(
        r.requestId(),
        0,
        ("{\"n\":" + r.requestId() + "}").getBytes(StandardCharsets.UTF_8),
        10,
        r.fields());
  }

  private PreparedFulfilment prepare(List<GatewayRequest> requests) {
    List<FulfilmentMessage.Entry> entries = requests.stream().map(r -> answer(r)).toList();
    return chain.prepare(entries, fixture.signBatch(entries), chain.blockCount() + 20);
  }

  /** The transaction's inclusion, waiting a few blocks for it. */
  private Inclusion included(String txHash) {
    for (int i = 0; i < 10; i++) {
      Optional<Inclusion> in = chain.inclusion(txHash);
      if (in.isPresent()) {
        return in.get();
      }
      fixture.nextBlock();
    }
    throw new AssertionError(txHash + " was not included within 10 blocks");
  }

  private static List<Long> ids(List<GatewayRequest> requests) {
    return requests.stream().map(GatewayRequest::requestId).toList();
  }

  @Test
  void heightOnlyGrows() {
    long before = chain.blockCount();
    assertTrue(before > 0);
    fixture.nextBlock();
    assertTrue(chain.blockCount() > before);
  }

  @Test
  void newRequestsArePendingAndUnknownOnesAreUnknown() {
    List<GatewayRequest> rs = fixture.request(2);
    long unknown = 1_000_000;
    Map<Long, RequestState> states =
        chain.requestStates(List.of(rs.get(0).requestId(), rs.get(1).requestId(), unknown));
    assertEquals(
        Map.of(
            rs.get(0).requestId(),
            RequestState.PENDING,
            rs.get(1).requestId(),
            RequestState.PENDING,
            unknown,
            RequestState.UNKNOWN),
        states);
  }

  @Test
  void aPreparedTransactionIsNotOnChainUntilSent() {
    List<GatewayRequest> rs = fixture.request(1);
    PreparedFulfilment tx = prepare(rs);
    assertTrue(tx.txHash().startsWith("0x"), tx.txHash());
    fixture.nextBlock();
    assertEquals(Optional.empty(), chain.inclusion(tx.txHash()));
    assertEquals(RequestState.PENDING, chain.requestStates(ids(rs)).get(rs.get(0).requestId()));
  }

  @Test
  void aSentTransactionIsIncludedWithItsRequestsAccepted() {
    List<GatewayRequest> rs = fixture.request(3);
    long heightBefore = chain.blockCount();
    PreparedFulfilment tx = prepare(rs);
    chain.send(tx);
    Inclusion in = included(tx.txHash());
    assertTrue(in.halted(), in.vmException());
    assertEquals("", in.vmException());
    assertEquals(ids(rs), in.accepted());
    assertEquals(List.of(), in.rejected());
    assertTrue(in.blockIndex() >= heightBefore - 1 && in.blockIndex() < chain.blockCount());
    assertTrue(in.systemFee() > 0 && in.networkFee() > 0, "the fees paid: " + in);
    assertTrue(
        tx.txHash().matches("0x[0-9a-f]{64}"), "a hash the execution records keep: " + tx.txHash());
    chain
        .requestStates(ids(rs))
        .values()
        .forEach(s -> assertEquals(RequestState.FULFILLED, s, "after inclusion"));
  }

  @Test
  void sendingTheSameTransactionTwiceIsNotAnError() {
    List<GatewayRequest> rs = fixture.request(1);
    PreparedFulfilment tx = prepare(rs);
    chain.send(tx);
    assertDoesNotThrow(() -> chain.send(tx), "while pooled");
    Inclusion in = included(tx.txHash());
    assertDoesNotThrow(() -> chain.send(tx), "once included");
    assertEquals(ids(rs), in.accepted());
  }

  @Test
  void entriesNoLongerPendingAreRejectedAndTheRestAccepted() {
    List<GatewayRequest> rs = fixture.request(2);
    PreparedFulfilment first = prepare(rs.subList(0, 1));
    chain.send(first);
    included(first.txHash());
    PreparedFulfilment both = prepare(rs);
    chain.send(both);
    Inclusion in = included(both.txHash());
    assertTrue(in.halted(), in.vmException());
    assertEquals(List.of(rs.get(1).requestId()), in.accepted());
    assertEquals(List.of(rs.get(0).requestId()), in.rejected());
  }

  @Test
  void anUnknownTransactionHasNoInclusion() {
    assertEquals(Optional.empty(), chain.inclusion("0x" + "ab".repeat(32)));
  }

  @Test
  void blockTimesDoNotGoBack() {
    fixture.nextBlock();
    long last = chain.blockCount() - 1;
    long earlier = chain.blockTimeMillis(last - 1);
    assertTrue(earlier >= 0);
    assertTrue(chain.blockTimeMillis(last) >= earlier);
    assertEquals(chain.blockTimeMillis(last), chain.blockTimeMillis(last), "the same block, twice");
  }
}
