package io.nsl.chain;

import io.neow3j.contract.ContractManagement;
import io.neow3j.contract.SmartContract;
import io.neow3j.protocol.Neow3j;
import io.neow3j.protocol.Neow3jConfig;
import io.neow3j.protocol.ObjectMapperFactory;
import io.neow3j.protocol.core.Response;
import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.protocol.core.response.NeoSendRawTransaction;
import io.neow3j.protocol.http.HttpService;
import io.neow3j.transaction.Signer;
import io.neow3j.transaction.Transaction;
import io.neow3j.transaction.TransactionBuilder;
import io.neow3j.transaction.Witness;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.neow3j.types.Hash256;
import io.neow3j.utils.Numeric;
import io.neow3j.wallet.Account;
import io.nsl.chain.internal.Neow3jCompat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToLongFunction;
import okhttp3.OkHttpClient;

/**
 * The service's handle on one Neo N3 node over JSON-RPC (neow3j 3.17.0). It turns neow3j's quirks
 * into plain exceptions: RPC errors don't throw in neow3j, so every response is checked here; a
 * faulted transaction becomes {@link ChainException.TransactionFaulted} with the VM's message.
 *
 * <p>Thread-safe: neow3j's client is; this class holds no mutable state.
 */
public final class NeoChain {
  private final RpcEndpoints endpoints;
  private final Neow3j neow3j;

  /**
   * @param rpcUrl the node's JSON-RPC address, e.g. {@code http://127.0.0.1:20332}
   * @param pollingInterval how often neow3j polls for new blocks (its default is 15 s; far too
   *     slow)
   */
  public NeoChain(String rpcUrl, Duration pollingInterval) {
    this(RpcEndpoints.of(rpcUrl), pollingInterval);
  }

  /**
   * The nodes of {@code endpoints}, failing over between them on transport failures (see {@link
   * RpcEndpoints}); share the instance with the service's {@link NeoRpcClient}.
   */
  public NeoChain(RpcEndpoints endpoints, Duration pollingInterval) {
    Neow3jCompat.apply();
    this.endpoints = endpoints;
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ofSeconds(30))
            .addInterceptor(endpoints.interceptor())
            .build();
    this.neow3j =
        Neow3j.build(
            new HttpService(endpoints.current(), http),
            new Neow3jConfig().setPollingInterval((int) pollingInterval.toMillis()));
  }

  /** The endpoint calls go to now. */
  public String rpcUrl() {
    return endpoints.current();
  }

  /** The underlying neow3j client, for callers in this package and tests. */
  public Neow3j neow3j() {
    return neow3j;
  }

  /** Current block count (height + 1). */
  public long blockCount() {
    return check("getblockcount", () -> neow3j.getBlockCount().send()).getBlockCount().longValue();
  }

  /** The network magic the node reports (binds signatures to this network). */
  public long networkMagic() {
    return check("getversion", () -> neow3j.getVersion().send())
        .getVersion()
        .getProtocol()
        .getNetwork();
  }

  /**
   * Builds {@code builder}'s transaction (script and signers only: fees and validity are set here),
   * signs it with {@code accounts} (single-signature accounts, one per signer, in signer order),
   * sends it and waits for its application log.
   *
   * @param what a short description for errors, e.g. "deploy gateway"
   * @return the application log of a HALTed transaction
   * @throws ChainException.TransactionFaulted if the script faults (in the test invocation or on
   *     chain)
   */
  public NeoApplicationLog sendAndWait(
      TransactionBuilder builder, String what, Duration timeout, Account... accounts) {
    Transaction tx =
        build(
            builder.getScript(),
            builder.getSigners(),
            blockCount() + VALID_FOR_BLOCKS,
            hashData -> singleSigWitnesses(hashData, accounts),
            what);
    return sendAndWait(tx, what, timeout);
  }

  /** How many blocks a transaction built here stays valid. */
  public static final long VALID_FOR_BLOCKS = 120;

  /** One single-signature witness per account, in order. */
  public static List<Witness> singleSigWitnesses(byte[] hashData, Account... accounts) {
    List<Witness> witnesses = new ArrayList<>();
    for (Account a : accounts) {
      witnesses.add(Witness.create(hashData, a.getECKeyPair()));
    }
    return witnesses;
  }

  /** Makes the witnesses of a transaction, given its hash data (which covers fees). */
  @FunctionalInterface
  public interface Witnesser {
    List<Witness> witnesses(byte[] hashData);
  }

  /**
   * Builds and signs a transaction without neow3j's {@code TransactionBuilder.sign()}, which
   * refuses multi-signature senders and, for them, asks the node for the network fee with a witness
   * the node rejects. The system fee comes from a test invocation (a faulting script is refused
   * here with the VM's message), the network fee from the node's {@code calculatenetworkfee} on the
   * witnessed transaction.
   */
  public Transaction build(
      byte[] script, List<Signer> signers, long validUntilBlock, Witnesser witnesser, String what) {
    return build(script, signers, validUntilBlock, witnesser, what, 0);
  }

  /**
   * Like {@link #build}, paying {@code extraSystemFee} datoshi over the estimate and its margin:
   * for a script whose cost grows with state that transactions ahead of it in the mempool change
   * first (the system fee is spent whole, used or not).
   */
  public Transaction build(
      byte[] script,
      List<Signer> signers,
      long validUntilBlock,
      Witnesser witnesser,
      String what,
      long extraSystemFee) {
    if (extraSystemFee < 0) {
      throw new IllegalArgumentException("extraSystemFee must be >= 0, got " + extraSystemFee);
    }
    return assemble(
        script,
        signers,
        validUntilBlock,
        witnesser,
        what,
        extraSystemFee,
        draft ->
            check(
                    "calculatenetworkfee (" + what + ")",
                    () ->
                        neow3j
                            .calculateNetworkFee(Numeric.toHexStringNoPrefix(draft.toArray()))
                            .send())
                .getNetworkFee()
                .getNetworkFee()
                .longValue());
  }

  /**
   * The two-pass build both paths share: a witnessed draft with no network fee (the fee field is a
   * fixed 8 bytes, so the draft has the final size), its network fee, then the real transaction.
   */
  private Transaction assemble(
      byte[] script,
      List<Signer> signers,
      long validUntilBlock,
      Witnesser witnesser,
      String what,
      long extraSystemFee,
      ToLongFunction<Transaction> networkFeeOf) {
    long systemFee = systemFee(script, signers, what) + extraSystemFee;
    long nonce = ThreadLocalRandom.current().nextLong(0, 1L << 32);
    Transaction draft = unsigned(script, signers, validUntilBlock, nonce, systemFee, 0);
    witness(draft, witnesser);
    long networkFee = networkFeeOf.applyAsLong(draft);
    Transaction tx = unsigned(script, signers, validUntilBlock, nonce, systemFee, networkFee);
    witness(tx, witnesser);
    return tx;
  }

  private Transaction unsigned(
      byte[] script,
      List<Signer> signers,
      long validUntilBlock,
      long nonce,
      long systemFee,
      long networkFee) {
    return new Transaction(
        neow3j,
        (byte) 0,
        nonce,
        validUntilBlock,
        signers,
        systemFee,
        networkFee,
        List.of(),
        script,
        new ArrayList<>());
  }

  /**
   * Like {@link #build} for a transaction with one single-signature signer, but with the network
   * fee computed here instead of by {@code calculatenetworkfee}: one RPC round trip fewer on the
   * fulfilment path. neo-go's rule for a single-signature witness (pkg/core/fee/calculate.go,
   * rpcsrv calculateNetworkFee): size of the signed transaction x FeePerByte, plus the execution
   * price of the verification (two PUSHDATA1 and System.Crypto.CheckSig, 1<<15 each x the exec fee
   * factor), plus attribute fees (none here). The Policy values are read once, and the first
   * transaction is checked against the node's own figure; if they ever differ (another node
   * version, a changed policy) this falls back to asking the node, and logs why.
   */
  public Transaction buildSingleSig(
      byte[] script, Signer signer, Account account, long validUntilBlock, String what) {
    FeeModel model = feeModel;
    if (model == null || model.useNode()) {
      Transaction tx =
          build(
              script, List.of(signer), validUntilBlock, h -> singleSigWitnesses(h, account), what);
      if (model == null) {
        feeModel = FeeModel.calibrated(readFeePolicy(), tx);
      }
      return tx;
    }
    return assemble(
        script,
        List.of(signer),
        validUntilBlock,
        h -> singleSigWitnesses(h, account),
        what,
        0,
        draft -> model.networkFee(draft.getSize()));
  }

  /** Forgets the Policy values, e.g. after the node refused a fee: the next build re-reads them. */
  public void refreshFeePolicy() {
    feeModel = null;
  }

  private volatile FeeModel feeModel;

  /** FeePerByte and the exec fee factor in picoGAS per unit (neo-go's internal form). */
  record FeePolicy(long feePerByte, long execPicoFactor) {}

  /** How single-signature network fees are computed, and whether the node agreed. */
  record FeeModel(FeePolicy policy, boolean useNode) {
    /** System.Crypto.CheckSig (1<<15) + PUSHDATA1 (sig) + PUSHDATA1 (key), in fee units. */
    static final long VERIFY_UNITS = (1L << 15) + 8 + 8;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NeoChain.class);

    long networkFee(int size) {
      // neo-go rounds picoGAS up to datoshi once (vm.PicoGasToDatoshiInt64).
      long verify = (policy.execPicoFactor() * VERIFY_UNITS + 9_999) / 10_000;
      return size * policy.feePerByte() + verify;
    }

    static FeeModel calibrated(FeePolicy policy, Transaction fromNode) {
      FeeModel m = new FeeModel(policy, false);
      long local = m.networkFee(fromNode.getSize());
      if (local != fromNode.getNetworkFee()) {
        log.warn(
            "local network fee {} differs from the node's {} for a {}-byte transaction; asking the node from now on",
            local,
            fromNode.getNetworkFee(),
            fromNode.getSize());
        return new FeeModel(policy, true);
      }
      return m;
    }
  }

  private FeePolicy readFeePolicy() {
    Hash160 policy = new io.neow3j.contract.PolicyContract(neow3j).getScriptHash();
    long feePerByte = invokeLong(policy, "getFeePerByte");
    long pico;
    try {
      pico = invokeLong(policy, "getExecPicoFeeFactor"); // neo-go with the Faun hardfork
    } catch (ChainException e) {
      pico = invokeLong(policy, "getExecFeeFactor") * 10_000;
    }
    return new FeePolicy(feePerByte, pico);
  }

  private long invokeLong(Hash160 contract, String method) {
    var r =
        check(
                "invokefunction " + method,
                () -> neow3j.invokeFunction(contract, method, List.of()).send())
            .getInvocationResult();
    if (!"HALT".equals(r.getState().jsonValue())) {
      throw new ChainException.RpcError(
          "invokefunction " + method, 0, "faulted: " + r.getException());
    }
    return r.getStack().get(0).getInteger().longValueExact();
  }

  /** The system fee from a test invocation, with a margin; refuses a faulting script. */
  private long systemFee(byte[] script, List<Signer> signers, String what) {
    var invocation =
        check(
                "invokescript (" + what + ")",
                () ->
                    neow3j
                        .invokeScript(
                            Numeric.toHexStringNoPrefix(script), signers.toArray(Signer[]::new))
                        .send())
            .getInvocationResult();
    if (!"HALT".equals(invocation.getState().jsonValue())) {
      throw new ChainException.TransactionFaulted("(not sent)", what, invocation.getException());
    }
    // A margin over the test run: the state may change between the test invocation and the
    // block (e.g. a storage key another transaction creates first), and a transaction whose GAS
    // runs out faults as a whole.
    long consumed = Long.parseLong(invocation.getGasConsumed());
    return consumed + consumed / 50 + 100_000;
  }

  private void witness(Transaction tx, Witnesser witnesser) {
    byte[] hashData;
    try {
      hashData = tx.getHashData();
    } catch (IOException e) {
      throw new ChainException.NodeUnreachable(endpoints.describe(), e);
    }
    witnesser.witnesses(hashData).forEach(tx::addWitness);
  }

  /** Sends an already signed transaction without waiting; returns its hash. */
  public Hash256 send(Transaction tx, String what) {
    return check("sendrawtransaction (" + what + ")", tx::send).getSendRawTransaction().getHash();
  }

  /** Sends an already signed transaction and waits for its application log. */
  public NeoApplicationLog sendAndWait(Transaction tx, String what, Duration timeout) {
    NeoSendRawTransaction sent = check("sendrawtransaction (" + what + ")", tx::send);
    Hash256 hash = sent.getSendRawTransaction().getHash();
    NeoApplicationLog log = waitForApplicationLog(hash, what, timeout);
    String state = log.getExecutions().get(0).getState().jsonValue();
    if (!"HALT".equals(state)) {
      throw new ChainException.TransactionFaulted(
          hash.toString(), what, log.getExecutions().get(0).getException());
    }
    return log;
  }

  /** Polls for a transaction's application log until it appears or {@code timeout} passes. */
  public NeoApplicationLog waitForApplicationLog(Hash256 txHash, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        var response = neow3j.getApplicationLog(txHash).send();
        if (!response.hasError() && response.getApplicationLog() != null) {
          return response.getApplicationLog();
        }
      } catch (IOException e) {
        throw new ChainException.NodeUnreachable(endpoints.describe(), e);
      }
      if (System.nanoTime() > deadline) {
        throw new ChainException.TransactionTimeout(txHash.toString(), what, timeout.toMillis());
      }
      sleep(Duration.ofMillis(50));
    }
  }

  /**
   * Deploys a compiled contract signed by {@code sender} and returns its hash.
   *
   * @param nef the .nef file
   * @param manifest its .manifest.json
   * @param data the value passed to the contract's {@code _deploy}, or null
   */
  public Hash160 deploy(Path nef, Path manifest, ContractParameter data, Account sender) {
    // The NEF is passed as raw bytes: neow3j 3.17.0's NefFile parser refuses method tokens whose
    // call flags are a combination it has no constant for (e.g. States|AllowNotify = 0x0B).
    byte[] nefBytes;
    String manifestJson;
    String name;
    try {
      nefBytes = Files.readAllBytes(nef);
      manifestJson = Files.readString(manifest);
      name = ObjectMapperFactory.getObjectMapper().readTree(manifestJson).path("name").asText();
    } catch (IOException e) {
      throw new ChainException.InvalidArtifact(
          "cannot read contract "
              + nef
              + " / "
              + manifest
              + ": "
              + e.getMessage()
              + ". Run scripts/build-contracts.sh to compile the contracts.",
          e);
    }
    if (nefBytes.length < 4 || name.isEmpty()) {
      throw new ChainException.InvalidArtifact(
          "contract " + nef + " or its manifest is malformed", null);
    }
    List<ContractParameter> args = new ArrayList<>();
    args.add(ContractParameter.byteArray(nefBytes));
    args.add(ContractParameter.string(manifestJson));
    if (data != null) {
      args.add(data);
    }
    byte[] script =
        new io.neow3j.script.ScriptBuilder()
            .contractCall(new ContractManagement(neow3j).getScriptHash(), "deploy", args)
            .toArray();
    TransactionBuilder builder =
        new TransactionBuilder(neow3j)
            .script(script)
            .signers(io.neow3j.transaction.AccountSigner.calledByEntry(sender));
    sendAndWait(builder, "deploy " + name, Duration.ofSeconds(60), sender);
    // The NEF's checksum is its last 4 bytes (uint32 little-endian).
    long checksum =
        java.nio.ByteBuffer.wrap(nefBytes, nefBytes.length - 4, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt()
            & 0xFFFF_FFFFL;
    return SmartContract.calcContractHash(sender.getScriptHash(), checksum, name);
  }

  @FunctionalInterface
  public interface RpcCall<T extends Response<?>> {
    T send() throws IOException;
  }

  /** Sends one RPC call, mapping transport failures and RPC errors to exceptions. */
  public <T extends Response<?>> T check(String method, RpcCall<T> call) {
    T response;
    try {
      response = call.send();
    } catch (IOException e) {
      throw new ChainException.NodeUnreachable(endpoints.describe(), e);
    }
    if (response.hasError()) {
      throw new ChainException.RpcError(
          method, response.getError().getCode(), response.getError().getMessage());
    }
    return response;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the chain", e);
    }
  }
}
