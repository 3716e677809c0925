package gateway_test

import (
	"fmt"
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/core/transaction"
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
		ids[i] = first + int64(i)
	}
	return ids
}

func (v *env) exampleRequests(t testing.TB, n int) []int64 {
	return v.requestMany(t, v.consumer, n, func(int) []any {
		return []any{functionID, []byte(input), jsGasLimit, gasForResponse}
	})
}

func batchArgs(answers []answer) []any {
	entries := make([]any, len(answers))
	for i, a := range answers {
		entries[i] = a.args()
	}
	return entries
}

func (v *env) fulfilBatch(t testing.TB, answers []answer, accepted int) util.Uint256 {
	return v.submitterInvoker().Invoke(t, accepted, "fulfilBatch", batchArgs(answers))
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
			require.Equal(t, n, countEvents(evs, "Fulfilled"))
			require.Equal(t, n, countEvents(evs, "Answer"))
			for i, id := range ids {
				require.EqualValues(t, stateFulfilled, v.requestState(t, id))
				require.Equal(t, stackitem.NewArray([]stackitem.Item{stackitem.Make(0), stackitem.Make(answers[i].result)}), v.consumerAnswer(t, id))
			}
			require.EqualValues(t, int64(n)*(requestFee+gasForResponse), v.balance(t, v.owner.ScriptHash()))
		})
	}
}

// A bad entry is skipped with a FulfilmentRejected event; the others are fulfilled and paid.
func TestFulfilBatchSkipsBadEntries(t *testing.T) {
	v := newEnv(t)
	ids := v.exampleRequests(t, 10)
	answers := make([]answer, 0, 13)
	for _, id := range ids {
		answers = append(answers, v.sign(id, 0, []byte("42"), 7))
	}
	forged := answers[3]
	forged.result = []byte("43")
	answers[3] = forged                                        // tampered: refused
	answers = append(answers, answers[5])                      // duplicate within the batch: refused
	answers = append(answers, v.sign(999, 0, []byte("42"), 7)) // unknown id: refused
	short := v.sign(ids[3], 0, []byte("42"), 7)
	short.signature = short.signature[:10]
	answers = append(answers, short) // malformed signature: refused cleanly, no fault

	h := v.fulfilBatch(t, answers, 9)
	evs := v.events(t, h)
	require.Equal(t, 9, countEvents(evs, "Fulfilled"))
	var reasons []string
	for _, ev := range evs {
		if ev.Name == "FulfilmentRejected" {
			reasons = append(reasons, string(mustBytes(t, ev.Item.Value().([]stackitem.Item)[1])))
		}
	}
	require.Equal(t, []string{
		fmt.Sprintf("request %d: signature is not by an active enclave key", ids[3]),
		fmt.Sprintf("request %d is already fulfilled", ids[5]),
		"unknown request id 999",
		fmt.Sprintf("request %d: signature must be 64 bytes (r||s)", ids[3]),
	}, reasons)
	require.EqualValues(t, statePending, v.requestState(t, ids[3]))
	require.EqualValues(t, 9*(requestFee+gasForResponse), v.balance(t, v.owner.ScriptHash()))
	v.fulfil(t, v.sign(ids[3], 0, []byte("43"), 7)) // the genuine answer for 3 still goes through
}

// An entry that is not a 5-element array is the submitter's bug: the whole batch faults.
func TestFulfilBatchFaultsOnMalformedEntry(t *testing.T) {
	v := newEnv(t)
	ids := v.exampleRequests(t, 2)
	good := v.sign(ids[0], 0, []byte("42"), 7)
	v.submitterInvoker().InvokeFail(t, "entry 1 must be [requestId, status, result, gasUsed, signature]",
		"fulfilBatch", []any{good.args(), []any{ids[1], 0, []byte("42"), 7}})
	require.EqualValues(t, statePending, v.requestState(t, ids[0]))
}
