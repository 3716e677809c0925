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
// from 1). Runs do not use the requests' exactly-once bitmap: each subscription keeps a window
// of its answered runs in its state integer (below). The slot names the run:
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

// The exactly-once window in a subscription's state integer (subscriptions.go): runs do not use
// the requests' bitmap. A run's position is its slot, or for a schedule every N blocks its index
// on the grid ((slot - start) / N). The state keeps top = the newest answered position + 1 (0:
// none yet) and a mask of windowSize bits, bit k set when position top-1-k is answered. A run
// newer than top moves the window; one inside it is accepted once; one more than windowSize
// positions behind the newest answered is refused as too old (never answered twice; lost only
// if the service sent it that late, which its in-order submission prevents, docs/triggers.md).
// One state item instead of the state and a bitmap item: a storage read and write less per run.
const (
	windowSize = 64
	topShift   = 120 // bits 120..159: top (40 bits)
	maskShift  = 160 // bits 160..223: the window's mask
)

// runPosition is a run's position in its subscription's window (see windowSize).
func runPosition(slot, kind, start, every int) int {
	if kind == KindEveryBlocks {
		return (slot - start) / every
	}
	return slot
}

// windowAnswered says whether position pos is closed in state st: answered, or too old to be.
func windowAnswered(st, pos int) bool {
	top := neogointernal.Opcode2("SHR", st, topShift).(int) & (1<<40 - 1)
	if pos >= top {
		return false
	}
	d := top - 1 - pos
	if d >= windowSize {
		return true
	}
	return neogointernal.Opcode2("SHR", st, maskShift+d).(int)&1 != 0
}

// takeRun checks that run id is due, not answered yet, and its subscription can pay; if so it
// debits the run's fee and marks the run in the state in hand (runFee, runState) and returns "".
// Otherwise it returns why not, and nothing changes.
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
	pos := slot
	if kind == KindEveryBlocks {
		every := leUint(runRec, 37, 4)
		if (block-start)%every != 0 {
			return "run " + itoa(id) + " is not due: block " + itoa(block) + " is not a slot of every " +
				itoa(every) + " blocks from block " + itoa(start)
		}
		pos = (block - start) / every
	}
	// The window, written out (windowAnswered's reading, and the move).
	top := neogointernal.Opcode2("SHR", runState, topShift).(int) & (1<<40 - 1)
	mask := neogointernal.Opcode2("SHR", runState, maskShift).(int)
	if pos >= top {
		shift := pos + 1 - top
		if shift >= windowSize {
			mask = 1
		} else {
			mask = (neogointernal.Opcode2("SHL", mask, shift).(int) | 1) & (neogointernal.Opcode2("SHL", 1, windowSize).(int) - 1)
		}
		top = pos + 1
	} else {
		d := top - 1 - pos
		if d >= windowSize {
			return "run " + itoa(id) + " is too old: " + itoa(windowSize) +
				" or more runs behind the newest answered run of subscription " + itoa(sub)
		}
		bit := neogointernal.Opcode2("SHL", 1, d).(int)
		if mask&bit != 0 {
			return "run " + itoa(id) + " is already answered"
		}
		mask |= bit
	}
	flag := neogointernal.Opcode2("SHR", runState, 112).(int) & 0xff
	if flag == subCancelled {
		return "subscription " + itoa(sub) + " was cancelled"
	}
	if flag == subPaused {
		return "subscription " + itoa(sub) + " is paused"
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
		neogointernal.Opcode2("SHL", runs+1, 96).(int) + neogointernal.Opcode2("SHL", flag, 112).(int) +
		neogointernal.Opcode2("SHL", top, topShift).(int) + neogointernal.Opcode2("SHL", mask, maskShift).(int)
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

// runStateOf returns the state of a run as GetRequestState reports it: fulfilled when its
// position is closed in the subscription's window (answered, or too old to be answered), pending
// while its subscription takes answers (paused and exhausted included), cancelled when the
// subscription is, unknown when there is no such subscription.
func runStateOf(ctx storage.Context, id int) int {
	sub := (id >> slotBits) & subMask
	rec := getBytes(ctx, subKey(sub))
	if rec == nil {
		return StateUnknown
	}
	st := getInt(ctx, subStateKey(sub))
	slot := id & slotMask
	kind := int(rec[32])
	start := leUint(rec, 33, 4)
	block := slot
	if kind == KindEvent || kind == KindHTTP {
		block = slot >> 8
	}
	if block >= start && (kind != KindEveryBlocks || (block-start)%leUint(rec, 37, 4) == 0) &&
		windowAnswered(st, runPosition(slot, kind, start, leUint(rec, 37, 4))) {
		return StateFulfilled
	}
	if stateFlag(st) == subCancelled {
		return StateCancelled
	}
	return StatePending
}
