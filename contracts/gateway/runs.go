package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop/native/ledger"
	"github.com/nspcc-dev/neo-go/pkg/interop/neogointernal"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// Runs: the answers to a subscription's runs travel in FulfilBatch beside request answers, as
// entries [runId, status, result, gasUsed, fields] signed in the same message (fulfilment.go).
//
// A run id is 2^62 | subscriptionId << 40 | slot, so it can never be a request id (a counter
// from 1) and the two share the exactly-once bitmap (prefixDone, bit id & 127 of item id >> 7)
// without colliding. The slot names the run:
//   - a schedule (every N blocks, cron): the block index of the slot;
//   - a chain event or an http call: block index << 8 | n, n the event's position among the
//     subscription's matching events of that block (at most 256 per block and subscription).
//
// The fields of a run are its subscription's target fields (target | len(method) | method) and
// the commitment the signature binds is the subscription's, so a run's answer goes to the
// target its owner chose, or does not verify.
const (
	runFlag  = 1 << 62
	slotBits = 40
	slotMask = 1<<40 - 1
	subMask  = 1<<22 - 1
)

// The subscription in hand during one FulfilBatch: consecutive runs of one subscription read
// and write its state once. Package variables because the compiler has no closures; static
// slots are fresh for every contract call.
var (
	runSub     int    // subscription in hand (0: none)
	runRec     []byte // its hot record, nil when unknown
	runState   int    // its state integer, as changed by the runs taken so far
	runDirty   bool   // runState differs from storage
	runFee     int    // the fee of the run takeRun accepted last
	runNowRead bool   // runNow and runPeriod are read (once per transaction, when a run comes)
	runNow     int    // Ledger.currentIndex: the last block; the transaction runs in the next
	runPeriod  int    // runNow / periodBlocks
)

// isRunID says whether an answer's id names a run rather than a request.
func isRunID(id int) bool {
	return id >= runFlag
}

// takeRun checks that run id is due and its subscription can pay, and if so debits the run's
// fee in hand (runFee) and returns "". Otherwise it returns why not, and nothing changes. The
// caller has checked the exactly-once bit.
func takeRun(ctx storage.Context, id int) string {
	sub := (id >> slotBits) & subMask
	if sub != runSub {
		flushRun(ctx)
		runSub = sub
		runRec = neogointernal.Syscall2(getSyscall, ctx, neogointernal.Opcode2("CAT", prefixSub, sub)).([]byte)
		runState = getInt(ctx, neogointernal.Opcode2("CAT", prefixSubState, sub))
	}
	if runRec == nil {
		return "unknown subscription " + itoa(sub)
	}
	flag := neogointernal.Opcode2("SHR", runState, 112).(int)
	if flag == subCancelled {
		return "subscription " + itoa(sub) + " was cancelled"
	}
	if flag == subPaused {
		return "subscription " + itoa(sub) + " is paused"
	}
	if !runNowRead {
		runNow = ledger.CurrentIndex()
		_, periodBlocks, _ := getTriggerParams(ctx)
		runPeriod = runNow / periodBlocks
		runNowRead = true
	}
	slot := id & slotMask
	kind := int(runRec[32])
	block := slot
	if kind == KindEvent || kind == KindHTTP {
		block = slot >> 8
	}
	start := int(runRec[33]) + neogointernal.Opcode2("SHL", int(runRec[34]), 8).(int) +
		neogointernal.Opcode2("SHL", int(runRec[35]), 16).(int) + neogointernal.Opcode2("SHL", int(runRec[36]), 24).(int)
	if block < start || block > runNow {
		return "run " + itoa(id) + " is not due: its block " + itoa(block) + " is not in " +
			itoa(start) + ".." + itoa(runNow) + " (subscription start .. last block)"
	}
	if kind == KindEveryBlocks {
		every := leUint(runRec, 37, 4)
		if (block-start)%every != 0 {
			return "run " + itoa(id) + " is not due: block " + itoa(block) + " is not a slot of every " +
				itoa(every) + " blocks from block " + itoa(start)
		}
	}
	// The state integer's fields and the record's, written out: a helper call costs CALL,
	// INITSLOT and RET, and takeRun runs once per answer.
	runs := neogointernal.Opcode2("SHR", runState, 96).(int) & 0xffff
	if neogointernal.Opcode2("SHR", runState, 64).(int)&0xffffffff != runPeriod {
		runs = 0
	}
	limit := int(runRec[41]) + neogointernal.Opcode2("SHL", int(runRec[42]), 8).(int)
	if runs >= limit {
		return "subscription " + itoa(sub) + " reached its cap of " + itoa(limit) + " runs in this period"
	}
	fee := leUint(runRec, 43, 8)
	budget := runState & (neogointernal.Opcode2("SHL", 1, 64).(int) - 1)
	if budget < fee {
		return "subscription " + itoa(sub) + " is out of budget (" + itoa(budget) + " datoshi, a run costs " +
			itoa(fee) + "); fund it to resume"
	}
	budget -= fee
	runState = budget + neogointernal.Opcode2("SHL", runPeriod, 64).(int) +
		neogointernal.Opcode2("SHL", runs+1, 96).(int) + neogointernal.Opcode2("SHL", flag, 112).(int)
	runDirty = true
	runFee = fee
	if budget < fee {
		runtime.Notify("SubscriptionExhausted", sub, budget)
	}
	return ""
}

// flushRun writes the state of the subscription in hand if runs changed it.
func flushRun(ctx storage.Context) {
	if runDirty {
		storage.Put(ctx, subStateKey(runSub), runState)
		runDirty = false
	}
}

// runCommitment is the commitment a message binds for run id: its subscription's, or, when the
// subscription is unknown, the sha256 of the fields handed back (what an enclave signs).
func runCommitment(ctx storage.Context, id int, fields []byte) []byte {
	rec := getBytes(ctx, subKey((id>>slotBits)&subMask))
	if rec == nil {
		return sha256(fields)
	}
	return neogointernal.Opcode2("LEFT", rec, commitmentSize).([]byte)
}

// runStateOf returns the state of a run as GetRequestState reports it: fulfilled when answered,
// pending while its subscription takes answers (paused and exhausted included), cancelled when
// the subscription is, unknown when there is no such subscription.
func runStateOf(ctx storage.Context, id int, done bool) int {
	if done {
		return StateFulfilled
	}
	sub := (id >> slotBits) & subMask
	if getBytes(ctx, subKey(sub)) == nil {
		return StateUnknown
	}
	if stateFlag(getInt(ctx, subStateKey(sub))) == subCancelled {
		return StateCancelled
	}
	return StatePending
}
