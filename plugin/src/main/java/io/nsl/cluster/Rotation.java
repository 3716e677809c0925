package io.nsl.cluster;

import io.nsl.enclave.ClusterKeys;
import io.nsl.enclave.Enclave;
import io.nsl.storage.PersistentStorageService;
import io.nsl.storage.RekeyProgress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotation of the cluster keys in the serving process (docs/cluster.md "Rotation", decision 0502):
 * {@link #rotate()} makes epoch n+1 in the enclave (the commit point: one atomic replace of {@code
 * cluster.sealed}), after which every new record is sealed under it; a background virtual thread
 * then re-seals every stored record (secrets, function state, metadata) under the new epoch, a
 * batch at a time, through {@link PersistentStorageService#rekeyStep}, whose durable cursor lets
 * {@link #resumeIfNeeded()} carry on after a crash. Reads never wait for it: each record opens with
 * the key of the epoch it is tagged with. {@link #retire} drops an old epoch only when a full count
 * finds nothing sealed under it.
 *
 * <p>Threading: the public methods may be called from any thread; stage changes happen under this
 * object's lock and follow {@link RotationStage}'s table. One mover thread at most.
 */
public final class Rotation implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Rotation.class);

  /**
   * What {@code cluster status} and {@code cluster rotate} show.
   *
   * @param stage where the move stands
   * @param currentEpoch the epoch new records are sealed under
   * @param liveEpochs every epoch whose keys are held, ascending
   * @param toMove records found under older epochs when the move (re)started
   * @param moved records re-sealed for the current epoch so far (from the durable cursor)
   * @param pass the move's pass over the store (a pass that moved anything is followed by another)
   * @param detail the failure of a FAILED move, or a rejected cursor; empty otherwise
   * @param since when the stage was entered
   */
  public record Status(
      RotationStage stage,
      int currentEpoch,
      List<Integer> liveEpochs,
      long toMove,
      long moved,
      int pass,
      Optional<String> detail,
      Instant since) {
    public Status {
      Objects.requireNonNull(stage, "stage");
      liveEpochs = List.copyOf(liveEpochs);
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(since, "since");
    }
  }

  private final Enclave enclave;
  private final PersistentStorageService storage;
  private final int batchSize;
  private final Clock clock;

  private RotationStage stage = RotationStage.IDLE;
  private long toMove;
  private long moved;
  private int pass;
  private Optional<String> detail = Optional.empty();
  private Instant since;
  private Thread mover;
  private volatile boolean closed;

  /**
   * @param batchSize records re-sealed per step (the write lock is held for one step)
   */
  public Rotation(Enclave enclave, PersistentStorageService storage, int batchSize, Clock clock) {
    this.enclave = Objects.requireNonNull(enclave, "enclave");
    this.storage = Objects.requireNonNull(storage, "storage");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.since = clock.instant();
  }

  /**
   * At start: when the cluster holds older epochs and the durable cursor does not say that the move
   * to the current epoch is done (a rotation interrupted by a crash, or a cursor that was tampered
   * with), starts the mover again.
   */
  public synchronized Status resumeIfNeeded() {
    Optional<ClusterKeys> keys = enclave.clusterKeys();
    if (keys.isEmpty() || keys.get().epochs().size() < 2) {
      return status();
    }
    int current = keys.get().currentEpoch();
    Optional<RekeyProgress> cursor = storage.rekeyCursor();
    if (cursor.isPresent() && cursor.get().targetEpoch() == current && cursor.get().done()) {
      moved = cursor.get().resealedTotal();
      pass = cursor.get().pass();
      change(RotationStage.DONE);
      return status();
    }
    log.info(
        "resuming the move to cluster epoch {} ({})",
        current,
        cursor
            .map(c -> "cursor at pass " + c.pass() + ", " + c.resealedTotal() + " moved")
            .orElse("no usable cursor: from the first record"));
    startMoving();
    return status();
  }

  /**
   * Makes epoch n+1 and starts moving every stored record to it. After a FAILED move it makes no
   * new epoch: it resumes that move from its durable cursor.
   *
   * @throws RotationRefusedException {@code ROTATION_IN_PROGRESS} while a move runs
   * @throws io.nsl.enclave.ClusterStateException without cluster keys, or with too many epochs
   */
  public synchronized Status rotate() {
    if (stage == RotationStage.MOVING) {
      throw new RotationRefusedException(
          RotationRefusedException.IN_PROGRESS,
          "a move to epoch "
              + enclave.currentEpoch()
              + " is running ("
              + moved
              + " of about "
              + toMove
              + " records moved); wait until ./nsl cluster status shows it DONE, then rotate");
    }
    if (stage == RotationStage.FAILED) {
      // Another epoch now would leave two moves' worth of records behind: finish this one first.
      log.info("resuming the failed move to cluster epoch {}", enclave.currentEpoch());
      startMoving();
      return status();
    }
    ClusterKeys k = enclave.rotateCluster();
    log.info("cluster keys rotated: epoch {} is current (live {})", k.currentEpoch(), epochs(k));
    startMoving();
    return status();
  }

  /**
   * Drops {@code epoch} when nothing is sealed under it any more.
   *
   * @throws RotationRefusedException {@code ROTATION_RETIRE_REFUSED} while records remain under it
   *     (the move is started again if it had stopped), or while a move runs
   * @throws io.nsl.enclave.ClusterStateException when the epoch is current or not held
   */
  public synchronized Status retire(int epoch) {
    Optional<ClusterKeys> keys = enclave.clusterKeys();
    if (keys.isPresent() && keys.get().epochs().stream().noneMatch(e -> e.epoch() == epoch)) {
      throw new io.nsl.enclave.ClusterStateException(
          "cannot retire epoch " + epoch + ": the live epochs are " + epochs(keys.get()));
    }
    if (keys.isPresent() && keys.get().currentEpoch() == epoch) {
      throw new io.nsl.enclave.ClusterStateException(
          "cannot retire epoch "
              + epoch
              + ": it is the current epoch; rotate to a new one (./nsl cluster rotate) first");
    }
    if (stage == RotationStage.MOVING) {
      throw new RotationRefusedException(
          RotationRefusedException.RETIRE_REFUSED,
          "epoch "
              + epoch
              + " cannot be retired yet: the move to epoch "
              + enclave.currentEpoch()
              + " is running ("
              + moved
              + " of about "
              + toMove
              + " records moved); retire when ./nsl cluster status shows it DONE");
    }
    long left = storage.sealedRecordsByEpoch().getOrDefault(epoch, 0L);
    if (left > 0) {
      storage.restartRekey();
      startMoving();
      throw new RotationRefusedException(
          RotationRefusedException.RETIRE_REFUSED,
          left
              + " stored record(s) are still sealed under epoch "
              + epoch
              + ", so its keys cannot be dropped; the move to epoch "
              + enclave.currentEpoch()
              + " was started again: retire when ./nsl cluster status shows it DONE");
    }
    ClusterKeys after = enclave.retireEpoch(epoch);
    storage.forgetEpoch(epoch);
    log.info("cluster epoch {} retired; live epochs {}", epoch, epochs(after));
    if (after.epochs().size() == 1 && stage == RotationStage.DONE) {
      change(RotationStage.IDLE);
    }
    return status();
  }

  /** Where things stand. */
  public synchronized Status status() {
    Optional<ClusterKeys> keys = enclave.clusterKeys();
    return new Status(
        stage,
        keys.map(ClusterKeys::currentEpoch).orElse(0),
        keys.map(Rotation::epochs).orElse(List.of(0)),
        toMove,
        moved,
        pass,
        detail,
        since);
  }

  /** Stops the mover after its current step; the durable cursor keeps its place. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = mover;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void startMoving() {
    if (closed) {
      return;
    }
    SortedMap<Integer, Long> counts = storage.sealedRecordsByEpoch();
    int current = enclave.currentEpoch();
    toMove =
        counts.entrySet().stream()
            .filter(e -> e.getKey() != current)
            .mapToLong(Map.Entry::getValue)
            .sum();
    moved =
        storage
            .rekeyCursor()
            .filter(c -> c.targetEpoch() == current)
            .map(RekeyProgress::resealedTotal)
            .orElse(0L);
    toMove += moved;
    detail = Optional.empty();
    change(RotationStage.MOVING);
    mover = Thread.ofVirtual().name("nsl-rotation-mover").start(this::move);
  }

  private void move() {
    try {
      while (true) {
        synchronized (this) {
          if (closed) {
            return;
          }
        }
        RekeyProgress p = storage.rekeyStep(batchSize);
        synchronized (this) {
          moved = p.resealedTotal();
          pass = p.pass();
          if (p.cursorRejected().isPresent()) {
            detail = p.cursorRejected();
            log.warn("{}", p.cursorRejected().get());
          }
          if (p.done()) {
            log.info("move to cluster epoch {} done: {} records re-sealed", p.targetEpoch(), moved);
            change(RotationStage.DONE);
            mover = null;
            return;
          }
        }
      }
    } catch (RuntimeException e) {
      synchronized (this) {
        if (closed) {
          return; // the store closed under us at shutdown; the cursor keeps the place
        }
        detail = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        change(RotationStage.FAILED);
        mover = null;
      }
      log.error(
          "the move to cluster epoch {} failed; rotate again to retry", enclave.currentEpoch(), e);
    }
  }

  private void change(RotationStage next) {
    if (next != stage && !stage.canMoveTo(next)) {
      throw new IllegalStateException("rotation stage " + stage + " cannot move to " + next);
    }
    stage = next;
    since = clock.instant();
  }

  private static List<Integer> epochs(ClusterKeys k) {
    return k.epochs().stream().map(ClusterKeys.EpochKey::epoch).toList();
  }
}
