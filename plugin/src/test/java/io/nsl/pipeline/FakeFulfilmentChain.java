package io.nsl.pipeline;

import io.nsl.chain.ChainException;
import io.nsl.chain.FulfilmentChain;
import io.nsl.chain.FulfilmentMessage;
import io.nsl.chain.GatewayClient.RequestState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A chain that answers from maps: what a test sets is what it says. {@link #mineBlock} plays the
 * node and the gateway for what was sent (the gateway's rules: a pending request's entry is
 * accepted and the request becomes fulfilled, any other entry is skipped as rejected); a test may
 * also set inclusions directly. {@code FulfilmentChainContract} (in {@code
 * FakeFulfilmentChainTest}) checks that it behaves as the real adapter does where the submitter
 * relies on it. Not thread-safe: the submitter's unit tests drive one turn at a time.
 */
final class FakeFulfilmentChain implements FulfilmentChain {
  long blockCount = 100;

  /** The fees of every transaction {@link #mineBlock} includes, in datoshi. */
  static final long SYSTEM_FEE = 1_000_000;

  static final long NETWORK_FEE = 120_000;

  /** The hash of the {@code n}th prepared transaction (a real hash's form: 0x and 64 hex). */
  static String tx(int n) {
    return String.format("0x%064x", n);
  }

  /** The gateway's view; a request it never saw is UNKNOWN. */
  final Map<Long, RequestState> states = new HashMap<>();

  final Set<Long> faulting = new HashSet<>();
  final Map<String, Inclusion> included = new HashMap<>();
  final List<List<Long>> prepared = new ArrayList<>();
  final List<String> sent = new ArrayList<>();
  final List<List<Long>> stateReads = new ArrayList<>();
  ChainException failNextPrepare;
  ChainException failNextSend;
  int feeRefreshes;
  private final Map<String, List<Long>> entriesOf = new HashMap<>();
  private final Map<String, Boolean> inPool = new LinkedHashMap<>();

  /** Records requests as pending on the gateway (what a Request event makes them). */
  void pending(long... ids) {
    for (long id : ids) {
      states.put(id, RequestState.PENDING);
    }
  }

  /**
   * One block: every sent transaction not yet included is included in it, its entries judged by the
   * gateway's rule on the state before the block.
   */
  void mineBlock() {
    long index = blockCount;
    blockCount++;
    for (String tx : inPool.keySet()) {
      List<Long> accepted = new ArrayList<>();
      List<Long> rejected = new ArrayList<>();
      for (long id : entriesOf.get(tx)) {
        if (states.get(id) == RequestState.PENDING) {
          accepted.add(id);
          states.put(id, RequestState.FULFILLED);
        } else {
          rejected.add(id);
        }
      }
      included.put(tx, new Inclusion(index, true, "", accepted, rejected, SYSTEM_FEE, NETWORK_FEE));
    }
    inPool.clear();
  }

  @Override
  public String rpcUrl() {
    return "http://node.invalid";
  }

  @Override
  public long blockCount() {
    return blockCount;
  }

  @Override
  public Map<Long, RequestState> requestStates(List<Long> ids) {
    stateReads.add(List.copyOf(ids));
    Map<Long, RequestState> out = new HashMap<>();
    ids.forEach(id -> out.put(id, states.getOrDefault(id, RequestState.UNKNOWN)));
    return out;
  }

  @Override
  public PreparedFulfilment prepare(
      List<FulfilmentMessage.Entry> entries, byte[] batchSignature, long validUntilBlock) {
    List<Long> ids = entries.stream().map(FulfilmentMessage.Entry::requestId).toList();
    prepared.add(ids);
    if (failNextPrepare != null) {
      ChainException e = failNextPrepare;
      failNextPrepare = null;
      throw e;
    }
    if (ids.stream().anyMatch(faulting::contains)) {
      throw new ChainException.TransactionFaulted("-", "fulfil", "ABORT in callback");
    }
    String hash = tx(prepared.size());
    entriesOf.put(hash, ids);
    return new PreparedFulfilment(hash, new byte[] {1});
  }

  @Override
  public void send(PreparedFulfilment tx) {
    if (failNextSend != null) {
      ChainException e = failNextSend;
      failNextSend = null;
      throw e;
    }
    sent.add(tx.txHash());
    if (!included.containsKey(tx.txHash())) {
      inPool.put(tx.txHash(), true);
    }
  }

  @Override
  public Optional<Inclusion> inclusion(String txHash) {
    return Optional.ofNullable(included.get(txHash));
  }

  @Override
  public long blockTimeMillis(long index) {
    return index * 1_000;
  }

  @Override
  public void refreshFeePolicy() {
    feeRefreshes++;
  }
}
