package io.nsl.api;

import static io.nsl.api.RequestParts.allow;
import static io.nsl.api.RequestParts.noQuery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.NameRules;
import io.nsl.pipeline.StoredFunctionCatalog;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/chain/prepare}, {@code POST /v1/chain/send} and {@code GET /v1/chain/tx/{hash}}
 * (decision 1120): a chain action from a page that holds the developer's key. The service builds
 * the unsigned transaction with the caller as sender, the page signs its sign data, the service
 * checks the signature against the caller's own key, adds the witness and relays it. Everything
 * here is checking and shaping; the chain work is {@link ChainActions}'.
 */
final class ChainActionsResource implements Resource {
  /** JS gas a request may use when {@code args.jsGasLimit} is absent, as {@code ./nsl request}. */
  static final long DEFAULT_JS_GAS_LIMIT = 1_000_000;

  /** Neo N3's largest transaction (MaxTransactionSize). */
  static final int MAX_TX_BYTES = 102_400;

  private static final Set<String> PREPARE_FIELDS = Set.of("action", "args");
  private static final Set<String> SEND_FIELDS = Set.of("tx", "signature", "publicKey");
  private static final Pattern HASH256 = Pattern.compile("0x[0-9a-fA-F]{64}");
  private static final Pattern HASH160 = Pattern.compile("(0x)?[0-9a-fA-F]{40}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CallerAuth auth;
  private final ChainActions chain;

  ChainActionsResource(CallerAuth auth, ChainActions chain) {
    this.auth = auth;
    this.chain = chain;
  }

  @Override
  public Optional<ApiResponse> handle(ApiRequest req, String[] seg) {
    if (seg.length == 3 && seg[2].equals("prepare")) {
      allow(req, "POST");
      noQuery(req);
      Caller c = auth.authenticate(req);
      return Optional.of(ApiResponse.ok(prepare(c, req.body())));
    }
    if (seg.length == 3 && seg[2].equals("send")) {
      allow(req, "POST");
      noQuery(req);
      Caller c = auth.authenticate(req);
      return Optional.of(ApiResponse.ok(send(c, req.body())));
    }
    if (seg.length == 4 && seg[2].equals("tx")) {
      allow(req, "GET");
      noQuery(req);
      auth.authenticate(req);
      String hash = seg[3];
      if (!HASH256.matcher(hash).matches()) {
        throw new ApiFailure(
            ErrorStatus.BAD_PATH,
            "a transaction hash is 0x + 64 hex characters (as POST /v1/chain/send returns it), got '"
                + hash
                + "'");
      }
      String h = hash.toLowerCase(Locale.ROOT);
      return Optional.of(
          ApiResponse.ok(
              chain
                  .state(h)
                  .orElseThrow(
                      () ->
                          new ApiFailure(
                              ErrorStatus.CHAIN_TX_NOT_FOUND,
                              "the node knows no transaction "
                                  + h
                                  + " (neither in a block nor waiting in its memory pool); a"
                                  + " transaction not included before its validUntilBlock is"
                                  + " dropped: prepare and send it again"))));
    }
    return Optional.empty();
  }

  private ObjectNode prepare(Caller caller, byte[] body) {
    JsonBody b = JsonBody.parse(body, PREPARE_FIELDS);
    ChainActions.Call call = call(b.requiredString("action"), b.optional("args"));
    ChainActions.Prepared p = chain.prepare(HexFormat.of().parseHex(caller.publicKeyHex()), call);
    byte[] tx = p.unsignedTx();
    ObjectNode r = JSON.createObjectNode();
    r.put("action", call.action().name().toLowerCase(Locale.ROOT));
    r.put("tx", HexFormat.of().formatHex(tx));
    r.put("signData", HexFormat.of().formatHex(ChainActions.signData(chain.networkMagic(), tx)));
    r.put("hash", p.hash0x());
    r.put("sender", caller.owner());
    r.put("networkMagic", chain.networkMagic());
    r.put("systemFee", p.systemFee());
    r.put("networkFee", p.networkFee());
    r.put("validUntilBlock", p.validUntilBlock());
    r.set("summary", p.summary());
    return r;
  }

  private ObjectNode send(Caller caller, byte[] body) {
    JsonBody b = JsonBody.parse(body, SEND_FIELDS);
    byte[] tx = hex(b.requiredString("tx"), "tx", 1, MAX_TX_BYTES);
    byte[] signature = hex(b.requiredString("signature"), "signature", 64, 64);
    String publicKey = b.requiredString("publicKey");
    if (!publicKey.equalsIgnoreCase(caller.publicKeyHex())) {
      throw new ApiFailure(
          ErrorStatus.CHAIN_KEY_NOT_CALLER,
          "publicKey "
              + publicKey
              + " is not the key that signed this request ("
              + caller.publicKeyHex()
              + "); the service relays only transactions signed by the caller's own key");
    }
    byte[] key = HexFormat.of().parseHex(caller.publicKeyHex());
    if (!ApiAuth.verify(key, ChainActions.signData(chain.networkMagic(), tx), signature)) {
      throw new ApiFailure(
          ErrorStatus.CHAIN_SIGNATURE_INVALID,
          "the signature does not verify for this transaction and key "
              + caller.publicKeyHex()
              + " on network "
              + chain.networkMagic()
              + ": sign the signData POST /v1/chain/prepare returned (ECDSA P-256, SHA-256, r‖s),"
              + " and send the tx unchanged");
    }
    ObjectNode r = JSON.createObjectNode();
    r.put("hash", chain.send(tx, key, signature));
    return r;
  }

  /** The action and its arguments, checked; a {@code CHAIN_*} failure names what is wrong. */
  static ChainActions.Call call(String actionName, Optional<JsonNode> argsNode) {
    ChainActions.Action action;
    try {
      action = ChainActions.Action.valueOf(actionName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ApiFailure(
          ErrorStatus.CHAIN_UNKNOWN_ACTION,
          "unknown action '"
              + actionName
              + "'; the actions are register, request, enable, disable");
    }
    if (argsNode.isEmpty() || !argsNode.get().isObject()) {
      throw badArgs(action, "'args' must be a JSON object");
    }
    JsonNode args = argsNode.get();
    Set<String> allowed =
        switch (action) {
          case REGISTER -> Set.of("functionId", "code");
          case REQUEST -> Set.of("functionId", "consumer", "input", "jsGasLimit");
          case ENABLE, DISABLE -> Set.of("functionId");
        };
    for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw badArgs(
            action, "unknown argument '" + f + "'; it takes " + String.join(", ", allowed));
      }
    }
    String functionId = text(action, args, "functionId");
    NameRules.functionIdProblem(functionId)
        .ifPresent(
            problem -> {
              throw badArgs(action, "functionId: " + problem);
            });
    Optional<String> code = Optional.empty();
    Optional<String> consumer = Optional.empty();
    Optional<String> input = Optional.empty();
    long jsGasLimit = 0;
    if (action == ChainActions.Action.REGISTER) {
      String c = text(action, args, "code");
      int size = c.getBytes(StandardCharsets.UTF_8).length;
      if (size == 0 || size > StoredFunctionCatalog.MAX_CODE_BYTES) {
        throw badArgs(
            action,
            "code has "
                + size
                + " bytes of UTF-8; it must have 1.."
                + StoredFunctionCatalog.MAX_CODE_BYTES);
      }
      code = Optional.of(c);
    }
    if (action == ChainActions.Action.REQUEST) {
      String h = text(action, args, "consumer");
      if (!HASH160.matcher(h).matches()) {
        throw badArgs(
            action,
            "consumer must be a contract hash, 0x + 40 hex (as the devnet prints it), got '"
                + h
                + "'");
      }
      consumer = Optional.of("0x" + h.replaceFirst("^0x", "").toLowerCase(Locale.ROOT));
      String in = text(action, args, "input");
      try {
        if (JSON.readTree(in).isMissingNode()) {
          throw badArgs(action, "input must be JSON text (e.g. \"{\\\"value\\\": 42}\"), got ''");
        }
      } catch (JsonProcessingException e) {
        throw badArgs(action, "input must be JSON text: " + e.getOriginalMessage());
      }
      input = Optional.of(in);
      JsonNode g = args.get("jsGasLimit");
      jsGasLimit = DEFAULT_JS_GAS_LIMIT;
      if (g != null && !g.isNull()) {
        if (!g.isIntegralNumber() || !g.canConvertToLong() || g.asLong() <= 0) {
          throw badArgs(action, "jsGasLimit must be a positive whole number, got " + g);
        }
        jsGasLimit = g.asLong();
      }
    }
    return new ChainActions.Call(action, functionId, code, consumer, input, jsGasLimit);
  }

  private static String text(ChainActions.Action action, JsonNode args, String field) {
    JsonNode v = args.get(field);
    if (v == null || v.isNull()) {
      throw badArgs(action, "'" + field + "' is required");
    }
    if (!v.isTextual()) {
      throw badArgs(action, "'" + field + "' must be a string");
    }
    return v.asText();
  }

  private static ApiFailure badArgs(ChainActions.Action action, String problem) {
    return new ApiFailure(
        ErrorStatus.CHAIN_BAD_ARGS,
        "action " + action.name().toLowerCase(Locale.ROOT) + ": " + problem);
  }

  private static byte[] hex(String v, String field, int minBytes, int maxBytes) {
    if (v.length() > 2L * maxBytes) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "field '" + field + "' must hold at most " + maxBytes + " bytes, got " + v.length() / 2);
    }
    if (v.length() % 2 != 0 || !v.chars().allMatch(ChainActionsResource::isHexDigit)) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "field '" + field + "' must be hex (an even number of 0-9a-f)");
    }
    int n = v.length() / 2;
    if (n < minBytes || n > maxBytes) {
      throw new ApiFailure(
          ErrorStatus.INVALID_VALUE,
          "field '"
              + field
              + "' must hold "
              + (minBytes == maxBytes ? minBytes : minBytes + ".." + maxBytes)
              + " bytes, got "
              + n);
    }
    return HexFormat.of().parseHex(v);
  }

  private static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
