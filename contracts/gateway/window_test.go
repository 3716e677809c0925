package gateway_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A subscription's runs are answered exactly once through the window in its state (runs.go):
// in any order inside the window, never twice, and refused once 64 or more runs behind the
// newest answered one.

func TestRunsAnsweredOutOfOrderInsideTheWindowAreEachAcceptedOnce(t *testing.T) {
	v := newEnv(t)
	s := v.everyBlocks(t, 2, 20*runFee)
	v.addBlocks(t, 12)
	slot := func(k int) int64 { return runID(s.id, int64(s.start)+2*int64(k)) }

	// The newest first, then older ones, then one in between: each accepted once.
	v.fulfilBatch(t, v.runAnswers(slot(5)), 1)
	v.fulfilBatch(t, v.runAnswers(slot(1), slot(0)), 2)
	v.fulfil(t, v.signRun(slot(3), `{"price":42}`))
	for _, k := range []int{0, 1, 3, 5} {
		require.EqualValues(t, stateFulfilled, v.requestState(t, slot(k)), "slot %d", k)
	}
	for _, k := range []int{2, 4, 6} {
		require.EqualValues(t, statePending, v.requestState(t, slot(k)), "slot %d is not answered", k)
	}

	// Replays, old and new, in a batch with a slot never answered: only that one is taken.
	h := v.fulfilBatch(t, v.runAnswers(slot(0), slot(5), slot(3), slot(2), slot(2)), 1)
	reasons := v.rejections(t, h)
	require.Len(t, reasons, 4)
	for _, r := range reasons {
		require.Contains(t, r, "is already answered")
	}
	v.fulfilFail(t, v.signRun(slot(1), "again"), "is already answered")
	require.EqualValues(t, 15*runFee, v.subBudget(t, s.id), "five runs paid, no replay")
}

func TestRunMoreThanTheWindowBehindTheNewestIsRefusedAsTooOld(t *testing.T) {
	v := newEnv(t)
	s := v.everyBlocks(t, 1, 10*runFee)
	v.addBlocks(t, 70)
	at := func(k int) int64 { return runID(s.id, int64(s.start)+int64(k)) }

	v.fulfilBatch(t, v.runAnswers(at(66)), 1)
	// 63 runs behind the newest: the window's last position (the newest is its first), still
	// accepted once; 64 behind is out.
	v.fulfilBatch(t, v.runAnswers(at(3)), 1)
	v.fulfilFail(t, v.signRun(at(2), "late"), "is too old: 64 or more runs behind the newest answered run")
	h := v.fulfilBatch(t, v.runAnswers(at(0), at(1)), 0)
	require.Len(t, v.rejections(t, h), 2)
	require.Contains(t, v.rejections(t, h)[0], "is too old")
	require.EqualValues(t, stateFulfilled, v.requestState(t, at(0)), "closed: it can no longer be answered")
	require.EqualValues(t, 8*runFee, v.subBudget(t, s.id), "refused runs are not paid")
}

func TestPauseFundAndResumeKeepTheWindow(t *testing.T) {
	v := newEnv(t)
	s := v.everyBlocks(t, 1, 3*runFee)
	v.addBlocks(t, 4)
	at := func(k int) int64 { return runID(s.id, int64(s.start)+int64(k)) }
	v.fulfilBatch(t, v.runAnswers(at(1), at(2)), 2)

	v.devInvoker().Invoke(t, nil, "pauseSubscription", s.id)
	v.deposit(t, v.dev, v.dev.ScriptHash(), 2*runFee)
	v.devInvoker().Invoke(t, nil, "fundSubscription", v.dev.ScriptHash(), s.id, 2*runFee)
	v.devInvoker().Invoke(t, nil, "resumeSubscription", s.id)

	h := v.fulfilBatch(t, v.runAnswers(at(1), at(2), at(3)), 1)
	require.Len(t, v.rejections(t, h), 2)
	require.Contains(t, v.rejections(t, h)[0], "is already answered")
	require.EqualValues(t, 2*runFee, v.subBudget(t, s.id))
}
