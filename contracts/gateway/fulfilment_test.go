package gateway_test

import (
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/core/state"
	"github.com/nspcc-dev/neo-go/pkg/crypto/keys"
	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

const input = `{"pair":"NEO/GAS"}`

func TestRequestFulfilCallbackHappyPath(t *testing.T) {
	v := newEnv(t)
	fee := int64(requestFee + gasForResponse)

	// Request: the gateway's Request event carries everything the service needs.
	id := v.lastRequestID(t) + 1
	require.EqualValues(t, 1, id, "request ids start at 1")
	h := v.consumer.Invoke(t, id, "request", functionID, []byte(input), jsGasLimit, gasForResponse)
	fields := requestFields(consumerCtr.Hash, "onResult", nil)
	expiresAt := int64(v.e.Chain.BlockHeight()) - 1 + expiryBlocks // the request's block was current then
	v.e.CheckTxNotificationEvents(t, h, []state.NotificationEvent{
		{ScriptHash: v.gwHash, Name: "Request", Item: stackitem.NewArray([]stackitem.Item{
			stackitem.Make(id), stackitem.Make(functionID), stackitem.Make(v.codeHash),
			stackitem.Make(consumerCtr.Hash.BytesBE()), stackitem.Make([]byte(input)), stackitem.Make(jsGasLimit),
			stackitem.Make(fields), stackitem.Make(expiresAt),
		})},
	})
	v.noteRequests(t, h)
	require.EqualValues(t, statePending, v.requestState(t, id))
	require.EqualValues(t, depositAmount-fee, v.balance(t, consumerCtr.Hash))
	// The gateway keeps the commitment to the fields and what refunds and expiry need.
	st, err := v.gw.TestInvoke(t, "getRequest", id)
	require.NoError(t, err)
	pending := st.Pop().Array()
	require.Equal(t, consumerCtr.Hash.BytesBE(), mustBytes(t, pending[0]))
	require.Equal(t, hashOf(fields), mustBytes(t, pending[1]), "commitment = sha256(fields)")
	require.EqualValues(t, fee, pending[2].Value().(interface{ Int64() int64 }).Int64())
	require.EqualValues(t, expiresAt, pending[3].Value().(interface{ Int64() int64 }).Int64())

	// Fulfil: the gateway marks, emits Fulfilled, calls back; the consumer stores and emits.
	result := []byte(`{"price":42}`)
	a := v.sign(id, 0, result, 31337)
	h = v.fulfil(t, a)
	v.e.CheckTxNotificationEvents(t, h, []state.NotificationEvent{
		{ScriptHash: v.gwHash, Name: "Fulfilled", Item: stackitem.NewArray([]stackitem.Item{
			stackitem.Make(entryMessage(uint64(id), 0, result, 31337, fields)[:21]), // the entry's head
			stackitem.Make(v.enclave.PublicKey().Bytes()),
		})},
		{ScriptHash: consumerCtr.Hash, Name: "Answer", Item: stackitem.NewArray([]stackitem.Item{
			stackitem.Make(id), stackitem.Make(0), stackitem.Make(len(result)),
		})},
	})
	require.EqualValues(t, stateFulfilled, v.requestState(t, id))
	st, err = v.gw.TestInvoke(t, "getRequest", id)
	require.NoError(t, err)
	require.Equal(t, stackitem.Null{}, st.Pop().Item())
	require.Equal(t, stackitem.NewArray([]stackitem.Item{stackitem.Make(0), stackitem.Make(result)}), v.consumerAnswer(t, id))
	// The operator (the fee recipient, the owner by default) is paid the request's fee.
	require.EqualValues(t, fee, v.balance(t, v.owner.ScriptHash()))
}

func mustBytes(t testing.TB, it stackitem.Item) []byte {
	b, err := it.TryBytes()
	require.NoError(t, err)
	return b
}

// Every refusal below must leave the request pending and the fee unpaid.
func TestFulfilRejectsWhatTheEnclaveDidNotSign(t *testing.T) {
	v := newEnv(t)
	id := v.request(t, input)
	stranger, err := keys.NewPrivateKey()
	require.NoError(t, err)
	magic := uint32(v.e.Chain.GetConfig().Magic)
	good := v.sign(id, 0, []byte("42"), 10)
	otherGateway := gatewayFrom(t, v.dev.ScriptHash()).Hash

	cases := []struct {
		name   string
		answer answer
		fault  string
	}{
		{"forged signature by an unregistered key", signWith(stranger, magic, v.gwHash, id, 0, []byte("42"), 10, v.fieldsOf(id)), "signature is not by an active enclave key"},
		{"random signature bytes", answer{id, 0, []byte("42"), 10, good.fields, make([]byte, 64)}, "signature is not by an active enclave key"},
		{"tampered result", answer{id, 0, []byte("43"), 10, good.fields, good.signature}, "signature is not by an active enclave key"},
		{"tampered status", answer{id, 1, []byte("42"), 10, good.fields, good.signature}, "signature is not by an active enclave key"},
		{"tampered gasUsed", answer{id, 0, []byte("42"), 9, good.fields, good.signature}, "signature is not by an active enclave key"},
		{"replay for another network magic", signWith(v.enclave, magic+1, v.gwHash, id, 0, []byte("42"), 10, v.fieldsOf(id)), "signature is not by an active enclave key"},
		{"replay from another gateway deployment", signWith(v.enclave, magic, otherGateway, id, 0, []byte("42"), 10, v.fieldsOf(id)), "signature is not by an active enclave key"},
		{"signature of 63 bytes", answer{id, 0, []byte("42"), 10, good.fields, good.signature[:63]}, "signature must be 64 bytes"},
		{"signature of 65 bytes", answer{id, 0, []byte("42"), 10, good.fields, append(append([]byte{}, good.signature...), 0)}, "signature must be 64 bytes"},
		{"negative gasUsed", answer{id, 0, []byte("42"), -1, good.fields, good.signature}, "gasUsed must be a non-negative int64"},
		{"status over one byte", answer{id, 256, []byte("42"), 10, good.fields, good.signature}, "status must be 0..255"},
		{"fields swapped after signing", answer{id, 0, []byte("42"), 10, requestFields(v.app.ScriptHash(), "onResult", nil), good.signature}, "signature is not by an active enclave key"},
		{"enclave signed fields the request did not commit to", signWith(v.enclave, magic, v.gwHash, id, 0, []byte("42"), 10, requestFields(consumerCtr.Hash, "withdraw", nil)), "signature is not by an active enclave key"},
		{"fields shorter than a requester", answer{id, 0, []byte("42"), 10, good.fields[:20], good.signature}, "fields must be the request's fields"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v.fulfilFail(t, c.answer, c.fault)
			require.EqualValues(t, statePending, v.requestState(t, id))
		})
	}
	require.EqualValues(t, 0, v.balance(t, v.owner.ScriptHash()))
	v.fulfil(t, good) // the genuine answer still goes through
}

func TestFulfilRejectsReplayForAnotherRequest(t *testing.T) {
	v := newEnv(t)
	first := v.request(t, input)
	second := v.request(t, input)
	a := v.sign(first, 0, []byte("42"), 10)
	v.fulfil(t, a)
	replay := a
	replay.id = second
	v.fulfilFail(t, replay, "signature is not by an active enclave key")
	require.EqualValues(t, statePending, v.requestState(t, second))
}

func TestFulfilRejectsSecondFulfilment(t *testing.T) {
	v := newEnv(t)
	id := v.request(t, input)
	a := v.sign(id, 0, []byte("42"), 10)
	v.fulfil(t, a)
	v.fulfilFail(t, a, "is already fulfilled")
	v.fulfilFail(t, v.sign(id, 0, []byte("different"), 10), "is already fulfilled")
	require.EqualValues(t, requestFee+gasForResponse, v.balance(t, v.owner.ScriptHash()), "paid once")
}

func TestFulfilRejectsUnknownRequest(t *testing.T) {
	v := newEnv(t)
	v.fulfilFail(t, v.sign(1, 0, []byte("42"), 10), "unknown request id 1")
	v.fulfilFail(t, v.sign(0, 0, []byte("42"), 10), "requestId must be positive")
}

func TestRevokedEnclaveCannotFulfil(t *testing.T) {
	v := newEnv(t)
	id := v.request(t, input)
	a := v.sign(id, 0, []byte("42"), 10)
	v.gw.Invoke(t, stackitem.Null{}, "revokeEnclave", v.enclave.PublicKey().Bytes())
	v.fulfilFail(t, a, "signature is not by an active enclave key")
	require.EqualValues(t, statePending, v.requestState(t, id))

	// A new enclave key takes over; the revoked one cannot be registered again.
	next, err := keys.NewPrivateKey()
	require.NoError(t, err)
	v.gw.Invoke(t, stackitem.Null{}, "registerEnclave", next.PublicKey().Bytes(), []byte("SIMULATED"), modeSimulated)
	v.gw.InvokeFail(t, "revoked keys cannot be registered again", "registerEnclave", v.enclave.PublicKey().Bytes(), []byte("SIMULATED"), modeSimulated)
	v.fulfil(t, signWith(next, uint32(v.e.Chain.GetConfig().Magic), v.gwHash, id, 0, []byte("42"), 10, v.fieldsOf(id)))
}

func TestFulfilAcceptsAnyActiveEnclave(t *testing.T) {
	v := newEnv(t)
	second, err := keys.NewPrivateKey()
	require.NoError(t, err)
	v.gw.Invoke(t, stackitem.Null{}, "registerEnclave", second.PublicKey().Bytes(), []byte("SIMULATED"), modeSimulated)
	id := v.request(t, input)
	h := v.fulfil(t, signWith(second, uint32(v.e.Chain.GetConfig().Magic), v.gwHash, id, 0, []byte("42"), 10, v.fieldsOf(id)))
	require.Equal(t, second.PublicKey().Bytes(), mustBytes(t, v.events(t, h)[0].Item.Value().([]stackitem.Item)[1]))
}

func TestPausedGatewayRefusesRequestsAndFulfilments(t *testing.T) {
	v := newEnv(t)
	id := v.request(t, input)
	v.gw.Invoke(t, stackitem.Null{}, "setPaused", true)
	v.consumer.InvokeFail(t, "gateway is paused", "request", functionID, []byte(input), jsGasLimit, gasForResponse)
	v.fulfilFail(t, v.sign(id, 0, []byte("42"), 10), "gateway is paused")
	v.gw.WithSigners(v.dev).InvokeFail(t, "only the gateway owner", "setPaused", false)
	v.gw.Invoke(t, stackitem.Null{}, "setPaused", false)
	v.fulfil(t, v.sign(id, 0, []byte("42"), 10))
}
