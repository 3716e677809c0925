package io.nsl.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neow3j.crypto.ECKeyPair;
import io.neow3j.script.VerificationScript;
import io.neow3j.serialization.NeoSerializableInterface;
import io.neow3j.serialization.exceptions.DeserializationException;
import io.neow3j.transaction.AccountSigner;
import io.neow3j.transaction.Signer;
import io.neow3j.transaction.Transaction;
import io.neow3j.transaction.Witness;
import io.neow3j.types.ContractParameter;
import io.neow3j.types.Hash160;
import io.nsl.api.ApiFailure;
import io.nsl.api.ChainActions;
import io.nsl.api.ErrorStatus;
import io.nsl.chain.ChainException;
import io.nsl.chain.ConsumerCalls;
import io.nsl.chain.GatewayClient;
import io.nsl.chain.GatewayRequest;
import io.nsl.chain.NeoChain;
import io.nsl.chain.NeoRpcClient;
import io.nsl.pipeline.ExecutionRecords;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ChainActions} on the service's node and gateway: builds the transaction with the caller's
 * account as its one signer (CalledByEntry), the system fee from the node's test run and the
 * network fee from {@code calculatenetworkfee} on a draft with a placeholder signature of the right
 * size; relays a signed one; reads where a transaction is, and for a request its id and the
 * consumer's stored answer. It never sees a private key. Thread-safe.
 */
final class ChainActionsBackend implements ChainActions {
  /** Transactions whose send height is remembered, for "blocks waited"; the oldest go first. */
  static final int REMEMBERED = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NeoChain chain;
  private final NeoRpcClient rpc;
  private final GatewayClient gateway;
  private final long networkMagic;
  private final ExecutionRecords executions;
  private final Map<String, Long> sentAtBlockCount = bounded();
  private final Map<String, Long> answerSeenAtBlockCount = bounded();

  /**
   * @param executions this service's records, for an answer's gas used and kind (both public on
   *     chain too); never its logs, which only the function's owner may read
   */
  ChainActionsBackend(
      NeoChain chain,
      NeoRpcClient rpc,
      GatewayClient gateway,
      long networkMagic,
      ExecutionRecords executions) {
    this.executions = executions;
    this.chain = chain;
    this.rpc = rpc;
    this.gateway = gateway;
    this.networkMagic = networkMagic;
  }

  @Override
  public long networkMagic() {
    return networkMagic;
  }

  @Override
  public Prepared prepare(byte[] senderPublicKey, Call call) {
    Hash160 sender = Hash160.fromPublicKey(senderPublicKey);
    String owner = "0x" + sender;
    String id = call.functionId();
    ObjectNode summary = JSON.createObjectNode();
    byte[] script;
    switch (call.action()) {
      case REGISTER -> {
        byte[] sha = sha256(call.code().orElseThrow().getBytes(StandardCharsets.UTF_8));
        Optional<GatewayClient.FunctionInfo> f = gateway.function(id);
        String method;
        if (f.isEmpty()) {
          method = "registerFunction";
          script =
              gateway.script(
                  method,
                  ContractParameter.string(id),
                  ContractParameter.byteArray(sha),
                  ContractParameter.hash160(sender));
        } else {
          requireOwner(f.get(), id, owner);
          if (Arrays.equals(f.get().codeHash(), sha)) {
            throw new ApiFailure(
                ErrorStatus.CHAIN_ACTION_NOT_NEEDED,
                "function '"
                    + id
                    + "' is already registered to you with this code (sha256 "
                    + HexFormat.of().formatHex(sha)
                    + "); nothing to sign: upload the code with PUT /v1/functions/"
                    + id);
          }
          method = "updateFunction";
          script =
              gateway.script(
                  method, ContractParameter.string(id), ContractParameter.byteArray(sha));
        }
        summary.put("contract", "0x" + gateway.hash());
        summary.put("method", method);
        summary.put("functionId", id);
        summary.put("codeSha256", HexFormat.of().formatHex(sha));
      }
      case REQUEST -> {
        Hash160 consumer = new Hash160(call.consumer().orElseThrow().substring(2));
        script =
            ConsumerCalls.requestScript(
                consumer, id, call.inputJson().orElseThrow(), call.jsGasLimit());
        summary.put("contract", "0x" + consumer);
        summary.put("method", "request");
        summary.put("functionId", id);
        summary.put("input", call.inputJson().orElseThrow());
        summary.put("jsGasLimit", call.jsGasLimit());
        summary.put("gasForResponse", ConsumerCalls.GAS_FOR_RESPONSE);
      }
      case ENABLE, DISABLE -> {
        boolean enable = call.action() == Action.ENABLE;
        GatewayClient.FunctionInfo f =
            gateway
                .function(id)
                .orElseThrow(
                    () ->
                        new ApiFailure(
                            ErrorStatus.FUNCTION_NOT_REGISTERED,
                            "function '" + id + "' is not registered on the gateway"));
        requireOwner(f, id, owner);
        script =
            gateway.script(
                "setFunctionEnabled", ContractParameter.string(id), ContractParameter.bool(enable));
        summary.put("contract", "0x" + gateway.hash());
        summary.put("method", "setFunctionEnabled");
        summary.put("functionId", id);
        summary.put("enabled", enable);
      }
      default -> throw new IllegalStateException("unreachable: " + call.action());
    }
    String what = call.action().name().toLowerCase(Locale.ROOT) + " " + id;
    List<Signer> signers = List.of(AccountSigner.calledByEntry(sender));
    long validUntilBlock = chain.blockCount() + NeoChain.VALID_FOR_BLOCKS;
    Transaction tx;
    try {
      tx =
          chain.build(
              script,
              signers,
              validUntilBlock,
              hashData -> List.of(witness(new byte[64], senderPublicKey)),
              what);
    } catch (ChainException.TransactionFaulted e) {
      throw new ApiFailure(
          ErrorStatus.CHAIN_ACTION_FAULTS,
          "the node's test run of "
              + what
              + " from "
              + owner
              + " faults, so it would fail on chain: "
              + e.getMessage()
              + (call.action() == Action.REQUEST
                  ? " (a request must come from the consumer's owner, and the consumer needs a"
                      + " prepaid balance at the gateway)"
                  : ""));
    }
    return new Prepared(
        tx.toArrayWithoutWitnesses(),
        "0x" + tx.getTxId(),
        tx.getSystemFee(),
        tx.getNetworkFee(),
        validUntilBlock,
        summary);
  }

  @Override
  public String send(byte[] unsignedTx, byte[] publicKey, byte[] signature) {
    byte[] noWitnesses = Arrays.copyOf(unsignedTx, unsignedTx.length + 1); // witness count 0
    Transaction tx;
    try {
      tx = NeoSerializableInterface.from(noWitnesses, Transaction.class);
    } catch (DeserializationException | RuntimeException e) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "field 'tx' is not a Neo N3 transaction without witnesses ("
              + e.getMessage()
              + "); send the tx POST /v1/chain/prepare returned, unchanged");
    }
    Hash160 caller = Hash160.fromPublicKey(publicKey);
    if (tx.getSigners().size() != 1 || !tx.getSigners().get(0).getScriptHash().equals(caller)) {
      throw new ApiFailure(
          ErrorStatus.CHAIN_KEY_NOT_CALLER,
          "the transaction's signers are not just your account 0x"
              + caller
              + "; the service relays only transactions whose one signer is the caller");
    }
    tx.addWitness(witness(signature, publicKey));
    long before = chain.blockCount();
    JsonNode sent;
    try {
      sent = rpc.call("sendrawtransaction", Base64.getEncoder().encodeToString(tx.toArray()));
    } catch (ChainException.RpcError e) {
      throw refused(e, caller);
    }
    String hash = sent.path("hash").asText("0x" + tx.getTxId()).toLowerCase(Locale.ROOT);
    synchronized (sentAtBlockCount) {
      sentAtBlockCount.put(hash, before);
    }
    return hash;
  }

  private static ApiFailure refused(ChainException.RpcError e, Hash160 caller) {
    String m = e.getMessage();
    boolean funds = m.toLowerCase(Locale.ROOT).contains("insufficient");
    return new ApiFailure(
        ErrorStatus.CHAIN_TX_REFUSED,
        m
            + (funds
                ? ". Your account "
                    + caller.toAddress()
                    + " (0x"
                    + caller
                    + ") lacks the GAS for the fees: send it GAS (on the devnet the developer"
                    + " wallet is funded at start; fund another account from it with a GAS"
                    + " transfer, e.g. neo-go wallet nep17 transfer)"
                : ""));
  }

  @Override
  public Optional<JsonNode> state(String hash0x) {
    Optional<JsonNode> raw = rpc.callOptional("getrawtransaction", hash0x, 1);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    Long sentAt;
    synchronized (sentAtBlockCount) {
      sentAt = sentAtBlockCount.get(hash0x);
    }
    ObjectNode r = JSON.createObjectNode();
    r.put("hash", hash0x);
    String blockHash = raw.get().path("blockhash").asText("");
    if (blockHash.isEmpty()) {
      r.put("state", "PENDING");
      if (sentAt != null) {
        r.put("blocksWaited", chain.blockCount() - sentAt);
      }
      return Optional.of(r);
    }
    long block = rpc.call("getblockheader", blockHash, 1).path("index").asLong();
    JsonNode exec = rpc.call("getapplicationlog", hash0x).path("executions").path(0);
    boolean halted = "HALT".equals(exec.path("vmstate").asText());
    r.put("state", halted ? "IN_BLOCK" : "FAULTED");
    r.put("block", block);
    if (!halted) {
      r.put("exception", exec.path("exception").asText());
    }
    long lastBlock = block;
    Optional<GatewayRequest> request = halted ? gatewayRequest(exec, block) : Optional.empty();
    if (request.isPresent()) {
      long id = request.get().requestId();
      r.put("requestId", id);
      r.put("consumer", request.get().requester());
      GatewayClient.RequestState s = gateway.requestState(id);
      r.put("requestState", s.name());
      if (s == GatewayClient.RequestState.FULFILLED) {
        Optional<ConsumerCalls.Answer> a = answer(request.get());
        if (a.isPresent()) {
          ObjectNode answer = answerJson(a.get());
          executions
              .get(id)
              .ifPresent(
                  e -> {
                    answer.put("kind", e.kind());
                    answer.put("gasUsed", e.gasUsed());
                  });
          r.set("answer", answer);
          Long seen;
          synchronized (answerSeenAtBlockCount) {
            seen = answerSeenAtBlockCount.computeIfAbsent(hash0x, h -> chain.blockCount());
          }
          lastBlock = Math.max(block, seen - 1);
        }
      }
    }
    if (sentAt != null) {
      r.put("blocksWaited", lastBlock - sentAt + 1);
    }
    return Optional.of(r);
  }

  private Optional<GatewayRequest> gatewayRequest(JsonNode exec, long block) {
    String gw = "0x" + gateway.hash();
    for (JsonNode n : exec.path("notifications")) {
      if (n.path("contract").asText().equalsIgnoreCase(gw)
          && "Request".equals(n.path("eventname").asText())) {
        try {
          return Optional.of(
              GatewayClient.parseRequest(
                  new NeoRpcClient.Notification(
                      "",
                      n.path("contract").asText(),
                      "Request",
                      NeoRpcClient.parseStack(n.path("state")).asList()),
                  block));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** The consumer's stored answer; empty when the consumer is not built like the example. */
  private Optional<ConsumerCalls.Answer> answer(GatewayRequest request) {
    try {
      return ConsumerCalls.answer(
          rpc, new Hash160(request.requester().substring(2)), request.requestId());
    } catch (ChainException.RpcError notLikeTheExample) {
      return Optional.empty();
    }
  }

  private static ObjectNode answerJson(ConsumerCalls.Answer a) {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", a.status());
    String text = new String(a.result(), StandardCharsets.UTF_8);
    try {
      JsonNode parsed = JSON.readTree(text);
      o.set(
          "result",
          parsed == null || parsed.isMissingNode() ? JSON.getNodeFactory().textNode(text) : parsed);
    } catch (JsonProcessingException notJson) {
      o.put("result", text);
    }
    return o;
  }

  private static void requireOwner(GatewayClient.FunctionInfo f, String id, String owner) {
    if (!f.owner().equalsIgnoreCase(owner)) {
      throw new ApiFailure(
          ErrorStatus.FUNCTION_NOT_OWNER,
          "function '"
              + id
              + "' is registered to account "
              + f.owner()
              + ", not yours ("
              + owner
              + "); ids are first come, first served: choose another id");
    }
  }

  /** A single-signature witness: PUSHDATA1 signature; the key's verification script. */
  private static Witness witness(byte[] signature, byte[] publicKey) {
    byte[] invocation = new byte[66];
    invocation[0] = 0x0C; // PUSHDATA1
    invocation[1] = 64;
    System.arraycopy(signature, 0, invocation, 2, 64);
    return new Witness(
        invocation, new VerificationScript(new ECKeyPair.ECPublicKey(publicKey)).getScript());
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static <V> Map<String, V> bounded() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > REMEMBERED;
      }
    };
  }
}
