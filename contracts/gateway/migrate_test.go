package gateway_test

import (
	"encoding/binary"
	"encoding/json"
	"math/big"
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/crypto/keys"
	"github.com/nspcc-dev/neo-go/pkg/neotest"
	"github.com/nspcc-dev/neo-go/pkg/neotest/chain"
	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

// v1Sign is an answer in the first message format (no fields, no commitment), which the gateway
// of testdata/gatewayv1 checks.
func (v *env) v1Sign(id int64, status byte, result []byte, gasUsed int64) []any {
	msg := messagePrefix(uint32(v.e.Chain.GetConfig().Magic), v.gwHash)
	msg = binary.LittleEndian.AppendUint64(msg, uint64(id))
	msg = append(msg, status)
	msg = binary.LittleEndian.AppendUint64(msg, uint64(gasUsed))
	msg = binary.LittleEndian.AppendUint16(msg, uint16(len(result)))
	msg = append(msg, result...)
	return []any{id, int64(status), result, gasUsed, v.enclave.Sign(msg)}
}

// A gateway deployed with the first storage format, holding a fulfilled, a cancelled and two
// pending requests, is updated to this code: every request keeps its state, the pending ones
// can be fulfilled (with the fields the RequestMigrated event announces) or cancelled with the
// fee they paid, and new requests continue the count.
func TestUpdateMigratesPendingRequests(t *testing.T) {
	bc, acc := chain.NewSingle(t)
	e := neotest.NewExecutor(t, bc, acc, acc)
	compileAll(t, e.CommitteeHash)
	v1 := neotest.CompileFile(t, e.CommitteeHash, "testdata/gatewayv1", "testdata/gatewayv1/gateway.yml")
	v := &env{e: e, owner: e.Committee, fields: map[int64][]byte{}}
	v.dev, v.app, v.submitter = e.NewAccount(t), e.NewAccount(t), e.NewAccount(t)
	e.DeployContract(t, v1, []any{v.owner.ScriptHash(), true})
	v.gwHash = v1.Hash
	v.gw = e.NewInvoker(v.gwHash, v.owner)
	e.DeployContract(t, consumerCtr, []any{v.gwHash, v.app.ScriptHash()})
	v.consumer = e.NewInvoker(consumerCtr.Hash, v.app)
	v.codeHash = hashOf([]byte(functionCode))
	v.gw.WithSigners(v.dev).Invoke(t, stackitem.Null{}, "registerFunction", functionID, v.codeHash, v.dev.ScriptHash())
	var err error
	v.enclave, err = keys.NewPrivateKey()
	require.NoError(t, err)
	v.gw.Invoke(t, stackitem.Null{}, "registerEnclave", v.enclave.PublicKey().Bytes(), []byte("SIMULATED test quote"), modeSimulated)
	v.deposit(t, v.app, consumerCtr.Hash, depositAmount)
	fee := int64(10_000_000 + gasForResponse) // the first version's default requestFee was 0.1 GAS

	for id := int64(1); id <= 4; id++ {
		v.consumer.Invoke(t, id, "request", functionID, []byte(input), jsGasLimit, gasForResponse)
	}
	v.submitterInvoker().Invoke(t, stackitem.Null{}, "fulfil", v.v1Sign(1, 0, []byte("41"), 5)...)
	v.e.GenerateNewBlocks(t, expiryBlocks)
	v.consumer.Invoke(t, stackitem.Null{}, "cancel", 2)
	require.EqualValues(t, fee, v.balance(t, v.owner.ScriptHash()))

	nef2, err := gatewayCtr.NEF.Bytes()
	require.NoError(t, err)
	manifest, err := json.Marshal(gatewayCtr.Manifest)
	require.NoError(t, err)
	h := v.gw.Invoke(t, stackitem.Null{}, "update", nef2, manifest, nil)

	migrated := map[int64][]byte{}
	for _, ev := range v.events(t, h) {
		if ev.Name == "RequestMigrated" {
			st := ev.Item.Value().([]stackitem.Item)
			migrated[st[0].Value().(*big.Int).Int64()] = mustBytes(t, st[1])
		}
	}
	want := requestFields(consumerCtr.Hash, "onResult", nil)
	require.Equal(t, map[int64][]byte{3: want, 4: want}, migrated, "the pending requests, with their fields")
	for id, state := range map[int64]int64{1: stateFulfilled, 2: stateCancelled, 3: statePending, 4: statePending, 5: stateUnknown} {
		require.EqualValues(t, state, v.requestState(t, id), "request %d", id)
	}

	// The migrated requests behave as new ones: fulfil once (paying the fee they paid), cancel.
	v.fields[3] = migrated[3]
	v.fulfilFail(t, v.sign(1, 0, []byte("42"), 5), "is already fulfilled")
	v.fulfilFail(t, v.sign(2, 0, []byte("42"), 5), "was cancelled")
	a := v.sign(3, 0, []byte(`{"price":42}`), 5)
	v.fulfil(t, a)
	v.fulfilFail(t, a, "is already fulfilled")
	require.Equal(t, stackitem.NewArray([]stackitem.Item{stackitem.Make(0), stackitem.Make(a.result)}), v.consumerAnswer(t, 3))
	require.EqualValues(t, 2*fee, v.balance(t, v.owner.ScriptHash()))
	before := v.balance(t, consumerCtr.Hash)
	v.consumer.Invoke(t, stackitem.Null{}, "cancel", 4)
	require.EqualValues(t, before+fee, v.balance(t, consumerCtr.Hash), "the fee paid before the update is refunded")
	v.consumer.InvokeFail(t, "is no longer pending", "cancel", 1)

	// New requests continue the count, in the new format.
	require.EqualValues(t, 5, v.request(t, input))
	v.fulfil(t, v.sign(5, 0, []byte("42"), 5))
	require.EqualValues(t, stateFulfilled, v.requestState(t, 5))
}
