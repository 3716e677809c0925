package gateway_test

import (
	"fmt"
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/core/native/nativenames"
	"github.com/nspcc-dev/neo-go/pkg/core/state"
	"github.com/nspcc-dev/neo-go/pkg/core/transaction"
	"github.com/nspcc-dev/neo-go/pkg/crypto/keys"
	"github.com/nspcc-dev/neo-go/pkg/neotest"
	"github.com/nspcc-dev/neo-go/pkg/util"
	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

// requestMany makes n requests through inv (a consumer invoker) in one block and returns ids.
func (v *env) requestMany(t testing.TB, inv *neotest.ContractInvoker, n int, args func(i int) []any) []int64 {
	first := v.lastRequestID(t) + 1
	txs := make([]*transaction.Transaction, n)
	for i := range txs {
		// The test invocation runs against the state before the block; requests after the first
		// in a block cost a little more (the counter exists), so leave a margin.
		estimate := inv.PrepareInvoke(t, "request", args(i)...).SystemFee
		txs[i] = inv.PrepareInvokeNoSign(t, "request", args(i)...)
		inv.SignTx(t, txs[i], estimate+1_000_000, inv.Signers...)
	}
	v.e.AddNewBlock(t, txs...)
	ids := make([]int64, n)
	for i, tx := range txs {
		v.e.CheckHalt(t, tx.Hash())
		v.noteRequests(t, tx.Hash())
		ids[i] = first + int64(i)
	}
	return ids
}

func (v *env) exampleRequests(t testing.TB, n int) []int64 {
	return v.requestMany(t, v.consumer, n, func(int) []any {
		return []any{functionID, []byte(input), jsGasLimit, gasForResponse}
	})
}

// batchArgs is fulfilBatch's entries array: [requestId, status, result, gasUsed, fields] each.
func batchArgs(answers []answer) []any {
	entries := make([]any, len(answers))
	for i, a := range answers {
		entries[i] = []any{a.id, a.status, a.result, a.gasUsed, a.fields}
	}
	return entries
}

// fulfilBatch sends answers under the enclave's batch signature and expects `accepted` of them
// to be accepted.
func (v *env) fulfilBatch(t testing.TB, answers []answer, accepted int) util.Uint256 {
	return v.submitterInvoker().Invoke(t, accepted, "fulfilBatch", batchArgs(answers), v.signBatch(answers))
}

func (v *env) fulfilBatchSigned(t testing.TB, answers []answer, signature []byte, accepted int) util.Uint256 {
	return v.submitterInvoker().Invoke(t, accepted, "fulfilBatch", batchArgs(answers), signature)
}

func (v *env) fulfilBatchFail(t testing.TB, answers []answer, signature []byte, message string) {
	v.submitterInvoker().InvokeFail(t, message, "fulfilBatch", batchArgs(answers), signature)
}

func TestFulfilBatchFulfilsEveryEntry(t *testing.T) {
	for _, n := range []int{1, 10, 100} {
		t.Run(fmt.Sprintf("batch of %d", n), func(t *testing.T) {
			v := newEnv(t)
			ids := v.exampleRequests(t, n)
			answers := make([]answer, n)
			for i, id := range ids {
				answers[i] = v.sign(id, 0, []byte(fmt.Sprintf(`{"price":%d}`, i)), int64(1000+i))
			}
			h := v.fulfilBatch(t, answers, n)
			evs := v.events(t, h)
			require.Equal(t, n, len(fulfilledFacts(t, evs)))
			require.Equal(t, n, countEvents(evs, "Answer"))
			for i, id := range ids {
				require.EqualValues(t, stateFulfilled, v.requestState(t, id))
				require.Equal(t, stackitem.NewArray([]stackitem.Item{stackitem.Make(0), stackitem.Make(answers[i].result)}), v.consumerAnswer(t, id))
			}
			require.EqualValues(t, int64(n)*(requestFee+gasForResponse), v.balance(t, v.owner.ScriptHash()))
		})
	}
}

func rejectedReasons(t testing.TB, evs []state.NotificationEvent) []string {
	var reasons []string
	for _, ev := range evs {
		if ev.Name == "FulfilmentRejected" {
			reasons = append(reasons, string(mustBytes(t, ev.Item.Value().([]stackitem.Item)[1])))
		}
	}
	return reasons
}

// The signature covers the whole list, so an entry that is genuine but no longer pending
// (fulfilled earlier, fulfilled earlier in the same batch, cancelled, unknown) cannot have been
// tampered with: it is skipped with a FulfilmentRejected event and the rest are fulfilled and paid.
func TestFulfilBatchSkipsEntriesNoLongerPending(t *testing.T) {
	v := newEnv(t)
	ids := v.exampleRequests(t, 6)
	answers := make([]answer, 0, 8)
	for _, id := range ids {
		answers = append(answers, v.sign(id, 0, []byte("42"), 7))
	}
	v.fulfil(t, answers[2])                                    // fulfilled before the batch lands
	answers = append(answers, answers[4])                      // duplicate within the batch
	answers = append(answers, v.sign(999, 0, []byte("42"), 7)) // unknown id

	h := v.fulfilBatch(t, answers, 5)
	evs := v.events(t, h)
	require.Equal(t, 5, len(fulfilledFacts(t, evs)))
	require.Equal(t, []string{
		fmt.Sprintf("request %d is already fulfilled", ids[2]),
		fmt.Sprintf("request %d is already fulfilled", ids[4]),
		"unknown request id 999",
	}, rejectedReasons(t, evs))
	for _, id := range ids {
		require.EqualValues(t, stateFulfilled, v.requestState(t, id))
	}
	require.EqualValues(t, 6*(requestFee+gasForResponse), v.balance(t, v.owner.ScriptHash()), "each request paid once")
}

// A cancelled request in a batch is skipped too, and its refund stands.
func TestFulfilBatchSkipsCancelledRequest(t *testing.T) {
	v := newEnv(t)
	ids := v.exampleRequests(t, 2)
	for i := 0; i < expiryBlocks; i++ {
		v.e.AddNewBlock(t)
	}
	v.consumer.Invoke(t, stackitem.Null{}, "cancel", ids[0])
	answers := []answer{v.sign(ids[0], 0, []byte("42"), 7), v.sign(ids[1], 0, []byte("42"), 7)}
	h := v.fulfilBatch(t, answers, 1)
	require.Equal(t, []string{fmt.Sprintf("request %d was cancelled", ids[0])}, rejectedReasons(t, v.events(t, h)))
	require.EqualValues(t, stateCancelled, v.requestState(t, ids[0]))
	require.EqualValues(t, stateFulfilled, v.requestState(t, ids[1]))
}

// Any change to what the enclave signed breaks the one signature: the whole batch is refused and
// nothing is written, not even the untouched entries.
func TestFulfilBatchRefusesTheWholeBatchWhenAnEntryIsTampered(t *testing.T) {
	v := newEnv(t)
	ids := v.exampleRequests(t, 4)
	signed := make([]answer, len(ids))
	for i, id := range ids {
		signed[i] = v.sign(id, 0, []byte(fmt.Sprintf(`{"price":%d}`, i)), int64(100+i))
	}
	sig := v.signBatch(signed)
	cases := []struct {
		name   string
		tamper func([]answer) []answer
	}{
		{"status", func(a []answer) []answer { a[1].status = 1; return a }},
		{"result", func(a []answer) []answer { a[1].result = []byte(`{"price":43}`); return a }},
		{"gasUsed", func(a []answer) []answer { a[1].gasUsed++; return a }},
		{"requestId", func(a []answer) []answer { a[1].id = ids[3]; a[3].id = ids[1]; return a }},
		{"entry dropped", func(a []answer) []answer { return a[:3] }},
		{"entry added", func(a []answer) []answer { return append(a, v.sign(999, 0, nil, 0)) }},
		{"entries reordered", func(a []answer) []answer { a[0], a[1] = a[1], a[0]; return a }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			answers := c.tamper(append([]answer(nil), signed...))
			v.fulfilBatchFail(t, answers, sig, "batch signature is not by an active enclave key")
			for _, id := range ids {
				require.EqualValues(t, statePending, v.requestState(t, id))
			}
		})
	}
	v.fulfilBatchSigned(t, signed, sig, 4) // the genuine batch still goes through
}

// A signature by a key the gateway does not know, or random bytes, refuses the batch.
func TestFulfilBatchRejectsForgedSignature(t *testing.T) {
	v := newEnv(t)
	ids := v.exampleRequests(t, 2)
	answers := []answer{v.sign(ids[0], 0, []byte("42"), 7), v.sign(ids[1], 0, []byte("42"), 7)}
	stranger, err := keys.NewPrivateKey()
	require.NoError(t, err)
	forged := stranger.Sign(batchMessage(uint32(v.e.Chain.GetConfig().Magic), v.gwHash, answers))
	v.fulfilBatchFail(t, answers, forged, "batch signature is not by an active enclave key")
	random := make([]byte, 64)
	random[0] = 1
	v.fulfilBatchFail(t, answers, random, "batch signature is not by an active enclave key")
}

// A revoked key's batch signature is refused like any stranger's.
func TestRevokedEnclaveCannotFulfilBatch(t *testing.T) {
	v := newEnv(t)
	ids := v.exampleRequests(t, 2)
	answers := []answer{v.sign(ids[0], 0, []byte("42"), 7), v.sign(ids[1], 0, []byte("42"), 7)}
	sig := v.signBatch(answers)
	v.gw.Invoke(t, stackitem.Null{}, "revokeEnclave", v.enclave.PublicKey().Bytes())
	v.fulfilBatchFail(t, answers, sig, "batch signature is not by an active enclave key")
}

// Signatures over single answers can't be stitched into a batch: the batch needs the
// enclave's signature over the whole list.
func TestFulfilBatchRejectsPerEntrySignatures(t *testing.T) {
	v := newEnv(t)
	ids := v.exampleRequests(t, 2)
	answers := []answer{v.sign(ids[0], 0, []byte("42"), 7), v.sign(ids[1], 0, []byte("42"), 7)}
	v.fulfilBatchFail(t, answers, answers[0].signature, "batch signature is not by an active enclave key")
	v.fulfilBatchFail(t, answers, answers[1].signature, "batch signature is not by an active enclave key")
}

// A batch of one signs exactly the single fulfilment's message, so the same signature serves
// either method (and fulfils once).
func TestBatchOfOneSignsTheSingleMessage(t *testing.T) {
	v := newEnv(t)
	ids := v.exampleRequests(t, 2)
	a := v.sign(ids[0], 0, []byte("42"), 7)
	require.Equal(t, a.signature, v.signBatch([]answer{a}), "deterministic signatures over the same bytes")
	v.fulfilBatchSigned(t, []answer{a}, a.signature, 1)
	v.fulfilFail(t, a, "already fulfilled")

	b := v.sign(ids[1], 0, []byte("42"), 7)
	v.fulfil(t, b)
	v.fulfilBatchSigned(t, []answer{b}, v.signBatch([]answer{b}), 0)
}

// Malformed input is the submitter's bug: the whole batch faults with the reason, before the
// signature is even checked, and nothing is written.
func TestFulfilBatchFaultsOnMalformedInput(t *testing.T) {
	v := newEnv(t)
	ids := v.exampleRequests(t, 2)
	good := v.sign(ids[0], 0, []byte("42"), 7)
	sig := v.signBatch([]answer{good, v.sign(ids[1], 0, []byte("42"), 7)})
	inv := v.submitterInvoker()
	row := func(a answer) []any { return []any{a.id, a.status, a.result, a.gasUsed, a.fields} }
	f := good.fields
	cases := []struct {
		name    string
		entries []any
		sig     []byte
		message string
	}{
		{"entry of the old 4-field form", []any{row(good), []any{ids[1], 0, []byte("42"), 7}}, sig, "entry 1 must be [requestId, status, result, gasUsed, fields]"},
		{"status over 255", []any{row(good), []any{ids[1], 256, []byte("42"), 7, f}}, sig, "status must be 0..255"},
		{"negative gasUsed", []any{row(good), []any{ids[1], 0, []byte("42"), -1, f}}, sig, "gasUsed must be a non-negative int64"},
		{"result over the limit", []any{row(good), []any{ids[1], 0, make([]byte, 4097), 7, f}}, sig, "result is over 4096 bytes"},
		{"zero request id", []any{row(good), []any{0, 0, []byte("42"), 7, f}}, sig, "requestId must be positive"},
		{"fields without a requester", []any{row(good), []any{ids[1], 0, []byte("42"), 7, f[:20]}}, sig, "fields must be the request's fields"},
		{"fields over the limit", []any{row(good), []any{ids[1], 0, []byte("42"), 7, make([]byte, 833)}}, sig, "fields must be the request's fields"},
		{"short signature", []any{row(good)}, sig[:63], "signature must be 64 bytes (r||s)"},
		{"long signature", []any{row(good)}, append(append([]byte(nil), sig...), 0), "signature must be 64 bytes (r||s)"},
		{"empty batch", []any{}, sig, "batch is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv.InvokeFail(t, c.message, "fulfilBatch", c.entries, c.sig)
			require.EqualValues(t, statePending, v.requestState(t, ids[0]))
		})
	}
}

// A batch larger than the gateway allows is refused with a reason rather than a VM size fault.
func TestFulfilBatchRefusesOversizeBatch(t *testing.T) {
	v := newEnv(t)
	entries := make([]any, 257)
	for i := range entries {
		entries[i] = []any{i + 1, 0, []byte{}, 0}
	}
	v.submitterInvoker().InvokeFail(t, "batch is over 256 entries", "fulfilBatch", entries, make([]byte, 64))
}

// The largest batch the gateway allows fits NeoVM's limits, callbacks included.
func TestFulfilBatchOfMaxSizeFits(t *testing.T) {
	v := newEnv(t)
	gas := v.e.NewInvoker(v.e.NativeHash(t, nativenames.Gas), v.e.Validator)
	gas.Invoke(t, true, "transfer", v.e.Validator.ScriptHash(), v.app.ScriptHash(), int64(200_0000_0000), nil)
	v.deposit(t, v.app, consumerCtr.Hash, depositAmount*2)
	ids := append(v.exampleRequests(t, 128), v.exampleRequests(t, 128)...) // one block can't hold the sender's fees for 256
	answers := make([]answer, len(ids))
	for i, id := range ids {
		answers[i] = v.sign(id, 0, []byte(`{"price":42}`), 1000)
	}
	v.fulfilBatch(t, answers, 256)
}
