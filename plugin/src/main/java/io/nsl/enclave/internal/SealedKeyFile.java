package io.nsl.enclave.internal;

import io.nsl.enclave.EnclaveStorageException;
import io.nsl.enclave.SealedStateException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sealed {@link KeyRing} on disk. Format (all integers big-endian):
 *
 * <pre>
 * "NSLSEAL1" (8) | source tag (1) | context length u16 | context | nonce (12) | AES-256-GCM(ct‖tag)
 * </pre>
 *
 * The header (everything before the nonce) is the GCM associated data, so a changed tag or context
 * fails authentication. Written to a temporary file with mode 0600 and moved into place atomically,
 * so a crash leaves either no file or a whole one.
 */
public final class SealedKeyFile {
  static final byte[] MAGIC = "NSLSEAL1".getBytes(StandardCharsets.US_ASCII);

  /** AES-GCM nonce, fresh for every sealing. */
  static final int NONCE_BYTES = 12;

  /** AES-GCM authentication tag, at the end of the ciphertext. */
  static final int TAG_BYTES = 16;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");

  private SealedKeyFile() {}

  /** Seals {@code ring} into {@code file}, replacing nothing: fails if the file exists. */
  public static void write(Path file, KeyRing ring, SealingKeySource source, SecureRandom random) {
    byte[] plain = ring.serialize();
    try {
      seal(file, plain, source, random, false);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Unseals {@code file}.
   *
   * @throws SealedStateException when the file is malformed, sealed by another source, or fails
   *     authentication
   */
  public static KeyRing read(Path file, SealingKeySource source) {
    byte[] plain = unseal(file, source, KeyRing.SERIALIZED_LENGTH);
    try {
      return KeyRing.deserialize(plain);
    } catch (IllegalArgumentException e) {
      throw new SealedStateException(
          "the sealed key file " + file + " holds no valid key ring: " + e.getMessage());
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Seals {@code plain} into {@code file} in the format above. With {@code replace} an existing
   * file is replaced atomically (a crash leaves the old file or the new one, never a mix); without,
   * an existing file is an error. The caller clears {@code plain}.
   */
  public static void seal(
      Path file, byte[] plain, SealingKeySource source, SecureRandom random, boolean replace) {
    byte[] context = source.newContext();
    byte[] header =
        ByteBuffer.allocate(MAGIC.length + 1 + 2 + context.length)
            .put(MAGIC)
            .put(source.tag())
            .putShort((short) context.length)
            .put(context)
            .array();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] key = source.sealingKey(context);
    byte[] ct;
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BYTES * 8, nonce));
      gcm.updateAAD(header);
      ct = gcm.doFinal(plain);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    byte[] out =
        ByteBuffer.allocate(header.length + nonce.length + ct.length)
            .put(header)
            .put(nonce)
            .put(ct)
            .array();
    if (replace) {
      replaceOwnerOnly(file, out);
    } else {
      writeOwnerOnly(file, out);
    }
  }

  /**
   * Unseals {@code file} and returns the plaintext (at least {@code minPlain} bytes long). The
   * caller clears the result.
   *
   * @throws SealedStateException when the file is malformed, sealed by another source, or fails
   *     authentication
   */
  public static byte[] unseal(Path file, SealingKeySource source, int minPlain) {
    byte[] all = readAll(file);
    ByteBuffer in = ByteBuffer.wrap(all);
    if (all.length < MAGIC.length + 3 || !Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, 8)) {
      throw new SealedStateException(
          "the sealed key file "
              + file
              + " is not an NSL sealed key file (bad magic or too short)");
    }
    in.position(MAGIC.length);
    byte tag = in.get();
    if (tag != source.tag()) {
      throw new SealedStateException(
          String.format(
              "the sealed key file %s was sealed by source 0x%02x but this enclave seals with 0x%02x"
                  + " (simulated keys cannot be opened in SGX or the other way round)",
              file, tag, source.tag()));
    }
    int ctxLen = Short.toUnsignedInt(in.getShort());
    if (in.remaining() < ctxLen + NONCE_BYTES + TAG_BYTES + minPlain) {
      throw new SealedStateException("the sealed key file " + file + " is truncated");
    }
    byte[] context = new byte[ctxLen];
    in.get(context);
    int headerLen = in.position();
    byte[] nonce = new byte[NONCE_BYTES];
    in.get(nonce);
    byte[] key = source.sealingKey(context);
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BYTES * 8, nonce));
      gcm.updateAAD(all, 0, headerLen);
      return gcm.doFinal(all, in.position(), in.remaining());
    } catch (AEADBadTagException e) {
      throw new SealedStateException(
          "the sealed key file "
              + file
              + " fails authentication: it was altered, or sealed with another sealing key."
              + " Restore the original file (and seal key), or move it away to create new keys"
              + " (which must then be registered again)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Creates {@code dir} (mode 0700 when new) and its parents. */
  public static void ensureDirectory(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        setPermissions(dir, OWNER_ONLY_DIR);
      }
    } catch (IOException e) {
      throw new EnclaveStorageException(
          "cannot create the enclave data folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code bytes} to a new file with mode 0600, atomically. Fails if the file exists. */
  public static void writeOwnerOnly(Path file, byte[] bytes) {
    try {
      Path tmp = ownerOnlyTemporary(file, bytes);
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file);
      }
    } catch (IOException e) {
      throw new EnclaveStorageException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code bytes} to {@code file} with mode 0600, replacing it atomically if it exists. */
  public static void replaceOwnerOnly(Path file, byte[] bytes) {
    try {
      Path tmp = ownerOnlyTemporary(file, bytes);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new EnclaveStorageException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code bytes} synced to a fresh mode-0600 {@code FILE.tmp} beside {@code file}, to move. */
  private static Path ownerOnlyTemporary(Path file, byte[] bytes) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp);
    setPermissions(tmp, OWNER_ONLY);
    Files.write(tmp, bytes, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    return tmp;
  }

  /** Reads a whole file, mapping I/O errors to {@link EnclaveStorageException}. */
  public static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new EnclaveStorageException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void setPermissions(Path p, Set<PosixFilePermission> perms) throws IOException {
    // Non-POSIX file systems (none on the platforms NSL supports) keep their default ACLs.
    if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(p, perms);
    }
  }
}
