package io.nsl.cluster;

import static io.nsl.cluster.RotationFixture.ALICE;
import static io.nsl.cluster.RotationFixture.FN_A;
import static io.nsl.cluster.RotationFixture.assertOnlyEpoch;
import static io.nsl.cluster.RotationFixture.awaitEnd;
import static io.nsl.cluster.RotationFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.enclave.ClusterKeys;
import io.nsl.enclave.ClusterStateException;
import io.nsl.enclave.SimulatedEnclave;
import io.nsl.secrets.SecretEnvelopeBuilder;
import io.nsl.secrets.SecretOwner;
import io.nsl.secrets.SecretWrongEnclaveException;
import io.nsl.storage.RekeyProgress;
import io.nsl.storage.StorageKeyMismatchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Rotation of the cluster keys over a real encrypted store (docs/cluster.md, "Rotation"): every
 * secret and every function's state moves to the new epoch and reads back during and after the move
 * and after a restart; envelopes for the old key work until it is retired; retiring is refused
 * while anything is left under the epoch; a tampered or rolled-back cursor is detected.
 */
class ClusterRotationTest {
  private static final int PER_OWNER = 40;

  @TempDir Path dir;

  @Test
  void rotationMovesEverySecretAndAllStateToTheNewEpochAndEverythingReadsBack() {
    byte[] oldKey;
    byte[] newKey;
    try (RotationFixture f = RotationFixture.open(dir);
        Rotation rotation = new Rotation(f.enclave, f.storage, 7, Clock.systemUTC())) {
      f.populate(PER_OWNER);
      oldKey = f.enclave.secretsPublicKey();
      assertOnlyEpoch(f.storage, 0);
      long records = f.storage.sealedRecordsByEpoch().get(0);

      Rotation.Status s = rotation.rotate();
      assertEquals(1, s.currentEpoch());
      assertEquals(List.of(0, 1), s.liveEpochs());
      newKey = f.enclave.secretsPublicKey();
      assertNotEquals(java.util.HexFormat.of().formatHex(oldKey), hex(newKey));

      Rotation.Status end = awaitEnd(rotation);
      assertEquals(RotationStage.DONE, end.stage(), "detail: " + end.detail());
      assertTrue(end.moved() >= records - 1, "moved " + end.moved() + " of " + records);
      assertOnlyEpoch(f.storage, 1);
      f.checkAll(PER_OWNER);

      // The old key still opens envelopes until its epoch is retired.
      f.secrets.store(
          SecretEnvelopeBuilder.put(oldKey, "late", bytes("v0"), 1_000, ALICE, new SecureRandom()));
      assertArrayEquals(bytes("v0"), f.secrets.get(owner(ALICE), "late"));
      f.secrets.store(
          SecretEnvelopeBuilder.put(newKey, "late", bytes("v1"), 1_001, ALICE, new SecureRandom()));
      assertArrayEquals(bytes("v1"), f.secrets.get(owner(ALICE), "late"));

      Rotation.Status retired = rotation.retire(0);
      assertEquals(List.of(1), retired.liveEpochs());
      assertEquals(RotationStage.IDLE, retired.stage());
      SecretWrongEnclaveException e =
          assertThrows(
              SecretWrongEnclaveException.class,
              () ->
                  f.secrets.store(
                      SecretEnvelopeBuilder.put(
                          oldKey, "late", bytes("v2"), 1_002, ALICE, new SecureRandom())));
      assertTrue(e.getMessage().contains(hex(oldKey)), e.getMessage());
    }
    // A restart from the data folder: the ring holds epoch 1 only, and everything reads back.
    try (RotationFixture f = RotationFixture.open(dir)) {
      assertEquals(1, f.enclave.currentEpoch());
      assertArrayEquals(newKey, f.enclave.secretsPublicKey());
      f.checkAll(PER_OWNER);
      assertOnlyEpoch(f.storage, 1);
    }
  }

  @Test
  void readsDuringTheMoveOpenEachRecordWithTheKeyOfItsEpoch() {
    try (RotationFixture f = RotationFixture.open(dir)) {
      f.populate(PER_OWNER);
      f.enclave.rotateCluster(); // the new epoch, and no mover yet
      f.checkAll(PER_OWNER);
      f.storage.write(FN_A, "written-after", bytes("new"));
      Map<Integer, Long> byEpoch = f.storage.sealedRecordsByEpoch();
      assertTrue(byEpoch.get(1) >= 1 && byEpoch.get(0) > 0, "by epoch " + byEpoch);
      // A few steps by hand, reading everything between them.
      for (int i = 0; i < 5; i++) {
        RekeyProgress p = f.storage.rekeyStep(3);
        assertEquals(1, p.targetEpoch());
        assertFalse(p.done());
        f.checkAll(PER_OWNER);
        assertArrayEquals(bytes("new"), f.storage.read(FN_A, "written-after").orElseThrow());
      }
      RekeyProgress p;
      do {
        p = f.storage.rekeyStep(50);
      } while (!p.done());
      assertTrue(p.pass() >= 1, "a pass that moved records is followed by a clean one");
      assertOnlyEpoch(f.storage, 1);
      f.checkAll(PER_OWNER);
    }
  }

  @Test
  void retireIsRefusedWhileRecordsRemainUnderTheEpochAndAcceptedAfterTheMove() {
    try (RotationFixture f = RotationFixture.open(dir);
        Rotation rotation = new Rotation(f.enclave, f.storage, 16, Clock.systemUTC())) {
      f.populate(PER_OWNER);
      f.enclave.rotateCluster(); // as if the process died right after sealing the new epoch
      long left = f.storage.sealedRecordsByEpoch().get(0);

      RotationRefusedException refused =
          assertThrows(RotationRefusedException.class, () -> rotation.retire(0));
      assertEquals(RotationRefusedException.RETIRE_REFUSED, refused.code());
      assertTrue(
          refused.getMessage().contains(left + " stored record(s) are still sealed under epoch 0"),
          refused.getMessage());
      assertEquals(
          List.of(0, 1),
          f.enclave.clusterKeys().orElseThrow().epochs().stream()
              .map(ClusterKeys.EpochKey::epoch)
              .toList(),
          "nothing was dropped");

      assertEquals(RotationStage.DONE, awaitEnd(rotation).stage(), "the refusal restarted it");
      ClusterStateException current =
          assertThrows(ClusterStateException.class, () -> rotation.retire(1));
      assertTrue(current.getMessage().contains("current epoch"), current.getMessage());
      assertThrows(ClusterStateException.class, () -> rotation.retire(7));

      assertEquals(List.of(1), rotation.retire(0).liveEpochs());
      f.checkAll(PER_OWNER);
    }
  }

  @Test
  void aSecondRotationWhileAMoveRunsIsRefusedAndOneAfterItMakesAnotherEpoch() {
    try (RotationFixture f = RotationFixture.open(dir);
        Rotation rotation = new Rotation(f.enclave, f.storage, 1, Clock.systemUTC())) {
      f.populate(PER_OWNER);
      rotation.rotate();
      if (rotation.status().stage() == RotationStage.MOVING) {
        RotationRefusedException e = assertThrows(RotationRefusedException.class, rotation::rotate);
        assertEquals(RotationRefusedException.IN_PROGRESS, e.code());
      }
      assertEquals(RotationStage.DONE, awaitEnd(rotation).stage());
      assertEquals(2, rotation.rotate().currentEpoch(), "after DONE a rotation is a new epoch");
      assertEquals(RotationStage.DONE, awaitEnd(rotation).stage());
      assertOnlyEpoch(f.storage, 2);
      f.checkAll(PER_OWNER);
    }
  }

  @Test
  void aTamperedRekeyCursorIsDetectedAndTheMoveStartsAgainFromTheFirstRecord() throws Exception {
    try (RotationFixture f = RotationFixture.open(dir)) {
      f.populate(PER_OWNER);
      f.enclave.rotateCluster();
      f.storage.rekeyStep(5);
    }
    editRaw(
        dir.resolve("store"),
        db -> {
          byte[] v = get(db, CURSOR);
          v[v.length - 1] ^= 1; // a bit of the GCM tag
          put(db, CURSOR, v);
        });
    try (RotationFixture f = RotationFixture.open(dir);
        Rotation rotation = new Rotation(f.enclave, f.storage, 5, Clock.systemUTC())) {
      assertTrue(f.storage.rekeyCursor().isEmpty(), "a cursor that does not authenticate");
      RekeyProgress p = f.storage.rekeyStep(5);
      assertTrue(p.cursorRejected().isPresent(), "the tampered cursor is reported");
      assertTrue(p.cursorRejected().get().contains("did not authenticate"), p.toString());
      assertEquals(0, p.pass());
      rotation.resumeIfNeeded();
      assertEquals(RotationStage.DONE, awaitEnd(rotation).stage());
      assertOnlyEpoch(f.storage, 1);
      f.checkAll(PER_OWNER);
    }
  }

  @Test
  void aRolledBackCursorOnlyRepeatsWorkAndRolledBackClusterKeysDoNotOpenTheStore()
      throws Exception {
    byte[][] early = new byte[1][];
    Path ringAtEpoch1 = dir.resolve("cluster.sealed.epoch1");
    try (RotationFixture f = RotationFixture.open(dir)) {
      f.populate(PER_OWNER);
      f.enclave.rotateCluster();
      Files.copy(dir.resolve("enclave/cluster.sealed"), ringAtEpoch1);
      f.storage.rekeyStep(5);
    }
    editRaw(dir.resolve("store"), db -> early[0] = get(db, CURSOR));
    try (RotationFixture f = RotationFixture.open(dir);
        Rotation rotation = new Rotation(f.enclave, f.storage, 5, Clock.systemUTC())) {
      rotation.resumeIfNeeded();
      assertEquals(RotationStage.DONE, awaitEnd(rotation).stage());
    }
    // The host puts back the early cursor: the move is not done by its word, so it runs again,
    // re-seals nothing it had moved, and ends DONE.
    editRaw(dir.resolve("store"), db -> put(db, CURSOR, early[0]));
    try (RotationFixture f = RotationFixture.open(dir);
        Rotation rotation = new Rotation(f.enclave, f.storage, 5, Clock.systemUTC())) {
      assertEquals(RotationStage.MOVING, rotation.resumeIfNeeded().stage());
      assertEquals(RotationStage.DONE, awaitEnd(rotation).stage());
      assertOnlyEpoch(f.storage, 1);
      f.checkAll(PER_OWNER);
      rotation.rotate();
      assertEquals(RotationStage.DONE, awaitEnd(rotation).stage());
      rotation.retire(0);
      rotation.retire(1);
    }
    // The host puts back the cluster keys of epoch 1 (before epoch 2): the store, sealed under
    // epoch 2, refuses to open instead of serving a mix.
    Files.copy(
        ringAtEpoch1, dir.resolve("enclave/cluster.sealed"), StandardCopyOption.REPLACE_EXISTING);
    StorageKeyMismatchException e =
        assertThrows(StorageKeyMismatchException.class, () -> RotationFixture.open(dir).close());
    assertTrue(e.getMessage().contains("epoch 2"), e.getMessage());
  }

  @Test
  void theEnclaveRingRotatesAndRetiresDurably() {
    Path e = dir.resolve("enclave");
    try (SimulatedEnclave a = SimulatedEnclave.open(e, Clock.systemUTC(), new SecureRandom())) {
      assertThrows(ClusterStateException.class, a::rotateCluster, "no cluster keys yet");
      ClusterKeys zero = a.initCluster();
      ClusterKeys one = a.rotateCluster();
      assertEquals(1, one.currentEpoch());
      assertEquals(zero.epochs().get(0), one.epochs().get(0), "epoch 0 is kept as it was");
      assertThrows(ClusterStateException.class, () -> a.retireEpoch(1), "the current epoch");
      assertThrows(ClusterStateException.class, () -> a.deriveStorageKey(5, "x"));
      assertFalse(
          java.util.Arrays.equals(a.deriveStorageKey(0, "x"), a.deriveStorageKey(1, "x")),
          "each epoch has its own root");
    }
    try (SimulatedEnclave a = SimulatedEnclave.open(e, Clock.systemUTC(), new SecureRandom())) {
      assertEquals(1, a.currentEpoch(), "sealed");
      a.retireEpoch(0);
    }
    try (SimulatedEnclave a = SimulatedEnclave.open(e, Clock.systemUTC(), new SecureRandom())) {
      assertEquals(
          List.of(1),
          a.clusterKeys().orElseThrow().epochs().stream()
              .map(ClusterKeys.EpochKey::epoch)
              .toList());
    }
  }

  @Test
  void aMemberTakesTheEpochsARotationMadeButNotARingThatDropsOneItHolds() {
    byte[] aad = bytes("a transcript");
    try (SimulatedEnclave a =
            SimulatedEnclave.open(dir.resolve("a"), Clock.systemUTC(), new SecureRandom());
        SimulatedEnclave b =
            SimulatedEnclave.open(dir.resolve("b"), Clock.systemUTC(), new SecureRandom());
        SimulatedEnclave c =
            SimulatedEnclave.open(dir.resolve("c"), Clock.systemUTC(), new SecureRandom())) {
      a.initCluster();
      ClusterKeys joined = offer(a, b, aad);
      assertEquals(List.of(0), epochsOf(joined));
      ClusterKeys rotated = a.rotateCluster();

      assertEquals(rotated, offer(a, b, aad), "b takes epoch 1 and keeps epoch 0");
      assertEquals(rotated, offer(a, c, aad), "a newcomer after a rotation gets every live epoch");
      assertArrayEquals(a.deriveStorageKey(1, "x"), b.deriveStorageKey(1, "x"));

      a.retireEpoch(0);
      ClusterStateException e = assertThrows(ClusterStateException.class, () -> offer(a, b, aad));
      assertTrue(e.getMessage().contains("join before retiring"), e.getMessage());
      assertEquals(List.of(0, 1), epochsOf(b.clusterKeys().orElseThrow()), "b lost nothing");
    }
  }

  private static ClusterKeys offer(SimulatedEnclave provider, SimulatedEnclave member, byte[] aad) {
    io.nsl.enclave.JoinKey k = member.newJoinKey();
    try {
      return member.acceptClusterKeys(k, provider.wrapClusterKeys(k.publicKey(), aad), aad);
    } finally {
      k.destroy();
    }
  }

  private static List<Integer> epochsOf(ClusterKeys k) {
    return k.epochs().stream().map(ClusterKeys.EpochKey::epoch).toList();
  }

  // ------------------------------------------------------------------ raw store access

  private static final byte[] CURSOR = physical("!meta", "rekey");

  private static byte[] physical(String ns, String key) {
    byte[] n = ns.getBytes(StandardCharsets.US_ASCII);
    byte[] k = key.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[1 + n.length + k.length];
    out[0] = (byte) n.length;
    System.arraycopy(n, 0, out, 1, n.length);
    System.arraycopy(k, 0, out, 1 + n.length, k.length);
    return out;
  }

  interface RawEdit {
    void edit(RocksDB db) throws RocksDBException;
  }

  private static void editRaw(Path path, RawEdit edit) throws RocksDBException {
    try (Options o = new Options();
        RocksDB db = RocksDB.open(o, path.toString())) {
      edit.edit(db);
    }
  }

  private static byte[] get(RocksDB db, byte[] k) throws RocksDBException {
    byte[] v = db.get(k);
    if (v == null) {
      throw new AssertionError("no record at the rekey cursor's key");
    }
    return v;
  }

  private static void put(RocksDB db, byte[] k, byte[] v) throws RocksDBException {
    db.put(k, v);
  }

  private static SecretOwner owner(ClusterFixture.Developer d) {
    return SecretOwner.fromPublicKey(d.publicKey());
  }

  private static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }
}
