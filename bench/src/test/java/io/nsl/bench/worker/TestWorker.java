package io.nsl.bench.worker;

import io.nsl.bench.worker.WorkerProtocol.Execute;
import io.nsl.bench.worker.WorkerProtocol.Ping;
import io.nsl.bench.worker.WorkerProtocol.Pong;
import io.nsl.bench.worker.WorkerProtocol.Ready;
import io.nsl.bench.worker.WorkerProtocol.Request;
import io.nsl.bench.worker.WorkerProtocol.Result;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker without GraalJS, for {@link SupervisorTest}: it speaks {@link WorkerProtocol} and
 * interprets the "code" as a command: {@code echo} answers OK with the input, {@code slow} does so
 * after 1.5 s, {@code bomb} allocates until the JVM's heap is full (started with a small -Xmx and
 * -XX:+ExitOnOutOfMemoryError, it really exits with 3), {@code exit7} exits with 7.
 */
public final class TestWorker {
  private TestWorker() {}

  public static void main(String[] args) throws IOException {
    OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
    var in = new BufferedInputStream(new FileInputStream(FileDescriptor.in));
    write(out, WorkerProtocol.encode(new Ready(1)));
    for (byte[] p; (p = WorkerProtocol.readFrame(in)) != null; ) {
      Request r = WorkerProtocol.decodeRequest(p);
      switch (r) {
        case Ping ping -> write(out, WorkerProtocol.encode(new Pong(ping.id())));
        case Execute e ->
            Thread.ofVirtual()
                .start(
                    () -> {
                      switch (e.code()) {
                        case "slow" -> sleep(1500);
                        case "bomb" -> bomb();
                        case "exit7" -> System.exit(7);
                        default -> {}
                      }
                      write(
                          out,
                          WorkerProtocol.encode(new Result(e.id(), 0, e.inputJson(), 1, "", 0)));
                    });
      }
    }
  }

  private static void bomb() {
    List<long[]> hold = new ArrayList<>();
    for (; ; ) {
      hold.add(new long[1 << 17]);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void write(OutputStream out, byte[] payload) {
    synchronized (out) {
      try {
        WorkerProtocol.writeFrame(out, payload);
      } catch (IOException e) {
        System.exit(1);
      }
    }
  }
}
