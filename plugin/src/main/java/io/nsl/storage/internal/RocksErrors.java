package io.nsl.storage.internal;

import io.nsl.NslException;
import io.nsl.storage.StorageDiskFullException;
import io.nsl.storage.StorageIoException;
import io.nsl.storage.StorageOpenException;
import io.nsl.storage.StorageReadOnlyException;
import java.nio.file.Path;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** Turns RocksDB's failures into the storage exception a user can act on. */
final class RocksErrors {
  private RocksErrors() {}

  static NslException map(RocksDBException e, String action, Path path) {
    Status s = e.getStatus();
    String msg = String.valueOf(e.getMessage());
    String lower = msg.toLowerCase(java.util.Locale.ROOT);
    if ((s != null && s.getSubCode() == Status.SubCode.NoSpace)
        || lower.contains("no space left")) {
      return new StorageDiskFullException(
          action
              + " failed: the disk under "
              + path
              + " is full. The write was not acknowledged; free space and restart the service"
              + " (acknowledged data stays readable, also with readOnly)",
          e);
    }
    if (lower.contains("read-only file system") || lower.contains("permission denied")) {
      return new StorageReadOnlyException(
          action
              + " failed: the store folder "
              + path
              + " is not writable ("
              + msg
              + "). Fix its permissions or mount, or open it with readOnly to read it",
          e);
    }
    if (lower.contains("lock")
        && (lower.contains("temporarily unavailable") || lower.contains("no locks"))) {
      return new StorageOpenException(
          action
              + " failed: the store at "
              + path
              + " is in use by another process. Stop the other service instance or use another"
              + " folder",
          e);
    }
    return new StorageIoException(action + " failed for the store at " + path + ": " + msg, e);
  }
}
