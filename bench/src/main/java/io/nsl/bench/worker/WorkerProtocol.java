package io.nsl.bench.worker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The length-framed messages between the {@link Supervisor} (parent) and a {@link WorkerMain}
 * (child), over the child's stdin and stdout. A frame is a 4-byte big-endian payload length, then
 * the payload: a type byte and the fields of one message. Prototype only (issue 5's side-by-side
 * measurement); never used by the service.
 *
 * <p>What crosses the pipe: function code, input, gas limit and the function owner's secrets (a
 * worker has to read them to run the function). No signing key, no secrets key: the worker has no
 * way to ask for one.
 *
 * <p>Encoding and decoding are pure ({@link #encode}, {@link #decodeRequest}, {@link
 * #decodeReply}); {@link #readFrame} and {@link #writeFrame} are the stream edges.
 */
public final class WorkerProtocol {
  /** Larger frames are refused: the service's input cap is 64 KiB and code is small. */
  public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

  private static final byte EXECUTE = 1;
  private static final byte PING = 2;
  private static final byte READY = 11;
  private static final byte RESULT = 12;
  private static final byte PONG = 13;

  private WorkerProtocol() {}

  /** Parent to worker. */
  public sealed interface Request permits Execute, Ping {
    long id();
  }

  /** Worker to parent. */
  public sealed interface Reply permits Ready, Result, Pong {}

  /** Run {@code main(input)} of {@code code}. */
  public record Execute(
      long id,
      String functionId,
      String code,
      byte[] inputJson,
      long gasLimit,
      Map<String, String> secrets)
      implements Request {
    public Execute {
      Objects.requireNonNull(functionId, "functionId");
      Objects.requireNonNull(code, "code");
      inputJson = Objects.requireNonNull(inputJson, "inputJson").clone();
      secrets = Map.copyOf(secrets);
      if (gasLimit <= 0) {
        throw new IllegalArgumentException("gasLimit must be > 0, was " + gasLimit);
      }
    }

    @Override
    public byte[] inputJson() {
      return inputJson.clone();
    }

    @Override
    public String toString() {
      // Never the secrets' values.
      return "Execute[id="
          + id
          + ", functionId="
          + functionId
          + ", secrets="
          + secrets.keySet()
          + "]";
    }
  }

  /** Answer at once with {@link Pong}: the cost of one host-call round trip over the pipe. */
  public record Ping(long id) implements Request {}

  /** The worker's engine is started and warmed up; sent once, first. */
  public record Ready(long engineStartNanos) implements Reply {}

  /**
   * How one execution ended: {@code status} is an {@code ErrorKind} code, {@code executeNanos} the
   * time {@code JavaScriptEngine.execute} took inside the worker.
   */
  public record Result(
      long id, int status, byte[] resultJson, long gasUsed, String errorMessage, long executeNanos)
      implements Reply {
    public Result {
      resultJson = Objects.requireNonNull(resultJson, "resultJson").clone();
      Objects.requireNonNull(errorMessage, "errorMessage");
    }

    @Override
    public byte[] resultJson() {
      return resultJson.clone();
    }

    public String resultJsonString() {
      return new String(resultJson, StandardCharsets.UTF_8);
    }
  }

  public record Pong(long id) implements Reply {}

  /** The payload of a message (without the length prefix). */
  public static byte[] encode(Request request) {
    return write(
        out -> {
          switch (request) {
            case Execute e -> {
              out.writeByte(EXECUTE);
              out.writeLong(e.id());
              writeString(out, e.functionId());
              writeString(out, e.code());
              writeBytes(out, e.inputJson);
              out.writeLong(e.gasLimit());
              out.writeInt(e.secrets().size());
              for (Map.Entry<String, String> s : e.secrets().entrySet()) {
                writeString(out, s.getKey());
                writeString(out, s.getValue());
              }
            }
            case Ping p -> {
              out.writeByte(PING);
              out.writeLong(p.id());
            }
          }
        });
  }

  public static byte[] encode(Reply reply) {
    return write(
        out -> {
          switch (reply) {
            case Ready r -> {
              out.writeByte(READY);
              out.writeLong(r.engineStartNanos());
            }
            case Result r -> {
              out.writeByte(RESULT);
              out.writeLong(r.id());
              out.writeInt(r.status());
              writeBytes(out, r.resultJson);
              out.writeLong(r.gasUsed());
              writeString(out, r.errorMessage());
              out.writeLong(r.executeNanos());
            }
            case Pong p -> {
              out.writeByte(PONG);
              out.writeLong(p.id());
            }
          }
        });
  }

  /**
   * @throws MalformedFrameException if the payload is not a request, or has bytes left over
   */
  public static Request decodeRequest(byte[] payload) {
    return read(
        payload,
        in -> {
          byte type = in.readByte();
          return switch (type) {
            case EXECUTE -> {
              long id = in.readLong();
              String functionId = readString(in);
              String code = readString(in);
              byte[] input = readBytes(in);
              long gas = in.readLong();
              int n = in.readInt();
              if (n < 0 || n > 10_000) {
                throw new MalformedFrameException("secret count " + n + " is out of range");
              }
              Map<String, String> secrets = new LinkedHashMap<>();
              for (int i = 0; i < n; i++) {
                secrets.put(readString(in), readString(in));
              }
              yield new Execute(id, functionId, code, input, gas, secrets);
            }
            case PING -> new Ping(in.readLong());
            default -> throw new MalformedFrameException("unknown request type " + type);
          };
        });
  }

  /**
   * @throws MalformedFrameException if the payload is not a reply, or has bytes left over
   */
  public static Reply decodeReply(byte[] payload) {
    return read(
        payload,
        in -> {
          byte type = in.readByte();
          return switch (type) {
            case READY -> new Ready(in.readLong());
            case RESULT ->
                new Result(
                    in.readLong(),
                    in.readInt(),
                    readBytes(in),
                    in.readLong(),
                    readString(in),
                    in.readLong());
            case PONG -> new Pong(in.readLong());
            default -> throw new MalformedFrameException("unknown reply type " + type);
          };
        });
  }

  /** Writes one frame and flushes. Callers serialise their writes to one stream. */
  public static void writeFrame(OutputStream out, byte[] payload) throws IOException {
    int n = payload.length;
    out.write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    out.write(payload);
    out.flush();
  }

  /**
   * Reads one frame's payload, or returns null at a clean end of stream (between frames).
   *
   * @throws EOFException if the stream ends inside a frame (the writer died mid-message)
   * @throws MalformedFrameException if the length is negative or above {@link #MAX_FRAME_BYTES}
   */
  public static byte[] readFrame(InputStream in) throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    byte[] rest = in.readNBytes(3);
    if (rest.length < 3) {
      throw new EOFException("the stream ended inside a frame's length");
    }
    int n = (b0 << 24) | ((rest[0] & 0xff) << 16) | ((rest[1] & 0xff) << 8) | (rest[2] & 0xff);
    if (n < 0 || n > MAX_FRAME_BYTES) {
      throw new MalformedFrameException(
          "frame length " + n + " is outside 0.." + MAX_FRAME_BYTES + " (not a worker stream?)");
    }
    byte[] payload = in.readNBytes(n);
    if (payload.length < n) {
      throw new EOFException(
          "the stream ended " + payload.length + " bytes into a " + n + "-byte frame");
    }
    return payload;
  }

  /** The bytes on the pipe were not a message of this protocol. */
  public static final class MalformedFrameException extends RuntimeException {
    public MalformedFrameException(String message) {
      super(message);
    }
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("a byte array stream does not fail", e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] payload, Reader<T> r) {
    ByteArrayInputStream bytes = new ByteArrayInputStream(payload);
    try (DataInputStream in = new DataInputStream(bytes)) {
      T message = r.read(in);
      if (bytes.available() > 0) {
        throw new MalformedFrameException(
            bytes.available() + " bytes left over after a " + message.getClass().getSimpleName());
      }
      return message;
    } catch (EOFException e) {
      throw new MalformedFrameException("the payload ends inside a field");
    } catch (IOException e) {
      throw new UncheckedIOException("a byte array stream does not fail", e);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_FRAME_BYTES) {
      throw new MalformedFrameException("field length " + n + " is out of range");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
