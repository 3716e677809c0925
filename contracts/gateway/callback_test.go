package gateway_test

import (
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/neotest"
	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

const (
	hostileStore   = 0
	hostileThrow   = 1
	hostileAbort   = 2
	hostileReenter = 3
)

// deployHostile deploys the misbehaving test consumer with a prepaid balance.
func (v *env) deployHostile(t *testing.T, mode int) *neotest.ContractInvoker {
	v.e.DeployContract(t, hostileCtr, v.gwHash)
	v.deposit(t, v.app, hostileCtr.Hash, depositAmount)
	h := v.e.NewInvoker(hostileCtr.Hash, v.app)
	h.Invoke(t, stackitem.Null{}, "setMode", mode)
	return h
}

func (v *env) hostileRequest(t *testing.T, h *neotest.ContractInvoker, callback string) int64 {
	id := v.lastRequestID(t) + 1
	v.noteRequests(t, h.Invoke(t, id, "request", functionID, []byte(input), callback, gasForResponse, jsGasLimit))
	return id
}

func hostileLast(t *testing.T, h *neotest.ContractInvoker) int64 {
	st, err := h.TestInvoke(t, "last")
	require.NoError(t, err)
	return st.Pop().BigInt().Int64()
}

func TestFaultingCallbackDoesNotUndoFulfilment(t *testing.T) {
	v := newEnv(t)
	h := v.deployHostile(t, hostileThrow)
	id := v.hostileRequest(t, h, "onResult")

	tx := v.fulfil(t, v.sign(id, 0, []byte("42"), 10))
	evs := v.events(t, tx)
	require.Equal(t, []string{"Fulfilled", "CallbackFailed"}, eventNames(evs), "the callback's own Answer event is rolled back")
	reason := evs[1].Item.Value().([]stackitem.Item)
	require.EqualValues(t, id, reason[0].Value().(interface{ Int64() int64 }).Int64())
	require.Equal(t, "hostile callback refuses the answer", string(mustBytes(t, reason[1])))
	require.EqualValues(t, stateFulfilled, v.requestState(t, id))
	require.EqualValues(t, 0, hostileLast(t, h), "the callback's storage write is rolled back")
	require.EqualValues(t, requestFee+gasForResponse, v.balance(t, v.owner.ScriptHash()), "the operator is paid")
}

// NeoVM can catch only exceptions (THROW). ABORT, a failed ASSERT, an invalid operation or
// running out of GAS faults the whole transaction, whatever try blocks surround it, so such a
// callback makes its fulfilment impossible. The request stays pending (no double payment, no
// half state); the service must find such entries by test invocation and leave them out, and
// the requester can cancel after expiry.
func TestAbortingCallbackFaultsTheWholeFulfilment(t *testing.T) {
	v := newEnv(t)
	h := v.deployHostile(t, hostileAbort)
	id := v.hostileRequest(t, h, "onResult")
	v.fulfilFail(t, v.sign(id, 0, []byte("42"), 10), "ABORT")
	require.EqualValues(t, statePending, v.requestState(t, id))
	require.EqualValues(t, 0, v.balance(t, v.owner.ScriptHash()))
}

func TestCallbackCannotReenterFulfil(t *testing.T) {
	v := newEnv(t)
	h := v.deployHostile(t, hostileReenter)
	id := v.hostileRequest(t, h, "onResult")
	a := v.sign(id, 0, []byte("42"), 10)
	h.Invoke(t, stackitem.Null{}, "arm", a.gasUsed, a.fields, a.signature)

	tx := v.fulfil(t, a)
	evs := v.events(t, tx)
	require.Equal(t, []string{"Fulfilled", "CallbackFailed"}, eventNames(evs))
	require.Contains(t, string(mustBytes(t, evs[1].Item.Value().([]stackitem.Item)[1])), "is already fulfilled")
	require.EqualValues(t, requestFee+gasForResponse, v.balance(t, v.owner.ScriptHash()), "paid exactly once")
}

func TestConsumerWithoutCallbackIsFulfilled(t *testing.T) {
	v := newEnv(t)
	h := v.deployHostile(t, hostileStore)
	id := v.hostileRequest(t, h, "")
	tx := v.fulfil(t, v.sign(id, 0, []byte("42"), 10))
	require.Equal(t, []string{"Fulfilled"}, eventNames(v.events(t, tx)))
	require.EqualValues(t, stateFulfilled, v.requestState(t, id))
	require.EqualValues(t, 0, hostileLast(t, h))
}

func TestRequestRejectsCallbackTheRequesterLacks(t *testing.T) {
	v := newEnv(t)
	h := v.deployHostile(t, hostileStore)
	h.InvokeFail(t, "the requester must be a contract with method noSuchMethod", "request", functionID, []byte(input), "noSuchMethod", gasForResponse, jsGasLimit)
	h.InvokeFail(t, "not start with '_'", "request", functionID, []byte(input), "_deploy", gasForResponse, jsGasLimit)
}

func TestExampleConsumerRefusesAnswersNotFromTheGateway(t *testing.T) {
	v := newEnv(t)
	v.consumer.InvokeFail(t, "only the gateway may deliver answers", "onResult", 1, 0, []byte("forged"), nil)
	require.Equal(t, stackitem.Null{}, v.consumerAnswer(t, 1))
}

func TestExampleConsumerRequestNeedsItsOwner(t *testing.T) {
	v := newEnv(t)
	v.e.NewInvoker(consumerCtr.Hash, v.submitter).InvokeFail(t, "only the consumer's owner", "request", functionID, []byte(input), jsGasLimit, gasForResponse)
}

// userData goes into the request's fields, serialized, and comes back to the callback as it was
// given: the gateway stores only the commitment.
func TestCallbackGetsTheUserDataOfItsRequest(t *testing.T) {
	v := newEnv(t)
	h := v.deployHostile(t, hostileStore)
	id := v.lastRequestID(t) + 1
	userData := stackitem.NewArray([]stackitem.Item{stackitem.Make("round"), stackitem.Make(7)})
	v.noteRequests(t, h.Invoke(t, id, "requestWithData", functionID, []byte(input), "onResult", userData, gasForResponse, jsGasLimit))
	ser, err := stackitem.Serialize(userData)
	require.NoError(t, err)
	require.Equal(t, requestFields(hostileCtr.Hash, "onResult", ser), v.fields[id])

	v.fulfil(t, v.sign(id, 0, []byte("42"), 10))
	st, err := h.TestInvoke(t, "userData")
	require.NoError(t, err)
	require.Equal(t, ser, mustBytes(t, st.Pop().Item()))

	// userData that would push the Request event over Neo's 1,024-byte limit is refused.
	big := stackitem.Make(make([]byte, 832-len(input)-29))
	h.InvokeFail(t, "userData is too large", "requestWithData", functionID, []byte(input), "onResult", big, gasForResponse, jsGasLimit)
	// At the limit it fits.
	fits := stackitem.Make(make([]byte, 832-len(input)-29-4))
	h.Invoke(t, id+1, "requestWithData", functionID, []byte(input), "onResult", fits, gasForResponse, jsGasLimit)
}

// The example consumer keeps an error answer's status beside its result (under the negated
// id), and a success answer's result alone.
func TestExampleConsumerKeepsErrorStatusAndResult(t *testing.T) {
	v := newEnv(t)
	ok, failed := v.request(t, input), v.request(t, input)
	errJSON := []byte(`{"error":{"kind":"TIMEOUT"}}`)
	v.fulfilBatch(t, []answer{v.sign(ok, 0, []byte("42"), 1), v.sign(failed, 7, errJSON, 1)}, 2)
	require.Equal(t, stackitem.NewArray([]stackitem.Item{stackitem.Make(0), stackitem.Make([]byte("42"))}), v.consumerAnswer(t, ok))
	require.Equal(t, stackitem.NewArray([]stackitem.Item{stackitem.Make(7), stackitem.Make(errJSON)}), v.consumerAnswer(t, failed))
	require.Equal(t, stackitem.Null{}, v.consumerAnswer(t, failed+1))
}

// A result of the gateway's full 4,096 bytes reaches the example consumer: it keeps the result
// and notifies only its length (Neo refuses a notification over 1,024 bytes, which would fault
// the whole fulfilment), and getAnswer reads it back whole.
func TestExampleConsumerTakesAResultOfTheFullLimit(t *testing.T) {
	v := newEnv(t)
	id := v.request(t, input)
	result := make([]byte, 4096)
	for i := range result {
		result[i] = byte('a' + i%26)
	}
	h := v.fulfil(t, v.sign(id, 0, result, 1))
	evs := v.events(t, h)
	require.Equal(t, []string{"Fulfilled", "Answer"}, eventNames(evs))
	require.Equal(t, stackitem.NewArray([]stackitem.Item{
		stackitem.Make(id), stackitem.Make(0), stackitem.Make(4096),
	}), evs[1].Item)
	require.EqualValues(t, stateFulfilled, v.requestState(t, id))
	require.Equal(t, stackitem.NewArray([]stackitem.Item{stackitem.Make(0), stackitem.Make(result)}), v.consumerAnswer(t, id))
	// What it costs the operator: storing the result is 0.001 GAS a byte (the chain's storage
	// price), paid in the fulfilment transaction.
	small := v.request(t, input)
	hs := v.fulfil(t, v.sign(small, 0, []byte("42"), 1))
	t.Logf("fulfil through the example consumer: 4,096-byte result %d datoshi, 2-byte result %d datoshi",
		v.e.GetTxExecResult(t, h).GasConsumed, v.e.GetTxExecResult(t, hs).GasConsumed)
}
