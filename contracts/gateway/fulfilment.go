package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/contract"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/crypto"
	"github.com/nspcc-dev/neo-go/pkg/interop/neogointernal"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// callbackFlags: a consumer needs all four flags to do anything useful with an answer. NeoVM
// requires AllowCall even for calls to native contracts (StdLib, CryptoLib), so a callback
// without it faults uncatchably as soon as it serializes anything ("invalid call flags", found
// by TestRequestFulfilCallbackHappyPath). The native Oracle calls back with All too. Re-entry is
// harmless because the request is marked fulfilled before the callback runs, and the callback
// gets no witness of the fulfiller as long as the service signs with scope None (README).
const callbackFlags = contract.All

// Set by invokeCallback; the neo-go compiler has no closures, so the deferred recover reports
// through package variables (static slots, fresh for every contract call).
var (
	callbackDone  bool
	callbackFault any
)

// messagePrefix is the part of every fulfilment message that binds the network and this
// deployment: networkMagic (uint32 LE) || gateway script hash (20 bytes, as the VM gives it).
func messagePrefix() []byte {
	return cat(fixedLE(runtime.GetNetwork(), 4), runtime.GetExecutingScriptHash())
}

// entryHead is the fixed-width head of one answer's part of a signed message: requestId (u64
// LE) || status (1 byte) || gasUsed (u64 LE) || len(result) (u16 LE) || len(fields) (u16 LE),
// built as one integer so that it costs one LEFT. The entry goes on with result || fields ||
// commitment (see appendEntry).
func entryHead(requestID, status int, result, fields []byte, gasUsed int) []byte {
	v := requestID + shl(status, 64) + shl(gasUsed, 72) + shl(len(result), 136) + shl(len(fields), 152)
	return fixedLE(v, headSize)
}

// appendEntry appends one answer to a message: head || result || fields || commitment. The
// enclave signs prefix || entry_1 || ... || entry_n; a single fulfilment is a batch of one.
//
// The commitment is the one the gateway stored at request time, and the enclave signs the
// sha256 of the fields it hands back. The signature therefore verifies only when the fields in
// the entry are the ones the request committed to: the gateway checks them against the
// commitment without a sha256 per answer (a native call, 0.0197 GAS). The result goes in whole
// for the same reason: CryptoLib's verify hashes the whole message at a fixed price. The length
// fields make the encoding unambiguous (entries can't be re-cut).
func appendEntry(msg, head, result, fields, commitment []byte) []byte {
	return cat(cat(cat(cat(msg, head), result), fields), commitment)
}

// The Fulfilled event carries the heads of the accepted entries (requestId, status, gasUsed and
// the two lengths: headSize bytes each), at most factsPerEvent per event.
const (
	headSize      = 21
	factsPerEvent = 40
)

func shl(n, bits int) int {
	return neogointernal.Opcode2("SHL", n, bits).(int)
}

// storedCommitment is the commitment a message binds for requestId: the stored one, or, for a
// request the gateway holds no record of (unknown, cancelled), the sha256 of the fields handed
// back, which is what an enclave signs for them.
func storedCommitment(rec, fields []byte) []byte {
	if len(rec) == recordSize {
		return neogointernal.Opcode2("LEFT", rec, commitmentSize).([]byte)
	}
	return sha256(fields)
}

// GetFulfilmentMessage returns the exact bytes an enclave must sign to fulfil requestId with
// this status, result and gasUsed, handing back fields (the Request event's), on this network
// and this gateway (alone, or as a batch of one). Read-only; the service can compare it with its
// own encoding.
func GetFulfilmentMessage(requestID, status int, result []byte, gasUsed int, fields []byte) []byte {
	return GetBatchFulfilmentMessage([]entry{{requestID, status, result, gasUsed, fields}})
}

// GetBatchFulfilmentMessage returns the exact bytes an enclave must sign to fulfil these
// entries ([requestId, status, result, gasUsed, fields] each) in one FulfilBatch on this network
// and this gateway. Read-only; the service can compare it with its own encoding.
func GetBatchFulfilmentMessage(entries []entry) []byte {
	ctx := storage.GetReadOnlyContext()
	msg := messagePrefix()
	for i := 0; i < len(entries); i++ {
		e := entries[i]
		checkEntry(i, e)
		var commitment []byte
		if isRunID(e.RequestID) {
			commitment = runCommitment(ctx, e.RequestID, e.Fields)
		} else {
			commitment = storedCommitment(getBytes(ctx, requestKey(e.RequestID)), e.Fields)
		}
		msg = appendEntry(msg, entryHead(e.RequestID, e.Status, e.Result, e.Fields, e.GasUsed),
			e.Result, e.Fields, commitment)
	}
	return msg
}

// Fulfil accepts one signed answer; fields are the request's fields as its Request event carried
// them. It faults with a reason unless the signature is by an active enclave key over this
// answer and the request is still pending. The request is marked fulfilled before the consumer is
// called back; a callback that throws does not undo it.
func Fulfil(requestID, status int, result []byte, gasUsed int, fields []byte, signature interop.Signature) {
	fulfil([]entry{{requestID, status, result, gasUsed, fields}}, signature, true)
}

// FulfilBatch accepts many answers under ONE enclave signature. entries is an array of
// [requestId Integer, status Integer, result ByteArray, gasUsed Integer, fields ByteArray];
// signature is the enclave's over prefix || entry_1 || ... || entry_n (see appendEntry; a batch
// of one signs exactly what Fulfil checks). CryptoLib hashes the whole message in one verify
// call, so a batch pays for one signature check instead of one per answer.
//
// The signature covers the whole list, in order: a tampered, added, dropped or reordered entry,
// fields that are not the request's, or a malformed entry refuses the whole batch (FAULT,
// nothing written). An entry that is correctly signed but can no longer be fulfilled (already
// fulfilled, also earlier in the same batch; cancelled; unknown id) is skipped with a
// FulfilmentRejected event and the rest go on: another submitter may have raced this one, which
// must not sink the batch. Returns the number of entries accepted.
func FulfilBatch(entries []entry, signature interop.Signature) int {
	return fulfil(entries, signature, false)
}

// fulfil is both methods. In one pass over the entries it reads each record, checks and marks
// the request's bit in the bitmap item it holds in hand (one read and one write per item, not
// per answer), sums the fees and builds the signed message. Then it writes the bitmap, verifies
// the one signature (a bad one faults the transaction, which undoes every write of this pass),
// pays the fee recipient, emits the events, and only then calls the consumers back: every
// request of the batch is already marked when the first callback runs, so no callback can get a
// second fulfilment of any of them.
func fulfil(entries []entry, signature interop.Signature, single bool) int {
	ctx := storage.GetContext()
	c := getConfig(ctx)
	if c.Paused {
		panic("gateway is paused: no fulfilments until the owner resumes it")
	}
	n := len(entries)
	if n == 0 {
		panic("batch is empty")
	}
	if n > MaxBatchSize {
		panic("batch is over " + itoa(MaxBatchSize) + " entries")
	}
	// CryptoLib faults (since Gorgon) on a signature of the wrong length; refuse it with a reason.
	if len(signature) != SignatureSize {
		panic("signature must be 64 bytes (r||s)")
	}
	msg := messagePrefix()
	facts := []byte{}  // the heads of the accepted entries, for the Fulfilled event
	skipped := []int{} // positions of the entries not accepted, in order
	total := 0
	item := -1 // the bitmap item in hand, its bits, and whether they changed
	bits := 0
	dirty := false
	headMark := shl(1, 8*headSize)
	// The hot loop, once per answer. Helpers are written out here: a call costs CALL, INITSLOT
	// and RET (about 0.00017 GAS), which over the 20 or so a straightforward version makes was
	// the largest item after the storage read (TestGasProfile).
	for i := 0; i < n; i++ {
		e := entries[i]
		// SIZE directly: asserting e to []any would cost a CONVERT per entry.
		if neogointernal.Opcode1("SIZE", e) != 5 {
			panic("entry " + itoa(i) + " must be [requestId, status, result, gasUsed, fields]")
		}
		id := e.RequestID
		status := e.Status
		result := e.Result
		gasUsed := e.GasUsed
		fields := e.Fields
		if id <= 0 || status < 0 || status > 255 || gasUsed < 0 || gasUsed > 0x7fffffffffffffff ||
			len(result) > MaxResultSize || len(fields) <= interop.Hash160Len || len(fields) > MaxPayloadSize {
			checkEntry(i, e) // faults with the reason
		}
		// entryHead, as one integer and one LEFT.
		head := neogointernal.Opcode2("LEFT", id+
			neogointernal.Opcode2("SHL", status, 64).(int)+
			neogointernal.Opcode2("SHL", gasUsed, 72).(int)+
			neogointernal.Opcode2("SHL", len(result), 136).(int)+
			neogointernal.Opcode2("SHL", len(fields), 152).(int)+headMark, headSize).([]byte)
		if id >= runFlag { // a subscription's run (runs.go): its window, not the bitmap
			reason := takeRun(ctx, id)
			if reason == "" {
				total += runFee
				facts = neogointernal.Opcode2("CAT", facts, head).([]byte)
				msg = neogointernal.Opcode2("CAT", neogointernal.Opcode2("CAT", neogointernal.Opcode2("CAT",
					neogointernal.Opcode2("CAT", msg, head), result), fields),
					neogointernal.Opcode2("LEFT", runRec, commitmentSize)).([]byte)
				continue
			}
			if single {
				panic(reason)
			}
			runtime.Notify("FulfilmentRejected", id, reason)
			skipped = append(skipped, i)
			msg = appendEntry(msg, head, result, fields, runCommitment(ctx, id, fields))
			continue
		}
		rec := neogointernal.Syscall2(getSyscall, ctx, neogointernal.Opcode2("CAT", prefixRequest, id)).([]byte)
		if id>>7 != item {
			if dirty {
				storage.Put(ctx, doneItemKey(item), bits)
			}
			item = id >> 7
			bits = getInt(ctx, doneItemKey(item))
			dirty = false
		}
		bit := neogointernal.Opcode2("SHL", 1, id&(doneBits-1)).(int)
		if len(rec) == recordSize && bits&bit == 0 {
			bits |= bit
			dirty = true
			// recordFee, byte by byte.
			total += int(rec[52]) + neogointernal.Opcode2("SHL", int(rec[53]), 8).(int) +
				neogointernal.Opcode2("SHL", int(rec[54]), 16).(int) + neogointernal.Opcode2("SHL", int(rec[55]), 24).(int) +
				neogointernal.Opcode2("SHL", int(rec[56]), 32).(int) + neogointernal.Opcode2("SHL", int(rec[57]), 40).(int) +
				neogointernal.Opcode2("SHL", int(rec[58]), 48).(int) + neogointernal.Opcode2("SHL", int(rec[59]), 56).(int)
			facts = neogointernal.Opcode2("CAT", facts, head).([]byte)
			msg = neogointernal.Opcode2("CAT", neogointernal.Opcode2("CAT", neogointernal.Opcode2("CAT",
				neogointernal.Opcode2("CAT", msg, head), result), fields),
				neogointernal.Opcode2("LEFT", rec, commitmentSize)).([]byte)
			continue
		}
		reason := "unknown request id " + itoa(id)
		if rec != nil {
			reason = "request " + itoa(id) + " is already fulfilled"
		} else if bits&bit != 0 {
			reason = "request " + itoa(id) + " was cancelled"
		}
		if single {
			panic(reason)
		}
		runtime.Notify("FulfilmentRejected", id, reason)
		skipped = append(skipped, i)
		msg = appendEntry(msg, head, result, fields, storedCommitment(rec, fields))
	}
	if dirty {
		storage.Put(ctx, doneItemKey(item), bits)
	}
	flushRun(ctx)
	k := findSigner(msg, signature, c.ActiveKeys)
	if k < 0 {
		if single {
			panic("request " + itoa(entries[0].RequestID) + ": signature is not by an active enclave key")
		}
		panic("batch signature is not by an active enclave key over these " + itoa(n) + " entries")
	}
	credit(ctx, c.FeeRecipient, total)
	// One event per 40 accepted answers (840 bytes; Neo allows 1024 per notification) instead of
	// one per answer: a notification is a syscall (0.0098 GAS) whatever its size.
	for off := 0; off < len(facts); off += factsPerEvent * headSize {
		size := len(facts) - off
		if size > factsPerEvent*headSize {
			size = factsPerEvent * headSize
		}
		runtime.Notify("Fulfilled", neogointernal.Opcode3("SUBSTR", facts, off, size).([]byte), c.ActiveKeys[k])
	}
	next := 0 // index into skipped
	for i := 0; i < n; i++ {
		if next < len(skipped) && skipped[next] == i {
			next++
			continue
		}
		e := entries[i]
		fields := e.Fields
		if fields[interop.Hash160Len] != 0 {
			invokeCallback(e.RequestID, e.Status, e.Result, fields)
		}
	}
	return n - len(skipped)
}

// entry is one element of FulfilBatch's array. Reading its fields is a plain PICKITEM: a type
// assertion per field would CONVERT (and turn the result into a Buffer).
type entry struct {
	RequestID int
	Status    int
	Result    []byte
	GasUsed   int
	Fields    []byte
}

// checkEntry faults on a malformed entry: these are the submitter's bugs or an attack, and the
// service test-invokes every batch before sending it.
func checkEntry(i int, e entry) {
	// SIZE directly: asserting e to []any would cost a CONVERT per entry.
	if neogointernal.Opcode1("SIZE", e) != 5 {
		panic("entry " + itoa(i) + " must be [requestId, status, result, gasUsed, fields]")
	}
	if reason := checkAnswerFormat(e.RequestID, e.Status, e.Result, e.GasUsed, e.Fields); reason != "" {
		panic("entry " + itoa(i) + " (request " + itoa(e.RequestID) + "): " + reason)
	}
}

func checkAnswerFormat(requestID, status int, result []byte, gasUsed int, fields []byte) string {
	if requestID <= 0 {
		return "requestId must be positive"
	}
	if status < 0 || status > 255 {
		return "status must be 0..255"
	}
	if gasUsed < 0 || gasUsed > 0x7fffffffffffffff {
		return "gasUsed must be a non-negative int64"
	}
	if len(result) > MaxResultSize {
		return "result is over " + itoa(MaxResultSize) + " bytes"
	}
	if len(fields) <= interop.Hash160Len || len(fields) > MaxPayloadSize {
		return "fields must be the request's fields as its Request event carried them (21.." +
			itoa(MaxPayloadSize) + " bytes)"
	}
	return ""
}

// findSigner returns the index of the active key whose signature over msg verifies, or -1.
// There are at most MaxActiveEnclaves keys; with one active key this is one verify call.
func findSigner(msg []byte, signature interop.Signature, keys []interop.PublicKey) int {
	for k := 0; k < len(keys); k++ {
		if crypto.VerifyWithECDsa(msg, keys[k], signature, crypto.Secp256r1Sha256) {
			return k
		}
	}
	return -1
}

// invokeCallback calls the consumer back, with the requester, method and userData read from the
// entry's fields (checked against the commitment by the signature), and reports a fault as a
// CallbackFailed event. NeoVM rolls back the storage changes and events of a called contract
// whose exception is caught, so a failed callback leaves no half-written state. Only exceptions
// (THROW, a Go panic, a C# throw) can be caught: ABORT, a failed ASSERT, running out of GAS or a
// VM error faults the whole transaction (see contracts/README.md).
func invokeCallback(requestID, status int, result, fields []byte) {
	callbackDone = false
	callbackFault = nil
	tryCallback(requestID, status, result, fields)
	if !callbackDone {
		runtime.Notify("CallbackFailed", requestID, callbackFault)
	}
}

// tryCallback takes the entry's values one by one: passing the entry struct would copy it.
func tryCallback(requestID, status int, result, f []byte) {
	defer func() {
		callbackFault = recover()
	}()
	methodLen := int(f[interop.Hash160Len])
	rest := interop.Hash160Len + 1 + methodLen
	var userData any
	if len(f) > rest {
		userData = deserialize(neogointernal.Opcode2("RIGHT", f, len(f)-rest).([]byte))
	}
	contract.Call(neogointernal.Opcode2("LEFT", f, interop.Hash160Len).(interop.Hash160),
		neogointernal.Opcode3("SUBSTR", f, interop.Hash160Len+1, methodLen).(string),
		callbackFlags, requestID, status, result, userData)
	callbackDone = true
}
