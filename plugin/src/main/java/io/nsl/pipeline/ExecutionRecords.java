package io.nsl.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What happened to each request, kept for its owner to read (status, result, gas, scrubbed logs):
 * encrypted storage namespace {@code executions}, key = zero-padded request id. Thread-safe.
 *
 * <p>Where the answer landed (its fulfilment transaction and block, {@link Answer}) is written
 * apart, in namespace {@code executions-answers} under the same key, when the submitter sees the
 * transaction included, and joined to the record on every read. Apart, because the two writers
 * race: the executor's record is queued and written by its own loop, and a record rewritten on
 * confirmation could overwrite a newer one (a re-execution) or be lost to an older one. Records
 * written before answers were kept, or whose answer has not landed, read with no answer.
 *
 * <p>Every record is cut to {@link #MAX_RECORD_BYTES} before it is stored (error message, then log
 * lines, then the logs and result themselves), so no request can write a record the store refuses:
 * one refused record would fail its whole batch, again and again.
 */
public final class ExecutionRecords {
  /** Largest encoded record; well under the store's value cap (1 MiB by default). */
  public static final int MAX_RECORD_BYTES = 256 * 1024;

  /** Longest error message kept. */
  public static final int MAX_MESSAGE_CHARS = 4_000;

  /** Longest log line kept. */
  public static final int MAX_LOG_LINE_CHARS = 2_000;

  private static final Namespace NS = new Namespace("executions");

  /**
   * The owner index: key {@code OWNER/INVERTED_ID} (owner as stored, request id subtracted from
   * {@link Long#MAX_VALUE} and zero-padded, so ascending keys are newest first), empty value.
   * Written in the same commit as the record.
   */
  private static final Namespace BY_OWNER = new Namespace("executions-by-owner");

  /** Where each answer landed: key = the record's key, value = {@link Answer} as JSON. */
  private static final Namespace ANSWERS = new Namespace("executions-answers");

  /** Most index entries one listing walks: an account's most recent executions, this many. */
  public static final int MAX_LISTED = 100_000;

  private final PersistentStorageService storage;
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * One execution.
   *
   * @param owner the function owner (0x script hash) who may read this record
   * @param blockIndex the block of the request
   * @param logs captured log lines, secret values already scrubbed
   * @param answerTxHash the fulfilment transaction that put the answer on chain (0x + 64 hex), or
   *     null while it has not landed (or for a record older than this field)
   * @param answerBlockIndex the block that includes {@code answerTxHash}, or null with it
   */
  public record Execution(
      long requestId,
      String functionId,
      String owner,
      String requester,
      long blockIndex,
      int status,
      String kind,
      String resultJson,
      long gasUsed,
      List<String> logs,
      String errorMessage,
      long executedAtMillis,
      String answerTxHash,
      Long answerBlockIndex) {
    public Execution {
      logs = List.copyOf(logs);
      if ((answerTxHash == null) != (answerBlockIndex == null)) {
        throw new IllegalArgumentException(
            "an execution's answer has both a transaction and a block or neither, got "
                + answerTxHash
                + " and "
                + answerBlockIndex);
      }
    }

    /** An execution whose answer has not landed yet (what the executor records). */
    public Execution(
        long requestId,
        String functionId,
        String owner,
        String requester,
        long blockIndex,
        int status,
        String kind,
        String resultJson,
        long gasUsed,
        List<String> logs,
        String errorMessage,
        long executedAtMillis) {
      this(
          requestId,
          functionId,
          owner,
          requester,
          blockIndex,
          status,
          kind,
          resultJson,
          gasUsed,
          logs,
          errorMessage,
          executedAtMillis,
          null,
          null);
    }

    /**
     * Blocks from the request's block to the answer's, or empty while the answer has not landed.
     */
    public java.util.OptionalLong blocksToAnswer() {
      return answerBlockIndex == null
          ? java.util.OptionalLong.empty()
          : java.util.OptionalLong.of(answerBlockIndex - blockIndex);
    }

    Execution withAnswer(Answer a) {
      return new Execution(
          requestId,
          functionId,
          owner,
          requester,
          blockIndex,
          status,
          kind,
          resultJson,
          gasUsed,
          logs,
          errorMessage,
          executedAtMillis,
          a.txHash(),
          a.blockIndex());
    }
  }

  /**
   * Where a request's answer landed on chain.
   *
   * @param txHash the fulfilment transaction, 0x + 64 lowercase hex
   * @param blockIndex the block that includes it
   */
  public record Answer(long requestId, String txHash, long blockIndex) {
    public Answer {
      if (txHash == null || !txHash.matches("0x[0-9a-f]{64}")) {
        throw new IllegalArgumentException(
            "answer transaction hash must be 0x and 64 lowercase hex digits, got " + txHash);
      }
      if (blockIndex < 0) {
        throw new IllegalArgumentException(
            "answer block index must not be negative, got " + blockIndex);
      }
    }
  }

  /** The stored form of an {@link Answer} (its key holds the request id). */
  private record StoredAnswer(String txHash, long blockIndex) {}

  public ExecutionRecords(PersistentStorageService storage) {
    this.storage = storage;
  }

  public void put(Execution e) {
    putAll(List.of(e));
  }

  /** Writes many records in one storage commit (one disk sync for all of them). */
  public void putAll(List<Execution> executions) {
    if (executions.isEmpty()) {
      return;
    }
    io.nsl.storage.StorageBatch.Builder b = io.nsl.storage.StorageBatch.builder();
    for (Execution e : executions) {
      try {
        b.put(NS, key(e.requestId()), encodeWithinCap(e));
        b.put(BY_OWNER, ownerKey(e.owner(), e.requestId()), new byte[0]);
      } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
        throw new IllegalStateException("cannot encode execution record", ex);
      }
    }
    storage.commit(b.build());
  }

  /**
   * Records where answers landed, in one storage commit. Idempotent: writing the same answer again
   * (a confirmation looked at twice) changes nothing. An answer may come before its record (the
   * record is written by its own loop); reads join them once both are there.
   */
  public void answered(List<Answer> answers) {
    if (answers.isEmpty()) {
      return;
    }
    io.nsl.storage.StorageBatch.Builder b = io.nsl.storage.StorageBatch.builder();
    for (Answer a : answers) {
      try {
        b.put(
            ANSWERS,
            key(a.requestId()),
            json.writeValueAsBytes(new StoredAnswer(a.txHash(), a.blockIndex())));
      } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
        throw new IllegalStateException("cannot encode an answer record", ex);
      }
    }
    storage.commit(b.build());
  }

  /** {@code e} encoded, cut as the class comment says until it fits {@link #MAX_RECORD_BYTES}. */
  private byte[] encodeWithinCap(Execution e)
      throws com.fasterxml.jackson.core.JsonProcessingException {
    List<String> lines = new ArrayList<>();
    for (String l : e.logs()) {
      lines.add(cut(l, MAX_LOG_LINE_CHARS));
    }
    // The answer is stored apart (see the class comment), never inside the record.
    Execution c = with(e, e.resultJson(), lines, cut(e.errorMessage(), MAX_MESSAGE_CHARS));
    byte[] out = json.writeValueAsBytes(c);
    int keep = lines.size();
    while (out.length > MAX_RECORD_BYTES && keep > 0) {
      // JSON escaping can make a line six times its length, so measure, don't predict.
      keep /= 2;
      List<String> fewer = new ArrayList<>(lines.subList(0, keep));
      fewer.add(
          "["
              + (lines.size() - keep)
              + " log lines dropped: an execution record is capped at "
              + MAX_RECORD_BYTES
              + " bytes]");
      c = with(c, c.resultJson(), fewer, c.errorMessage());
      out = json.writeValueAsBytes(c);
    }
    if (out.length > MAX_RECORD_BYTES) {
      c = with(c, null, List.of(), cut(c.errorMessage(), 200));
      out = json.writeValueAsBytes(c);
    }
    return out;
  }

  private static Execution with(
      Execution e, String resultJson, List<String> logs, String errorMessage) {
    return new Execution(
        e.requestId(),
        e.functionId(),
        e.owner(),
        e.requester(),
        e.blockIndex(),
        e.status(),
        e.kind(),
        resultJson,
        e.gasUsed(),
        logs,
        errorMessage,
        e.executedAtMillis(),
        null,
        null);
  }

  private static String cut(String s, int maxChars) {
    if (s == null || s.length() <= maxChars) {
      return s;
    }
    String kept = CharCut.prefix(s, maxChars);
    return kept + "...[" + (s.length() - kept.length()) + " more characters cut]";
  }

  /** The record of {@code requestId} with its answer when it landed. */
  public Optional<Execution> get(long requestId) {
    return storage.read(NS, key(requestId)).map(this::decode).map(this::joinAnswer);
  }

  private Execution joinAnswer(Execution e) {
    return storage
        .read(ANSWERS, key(e.requestId()))
        .map(
            b -> {
              try {
                StoredAnswer s = json.readValue(b, StoredAnswer.class);
                return e.withAnswer(new Answer(e.requestId(), s.txHash(), s.blockIndex()));
              } catch (IOException ex) {
                throw new UncheckedIOException(
                    "corrupt answer record of request " + e.requestId(), ex);
              }
            })
        .orElse(e);
  }

  /** The most recent {@code limit} records (highest request ids first) matching {@code filter}. */
  public List<Execution> recent(int limit, java.util.function.Predicate<Execution> filter) {
    List<byte[]> keys = storage.listKeys(NS, new byte[0], 1_000_000);
    List<Execution> out = new ArrayList<>();
    for (int i = keys.size() - 1; i >= 0 && out.size() < limit; i--) {
      storage
          .read(NS, keys.get(i))
          .map(this::decode)
          .map(this::joinAnswer)
          .filter(filter)
          .ifPresent(out::add);
    }
    return out;
  }

  /**
   * One account's executions, newest first: those with a request id below {@code beforeRequestId}
   * that match {@code filter}, at most {@code limit}. Walks at most {@link #MAX_LISTED} of the
   * account's index entries, and reads only the records it returns or filters out. Executions
   * recorded before the index existed are not listed ({@link #get} still finds them).
   */
  public List<Execution> ofOwner(
      String owner,
      long beforeRequestId,
      int limit,
      java.util.function.Predicate<Execution> filter) {
    byte[] prefix =
        (owner.toLowerCase(java.util.Locale.ROOT) + "/").getBytes(StandardCharsets.UTF_8);
    List<byte[]> keys = storage.listKeys(BY_OWNER, prefix, MAX_LISTED);
    List<Execution> out = new ArrayList<>();
    for (byte[] k : keys) {
      if (out.size() >= limit) {
        break;
      }
      String text = new String(k, StandardCharsets.UTF_8);
      long id = Long.MAX_VALUE - Long.parseLong(text.substring(text.indexOf('/') + 1));
      if (id >= beforeRequestId) {
        continue;
      }
      get(id).filter(filter).ifPresent(out::add);
    }
    return out;
  }

  private static byte[] ownerKey(String owner, long requestId) {
    return (owner.toLowerCase(java.util.Locale.ROOT)
            + "/"
            + String.format("%019d", Long.MAX_VALUE - requestId))
        .getBytes(StandardCharsets.UTF_8);
  }

  private Execution decode(byte[] b) {
    try {
      return json.readValue(b, Execution.class);
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt execution record", e);
    }
  }

  private static byte[] key(long id) {
    return String.format("%020d", id).getBytes(StandardCharsets.UTF_8);
  }
}
