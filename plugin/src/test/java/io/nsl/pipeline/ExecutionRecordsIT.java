package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.StorageOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Execution records against the real encrypted store: one record can't stop the others. */
class ExecutionRecordsIT {
  @TempDir Path dir;
  PersistentStorageService storage;
  ExecutionRecords records;

  @BeforeEach
  void open() {
    storage =
        PersistentStorageService.initialise(
            StorageOptions.defaults(dir.resolve("store")),
            purpose -> {
              byte[] k = new byte[32];
              Arrays.fill(k, (byte) 7);
              return k;
            });
    records = new ExecutionRecords(storage);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private static ExecutionRecords.Execution record(long id, String message, List<String> logs) {
    return new ExecutionRecords.Execution(
        id, "fn", "0xowner", "0xrequester", 10, 3, "RUNTIME_ERROR", null, 5, logs, message, 1L);
  }

  @Test
  void megabyteErrorMessageIsCutAndLaterRecordsAreWritten() {
    // Before: the 1 MiB message (JSON-escaped to ~6 MiB) made the batch over the store's 1 MiB
    // value cap; the commit failed, the recorder re-queued it forever and wrote nothing else.
    String huge = "\u0001".repeat(1 << 20);
    records.putAll(List.of(record(1, huge, List.of()), record(2, "ordinary", List.of("a line"))));
    ExecutionRecords.Execution first = records.get(1).orElseThrow();
    assertTrue(first.errorMessage().length() <= ExecutionRecords.MAX_MESSAGE_CHARS + 100);
    assertTrue(first.errorMessage().endsWith("more characters cut]"), first.errorMessage());
    assertEquals("ordinary", records.get(2).orElseThrow().errorMessage());
    assertEquals(List.of("a line"), records.get(2).orElseThrow().logs());
  }

  @Test
  void logsOverTheRecordCapAreDroppedWithAMarker() {
    List<String> logs = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      logs.add(i + " " + "\"".repeat(3_000));
    }
    records.put(record(3, "m", logs));
    List<String> kept = records.get(3).orElseThrow().logs();
    assertTrue(kept.size() < logs.size());
    assertTrue(kept.getFirst().startsWith("0 "), kept.getFirst());
    assertTrue(kept.getLast().contains("log lines dropped"), kept.getLast());
    assertTrue(kept.get(1).length() <= ExecutionRecords.MAX_LOG_LINE_CHARS + 100);
  }

  private static final String TX = "0x" + "ab".repeat(32);

  @Test
  void anAnswerThatLandedIsJoinedToItsRecordOnEveryRead() {
    records.put(record(7, null, List.of()));
    assertEquals(null, records.get(7).orElseThrow().answerTxHash(), "not landed yet");
    assertTrue(records.get(7).orElseThrow().blocksToAnswer().isEmpty());
    records.answered(List.of(new ExecutionRecords.Answer(7, TX, 13)));
    ExecutionRecords.Execution e = records.get(7).orElseThrow();
    assertEquals(TX, e.answerTxHash());
    assertEquals(13L, e.answerBlockIndex());
    assertEquals(3, e.blocksToAnswer().getAsLong(), "request in block 10, answer in 13");
    assertEquals(
        TX, records.ofOwner("0xowner", Long.MAX_VALUE, 5, x -> true).get(0).answerTxHash());
    assertEquals(TX, records.recent(5, x -> true).get(0).answerTxHash());
  }

  @Test
  void anAnswerRecordedBeforeItsExecutionIsJoinedOnceTheExecutionIsWritten() {
    // The executor's records are written by their own loop; the confirmation may come first.
    records.answered(List.of(new ExecutionRecords.Answer(8, TX, 12)));
    assertTrue(records.get(8).isEmpty());
    records.put(record(8, null, List.of()));
    assertEquals(12L, records.get(8).orElseThrow().answerBlockIndex());
    // And a re-execution's record (after a restart) keeps the answer already on chain.
    records.put(record(8, "again", List.of()));
    assertEquals(TX, records.get(8).orElseThrow().answerTxHash());
  }

  @Test
  void aRecordWrittenBeforeAnswersWereKeptStillLoads() {
    String old =
        "{\"requestId\":9,\"functionId\":\"fn\",\"owner\":\"0xowner\",\"requester\":\"0xr\","
            + "\"blockIndex\":10,\"status\":0,\"kind\":null,\"resultJson\":\"1\",\"gasUsed\":5,"
            + "\"logs\":[\"l\"],\"errorMessage\":null,\"executedAtMillis\":1}";
    storage.commit(
        io.nsl.storage.StorageBatch.builder()
            .put(
                new io.nsl.storage.Namespace("executions"),
                String.format("%020d", 9).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                old.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .build());
    ExecutionRecords.Execution e = records.get(9).orElseThrow();
    assertEquals(List.of("l"), e.logs());
    assertEquals(null, e.answerTxHash());
    assertEquals(null, e.answerBlockIndex());
  }

  @Test
  void anAnswerMustNameARealTransactionAndBlock() {
    var bad =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> new ExecutionRecords.Answer(1, "0xtx1", 5));
    assertTrue(bad.getMessage().contains("0xtx1"), bad.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new ExecutionRecords.Answer(1, TX, -1));
  }
}
