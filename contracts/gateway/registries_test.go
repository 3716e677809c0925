package gateway_test

import (
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/json"
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/core/native/nativenames"
	"github.com/nspcc-dev/neo-go/pkg/crypto/keys"
	"github.com/nspcc-dev/neo-go/pkg/neotest"
	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/nspcc-dev/neo-go/pkg/wallet"
	"github.com/stretchr/testify/require"
)

func newKey(t *testing.T) *keys.PrivateKey {
	k, err := keys.NewPrivateKey()
	require.NoError(t, err)
	return k
}

func TestEnclaveRegistrationRequiresOwner(t *testing.T) {
	v := newEnv(t)
	k := newKey(t)
	v.gw.WithSigners(v.dev).InvokeFail(t, "only the gateway owner may do this", "registerEnclave", k.PublicKey().Bytes(), []byte("SIMULATED"), modeSimulated)
	v.gw.WithSigners(v.dev).InvokeFail(t, "only the gateway owner may do this", "revokeEnclave", v.enclave.PublicKey().Bytes())
}

func TestSimulatedEnclaveRefusedInProduction(t *testing.T) {
	v := newEnvWith(t, envOptions{allowSimulated: false})
	v.gw.InvokeFail(t, "SIMULATED enclave keys are refused: this gateway was deployed for production", "registerEnclave", newKey(t).PublicKey().Bytes(), []byte("SIMULATED"), modeSimulated)
	st, err := v.gw.TestInvoke(t, "allowsSimulated")
	require.NoError(t, err)
	require.False(t, st.Pop().Bool())
	// SGX keys are accepted (the setup registered one).
	st, err = v.gw.TestInvoke(t, "getEnclave", v.enclave.PublicKey().Bytes())
	require.NoError(t, err)
	require.EqualValues(t, modeSGX, st.Pop().Array()[0].Value().(interface{ Int64() int64 }).Int64())
}

func TestEnclaveRegistrationRejectsMalformedInput(t *testing.T) {
	v := newEnv(t)
	good := newKey(t).PublicKey().Bytes()
	offCurve := append([]byte{2}, make([]byte, 32)...)
	for x := byte(1); ; x++ { // about half of all x have no point on secp256r1
		offCurve[32] = x
		if _, err := keys.NewPublicKeyFromBytes(offCurve, elliptic.P256()); err != nil {
			break
		}
	}
	cases := []struct {
		name        string
		key         []byte
		attestation []byte
		mode        int64
		fault       string
	}{
		{"32-byte key", good[:32], []byte("q"), modeSimulated, "pubKey must be a 33-byte compressed"},
		{"uncompressed prefix", append([]byte{4}, good[1:]...), []byte("q"), modeSimulated, "pubKey must be a 33-byte compressed"},
		{"point not on the curve", offCurve, []byte("q"), modeSimulated, "failed to decode pubkey"},
		{"unknown mode", good, []byte("q"), 3, "mode must be 1 (SGX) or 2 (SIMULATED)"},
		{"empty attestation", good, nil, modeSimulated, "attestation must be 1..65000 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v.gw.InvokeFail(t, c.fault, "registerEnclave", c.key, c.attestation, c.mode)
		})
	}
}

func TestEnclaveRegistryReadsBack(t *testing.T) {
	v := newEnv(t)
	k := newKey(t)
	quote := make([]byte, 4600) // about the size of a DCAP quote
	quote[0] = 3
	v.gw.Invoke(t, stackitem.Null{}, "registerEnclave", k.PublicKey().Bytes(), quote, modeSGX)
	st, err := v.gw.TestInvoke(t, "getActiveEnclaves")
	require.NoError(t, err)
	active := st.Pop().Array()
	require.Len(t, active, 2)
	require.Equal(t, k.PublicKey().Bytes(), mustBytes(t, active[1]))
	st, err = v.gw.TestInvoke(t, "getAttestation", k.PublicKey().Bytes())
	require.NoError(t, err)
	require.Equal(t, quote, mustBytes(t, st.Pop().Item()))

	v.gw.Invoke(t, stackitem.Null{}, "revokeEnclave", v.enclave.PublicKey().Bytes())
	st, err = v.gw.TestInvoke(t, "getActiveEnclaves")
	require.NoError(t, err)
	require.Len(t, st.Pop().Array(), 1)
	st, err = v.gw.TestInvoke(t, "getEnclave", v.enclave.PublicKey().Bytes())
	require.NoError(t, err)
	require.NotZero(t, st.Pop().Array()[2].Value().(interface{ Int64() int64 }).Int64(), "revokedAt is set")
}

// The owner may be a multi-signature account: 2 of 3 keys must sign.
func TestMultisigOwnerRunsTheGateway(t *testing.T) {
	v := newEnv(t)
	accs := make([]*wallet.Account, 3)
	pubs := make(keys.PublicKeys, 3)
	for i := range accs {
		k := newKey(t)
		accs[i] = wallet.NewAccountFromPrivateKey(k)
		pubs[i] = k.PublicKey()
	}
	for i := range accs {
		require.NoError(t, accs[i].ConvertMultisig(2, pubs))
	}
	multi := neotest.NewMultiSigner(accs[0], accs[1])
	gas := v.e.NewInvoker(v.e.NativeHash(t, nativenames.Gas), v.owner)
	gas.Invoke(t, true, "transfer", v.owner.ScriptHash(), multi.ScriptHash(), int64(10_0000_0000), nil)

	// Ownership moves only with both witnesses.
	v.gw.InvokeFail(t, "the new owner must also witness", "setOwner", multi.ScriptHash())
	v.e.NewInvoker(v.gwHash, v.owner, multi).Invoke(t, stackitem.Null{}, "setOwner", multi.ScriptHash())

	k := newKey(t)
	v.gw.InvokeFail(t, "only the gateway owner may do this", "registerEnclave", k.PublicKey().Bytes(), []byte("SIMULATED"), modeSimulated)
	v.e.NewInvoker(v.gwHash, multi).Invoke(t, stackitem.Null{}, "registerEnclave", k.PublicKey().Bytes(), []byte("SIMULATED"), modeSimulated)
}

func TestFunctionChangesRequireItsOwner(t *testing.T) {
	v := newEnv(t)
	newHash := sha256.Sum256([]byte("export function main() { return 43; }"))
	for _, stranger := range []neotest.Signer{v.owner, v.app} {
		inv := v.gw.WithSigners(stranger)
		inv.InvokeFail(t, "only the owner of function price-feed may change it", "updateFunction", functionID, newHash[:])
		inv.InvokeFail(t, "only the owner of function price-feed may change it", "setFunctionEnabled", functionID, false)
	}
	// Registering for someone else needs their witness; an id is registered once.
	v.gw.WithSigners(v.app).InvokeFail(t, "the function owner must witness its registration", "registerFunction", "other", newHash[:], v.dev.ScriptHash())
	v.gw.WithSigners(v.app).InvokeFail(t, "function price-feed is already registered", "registerFunction", functionID, newHash[:], v.app.ScriptHash())
	v.gw.WithSigners(v.dev).InvokeFail(t, "codeHash must be the 32-byte sha256", "registerFunction", "short", newHash[:31], v.dev.ScriptHash())

	st, err := v.gw.TestInvoke(t, "getFunction", functionID)
	require.NoError(t, err)
	f := st.Pop().Array()
	require.Equal(t, v.codeHash, mustBytes(t, f[0]))
	require.EqualValues(t, 1, f[2].Value().(interface{ Int64() int64 }).Int64())
}

func TestFunctionUpdateBumpsVersionAndNewRequestsCarryTheNewHash(t *testing.T) {
	v := newEnv(t)
	newHash := sha256.Sum256([]byte("export function main() { return 43; }"))
	h := v.gw.WithSigners(v.dev).Invoke(t, stackitem.Null{}, "updateFunction", functionID, newHash[:])
	require.Equal(t, []string{"FunctionUpdated"}, eventNames(v.events(t, h)))
	st, err := v.gw.TestInvoke(t, "getFunction", functionID)
	require.NoError(t, err)
	f := st.Pop().Array()
	require.Equal(t, newHash[:], mustBytes(t, f[0]))
	require.Equal(t, v.dev.ScriptHash().BytesBE(), mustBytes(t, f[1]))
	require.EqualValues(t, 2, f[2].Value().(interface{ Int64() int64 }).Int64())
	require.True(t, f[3].Value().(bool))

	id := v.lastRequestID(t) + 1
	h = v.consumer.Invoke(t, id, "request", functionID, []byte(input), jsGasLimit, gasForResponse)
	require.Equal(t, newHash[:], mustBytes(t, v.events(t, h)[0].Item.Value().([]stackitem.Item)[2]))
}

func TestOnlyTheOwnerUpdatesOrDestroys(t *testing.T) {
	v := newEnv(t)
	nef, err := gatewayCtr.NEF.Bytes()
	require.NoError(t, err)
	manifest, err := json.Marshal(gatewayCtr.Manifest)
	require.NoError(t, err)
	v.gw.WithSigners(v.dev).InvokeFail(t, "only the gateway owner may do this", "update", nef, manifest, nil)
	v.gw.WithSigners(v.dev).InvokeFail(t, "only the gateway owner may do this", "destroy")
	v.gw.Invoke(t, stackitem.Null{}, "update", nef, manifest, nil)
	// Storage survives an update: the registered function and the fixed flag are still there.
	st, err := v.gw.TestInvoke(t, "getFunction", functionID)
	require.NoError(t, err)
	require.NotEqual(t, stackitem.Null{}, st.Pop().Item())
	v.gw.Invoke(t, stackitem.Null{}, "destroy")
	require.Nil(t, v.e.Chain.GetContractState(v.gwHash))
}

func TestFeeParametersAreOwnerOnly(t *testing.T) {
	v := newEnv(t)
	v.gw.WithSigners(v.dev).InvokeFail(t, "only the gateway owner may do this", "setFeeParameters", 1, 1, 1, 1, 1)
	v.gw.Invoke(t, stackitem.Null{}, "setFeeParameters", 2_000_000, 1, 5_000_000, 5_000_000, 10)
	st, err := v.gw.TestInvoke(t, "getFeeParameters")
	require.NoError(t, err)
	p := st.Pop().Array()
	want := []int64{2_000_000, 1, 5_000_000, 5_000_000, 10}
	for i, w := range want {
		require.EqualValues(t, w, p[i].Value().(interface{ Int64() int64 }).Int64())
	}
	require.Equal(t, v.owner.ScriptHash().BytesBE(), mustBytes(t, p[5]))
	// The new price applies: 2_000_000 + 1_000_000 JS gas * 1 + 10_000_000 gasForResponse.
	id := v.request(t, input)
	st, err = v.gw.TestInvoke(t, "getRequest", id)
	require.NoError(t, err)
	require.EqualValues(t, 13_000_000, st.Pop().Array()[2].Value().(interface{ Int64() int64 }).Int64())
}
