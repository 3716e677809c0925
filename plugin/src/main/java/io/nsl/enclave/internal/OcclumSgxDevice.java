package io.nsl.enclave.internal;

import io.nsl.enclave.AttestationException;
import io.nsl.enclave.EnclaveUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * /dev/sgx inside an Occlum enclave, through libc {@code open} and {@code ioctl} called with the
 * Java FFM API (no JNI library to build).
 *
 * <p>{@code ioctl} is variadic: the third argument is declared variadic ({@code
 * firstVariadicArg(2)}). The request is {@code unsigned long} in glibc but {@code int} in musl; it
 * is passed as a 64-bit value holding the zero-extended 32-bit number, which on x86-64 puts the
 * same low 32 bits in the register both ABIs read.
 *
 * <p>Thread-safe: every call uses its own confined arena; the file descriptor is shared and
 * Occlum's device serialises requests. Needs {@code --enable-native-access=ALL-UNNAMED}.
 *
 * <p>Key erasure: the native buffer holding an EGETKEY result is zeroed before it is freed; the
 * Java copy is the caller's to clear.
 */
public final class OcclumSgxDevice implements SgxDevice {
  public static final String DEVICE = "/dev/sgx";
  private static final int O_RDWR = 2;

  private final MethodHandle ioctl;
  private final MethodHandle close;
  private final VarHandle errnoHandle;
  private final int fd;

  private OcclumSgxDevice(MethodHandle ioctl, MethodHandle close, VarHandle errno, int fd) {
    this.ioctl = ioctl;
    this.close = close;
    this.errnoHandle = errno;
    this.fd = fd;
  }

  /**
   * Opens /dev/sgx.
   *
   * @throws EnclaveUnavailableException when it cannot be opened (not inside Occlum)
   */
  public static OcclumSgxDevice open() {
    return open(DEVICE);
  }

  /** Opens {@code path} as the device (tests use /dev/null to exercise the real downcalls). */
  static OcclumSgxDevice open(String path) {
    Linker linker = Linker.nativeLinker();
    SymbolLookup libc = linker.defaultLookup();
    Linker.Option errno = Linker.Option.captureCallState("errno");
    var stateLayout = Linker.Option.captureStateLayout();
    VarHandle errnoHandle =
        stateLayout.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    MethodHandle open =
        linker.downcallHandle(
            libc.find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            errno,
            Linker.Option.firstVariadicArg(2));
    MethodHandle ioctl =
        linker.downcallHandle(
            libc.find("ioctl").orElseThrow(),
            FunctionDescriptor.of(
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG,
                ValueLayout.ADDRESS),
            errno,
            Linker.Option.firstVariadicArg(2));
    MethodHandle close =
        linker.downcallHandle(
            libc.find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(stateLayout);
      int fd = (int) open.invokeExact(state, arena.allocateFrom(path), O_RDWR);
      if (fd < 0) {
        throw new EnclaveUnavailableException(
            "cannot open "
                + path
                + " (errno "
                + (int) errnoHandle.get(state, 0L)
                + "): NSL's"
                + " SGX mode runs only inside an Occlum enclave; use simulation mode elsewhere");
      }
      return new OcclumSgxDevice(ioctl, close, errnoHandle, fd);
    } catch (EnclaveUnavailableException e) {
      throw e;
    } catch (Throwable t) {
      throw new EnclaveUnavailableException("cannot call libc open(): " + t);
    }
  }

  /** Whether the host has the DCAP driver (SGXIOC_DETECT_DCAP_DRIVER). */
  public boolean dcapDriverInstalled() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
      call(arena, OcclumIoctl.DETECT_DCAP_DRIVER, out, "DETECT_DCAP_DRIVER");
      return out.get(ValueLayout.JAVA_INT, 0) != 0;
    }
  }

  @Override
  public byte[] selfReport() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment report = arena.allocate(SgxStructs.REPORT_SIZE, 16);
      MemorySegment arg = arena.allocate(OcclumIoctl.CREATE_REPORT_ARG);
      arg.set(ValueLayout.ADDRESS, 0, MemorySegment.NULL);
      arg.set(ValueLayout.ADDRESS, 8, MemorySegment.NULL);
      arg.set(ValueLayout.ADDRESS, 16, report);
      call(arena, OcclumIoctl.CREATE_REPORT, arg, "CREATE_REPORT");
      return report.toArray(ValueLayout.JAVA_BYTE);
    }
  }

  @Override
  public byte[] getKey(byte[] keyRequest) {
    if (keyRequest.length != SgxStructs.KEY_REQUEST_SIZE) {
      throw new IllegalArgumentException("sgx_key_request_t is 512 bytes");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment req = arena.allocate(SgxStructs.KEY_REQUEST_SIZE, 16);
      req.copyFrom(MemorySegment.ofArray(keyRequest));
      MemorySegment key = arena.allocate(SgxStructs.KEY_SIZE, 16);
      MemorySegment arg = arena.allocate(OcclumIoctl.GET_KEY_ARG);
      arg.set(ValueLayout.ADDRESS, 0, req);
      arg.set(ValueLayout.ADDRESS, 8, key);
      try {
        call(arena, OcclumIoctl.GET_KEY, arg, "GET_KEY");
        return key.toArray(ValueLayout.JAVA_BYTE);
      } finally {
        key.fill((byte) 0);
      }
    }
  }

  @Override
  public byte[] dcapQuote(byte[] reportData) {
    if (reportData.length != 64) {
      throw new IllegalArgumentException("report_data is 64 bytes");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment size = arena.allocate(ValueLayout.JAVA_INT);
      call(arena, OcclumIoctl.GET_DCAP_QUOTE_SIZE, size, "GET_DCAP_QUOTE_SIZE");
      int n = size.get(ValueLayout.JAVA_INT, 0);
      if (n <= 0 || n > (1 << 20)) {
        throw new AttestationException("Occlum reported a DCAP quote size of " + n + " bytes");
      }
      MemorySegment rd = arena.allocate(64, 16);
      rd.copyFrom(MemorySegment.ofArray(reportData));
      MemorySegment buf = arena.allocate(n, 16);
      MemorySegment arg = arena.allocate(OcclumIoctl.GEN_DCAP_QUOTE_ARG);
      arg.set(ValueLayout.ADDRESS, 0, rd);
      arg.set(ValueLayout.ADDRESS, 8, size);
      arg.set(ValueLayout.ADDRESS, 16, buf);
      call(arena, OcclumIoctl.GEN_DCAP_QUOTE, arg, "GEN_DCAP_QUOTE");
      // Occlum fills exactly the size GET_DCAP_QUOTE_SIZE reported; OcclumEnclave trims any
      // padding using the quote's own signature-length field.
      return buf.toArray(ValueLayout.JAVA_BYTE);
    }
  }

  private void call(Arena arena, long request, MemorySegment arg, String name) {
    MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
    int rc;
    try {
      rc = (int) ioctl.invokeExact(state, fd, request, arg);
    } catch (Throwable t) {
      throw new AttestationException("ioctl " + name + " could not be called: " + t);
    }
    if (rc < 0) {
      int errno = (int) errnoHandle.get(state, 0L);
      throw new AttestationException(
          "ioctl "
              + name
              + " on "
              + DEVICE
              + " failed with errno "
              + errno
              + (name.contains("DCAP")
                  ? " (is the DCAP quote provider library installed and PCCS reachable?)"
                  : ""));
    }
  }

  @Override
  public void close() {
    try {
      int ignored = (int) close.invokeExact(fd);
    } catch (Throwable t) {
      // Closing a device descriptor at shutdown: nothing useful can be done about a failure.
    }
  }
}
