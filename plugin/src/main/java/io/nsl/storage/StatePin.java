package io.nsl.storage;

/**
 * A namespace pinned by the run that holds its function's lock ({@link
 * PersistentStorageService#pin}). While open, the run's writes to the namespace are held in memory
 * (its reads see them) and may be served from a cache; {@link #release} commits them together with
 * the lock row's release, in one transaction fenced by the lock row.
 *
 * <p>Threading: one run holds a pin; {@link #fenceLost} may be read from any thread.
 */
public interface StatePin extends AutoCloseable {
  /**
   * Whether the run's writes were refused with {@link StorageFenceLostException}: the lock was
   * taken over while the run went on, so its outcome must be dropped, not answered.
   */
  boolean fenceLost();

  /**
   * Commits the run's writes and writes {@code releasedFenceValue} to the fence's row (the lock's
   * release), in one transaction that first checks the row is still the fence's; then unpins. After
   * a failure the pin is closed as well and the writes are dropped.
   *
   * @return the fence row's new version (the run's writes have it too); {@code 0} from a pin that
   *     holds no writes ({@link #NONE}: the engine wrote each at once), whose caller releases the
   *     row itself
   * @throws StorageFenceLostException the row moved: nothing was written, {@link #fenceLost} is
   *     true
   * @throws StorageOutcomeUnknownException the store failed (the connection broke during the
   *     commit, or no connection could be had) and reading the fence row back failed too: the
   *     writes may have landed; ask {@link #readBackRelease} until it can tell, and do not run the
   *     request again before
   * @throws StorageUnreachableException nothing was written: the read-back found the row still as
   *     the fence holds it (and released it, so that a late commit of the lost one writes nothing);
   *     other storage exceptions: nothing was written
   */
  long release(byte[] releasedFenceValue);

  /**
   * {@link #release(byte[])} that also records the run: {@code record} is a row of namespace {@code
   * records} (not a function's) keyed by the run's request (its answer), written in the same commit
   * only where no row is at its key yet. Where one is (an earlier run of the same request
   * committed, on this worker before a restart or on another), the run's writes are dropped and
   * only the lock row is released; {@link #earlierRecord} then answers that row's value. {@code
   * forget} are keys of {@code records} (records of ended requests) deleted in the same commit.
   * Exceptions as {@link #release(byte[])}; after one, nothing of {@code forget} was deleted (or,
   * outcome unknown, may have been).
   *
   * <p>The default (an engine that one process owns, {@link #NONE}) records nothing.
   */
  default long release(
      byte[] releasedFenceValue,
      Namespace records,
      RunRecord record,
      java.util.List<byte[]> forget) {
    return release(releasedFenceValue);
  }

  /**
   * After {@link #release(byte[], Namespace, RunRecord, java.util.List)} (or {@link
   * #readBackRelease} of one): the value of the record an earlier run of the same request had
   * committed, when the release found one (the run's own writes were then not applied); empty
   * otherwise.
   */
  default java.util.Optional<byte[]> earlierRecord() {
    return java.util.Optional.empty();
  }

  /**
   * A row recording a run (its request's answer), at {@code key}: written with the run's release
   * only where absent, so that a request's state change is applied once however often it runs
   * (decision 1010, "A run's answer recorded with its release").
   */
  record RunRecord(byte[] key, byte[] value) {
    public RunRecord {
      key = key.clone();
      value = value.clone();
    }

    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }
  }

  /**
   * After {@link #release} threw {@link StorageOutcomeUnknownException}: reads the fence row back
   * and says whether the release committed. The answer is final: a release still in flight on the
   * broken connection is waited for (the read takes the row's lock as a release does), and when the
   * row still holds the fence, it is released here at a fresh version, so the lost release can no
   * longer commit.
   *
   * @throws StorageUnreachableException (or another storage exception) while the store cannot tell:
   *     ask again later
   * @throws IllegalStateException when no release of this pin had an unknown outcome
   */
  ReleaseOutcome readBackRelease();

  /** What {@link #readBackRelease} found. */
  enum ReleaseOutcome {
    /** The fence row is at the run's version: the run's writes and the release committed. */
    COMMITTED,
    /**
     * The fence row still held the fence: nothing of the run was written. It is now released at a
     * fresh version, so the lost release can no longer commit.
     */
    NOT_COMMITTED,
    /**
     * The fence row moved on (another worker took the lock since, after the lock's lifetime or this
     * worker's lease ran out) and the release recorded no run ({@link RunRecord}): whether it
     * committed before cannot be read from the row. A release that recorded its run is decided by
     * its record instead: present, committed; absent, not committed.
     */
    UNDECIDABLE
  }

  /**
   * Unpins. WARNING: writes not yet {@link #release released} are dropped: a run that ends without
   * its release wrote nothing.
   */
  @Override
  void close();

  /**
   * A lock row taken by {@link PersistentStorageService#takeAndPin}: its new version (the fence's)
   * and the pin of the state it fences.
   */
  record Taken(long version, StatePin pin) {
    public Taken {
      java.util.Objects.requireNonNull(pin, "pin");
      if (version < 1) {
        throw new IllegalArgumentException("a taken row's version must be >= 1, got " + version);
      }
    }
  }

  /**
   * What {@link PersistentStorageService#takeAndPinOrRead} did: took the lock row ({@code taken}),
   * or found it moved on and read it as it stands ({@code found}: its value and version, empty when
   * the row is absent), which a take at the version found may follow.
   */
  record Attempt(java.util.Optional<Taken> taken, java.util.Optional<VersionedValue> found) {
    public Attempt {
      java.util.Objects.requireNonNull(taken, "taken");
      java.util.Objects.requireNonNull(found, "found");
      if (taken.isPresent() && found.isPresent()) {
        throw new IllegalArgumentException("a take that took the row found nothing else");
      }
    }

    public static Attempt took(Taken taken) {
      return new Attempt(java.util.Optional.of(taken), java.util.Optional.empty());
    }

    public static Attempt found(java.util.Optional<VersionedValue> row) {
      return new Attempt(java.util.Optional.empty(), row);
    }
  }

  /** A pin that holds and fences nothing (an engine only one process opens). */
  StatePin NONE =
      new StatePin() {
        @Override
        public boolean fenceLost() {
          return false;
        }

        @Override
        public long release(byte[] releasedFenceValue) {
          return 0;
        }

        @Override
        public ReleaseOutcome readBackRelease() {
          throw new IllegalStateException("a pin that holds nothing has no release to read back");
        }

        @Override
        public void close() {}
      };
}
