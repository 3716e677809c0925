package io.nsl.chain;

import com.fasterxml.jackson.databind.JsonNode;
import io.neow3j.contract.GasToken;
import io.neow3j.contract.SmartContract;
import io.neow3j.protocol.core.response.NeoApplicationLog;
import io.neow3j.script.ScriptBuilder;
import io.neow3j.transaction.AccountSigner;
import io.neow3j.transaction.Transaction;
import io.neow3j.transaction.TransactionBuilder;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.neow3j.wallet.Account;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway contract as the service sees it: parse its {@code Request} events, read request
 * states, build fulfilment transactions, and the owner's and developers' registration calls. Method
 * names and types follow contracts/README.md. Thread-safe (stateless over the clients).
 */
public final class GatewayClient {
  /** Request states as the gateway's getRequestState returns them. */
  public enum RequestState {
    UNKNOWN,
    PENDING,
    FULFILLED,
    CANCELLED;

    static RequestState of(int code) {
      return switch (code) {
        case 1 -> PENDING;
        case 2 -> FULFILLED;
        case 3 -> CANCELLED;
        default -> UNKNOWN;
      };
    }
  }

  /** Enclave modes as the gateway records them. */
  public static final int MODE_SGX = 1;

  public static final int MODE_SIMULATED = 2;

  /** One signed answer ready for the gateway. */
  public record SignedFulfilment(
      long requestId, int status, byte[] result, long gasUsed, byte[] signature) {
    public SignedFulfilment {
      if (signature.length != 64) {
        throw new IllegalArgumentException(
            "signature must be 64 bytes r||s, got " + signature.length);
      }
      result = result.clone();
      signature = signature.clone();
    }

    @Override
    public byte[] result() {
      return result.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    /**
     * The answer as the enclave signs it (without this single-answer signature), with the request's
     * fields from its Request event ({@link GatewayRequest#fields()}).
     */
    public FulfilmentMessage.Entry entry(byte[] requestFields) {
      return new FulfilmentMessage.Entry(requestId, status, result, gasUsed, requestFields);
    }
  }

  private final NeoChain chain;
  private final NeoRpcClient rpc;
  private final Hash160 gateway;

  public GatewayClient(NeoChain chain, NeoRpcClient rpc, Hash160 gateway) {
    this.chain = chain;
    this.rpc = rpc;
    this.gateway = gateway;
  }

  public Hash160 hash() {
    return gateway;
  }

  /** The gateway's script hash as the VM sees it (little-endian), as signed in every message. */
  public byte[] scriptHashLE() {
    return gateway.toLittleEndianArray();
  }

  /**
   * Parses a {@code Request} notification; throws IllegalArgumentException when malformed. The
   * event's {@code fields} (index 6) go back with the answer. An event of a gateway from before the
   * commitment format (6 values, no fields) is refused: such a gateway cannot check this service's
   * answers; update it (contracts/README.md, "Updating a deployed gateway").
   */
  public static GatewayRequest parseRequest(NeoRpcClient.Notification n, long blockIndex) {
    List<StackValue> s = n.state();
    if (s.size() < 8) {
      throw new IllegalArgumentException(
          "Request event has "
              + s.size()
              + " values, expected 8: the gateway predates the commitment format; update it");
    }
    byte[] fields = s.get(6).asBytes();
    return new GatewayRequest(
        s.get(0).asInt().longValueExact(),
        new String(s.get(1).asBytes(), java.nio.charset.StandardCharsets.UTF_8),
        s.get(2).asBytes(),
        hashFromLE(s.get(3).asBytes()),
        s.get(4).asBytes(),
        s.get(5).asInt().longValueExact(),
        Optional.empty(),
        blockIndex,
        n.containerHash(),
        fields);
  }

  private static String hashFromLE(byte[] le) {
    if (le.length != 20) {
      throw new IllegalArgumentException("expected a 20-byte script hash, got " + le.length);
    }
    return "0x" + new Hash160(reverse(le));
  }

  /** States of many requests in one test invocation (one RPC call). */
  public Map<Long, RequestState> requestStates(List<Long> requestIds) {
    Map<Long, RequestState> out = new LinkedHashMap<>();
    if (requestIds.isEmpty()) {
      return out;
    }
    ScriptBuilder sb = new ScriptBuilder();
    for (long id : requestIds) {
      sb.contractCall(
          gateway, "getRequestState", List.of(ContractParameter.integer(BigInteger.valueOf(id))));
    }
    sb.pushInteger(requestIds.size()).pack();
    JsonNode result = rpc.call("invokescript", Base64.getEncoder().encodeToString(sb.toArray()));
    if (!"HALT".equals(result.path("state").asText())) {
      throw new ChainException.RpcError(
          "invokescript getRequestState", 0, "faulted: " + result.path("exception").asText());
    }
    // PACK puts the last pushed value first.
    List<StackValue> states = NeoRpcClient.parseStack(result.path("stack").path(0)).asList();
    for (int i = 0; i < requestIds.size(); i++) {
      long id = requestIds.get(requestIds.size() - 1 - i);
      out.put(id, RequestState.of(states.get(i).asInt().intValue()));
    }
    return out;
  }

  public RequestState requestState(long requestId) {
    return requestStates(List.of(requestId)).get(requestId);
  }

  /** A function as registered on chain. */
  public record FunctionInfo(byte[] codeHash, String owner, long version, boolean enabled) {
    public FunctionInfo {
      codeHash = codeHash.clone();
    }

    @Override
    public byte[] codeHash() {
      return codeHash.clone();
    }
  }

  /** The function's on-chain registration, or empty if the gateway does not know it. */
  public Optional<FunctionInfo> function(String functionId) {
    JsonNode result =
        rpc.call(
            "invokefunction",
            gateway.toString(),
            "getFunction",
            List.of(Map.of("type", "String", "value", functionId)));
    if (!"HALT".equals(result.path("state").asText())) {
      throw new ChainException.RpcError(
          "invokefunction getFunction", 0, "faulted: " + result.path("exception").asText());
    }
    StackValue v = NeoRpcClient.parseStack(result.path("stack").path(0));
    if (!(v instanceof StackValue.Array a)) {
      return Optional.empty();
    }
    List<StackValue> f = a.items();
    return Optional.of(
        new FunctionInfo(
            f.get(0).asBytes(),
            hashFromLE(f.get(1).asBytes()),
            f.get(2).asInt().longValue(),
            f.get(3) instanceof StackValue.Bool b ? b.value() : f.get(3).asInt().signum() != 0));
  }

  /**
   * The script calling {@code fulfilBatch} with {@code entries} ([requestId, status, result,
   * gasUsed, fields] each) under {@code batchSignature}, the enclave's one signature over all of
   * them ({@link FulfilmentMessage#encodeBatch}).
   */
  public byte[] fulfilBatchScript(List<FulfilmentMessage.Entry> entries, byte[] batchSignature) {
    if (batchSignature.length != 64) {
      throw new IllegalArgumentException(
          "batch signature must be 64 bytes r||s, got " + batchSignature.length);
    }
    List<ContractParameter> items = new ArrayList<>();
    for (FulfilmentMessage.Entry f : entries) {
      items.add(
          ContractParameter.array(
              ContractParameter.integer(BigInteger.valueOf(f.requestId())),
              ContractParameter.integer(f.status()),
              ContractParameter.byteArray(f.result()),
              ContractParameter.integer(BigInteger.valueOf(f.gasUsed())),
              ContractParameter.byteArray(f.fields())));
    }
    return new ScriptBuilder()
        .contractCall(
            gateway,
            "fulfilBatch",
            List.of(ContractParameter.array(items), ContractParameter.byteArray(batchSignature)))
        .toArray();
  }

  /**
   * A signed {@code fulfilBatch} transaction from {@code operator}, valid until {@code
   * validUntilBlock}. The system fee comes from a test invocation (a faulting batch throws {@link
   * ChainException.TransactionFaulted}); the network fee is computed locally (see {@link
   * NeoChain#buildSingleSig}).
   */
  public Transaction buildFulfilBatch(
      List<FulfilmentMessage.Entry> entries,
      byte[] batchSignature,
      Account operator,
      long validUntilBlock) {
    // Scope NONE: fulfilment needs no witness, and a wider one would be usable by every callback.
    return chain.buildSingleSig(
        fulfilBatchScript(entries, batchSignature),
        AccountSigner.none(operator),
        operator,
        validUntilBlock,
        "fulfil " + entries.size() + " request(s)");
  }

  /** Owner call: registers an enclave's signing key with its attestation. */
  public NeoApplicationLog registerEnclave(
      byte[] signingPublicKey, byte[] attestation, int mode, Account owner) {
    return invoke(
        owner,
        "register enclave",
        "registerEnclave",
        ContractParameter.publicKey(signingPublicKey),
        ContractParameter.byteArray(attestation),
        ContractParameter.integer(mode));
  }

  /**
   * Developer call: registers a function id with the sha256 of its code, owned by {@code owner}.
   */
  public NeoApplicationLog registerFunction(String functionId, byte[] codeSha256, Account owner) {
    return invoke(
        owner,
        "register function " + functionId,
        "registerFunction",
        ContractParameter.string(functionId),
        ContractParameter.byteArray(codeSha256),
        ContractParameter.hash160(owner.getScriptHash()));
  }

  /** Developer call: points a function at new code (version + 1). */
  public NeoApplicationLog updateFunction(String functionId, byte[] codeSha256, Account owner) {
    return invoke(
        owner,
        "update function " + functionId,
        "updateFunction",
        ContractParameter.string(functionId),
        ContractParameter.byteArray(codeSha256));
  }

  /** Prepays {@code gasFractions} of GAS into {@code beneficiary}'s balance at the gateway. */
  public NeoApplicationLog deposit(Account payer, Hash160 beneficiary, long gasFractions) {
    TransactionBuilder b;
    try {
      b =
          new GasToken(chain.neow3j())
              .transfer(
                  payer,
                  gateway,
                  BigInteger.valueOf(gasFractions),
                  ContractParameter.hash160(beneficiary));
    } catch (IOException e) {
      throw new ChainException.NodeUnreachable(chain.rpcUrl(), e);
    }
    return chain.sendAndWait(b, "deposit GAS at the gateway", Duration.ofSeconds(30), payer);
  }

  /** The script that calls the gateway's {@code method} (for a transaction signed elsewhere). */
  public byte[] script(String method, ContractParameter... params) {
    return new io.neow3j.script.ScriptBuilder()
        .contractCall(gateway, method, List.of(params))
        .toArray();
  }

  /** Invokes a gateway method signed by {@code account} and waits for it. */
  public NeoApplicationLog invoke(
      Account account, String what, String method, ContractParameter... params) {
    TransactionBuilder b =
        new SmartContract(gateway, chain.neow3j())
            .invokeFunction(method, params)
            .signers(AccountSigner.calledByEntry(account));
    return chain.sendAndWait(b, what, Duration.ofSeconds(30), account);
  }

  /** One accepted answer as a {@code Fulfilled} event reports it. */
  public record Fulfilled(long requestId, int status, long gasUsed) {}

  /** Bytes per answer in a {@code Fulfilled} event: the head of its entry in the signed message. */
  public static final int FULFILLED_FACT_BYTES = FulfilmentMessage.ENTRY_HEAD_LENGTH;

  /**
   * Decodes the first value of a {@code Fulfilled} event: per accepted answer the 21-byte head of
   * its entry (requestId u64 LE, status u8, gasUsed u64 LE, two u16 lengths); one event carries up
   * to 40 answers. Throws IllegalArgumentException when the length is not a multiple of 21.
   */
  public static List<Fulfilled> parseFulfilled(byte[] answers) {
    if (answers.length % FULFILLED_FACT_BYTES != 0) {
      throw new IllegalArgumentException(
          "Fulfilled event of "
              + answers.length
              + " bytes is not a whole number of "
              + FULFILLED_FACT_BYTES
              + "-byte answers");
    }
    ByteBuffer b = ByteBuffer.wrap(answers).order(ByteOrder.LITTLE_ENDIAN);
    List<Fulfilled> out = new ArrayList<>();
    while (b.hasRemaining()) {
      long id = b.getLong();
      int status = b.get() & 0xFF;
      long gasUsed = b.getLong();
      b.getInt(); // the two lengths
      out.add(new Fulfilled(id, status, gasUsed));
    }
    return out;
  }

  /** Ids of entries a fulfilBatch transaction accepted (its Fulfilled events). */
  public static List<Long> acceptedIds(NeoApplicationLog log) {
    List<Long> ids = new ArrayList<>();
    for (var n : log.getExecutions().get(0).getNotifications()) {
      if ("Fulfilled".equals(n.getEventName())) {
        for (Fulfilled f : parseFulfilled(n.getState().getList().get(0).getByteArray())) {
          ids.add(f.requestId());
        }
      }
    }
    return ids;
  }

  /** Entries a fulfilBatch transaction refused, with the gateway's reason. */
  public static Map<Long, String> rejected(NeoApplicationLog log) {
    Map<Long, String> out = new LinkedHashMap<>();
    for (var n : log.getExecutions().get(0).getNotifications()) {
      if ("FulfilmentRejected".equals(n.getEventName())) {
        var st = n.getState().getList();
        out.put(st.get(0).getInteger().longValue(), st.get(1).getString());
      }
    }
    return out;
  }

  static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }

  /**
   * The signing keys the gateway accepts fulfilments from now (33-byte compressed secp256r1 each),
   * by a read-only test invocation of {@code getActiveEnclaves}: nothing is sent, nothing is paid.
   * A revoked key is absent from the first block after its revocation.
   *
   * @throws ChainException.NodeUnreachable when the node does not answer
   * @throws ChainException.RpcError when the invocation faults (e.g. no gateway at this hash)
   */
  public List<byte[]> activeEnclaves() {
    JsonNode result =
        rpc.call("invokefunction", gateway.toString(), "getActiveEnclaves", List.of());
    if (!"HALT".equals(result.path("state").asText())) {
      throw new ChainException.RpcError(
          "invokefunction getActiveEnclaves", 0, "faulted: " + result.path("exception").asText());
    }
    StackValue v = NeoRpcClient.parseStack(result.path("stack").path(0));
    List<byte[]> keys = new ArrayList<>();
    if (v instanceof StackValue.Array a) {
      for (StackValue item : a.items()) {
        keys.add(item.asBytes());
      }
    }
    return keys;
  }

  /** The deployment's current cluster key as the gateway records it (docs/cluster.md). */
  public record ClusterKey(long epoch, byte[] secretsPublicKey) {
    public ClusterKey {
      secretsPublicKey = secretsPublicKey.clone();
    }

    @Override
    public byte[] secretsPublicKey() {
      return secretsPublicKey.clone();
    }
  }

  /**
   * The cluster key the gateway names, or empty when the owner has set none (a deployment from
   * before cluster keys). Read-only test invocation of {@code clusterKey}.
   *
   * @throws ChainException.RpcError when the invocation faults (e.g. a gateway without the method)
   */
  public Optional<ClusterKey> clusterKey() {
    JsonNode result = rpc.call("invokefunction", gateway.toString(), "clusterKey", List.of());
    if (!"HALT".equals(result.path("state").asText())) {
      throw new ChainException.RpcError(
          "invokefunction clusterKey", 0, "faulted: " + result.path("exception").asText());
    }
    StackValue v = NeoRpcClient.parseStack(result.path("stack").path(0));
    if (!(v instanceof StackValue.Array a)) {
      return Optional.empty();
    }
    return Optional.of(
        new ClusterKey(a.items().get(0).asInt().longValue(), a.items().get(1).asBytes()));
  }

  /** Owner call: records {@code epoch} and its secrets public key as the cluster key. */
  public NeoApplicationLog setClusterKey(long epoch, byte[] secretsPublicKey, Account owner) {
    return invoke(
        owner,
        "set cluster key (epoch " + epoch + ")",
        "setClusterKey",
        ContractParameter.integer(BigInteger.valueOf(epoch)),
        ContractParameter.publicKey(secretsPublicKey));
  }

  /**
   * One rule of the gateway's measurement allowlist ({@code measurements()}): kind 1 = MRENCLAVE
   * (value), kind 2 = MRSIGNER (value) with ISVPRODID and minimum ISVSVN.
   */
  public record MeasurementRule(int kind, byte[] value, int isvProdId, int minIsvSvn) {
    public MeasurementRule {
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }
  }

  /**
   * The gateway's measurement allowlist, by a read-only invocation of {@code measurements}.
   *
   * @throws ChainException.RpcError when the invocation faults (e.g. a gateway without it)
   */
  public List<MeasurementRule> measurements() {
    JsonNode result = rpc.call("invokefunction", gateway.toString(), "measurements", List.of());
    if (!"HALT".equals(result.path("state").asText())) {
      throw new ChainException.RpcError(
          "invokefunction measurements", 0, "faulted: " + result.path("exception").asText());
    }
    List<MeasurementRule> out = new ArrayList<>();
    if (NeoRpcClient.parseStack(result.path("stack").path(0)) instanceof StackValue.Array a) {
      for (StackValue item : a.items()) {
        if (item instanceof StackValue.Array r) {
          out.add(
              new MeasurementRule(
                  r.items().get(0).asInt().intValue(),
                  r.items().get(1).asBytes(),
                  r.items().get(2).asInt().intValue(),
                  r.items().get(3).asInt().intValue()));
        }
      }
    }
    return out;
  }
}
