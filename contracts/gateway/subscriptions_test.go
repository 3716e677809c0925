package gateway_test

import (
	"math/big"
	"strings"
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/crypto/keys"
	"github.com/nspcc-dev/neo-go/pkg/neotest"
	"github.com/nspcc-dev/neo-go/pkg/util"
	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

const (
	kindEveryBlocks = 1
	kindCron        = 2
	kindEvent       = 3
	kindHTTP        = 4

	missedEachOnce   = 0
	missedLatestOnly = 1

	runFee = requestFee + gasForResponse // what a run costs its subscription's budget
)

// runID is the reference encoding of a run id (contracts/README.md, "Triggers"):
// 2^62 | subscriptionId << 40 | slot.
func runID(sub, slot int64) int64 {
	return 1<<62 | sub<<40 | slot
}

// eventSlot is the slot of the n-th matching event of a block.
func eventSlot(block uint32, n int64) int64 {
	return int64(block)<<8 | n
}

// sub is one subscription as a test made it.
type sub struct {
	id    int64
	start uint32 // block of the creating transaction
}

// subscribeWith makes the function's owner (dev) subscribe functionID to a trigger with the
// example consumer's onResult as target; dev pays the budget from its prepaid balance.
func (v *env) subscribeWith(t testing.TB, kind int, trigger any, budget int64, runsPerPeriod int) sub {
	if v.balance(t, v.dev.ScriptHash()) < budget {
		v.deposit(t, v.dev, v.dev.ScriptHash(), budget)
	}
	inv := v.e.NewInvoker(v.gwHash, v.dev)
	id := v.subscriptionCount(t) + 1
	h := inv.Invoke(t, id, "createSubscription", functionID, kind, trigger, consumerCtr.Hash, "onResult",
		budget, gasForResponse, runsPerPeriod, missedEachOnce)
	evs := v.events(t, h)
	require.Equal(t, "SubscriptionCreated", evs[len(evs)-1].Name)
	start := evs[len(evs)-1].Item.Value().([]stackitem.Item)[7].Value().(*big.Int).Int64()
	require.EqualValues(t, v.e.Chain.BlockHeight(), start, "a subscription starts at its own block")
	return sub{id: id, start: uint32(start)}
}

func (v *env) everyBlocks(t testing.TB, n int, budget int64) sub {
	return v.subscribeWith(t, kindEveryBlocks, n, budget, 240)
}

func (v *env) subscriptionCount(t testing.TB) int64 {
	st, err := v.gw.TestInvoke(t, "getSubscriptionCount")
	require.NoError(t, err)
	return st.Pop().BigInt().Int64()
}

// subscription returns getSubscription's array.
func (v *env) subscription(t testing.TB, id int64) []stackitem.Item {
	st, err := v.gw.TestInvoke(t, "getSubscription", id)
	require.NoError(t, err)
	return st.Pop().Item().Value().([]stackitem.Item)
}

func (v *env) subStatus(t testing.TB, id int64) string {
	return string(mustBytes(t, v.subscription(t, id)[11]))
}

func (v *env) subBudget(t testing.TB, id int64) int64 {
	return v.subscription(t, id)[10].Value().(*big.Int).Int64()
}

// targetFields are the example consumer's onResult as a run's fields: the fields of a request
// without userData.
func targetFields() []byte {
	return requestFields(consumerCtr.Hash, "onResult", nil)
}

// signRun is the enclave's answer to a run, as the service makes it.
func (v *env) signRun(id int64, result string) answer {
	return signWith(v.enclave, uint32(v.e.Chain.GetConfig().Magic), v.gwHash, id, 0, []byte(result), 1000, targetFields())
}

func (v *env) runAnswers(ids ...int64) []answer {
	out := make([]answer, len(ids))
	for i, id := range ids {
		out[i] = v.signRun(id, `{"price":42}`)
	}
	return out
}

// rejections returns the reasons of the FulfilmentRejected events of transaction h, in order.
func (v *env) rejections(t testing.TB, h util.Uint256) []string {
	var out []string
	for _, ev := range v.events(t, h) {
		if ev.Name == "FulfilmentRejected" {
			out = append(out, string(mustBytes(t, ev.Item.Value().([]stackitem.Item)[1])))
		}
	}
	return out
}

func (v *env) addBlocks(t testing.TB, n int) {
	for i := 0; i < n; i++ {
		v.e.AddNewBlock(t)
	}
}

func (v *env) devInvoker() *neotest.ContractInvoker {
	return v.e.NewInvoker(v.gwHash, v.dev)
}

func TestScheduleAnswersEachDueSlotExactlyOnce(t *testing.T) {
	v := newEnv(t)
	s := v.everyBlocks(t, 2, 10*runFee)
	v.addBlocks(t, 6)
	slots := []int64{runID(s.id, int64(s.start)), runID(s.id, int64(s.start+2)), runID(s.id, int64(s.start+4)),
		runID(s.id, int64(s.start+6))}
	fees := v.balance(t, v.owner.ScriptHash())

	h := v.fulfilBatch(t, v.runAnswers(slots...), 4)
	facts := fulfilledFacts(t, v.events(t, h))
	require.Len(t, facts, 4)
	for i, id := range slots {
		require.EqualValues(t, id, facts[i].id)
		require.EqualValues(t, stateFulfilled, v.requestState(t, id))
		require.Equal(t, `{"price":42}`, string(mustBytes(t, v.consumerAnswer(t, id).Value().([]stackitem.Item)[1])),
			"the target got the answer under the run id")
	}
	require.EqualValues(t, 6*runFee, v.subBudget(t, s.id), "4 runs debited from the budget")
	require.EqualValues(t, fees+4*runFee, v.balance(t, v.owner.ScriptHash()), "the fee recipient is paid per run")

	// The same answers again: every entry is skipped, nothing is paid twice.
	h = v.fulfilBatch(t, v.runAnswers(slots...), 0)
	require.Len(t, v.rejections(t, h), 4)
	require.Contains(t, v.rejections(t, h)[0], "is already answered")
	require.EqualValues(t, 6*runFee, v.subBudget(t, s.id))
	v.fulfilFail(t, v.signRun(slots[0], "again"), "is already answered")
}

func TestRunRefusedForASlotThatIsNotDue(t *testing.T) {
	v := newEnv(t)
	s := v.everyBlocks(t, 2, 10*runFee)
	v.addBlocks(t, 4)
	for name, c := range map[string]struct {
		slot   int64
		reason string
	}{
		"off the schedule's grid": {int64(s.start + 1), "is not a slot of every 2 blocks"},
		"a block not yet made":    {int64(s.start + 100), "is not due"},
		"before the subscription": {int64(s.start - 2), "is not due"},
	} {
		t.Run(name, func(t *testing.T) {
			v.fulfilFail(t, v.signRun(runID(s.id, c.slot), "x"), c.reason)
			h := v.fulfilBatch(t, v.runAnswers(runID(s.id, c.slot)), 0)
			require.Contains(t, v.rejections(t, h)[0], c.reason)
			require.EqualValues(t, statePending, v.requestState(t, runID(s.id, c.slot)))
		})
	}
	require.EqualValues(t, 10*runFee, v.subBudget(t, s.id), "nothing paid for refused runs")
}

func TestRunOfAnUnknownSubscriptionIsRefused(t *testing.T) {
	v := newEnv(t)
	v.fulfilFail(t, v.signRun(runID(7, 1), "x"), "unknown subscription 7")
	require.EqualValues(t, stateUnknown, v.requestState(t, runID(7, 1)))
}

func TestSubscriptionRefusals(t *testing.T) {
	v := newEnv(t)
	v.deposit(t, v.dev, v.dev.ScriptHash(), 10*runFee)
	v.deposit(t, v.app, v.app.ScriptHash(), 10*runFee)
	v.gw.Invoke(t, stackitem.Null{}, "setTriggerParameters", 5, 100, 50)
	dev := v.devInvoker()
	args := func(kind int, trigger any, runsPerPeriod int) []any {
		return []any{functionID, kind, trigger, consumerCtr.Hash, "onResult", 2 * runFee, gasForResponse, runsPerPeriod, missedEachOnce}
	}
	for name, c := range map[string]struct {
		inv    *neotest.ContractInvoker
		args   []any
		reason string
	}{
		"a schedule faster than the operator's minimum": {dev, args(kindEveryBlocks, 2, 10), "faster than the operator's minimum of every 5 blocks"},
		"a cap over the operator's":                     {dev, args(kindEveryBlocks, 5, 51), "runsPerPeriod must be 1..50"},
		"an event trigger over the operator's cap":      {dev, args(kindEvent, []any{consumerCtr.Hash, "Answer", ""}, 1000), "runsPerPeriod must be 1..50"},
		"someone other than the function's owner":       {v.e.NewInvoker(v.gwHash, v.app), args(kindEveryBlocks, 5, 10), "only the owner of function price-feed"},
		"an unknown kind":                               {dev, args(9, nil, 10), "trigger kind must be"},
		"an event trigger without a name":               {dev, args(kindEvent, []any{consumerCtr.Hash, "", ""}, 10), "event name must be"},
		"an event filter over 256 bytes":                {dev, args(kindEvent, []any{consumerCtr.Hash, "Answer", strings.Repeat("x", 257)}, 10), "event filter must be at most 256 bytes"},
		"a cron expression over 64 bytes":               {dev, args(kindCron, strings.Repeat("*", 65), 10), "cron expression must be"},
		"a target without the method":                   {dev, []any{functionID, kindEveryBlocks, 5, consumerCtr.Hash, "nope", 2 * runFee, gasForResponse, 10, 0}, "the target must be a contract with method nope"},
		"a budget that pays no run":                     {dev, []any{functionID, kindEveryBlocks, 5, consumerCtr.Hash, "onResult", runFee - 1, gasForResponse, 10, 0}, "budget must pay for at least one run"},
		"a budget over the owner's balance":             {dev, []any{functionID, kindEveryBlocks, 5, consumerCtr.Hash, "onResult", 100 * runFee, gasForResponse, 10, 0}, "insufficient prepaid balance"},
		"an unknown missed-slot policy":                 {dev, []any{functionID, kindEveryBlocks, 5, consumerCtr.Hash, "onResult", 2 * runFee, gasForResponse, 10, 2}, "missedPolicy must be"},
	} {
		t.Run(name, func(t *testing.T) {
			c.inv.InvokeFail(t, c.reason, "createSubscription", c.args...)
		})
	}
	require.EqualValues(t, 0, v.subscriptionCount(t))

	s := v.subscribeWith(t, kindEveryBlocks, 5, 2*runFee, 10)
	other := v.e.NewInvoker(v.gwHash, v.app)
	other.InvokeFail(t, "only the owner of subscription 1 may change it", "pauseSubscription", s.id)
	other.InvokeFail(t, "only the owner of subscription 1 may change it", "cancelSubscription", s.id)
	other.InvokeFail(t, "only the owner of subscription 1 may change it", "updateSubscription", s.id, consumerCtr.Hash, "onResult", 3)
}

func TestForgedOrReplayedRunAnswerIsRefused(t *testing.T) {
	v := newEnv(t)
	a := v.everyBlocks(t, 1, 10*runFee)
	b := v.everyBlocks(t, 1, 10*runFee)
	v.addBlocks(t, 2)
	slot := int64(b.start + 1)

	stranger, err := keys.NewPrivateKey()
	require.NoError(t, err)
	forged := signWith(stranger, uint32(v.e.Chain.GetConfig().Magic), v.gwHash, runID(a.id, slot), 0, []byte("1"), 1, targetFields())
	v.fulfilFail(t, forged, "not by an active enclave key")

	// An answer signed for subscription a's slot, sent as subscription b's.
	moved := v.signRun(runID(a.id, slot), "1")
	moved.id = runID(b.id, slot)
	v.fulfilFail(t, moved, "not by an active enclave key")

	// An answer that sends the result to another target than the subscription's.
	elsewhere := signWith(v.enclave, uint32(v.e.Chain.GetConfig().Magic), v.gwHash, runID(a.id, slot), 0, []byte("1"), 1,
		requestFields(consumerCtr.Hash, "onAnswer", nil))
	v.fulfilFail(t, elsewhere, "not by an active enclave key")

	// Signed for another gateway (the message binds the network and the deployment).
	other := signWith(v.enclave, uint32(v.e.Chain.GetConfig().Magic), util.Uint160{1, 2, 3}, runID(a.id, slot), 0, []byte("1"), 1, targetFields())
	v.fulfilFail(t, other, "not by an active enclave key")

	good := v.signRun(runID(a.id, slot), "1")
	v.fulfil(t, good)
	v.fulfilFail(t, good, "is already answered") // replayed
	require.EqualValues(t, 9*runFee, v.subBudget(t, a.id))
	require.EqualValues(t, 10*runFee, v.subBudget(t, b.id))
}

func TestBudgetRunsOutThenResumesAfterFunding(t *testing.T) {
	v := newEnv(t)
	s := v.everyBlocks(t, 1, 2*runFee)
	v.addBlocks(t, 3)
	first, second, third := runID(s.id, int64(s.start)), runID(s.id, int64(s.start+1)), runID(s.id, int64(s.start+2))

	v.fulfil(t, v.signRun(first, "1"))
	require.Equal(t, "active", v.subStatus(t, s.id))
	h := v.fulfil(t, v.signRun(second, "2"))
	require.Contains(t, eventNames(v.events(t, h)), "SubscriptionExhausted", "the run that spends the budget says so")
	require.Equal(t, "exhausted", v.subStatus(t, s.id))
	require.EqualValues(t, 0, v.subBudget(t, s.id))

	h = v.fulfilBatch(t, v.runAnswers(third), 0)
	require.Contains(t, v.rejections(t, h)[0], "is out of budget")
	require.EqualValues(t, statePending, v.requestState(t, third), "an unpaid run stays due")

	v.deposit(t, v.app, v.app.ScriptHash(), runFee)
	funder := v.e.NewInvoker(v.gwHash, v.app)
	funder.Invoke(t, stackitem.Null{}, "fundSubscription", v.app.ScriptHash(), s.id, runFee)
	require.Equal(t, "active", v.subStatus(t, s.id))
	v.fulfilBatch(t, v.runAnswers(third), 1)
	require.EqualValues(t, stateFulfilled, v.requestState(t, third))
	funder.InvokeFail(t, "insufficient balance", "fundSubscription", v.app.ScriptHash(), s.id, 1)
	v.devInvoker().InvokeFail(t, "only the account itself", "fundSubscription", v.app.ScriptHash(), s.id, 1)
}

func TestPauseResumeAndCancelWithRefund(t *testing.T) {
	v := newEnv(t)
	s := v.everyBlocks(t, 1, 5*runFee)
	v.addBlocks(t, 2)
	run := runID(s.id, int64(s.start+1))
	dev := v.devInvoker()

	dev.Invoke(t, stackitem.Null{}, "pauseSubscription", s.id)
	require.Equal(t, "paused", v.subStatus(t, s.id))
	v.fulfilFail(t, v.signRun(run, "1"), "subscription 1 is paused")
	require.EqualValues(t, statePending, v.requestState(t, run))

	dev.Invoke(t, stackitem.Null{}, "resumeSubscription", s.id)
	v.fulfil(t, v.signRun(run, "1"))
	require.EqualValues(t, 4*runFee, v.subBudget(t, s.id))

	before := v.balance(t, v.dev.ScriptHash())
	h := dev.Invoke(t, stackitem.Null{}, "cancelSubscription", s.id)
	require.Equal(t, []string{"SubscriptionCancelled"}, eventNames(v.events(t, h)))
	require.EqualValues(t, before+4*runFee, v.balance(t, v.dev.ScriptHash()), "the unspent budget goes back to the owner")
	require.Equal(t, "cancelled", v.subStatus(t, s.id))
	next := runID(s.id, int64(s.start))
	v.fulfilFail(t, v.signRun(next, "1"), "subscription 1 was cancelled")
	require.EqualValues(t, stateCancelled, v.requestState(t, next))
	dev.InvokeFail(t, "subscription 1 is cancelled", "resumeSubscription", s.id)
	dev.InvokeFail(t, "subscription 1 is cancelled", "cancelSubscription", s.id)
	require.EqualValues(t, before+4*runFee, v.balance(t, v.dev.ScriptHash()), "refunded once")
}

func TestRunsPerPeriodCap(t *testing.T) {
	v := newEnv(t)
	v.gw.Invoke(t, stackitem.Null{}, "setTriggerParameters", 1, 1000, 100)
	s := v.subscribeWith(t, kindEveryBlocks, 1, 10*runFee, 2)
	v.addBlocks(t, 3)
	ids := []int64{runID(s.id, int64(s.start)), runID(s.id, int64(s.start+1)), runID(s.id, int64(s.start+2))}
	h := v.fulfilBatch(t, v.runAnswers(ids...), 2)
	require.Contains(t, v.rejections(t, h)[0], "reached its cap of 2 runs in this period")
	require.EqualValues(t, 8*runFee, v.subBudget(t, s.id))
}

func TestUpdateMovesAnswersToTheNewTarget(t *testing.T) {
	v := newEnv(t)
	s := v.everyBlocks(t, 1, 5*runFee)
	h := v.deployHostile(t, hostileStore)
	v.addBlocks(t, 1)
	run := runID(s.id, int64(s.start))
	signedForOld := v.signRun(run, "1")
	v.devInvoker().Invoke(t, stackitem.Null{}, "updateSubscription", s.id, hostileCtr.Hash, "onResult", 10)
	v.fulfilFail(t, signedForOld, "not by an active enclave key")
	a := signWith(v.enclave, uint32(v.e.Chain.GetConfig().Magic), v.gwHash, run, 0, []byte("1"), 1,
		requestFields(hostileCtr.Hash, "onResult", nil))
	v.fulfil(t, a)
	require.EqualValues(t, run, hostileLast(t, h))
}

func TestEventTriggerRun(t *testing.T) {
	v := newEnv(t)
	s := v.subscribeWith(t, kindEvent, []any{consumerCtr.Hash, "Answer", `{"status":0}`}, 5*runFee, 10)
	info := v.subscription(t, s.id)
	ev := info[3].Value().([]stackitem.Item)
	require.Equal(t, "Answer", string(mustBytes(t, ev[1])))
	v.addBlocks(t, 1)
	height := v.e.Chain.BlockHeight()

	ids := []int64{runID(s.id, eventSlot(height, 0)), runID(s.id, eventSlot(height, 1))}
	v.fulfilBatch(t, v.runAnswers(ids...), 2)
	v.fulfilFail(t, v.signRun(runID(s.id, eventSlot(height+5, 0)), "x"), "is not due")
	v.fulfilFail(t, v.signRun(ids[1], "x"), "is already answered")
}

func TestRequestsAndRunsShareOneBatch(t *testing.T) {
	v := newEnv(t)
	s := v.everyBlocks(t, 1, 5*runFee)
	ids := v.exampleRequests(t, 2)
	answers := []answer{v.sign(ids[0], 0, []byte("a"), 1), v.signRun(runID(s.id, int64(s.start)), "b"), v.sign(ids[1], 0, []byte("c"), 1)}
	h := v.fulfilBatch(t, answers, 3)
	require.Len(t, fulfilledFacts(t, v.events(t, h)), 3)
	require.EqualValues(t, stateFulfilled, v.requestState(t, ids[0]))
	require.EqualValues(t, stateFulfilled, v.requestState(t, runID(s.id, int64(s.start))))
}

func TestContractBuildsTheReferenceRunMessage(t *testing.T) {
	v := newEnv(t)
	s := v.everyBlocks(t, 1, 5*runFee)
	a := v.signRun(runID(s.id, int64(s.start)), `{"price":42}`)
	st, err := v.gw.TestInvoke(t, "getFulfilmentMessage", a.id, a.status, a.result, a.gasUsed, a.fields)
	require.NoError(t, err)
	want := fulfilmentMessage(uint32(v.e.Chain.GetConfig().Magic), v.gwHash, uint64(a.id), 0, a.result, a.gasUsed, a.fields)
	require.Equal(t, want, mustBytes(t, st.Pop().Item()))
}
