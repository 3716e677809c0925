package gateway_test

import (
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/config"
	"github.com/nspcc-dev/neo-go/pkg/neotest"
	"github.com/nspcc-dev/neo-go/pkg/neotest/chain"
	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

// Gateway B has the same enclave key and a pending request with the same id as gateway A; an
// answer signed for A must not fulfil B.
func TestFulfilRejectsReplayAcrossGateways(t *testing.T) {
	v := newEnv(t)
	id := v.request(t, input)

	gwB := gatewayFrom(t, v.dev.ScriptHash())
	require.NotEqual(t, v.gwHash, gwB.Hash)
	v.e.DeployContractBy(t, v.dev, gwB, []any{v.owner.ScriptHash(), true})
	b := v.e.NewInvoker(gwB.Hash, v.owner)
	b.WithSigners(v.dev).Invoke(t, stackitem.Null{}, "registerFunction", functionID, v.codeHash, v.dev.ScriptHash())
	b.Invoke(t, stackitem.Null{}, "registerEnclave", v.enclave.PublicKey().Bytes(), []byte("SIMULATED"), modeSimulated)
	v.e.DeployContract(t, hostileCtr, gwB.Hash)
	gas := v.e.NewInvoker(v.e.NativeHash(t, "GasToken"), v.app)
	gas.Invoke(t, true, "transfer", v.app.ScriptHash(), gwB.Hash, int64(depositAmount), hostileCtr.Hash)
	v.e.NewInvoker(hostileCtr.Hash, v.app).Invoke(t, id, "request", functionID, []byte(input), "", gasForResponse, jsGasLimit)

	a := v.sign(id, 0, []byte("42"), 10)
	onB := v.e.NewInvoker(gwB.Hash, v.submitter)
	onB.InvokeFail(t, "signature is not by an active enclave key", "fulfil", a.args()...)
	// The same for a batch signed for A (a batch of one signs the same bytes as a single answer).
	onB.InvokeFail(t, "batch signature is not by an active enclave key", "fulfilBatch", batchArgs([]answer{a}), v.signBatch([]answer{a}))
	v.fulfil(t, a)
}

// A batch signed for gateway A, replayed on gateway B holding the same key and the same
// pending request ids, is refused as a whole.
func TestFulfilBatchRejectsReplayAcrossGateways(t *testing.T) {
	v := newEnv(t)
	ids := v.exampleRequests(t, 2)

	gwB := gatewayFrom(t, v.dev.ScriptHash())
	v.e.DeployContractBy(t, v.dev, gwB, []any{v.owner.ScriptHash(), true})
	b := v.e.NewInvoker(gwB.Hash, v.owner)
	b.WithSigners(v.dev).Invoke(t, stackitem.Null{}, "registerFunction", functionID, v.codeHash, v.dev.ScriptHash())
	b.Invoke(t, stackitem.Null{}, "registerEnclave", v.enclave.PublicKey().Bytes(), []byte("SIMULATED"), modeSimulated)
	v.e.DeployContract(t, hostileCtr, gwB.Hash)
	gas := v.e.NewInvoker(v.e.NativeHash(t, "GasToken"), v.app)
	gas.Invoke(t, true, "transfer", v.app.ScriptHash(), gwB.Hash, int64(depositAmount), hostileCtr.Hash)
	h := v.e.NewInvoker(hostileCtr.Hash, v.app)
	for _, id := range ids {
		h.Invoke(t, id, "request", functionID, []byte(input), "", gasForResponse, jsGasLimit)
	}

	answers := []answer{v.sign(ids[0], 0, []byte("42"), 10), v.sign(ids[1], 0, []byte("42"), 10)}
	sig := v.signBatch(answers)
	v.e.NewInvoker(gwB.Hash, v.submitter).InvokeFail(t, "batch signature is not by an active enclave key",
		"fulfilBatch", batchArgs(answers), sig)
	v.fulfilBatchSigned(t, answers, sig, 2)
}

// Two chains that differ only in their network magic, with identical deployments (same gateway
// hash) and the same pending request: an answer signed on one must not fulfil the other.
func TestFulfilAndBatchRejectReplayAcrossNetworks(t *testing.T) {
	v := newEnv(t)
	id := v.request(t, input)

	bc2, acc2 := chain.NewSingleWithCustomConfig(t, func(c *config.Blockchain) {
		c.Magic = v.e.Chain.GetConfig().Magic + 1
	})
	e2 := neotest.NewExecutor(t, bc2, acc2, acc2)
	w := &env{e: e2, owner: e2.Committee, fields: map[int64][]byte{}}
	w.app = e2.NewAccount(t)
	w.submitter = e2.NewAccount(t)
	deployOn(t, e2, gatewayCtr, []any{w.owner.ScriptHash(), true})
	require.Equal(t, v.gwHash, gatewayCtr.Hash, "same deployment on both networks")
	w.gwHash = gatewayCtr.Hash
	w.gw = e2.NewInvoker(w.gwHash, w.owner)
	w.gw.Invoke(t, stackitem.Null{}, "registerFunction", functionID, v.codeHash, w.owner.ScriptHash())
	w.gw.Invoke(t, stackitem.Null{}, "registerEnclave", v.enclave.PublicKey().Bytes(), []byte("SIMULATED"), modeSimulated)
	deployOn(t, e2, consumerCtr, []any{w.gwHash, w.app.ScriptHash()})
	w.consumer = e2.NewInvoker(consumerCtr.Hash, w.app)
	w.deposit(t, w.app, consumerCtr.Hash, depositAmount)
	require.Equal(t, id, w.request(t, input))

	// A second pending request with the same id on both, for the batch.
	id2 := v.request(t, input)
	require.Equal(t, id2, w.request(t, input))

	a := v.sign(id, 0, []byte("42"), 10)
	w.fulfilFail(t, a, "signature is not by an active enclave key")
	batch := []answer{v.sign(id2, 0, []byte("42"), 10), v.sign(id, 0, []byte("42"), 10)}
	sig := v.signBatch(batch)
	w.fulfilBatchFail(t, batch, sig, "batch signature is not by an active enclave key")
	v.fulfilBatchSigned(t, batch, sig, 2)
}

// deployOn deploys with the chain's own magic: neotest's deploy helper always signs for the
// unit-test network.
func deployOn(t *testing.T, e *neotest.Executor, c *neotest.Contract, data any) {
	tx := e.NewDeployTxBy(t, e.Committee, c, data)
	tx.Scripts = nil
	require.NoError(t, e.Committee.SignTx(e.Chain.GetConfig().Magic, tx))
	e.AddNewBlock(t, tx)
	e.CheckHalt(t, tx.Hash())
}
