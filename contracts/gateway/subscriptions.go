package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/ledger"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/management"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/neogointernal"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// Subscriptions: a function that runs without being asked (docs/triggers.md, decision 0901).
//
// The owner of a function subscribes it to a trigger; the service runs it when the trigger
// fires and answers on chain the way it answers requests, in the same FulfilBatch, under the
// same signature, exactly once (each subscription's window of answered runs, runs.go). A run's answer calls
// target.method(runId, status, result, null); the run is paid from the subscription's prepaid
// budget when its answer is accepted.
//
// Storage per subscription, split by who reads it:
//   - prefixSub: the hot record a run reads, fixed layout (subRecord), rewritten only by update;
//   - prefixSubState: one integer a run reads and writes (budget, period, runs in it, state);
//   - prefixSubInfo: the serialized subscriptionInfo, read only by the owner's methods.

// Trigger kinds.
const (
	KindEveryBlocks = 1 // trigger: Integer N; a slot is every N-th block from the start block
	KindCron        = 2 // trigger: String, a 5-field cron expression in UTC on block time (the service evaluates it)
	KindEvent       = 3 // trigger: Array[Hash160 contract, String eventName, String filter JSON ("" = none)]
	KindHTTP        = 4 // trigger: null; a run starts with a call signed by the owner through the API
)

// Missed-slot policies: what the service does with slots that passed while it was away. The
// chain accepts any due slot once either way; the policy is the service's promise.
const (
	MissedEachOnce   = 0
	MissedLatestOnly = 1
)

// Subscription states (the top byte of the state integer).
const (
	subActive    = 0
	subPaused    = 1
	subCancelled = 2
)

// Limits of a subscription.
const (
	MaxSubscriptionID = 1<<22 - 1 // a run id carries the subscription id in 22 bits (runs.go)
	MaxCronSize       = 64        // bytes of a cron expression
	MaxEventNameSize  = 32        // bytes of an event name (Neo's manifest limit)
	MaxFilterSize     = 256       // bytes of an event filter (JSON)
	MaxMethodSize     = 32        // bytes of a target method name (as a callback)
)

// Defaults of the operator's trigger limits, while the owner has not set them.
const (
	defaultMinEveryBlocks   = 1
	defaultPeriodBlocks     = 240
	defaultMaxRunsPerPeriod = 240
)

// subRecord layout (prefixSub), what a run reads with one storage read and no deserialization:
//
//	0  32 commitment: sha256(target fields) = sha256(target (20) | len(method) (1) | method)
//	32  1 kind
//	33  4 startBlock, u32 LE: the block of the creating transaction; no slot before it
//	37  4 everyBlocks, u32 LE (KindEveryBlocks; 0 otherwise)
//	41  2 runsPerPeriod, u16 LE: the owner's cap on accepted runs per operator period
//	43  8 runFee, u64 LE: datoshi a run costs the budget (requestFee + gasForResponse at creation)
const subRecordSize = 51

// subscriptionInfo is what the owner's methods and getSubscription read.
type subscriptionInfo struct {
	Owner          interop.Hash160
	FunctionID     string
	Kind           int
	Trigger        any
	Target         interop.Hash160
	Method         string
	MissedPolicy   int
	GasForResponse int
}

// The state integer (prefixSubState): budget (bits 0..63, datoshi), the operator period of the
// last accepted run (bits 64..95), runs accepted in that period (bits 96..111), state (bits
// 112..119), and the exactly-once window of the answered runs (bits 120..223, runs.go). One
// integer, so a run reads and writes one small item (28 bytes at most).
func stateOf(budget, period, runs, st int) int {
	return budget + shl(period, 64) + shl(runs, 96) + shl(st, 112)
}

// stateWith is st with new budget, period, runs and state, and st's window.
func stateWith(st, budget, period, runs, flag int) int {
	return stateOf(budget, period, runs, flag) + shl(shr(st, topShift), topShift)
}

func stateBudget(s int) int { return s & (shl(1, 64) - 1) }
func statePeriod(s int) int { return shr(s, 64) & 0xffffffff }
func stateRuns(s int) int   { return shr(s, 96) & 0xffff }
func stateFlag(s int) int   { return shr(s, 112) & 0xff }

// shr is SHR on the VM's big integers (a Go int shift by 64 or more would not compile as meant).
func shr(n, bits int) int {
	return neogointernal.Opcode2("SHR", n, bits).(int)
}

func subKey(id int) []byte      { return cat(prefixSub, id) }
func subStateKey(id int) []byte { return cat(prefixSubState, id) }
func subInfoKey(id int) []byte  { return cat(prefixSubInfo, id) }

// targetFields is what a run's answer hands back and its commitment covers, in the layout of a
// request's fields without userData: target (20) | len(method) (1) | method.
func targetFields(target interop.Hash160, method string) []byte {
	return cat(cat(target, fixedLE(len(method), 1)), method)
}

// triggerParams: minEveryBlocks (bits 0..31), periodBlocks (32..63), maxRunsPerPeriod (64..95).
func getTriggerParams(ctx storage.Context) (int, int, int) {
	v := getInt(ctx, keyTriggerParams)
	if v == 0 {
		return defaultMinEveryBlocks, defaultPeriodBlocks, defaultMaxRunsPerPeriod
	}
	return v & 0xffffffff, shr(v, 32) & 0xffffffff, shr(v, 64) & 0xffffffff
}

// SetTriggerParameters sets the operator's limits: the fastest schedule accepted (every
// minEveryBlocks blocks), the length of the period runs are counted in (blocks) and the largest
// runs-per-period cap a subscription may ask for. Owner only. Existing subscriptions keep their
// schedule and cap; their runs are counted in the new period from the next answer on.
func SetTriggerParameters(minEveryBlocks, periodBlocks, maxRunsPerPeriod int) {
	if minEveryBlocks < 1 || minEveryBlocks > 0xffffffff {
		panic("minEveryBlocks must be 1..2^32-1")
	}
	if periodBlocks < 1 || periodBlocks > 0xffffffff {
		panic("periodBlocks must be 1..2^32-1")
	}
	if maxRunsPerPeriod < 1 || maxRunsPerPeriod > 0xffff {
		panic("maxRunsPerPeriod must be 1..65535")
	}
	ctx := storage.GetContext()
	checkOwner(ctx)
	storage.Put(ctx, keyTriggerParams, minEveryBlocks+shl(periodBlocks, 32)+shl(maxRunsPerPeriod, 64))
	runtime.Notify("TriggerParametersChanged", minEveryBlocks, periodBlocks, maxRunsPerPeriod)
}

// GetTriggerParameters returns [minEveryBlocks, periodBlocks, maxRunsPerPeriod].
func GetTriggerParameters() []any {
	a, b, c := getTriggerParams(storage.GetReadOnlyContext())
	return []any{a, b, c}
}

// checkTrigger faults unless trigger is a valid trigger of kind within the operator's limits.
func checkTrigger(ctx storage.Context, kind int, trigger any) {
	if kind == KindEveryBlocks {
		every := trigger.(int)
		minEvery, _, _ := getTriggerParams(ctx)
		if every < minEvery || every > 0xffffffff {
			panic("a schedule every " + itoa(every) + " blocks is faster than the operator's minimum of every " +
				itoa(minEvery) + " blocks (or over 2^32-1)")
		}
	} else if kind == KindCron {
		expr := trigger.(string)
		if len(expr) == 0 || len(expr) > MaxCronSize {
			panic("a cron expression must be 1.." + itoa(MaxCronSize) + " bytes")
		}
	} else if kind == KindEvent {
		ev := trigger.([]any)
		if len(ev) != 3 {
			panic("an event trigger must be [contract Hash160, eventName String, filter String]")
		}
		mustHash160(ev[0].(interop.Hash160), "event contract")
		name := ev[1].(string)
		if len(name) == 0 || len(name) > MaxEventNameSize {
			panic("event name must be 1.." + itoa(MaxEventNameSize) + " bytes")
		}
		if len(ev[2].(string)) > MaxFilterSize {
			panic("event filter must be at most " + itoa(MaxFilterSize) + " bytes")
		}
	} else if kind == KindHTTP {
		if trigger != nil {
			panic("an http trigger takes no trigger value (null)")
		}
	} else {
		panic("trigger kind must be 1 (every N blocks), 2 (cron), 3 (chain event) or 4 (http)")
	}
}

// checkTarget faults unless target is a contract with method(runId, status, result, userData).
func checkTarget(target interop.Hash160, method string) {
	mustHash160(target, "target")
	if len(method) == 0 || len(method) > MaxMethodSize || method[0] == '_' {
		panic("target method must be 1.." + itoa(MaxMethodSize) + " bytes and not start with '_'")
	}
	if !management.HasMethod(target, method, 4) {
		panic("the target must be a contract with method " + method + "(runId, status, result, userData)")
	}
}

// CreateSubscription subscribes functionId to a trigger. Only the function's owner may (its
// witness), and the owner becomes the subscription's owner. budget (datoshi) moves from the
// owner's prepaid balance into the subscription; each accepted run costs runFee = requestFee +
// gasForResponse as they are when the subscription is created. runsPerPeriod caps the runs
// accepted per operator period (1..maxRunsPerPeriod). missedPolicy is MissedEachOnce or
// MissedLatestOnly. Returns the subscription id.
func CreateSubscription(functionID string, kind int, trigger any, target interop.Hash160, method string,
	budget int, gasForResponse int, runsPerPeriod int, missedPolicy int) int {
	ctx := storage.GetContext()
	p := getRequestParams(ctx)
	if p.Paused {
		panic("gateway is paused: no new subscriptions until the owner resumes it")
	}
	f, ok := getFunction(ctx, functionID)
	if !ok {
		panic("unknown function: " + functionID)
	}
	if !runtime.CheckWitness(f.Owner) {
		panic("only the owner of function " + functionID + " may subscribe it to a trigger")
	}
	if !f.Enabled {
		panic("function " + functionID + " is disabled by its owner")
	}
	checkTrigger(ctx, kind, trigger)
	checkTarget(target, method)
	_, _, maxRuns := getTriggerParams(ctx)
	if runsPerPeriod < 1 || runsPerPeriod > maxRuns {
		panic("runsPerPeriod must be 1.." + itoa(maxRuns) + " (the operator's cap)")
	}
	if missedPolicy != MissedEachOnce && missedPolicy != MissedLatestOnly {
		panic("missedPolicy must be 0 (each once) or 1 (latest only)")
	}
	if gasForResponse < p.MinGasForResponse {
		panic("gasForResponse must be at least " + itoa(p.MinGasForResponse))
	}
	runFee := p.RequestFee + gasForResponse
	if budget < runFee {
		panic("budget must pay for at least one run (" + itoa(runFee) + " datoshi)")
	}
	balKey := balanceKey(f.Owner)
	balance := getInt(ctx, balKey)
	if balance < budget {
		panic("insufficient prepaid balance: have " + itoa(balance) + ", budget is " + itoa(budget) +
			"; deposit GAS to the gateway first")
	}
	storage.Put(ctx, balKey, balance-budget)

	id := getInt(ctx, keySubCounter) + 1
	if id > MaxSubscriptionID {
		panic("no more subscription ids")
	}
	storage.Put(ctx, keySubCounter, id)
	every := 0
	if kind == KindEveryBlocks {
		every = trigger.(int)
	}
	start := ledger.CurrentIndex() + 1 // the block of this transaction
	storage.Put(ctx, subKey(id), subRecordOf(sha256(targetFields(target, method)), kind, start, every, runsPerPeriod, runFee))
	storage.Put(ctx, subStateKey(id), stateOf(budget, 0, 0, subActive))
	storage.Put(ctx, subInfoKey(id), std.Serialize(subscriptionInfo{
		Owner: f.Owner, FunctionID: functionID, Kind: kind, Trigger: trigger, Target: target, Method: method,
		MissedPolicy: missedPolicy, GasForResponse: gasForResponse,
	}))
	runtime.Notify("SubscriptionCreated", id, functionID, f.Owner, kind, trigger, target, method,
		start, runFee, budget, runsPerPeriod, missedPolicy)
	return id
}

func subRecordOf(commitment []byte, kind, start, every, runsPerPeriod, runFee int) []byte {
	return cat(cat(cat(cat(cat(commitment, fixedLE(kind, 1)), fixedLE(start, 4)), fixedLE(every, 4)),
		fixedLE(runsPerPeriod, 2)), fixedLE(runFee, 8))
}

// ownedSubscription loads a subscription's info and faults unless its owner witnesses the
// transaction or it is cancelled.
func ownedSubscription(ctx storage.Context, id int) (subscriptionInfo, int) {
	raw := getBytes(ctx, subInfoKey(id))
	if raw == nil {
		panic("unknown subscription " + itoa(id))
	}
	info := std.Deserialize(raw).(subscriptionInfo)
	if !runtime.CheckWitness(info.Owner) {
		panic("only the owner of subscription " + itoa(id) + " may change it")
	}
	st := getInt(ctx, subStateKey(id))
	if stateFlag(st) == subCancelled {
		panic("subscription " + itoa(id) + " is cancelled")
	}
	return info, st
}

// UpdateSubscription changes where a subscription's answers go and its cap. The trigger, the
// function and the run fee stay: cancel and subscribe again to change them. Answers signed for
// the old target no longer verify (their commitment changed) and are refused.
func UpdateSubscription(id int, target interop.Hash160, method string, runsPerPeriod int) {
	ctx := storage.GetContext()
	info, _ := ownedSubscription(ctx, id)
	checkTarget(target, method)
	_, _, maxRuns := getTriggerParams(ctx)
	if runsPerPeriod < 1 || runsPerPeriod > maxRuns {
		panic("runsPerPeriod must be 1.." + itoa(maxRuns) + " (the operator's cap)")
	}
	rec := getBytes(ctx, subKey(id))
	storage.Put(ctx, subKey(id), subRecordOf(sha256(targetFields(target, method)), int(rec[32]),
		leUint(rec, 33, 4), leUint(rec, 37, 4), runsPerPeriod, leUint(rec, 43, 8)))
	info.Target = target
	info.Method = method
	storage.Put(ctx, subInfoKey(id), std.Serialize(info))
	runtime.Notify("SubscriptionUpdated", id, target, method, runsPerPeriod)
}

// PauseSubscription stops accepting answers to its runs until ResumeSubscription.
func PauseSubscription(id int) {
	setSubscriptionPaused(id, true)
}

// ResumeSubscription accepts answers again. Slots that passed while paused are due: the service
// runs them by the subscription's missed-slot policy.
func ResumeSubscription(id int) {
	setSubscriptionPaused(id, false)
}

func setSubscriptionPaused(id int, paused bool) {
	ctx := storage.GetContext()
	_, st := ownedSubscription(ctx, id)
	flag := subActive
	if paused {
		flag = subPaused
	}
	storage.Put(ctx, subStateKey(id), stateWith(st, stateBudget(st), statePeriod(st), stateRuns(st), flag))
	runtime.Notify("SubscriptionPaused", id, paused)
}

// CancelSubscription ends a subscription for good and refunds its unspent budget to the owner's
// prepaid balance (withdraw it with Withdraw). Answers to its runs are refused from then on.
func CancelSubscription(id int) {
	ctx := storage.GetContext()
	info, st := ownedSubscription(ctx, id)
	refund := stateBudget(st)
	storage.Put(ctx, subStateKey(id), stateWith(st, 0, statePeriod(st), stateRuns(st), subCancelled))
	credit(ctx, info.Owner, refund)
	runtime.Notify("SubscriptionCancelled", id, info.Owner, refund)
}

// FundSubscription moves amount of account's prepaid balance into a subscription's budget (the
// account must witness; anyone may fund any subscription). A subscription out of budget runs
// again from the next answer on.
func FundSubscription(account interop.Hash160, id int, amount int) {
	mustHash160(account, "account")
	if amount <= 0 {
		panic("amount must be positive")
	}
	if !runtime.CheckWitness(account) {
		panic("only the account itself may spend its balance")
	}
	ctx := storage.GetContext()
	if getBytes(ctx, subKey(id)) == nil {
		panic("unknown subscription " + itoa(id))
	}
	st := getInt(ctx, subStateKey(id))
	if stateFlag(st) == subCancelled {
		panic("subscription " + itoa(id) + " is cancelled")
	}
	key := balanceKey(account)
	balance := getInt(ctx, key)
	if balance < amount {
		panic("insufficient balance: have " + itoa(balance) + ", asked for " + itoa(amount))
	}
	storage.Put(ctx, key, balance-amount)
	budget := stateBudget(st) + amount
	storage.Put(ctx, subStateKey(id), stateWith(st, budget, statePeriod(st), stateRuns(st), stateFlag(st)))
	runtime.Notify("SubscriptionFunded", id, account, amount, budget)
}

// subscriptionStatus names a state as getSubscription reports it. "exhausted" is an active
// subscription whose budget no longer pays for a run.
func subscriptionStatus(st int, runFee int) string {
	flag := stateFlag(st)
	if flag == subCancelled {
		return "cancelled"
	}
	if flag == subPaused {
		return "paused"
	}
	if stateBudget(st) < runFee {
		return "exhausted"
	}
	return "active"
}

// GetSubscription returns [owner, functionId, kind, trigger, target, method, startBlock,
// everyBlocks, runsPerPeriod, runFee, budget, status, missedPolicy, gasForResponse,
// runsInPeriod, period], or null for an unknown id. status is "active", "paused", "exhausted"
// (budget below runFee) or "cancelled".
func GetSubscription(id int) any {
	ctx := storage.GetReadOnlyContext()
	raw := getBytes(ctx, subInfoKey(id))
	if raw == nil {
		return nil
	}
	info := std.Deserialize(raw).(subscriptionInfo)
	rec := getBytes(ctx, subKey(id))
	st := getInt(ctx, subStateKey(id))
	runFee := leUint(rec, 43, 8)
	return []any{info.Owner, info.FunctionID, info.Kind, info.Trigger, info.Target, info.Method,
		leUint(rec, 33, 4), leUint(rec, 37, 4), leUint(rec, 41, 2), runFee, stateBudget(st),
		subscriptionStatus(st, runFee), info.MissedPolicy, info.GasForResponse, stateRuns(st), statePeriod(st)}
}

// GetSubscriptionCount returns the last subscription id handed out (0 before the first).
func GetSubscriptionCount() int {
	return getInt(storage.GetReadOnlyContext(), keySubCounter)
}
