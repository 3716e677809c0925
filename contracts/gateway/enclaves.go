package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/crypto"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/ledger"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// Enclave modes, as passed to RegisterEnclave.
const (
	ModeSGX       = 1 // attestation is an SGX DCAP quote
	ModeSimulated = 2 // attestation is a document saying SIMULATED; refused by production deploys
)

type enclave struct {
	Mode         int
	RegisteredAt int // block index (Ledger.currentIndex at registration)
	RevokedAt    int // 0 while active
}

// RegisterEnclave adds an enclave's secp256r1 signing key with its attestation. Owner only.
// A revoked key cannot come back: register the enclave's new key instead.
func RegisterEnclave(pubKey interop.PublicKey, attestation []byte, mode int) {
	if len(pubKey) != PublicKeySize || (pubKey[0] != 2 && pubKey[0] != 3) {
		panic("pubKey must be a 33-byte compressed secp256r1 public key")
	}
	if mode != ModeSGX && mode != ModeSimulated {
		panic("mode must be 1 (SGX) or 2 (SIMULATED)")
	}
	if len(attestation) == 0 || len(attestation) > MaxAttestation {
		panic("attestation must be 1.." + itoa(MaxAttestation) + " bytes")
	}
	ctx := storage.GetContext()
	checkOwner(ctx)
	if mode == ModeSimulated && !storage.Get(ctx, keyAllowSimulated).(bool) {
		panic("SIMULATED enclave keys are refused: this gateway was deployed for production")
	}
	addEnclave(ctx, pubKey, mode)
	storage.Put(ctx, cat(prefixAttestation, pubKey), attestation)
}

// addEnclave makes pubKey an active enclave key (RegisterEnclave, RegisterEnclaveAttested).
func addEnclave(ctx storage.Context, pubKey interop.PublicKey, mode int) {
	key := cat(prefixEnclave, pubKey)
	if storage.Get(ctx, key) != nil {
		panic("enclave key is already registered (revoked keys cannot be registered again)")
	}
	c := getConfig(ctx)
	if len(c.ActiveKeys) >= MaxActiveEnclaves {
		panic("too many active enclave keys (max " + itoa(MaxActiveEnclaves) + "): revoke one first")
	}
	// A point that is not on the curve makes CryptoLib fault. Decoding it once here means a bad
	// key faults this registration instead of every later fulfilment.
	crypto.VerifyWithECDsa([]byte{0}, pubKey, make([]byte, SignatureSize), crypto.Secp256r1Sha256)

	storage.Put(ctx, key, std.Serialize(enclave{Mode: mode, RegisteredAt: ledger.CurrentIndex()}))
	c.ActiveKeys = append(c.ActiveKeys, pubKey)
	putConfig(ctx, c)
	runtime.Notify("EnclaveRegistered", pubKey, mode)
}

// RevokeEnclave stops a key from fulfilling anything from this block on. Owner only.
func RevokeEnclave(pubKey interop.PublicKey) {
	ctx := storage.GetContext()
	checkOwner(ctx)
	key := cat(prefixEnclave, pubKey)
	raw := getBytes(ctx, key)
	if raw == nil {
		panic("unknown enclave key")
	}
	if loadEnclave(raw).RevokedAt != 0 {
		panic("enclave key is already revoked")
	}
	revokeKey(ctx, pubKey)
}

// revokeKey revokes an active key (RevokeEnclave, RevokeMeasurement).
func revokeKey(ctx storage.Context, pubKey interop.PublicKey) {
	key := cat(prefixEnclave, pubKey)
	e := loadEnclave(getBytes(ctx, key))
	e.RevokedAt = ledger.CurrentIndex() + 1
	storage.Put(ctx, key, std.Serialize(e))
	c := getConfig(ctx)
	kept := []interop.PublicKey{}
	for i := 0; i < len(c.ActiveKeys); i++ {
		if !c.ActiveKeys[i].Equals(pubKey) {
			kept = append(kept, c.ActiveKeys[i])
		}
	}
	c.ActiveKeys = kept
	putConfig(ctx, c)
	runtime.Notify("EnclaveRevoked", pubKey)
}

// GetActiveEnclaves returns the active enclave public keys (33-byte compressed each).
func GetActiveEnclaves() []interop.PublicKey {
	return getConfig(storage.GetReadOnlyContext()).ActiveKeys
}

// GetEnclave returns [mode, registeredAt, revokedAt] for a key (revokedAt 0 = active), or null.
func GetEnclave(pubKey interop.PublicKey) any {
	raw := getBytes(storage.GetReadOnlyContext(), cat(prefixEnclave, pubKey))
	if raw == nil {
		return nil
	}
	e := loadEnclave(raw)
	return []any{e.Mode, e.RegisteredAt, e.RevokedAt}
}

// GetAttestation returns the attestation bytes a key was registered with, or null, so that
// anyone can re-verify the quote.
func GetAttestation(pubKey interop.PublicKey) []byte {
	return getBytes(storage.GetReadOnlyContext(), cat(prefixAttestation, pubKey))
}
