package io.nsl.bench.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.bench.worker.WorkerProtocol.Execute;
import io.nsl.bench.worker.WorkerProtocol.MalformedFrameException;
import io.nsl.bench.worker.WorkerProtocol.Result;
import io.nsl.js.ErrorKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {
  @TempDir Path logs;

  @Test
  void framesCarryAnExecutionAndItsResultUnchanged() throws Exception {
    Execute e =
        new Execute(
            7, "f", "function main(i){return i}", bytes("{\"a\":1}"), 1000, Map.of("k", "v"));
    ByteArrayOutputStream pipe = new ByteArrayOutputStream();
    WorkerProtocol.writeFrame(pipe, WorkerProtocol.encode(e));
    Result r = new Result(7, 6, bytes("[1]"), 42, "why", 99);
    WorkerProtocol.writeFrame(pipe, WorkerProtocol.encode(r));

    ByteArrayInputStream in = new ByteArrayInputStream(pipe.toByteArray());
    Execute e2 = (Execute) WorkerProtocol.decodeRequest(WorkerProtocol.readFrame(in));
    Result r2 = (Result) WorkerProtocol.decodeReply(WorkerProtocol.readFrame(in));
    assertNull(WorkerProtocol.readFrame(in), "a clean end of stream between frames is null");

    assertEquals(e.code(), e2.code());
    assertArrayEquals(e.inputJson(), e2.inputJson());
    assertEquals(Map.of("k", "v"), e2.secrets());
    assertEquals(1000, e2.gasLimit());
    assertEquals(
        List.of(7L, 6, 42L, "why", 99L),
        List.of(r2.id(), r2.status(), r2.gasUsed(), r2.errorMessage(), r2.executeNanos()));
    assertArrayEquals(bytes("[1]"), r2.resultJson());
  }

  @Test
  void executionToStringNeverShowsSecretValues() {
    Execute e = new Execute(1, "f", "c", bytes("1"), 1, Map.of("apiKey", "s3cr3t"));
    assertTrue(e.toString().contains("apiKey"));
    assertTrue(!e.toString().contains("s3cr3t"), e.toString());
  }

  @Test
  void refusesTornOversizeAndTrailingFrames() throws Exception {
    ByteArrayOutputStream pipe = new ByteArrayOutputStream();
    WorkerProtocol.writeFrame(pipe, WorkerProtocol.encode(new WorkerProtocol.Ping(1)));
    byte[] whole = pipe.toByteArray();
    byte[] torn = Arrays.copyOf(whole, whole.length - 1);
    assertThrows(
        EOFException.class, () -> WorkerProtocol.readFrame(new ByteArrayInputStream(torn)));
    // What a JVM might print on stdout as it dies ("Terminating due to ...") reads as a huge
    // length.
    byte[] text = bytes("Terminating due to java.lang.OutOfMemoryError");
    assertThrows(
        MalformedFrameException.class,
        () -> WorkerProtocol.readFrame(new ByteArrayInputStream(text)));
    byte[] payload = WorkerProtocol.encode(new WorkerProtocol.Ping(1));
    byte[] longer = Arrays.copyOf(payload, payload.length + 1);
    assertThrows(MalformedFrameException.class, () -> WorkerProtocol.decodeRequest(longer));
  }

  @Test
  void answersEveryExecutionInFlightWithMemoryLimitAndRestartsWhenTheWorkerRunsOutOfHeap()
      throws Exception {
    try (Supervisor s =
        new Supervisor(command("-Xmx32m", "-XX:+ExitOnOutOfMemoryError"), 1, 2, logs)) {
      s.awaitReady(Duration.ofSeconds(30));
      assertEquals("1", s.execute("f", "echo", bytes("1"), 1, Map.of()).resultJsonString());

      CompletableFuture<Result> innocent = CompletableFuture.supplyAsync(() -> run(s, "slow"));
      Thread.sleep(300); // the innocent is in flight before the bomb arrives
      Result bomb = s.execute("f", "bomb", bytes("2"), 1, Map.of());
      Result sameWorker = innocent.join();

      assertEquals(ErrorKind.MEMORY_LIMIT.code(), bomb.status(), bomb.errorMessage());
      assertEquals(
          ErrorKind.MEMORY_LIMIT.code(),
          sameWorker.status(),
          "the supervisor can't tell the bomb from its neighbour in the same worker");
      assertEquals(List.of(new Supervisor.Death(0, Supervisor.OOM_EXIT_CODE, 2)), s.deaths());

      s.awaitReady(Duration.ofSeconds(30));
      assertEquals("3", s.execute("f", "echo", bytes("3"), 1, Map.of()).resultJsonString());
      assertEquals(
          List.of(false, true), s.starts().stream().map(Supervisor.Start::restart).toList());
    }
  }

  @Test
  void answersInternalErrorWhenTheWorkerExitsForAnotherReason() throws Exception {
    try (Supervisor s = new Supervisor(command("-Xmx32m"), 1, 1, logs)) {
      s.awaitReady(Duration.ofSeconds(30));
      Result r = s.execute("f", "exit7", bytes("1"), 1, Map.of());
      assertEquals(ErrorKind.INTERNAL_ERROR.code(), r.status(), r.errorMessage());
      assertTrue(r.errorMessage().contains("code 7"), r.errorMessage());
      s.awaitReady(Duration.ofSeconds(30));
      assertEquals("4", s.execute("f", "echo", bytes("4"), 1, Map.of()).resultJsonString());
    }
    assertTrue(Files.exists(logs.resolve("worker-0.log")));
  }

  @Test
  void oneExecutionPerWorkerKeepsTheNeighbourAlive() throws Exception {
    try (Supervisor s =
        new Supervisor(command("-Xmx32m", "-XX:+ExitOnOutOfMemoryError"), 2, 1, logs)) {
      s.awaitReady(Duration.ofSeconds(30));
      CompletableFuture<Result> innocent = CompletableFuture.supplyAsync(() -> run(s, "slow"));
      Thread.sleep(300);
      Result bomb = s.execute("f", "bomb", bytes("2"), 1, Map.of());
      assertEquals(ErrorKind.MEMORY_LIMIT.code(), bomb.status());
      assertEquals(0, innocent.join().status(), "the innocent ran in the other worker");
    }
  }

  private static Result run(Supervisor s, String code) {
    try {
      return s.execute("f", code, bytes("0"), 1, Map.of());
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> command(String... jvmFlags) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> c = new java.util.ArrayList<>(List.of(java));
    c.addAll(List.of(jvmFlags));
    c.addAll(
        List.of(
            "-XX:+DisplayVMOutputToStderr",
            "-cp",
            System.getProperty("java.class.path"),
            TestWorker.class.getName()));
    return c;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
