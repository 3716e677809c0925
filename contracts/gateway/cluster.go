package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/crypto"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// The cluster key (docs/cluster.md): the secrets public key of the deployment's current epoch,
// which developers encrypt their secrets to. The owner records it after `nsl cluster init` (epoch
// 0) and after each rotation (the next epoch); clients read it here instead of trusting whatever
// key an instance's host shows them, and check that an attested instance holds it (its
// attestation's report_data binds the same secrets key).

const keyClusterKey = "\x60" // serialized clusterKey

type clusterKey struct {
	Epoch  int
	PubKey interop.PublicKey
}

// SetClusterKey records epoch and its secrets public key. Owner only. The first key may have any
// epoch (0 for a deployment that starts now); each later one must be the next epoch.
func SetClusterKey(epoch int, pubKey interop.PublicKey) {
	if len(pubKey) != PublicKeySize || (pubKey[0] != 2 && pubKey[0] != 3) {
		panic("pubKey must be a 33-byte compressed secp256r1 public key")
	}
	if epoch < 0 {
		panic("epoch must be >= 0")
	}
	ctx := storage.GetContext()
	checkOwner(ctx)
	raw := getBytes(ctx, keyClusterKey)
	if raw != nil {
		cur := std.Deserialize(raw).(clusterKey)
		if epoch != cur.Epoch+1 {
			panic("epoch must be the next one, " + itoa(cur.Epoch+1))
		}
	}
	// Decode the point once: a key that is not on the curve faults here, not in a client.
	crypto.VerifyWithECDsa([]byte{0}, pubKey, make([]byte, SignatureSize), crypto.Secp256r1Sha256)
	storage.Put(ctx, keyClusterKey, std.Serialize(clusterKey{Epoch: epoch, PubKey: pubKey}))
	runtime.Notify("ClusterKeyChanged", epoch, pubKey)
}

// ClusterKey returns [epoch, pubKey] of the current epoch, or null before the first SetClusterKey.
func ClusterKey() []any {
	raw := getBytes(storage.GetReadOnlyContext(), keyClusterKey)
	if raw == nil {
		return nil
	}
	c := std.Deserialize(raw).(clusterKey)
	return []any{c.Epoch, c.PubKey}
}
