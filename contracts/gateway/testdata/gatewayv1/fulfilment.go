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

// entryMessage is one answer's part of a signed message: requestId (u64 LE) || status (1 byte)
// || gasUsed (u64 LE) || len(result) (u16 LE) || result. The enclave signs
// prefix || entry_1 || ... || entry_n; a single fulfilment is a batch of one. The result goes in
// whole rather than as its sha256: CryptoLib's verify hashes the whole message at a fixed price,
// while a sha256 per answer would cost a native call (0.0197 GAS) each. The length field makes
// the encoding unambiguous (entries can't be re-cut), and the fixed-width head is built as one
// integer, id + status<<64 + gasUsed<<72 + len<<136, so it costs one LEFT and one CAT.
func entryMessage(requestID, status int, result []byte, gasUsed int) []byte {
	v := requestID + shl(status, 64) + shl(gasUsed, 72) + shl(len(result), 136)
	return cat(fixedLE(v, 19), result)
}

func shl(n, bits int) int {
	return neogointernal.Opcode2("SHL", n, bits).(int)
}

// GetFulfilmentMessage returns the exact bytes an enclave must sign to fulfil requestId with
// this status, result and gasUsed on this network and this gateway (alone, or as a batch of
// one). Read-only; the service can compare it with its own encoding.
func GetFulfilmentMessage(requestID, status int, result []byte, gasUsed int) []byte {
	if reason := checkAnswerFormat(requestID, status, result, gasUsed); reason != "" {
		panic(reason)
	}
	return cat(messagePrefix(), entryMessage(requestID, status, result, gasUsed))
}

// Fulfil accepts one signed answer. It faults with a reason unless the signature is by an active
// enclave key over this request's message and the request is still pending. The request is
// marked fulfilled before the consumer is called back; a callback that throws does not undo it.
func Fulfil(requestID, status int, result []byte, gasUsed int, signature interop.Signature) {
	ctx := storage.GetContext()
	c := getConfig(ctx)
	if c.Paused {
		panic("gateway is paused: no fulfilments until the owner resumes it")
	}
	if reason := checkEntryFormat(requestID, status, result, gasUsed, signature); reason != "" {
		panic("request " + itoa(requestID) + ": " + reason)
	}
	key, raw, reason := pendingRecord(ctx, requestID)
	if reason != "" {
		panic(reason)
	}
	msg := cat(messagePrefix(), entryMessage(requestID, status, result, gasUsed))
	k := findSigner(msg, signature, c.ActiveKeys)
	if k < 0 {
		panic("request " + itoa(requestID) + ": signature is not by an active enclave key")
	}
	fee := applyAnswer(ctx, key, raw, c.ActiveKeys[k], requestID, status, result, gasUsed)
	credit(ctx, c.FeeRecipient, fee)
}

// FulfilBatch accepts many answers under ONE enclave signature. entries is an array of
// [requestId Integer, status Integer, result ByteArray, gasUsed Integer]; signature is the
// enclave's over prefix || entryMessage(entry_1) || ... || entryMessage(entry_n) (see
// entryMessage; a batch of one signs exactly what Fulfil checks). CryptoLib hashes the whole
// message in one verify call, so a batch pays for one signature check instead of one per answer.
//
// The signature covers the whole list, in order: a tampered, added, dropped or reordered entry,
// or a malformed one, refuses the whole batch (FAULT, nothing written). An entry that is
// correctly signed but can no longer be fulfilled (already fulfilled, also earlier in the same
// batch; cancelled; unknown id) is skipped with a FulfilmentRejected event and the rest go on:
// another submitter may have raced this one, which must not sink the batch. Returns the number
// of entries accepted.
func FulfilBatch(entries []entry, signature interop.Signature) int {
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
	// Nothing is written before the signature is known to be good, so no callback ever sees an
	// unverified answer.
	msg := batchMessage(entries)
	k := findSigner(msg, signature, c.ActiveKeys)
	if k < 0 {
		panic("batch signature is not by an active enclave key over these " + itoa(n) + " entries")
	}
	signer := c.ActiveKeys[k]
	// Pass 2: apply.
	total := 0
	accepted := 0
	for i := 0; i < n; i++ {
		e := entries[i]
		key, raw, reason := pendingRecord(ctx, e.RequestID)
		if reason != "" {
			runtime.Notify("FulfilmentRejected", e.RequestID, reason)
			continue
		}
		total += applyAnswer(ctx, key, raw, signer, e.RequestID, e.Status, e.Result, e.GasUsed)
		accepted++
	}
	credit(ctx, c.FeeRecipient, total)
	return accepted
}

// batchMessage checks every entry's format (faulting on the first bad one) and returns the
// message a batch signature covers.
func batchMessage(entries []entry) []byte {
	msg := messagePrefix()
	for i := 0; i < len(entries); i++ {
		e := entries[i]
		// SIZE directly: asserting e to []any would cost a CONVERT per entry.
		if neogointernal.Opcode1("SIZE", e) != 4 {
			panic("entry " + itoa(i) + " must be [requestId, status, result, gasUsed]")
		}
		if reason := checkAnswerFormat(e.RequestID, e.Status, e.Result, e.GasUsed); reason != "" {
			panic("entry " + itoa(i) + " (request " + itoa(e.RequestID) + "): " + reason)
		}
		msg = cat(msg, entryMessage(e.RequestID, e.Status, e.Result, e.GasUsed))
	}
	return msg
}

// GetBatchFulfilmentMessage returns the exact bytes an enclave must sign to fulfil these
// entries ([requestId, status, result, gasUsed] each) in one FulfilBatch on this network and
// this gateway. Read-only; the service can compare it with its own encoding.
func GetBatchFulfilmentMessage(entries []entry) []byte {
	return batchMessage(entries)
}

// entry is one element of FulfilBatch's array. Reading its fields is a plain PICKITEM: a type
// assertion per field would CONVERT (and turn the result into a Buffer).
type entry struct {
	RequestID int
	Status    int
	Result    []byte
	GasUsed   int
}

func checkEntryFormat(requestID, status int, result []byte, gasUsed int, signature interop.Signature) string {
	if reason := checkAnswerFormat(requestID, status, result, gasUsed); reason != "" {
		return reason
	}
	// CryptoLib faults (since Gorgon) on a signature of the wrong length; refuse it cleanly.
	if len(signature) != SignatureSize {
		return "signature must be 64 bytes (r||s)"
	}
	return ""
}

func checkAnswerFormat(requestID, status int, result []byte, gasUsed int) string {
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
	return ""
}

// pendingRecord reads requestID's record; reason is non-empty when the request cannot be
// fulfilled (unknown, already fulfilled, cancelled).
func pendingRecord(ctx storage.Context, requestID int) (key []byte, raw []byte, reason string) {
	key = requestKey(requestID)
	raw = getBytes(ctx, key)
	if raw == nil {
		return key, raw, "unknown request id " + itoa(requestID)
	}
	if len(raw) == 1 {
		if raw[0] == StateFulfilled {
			return key, raw, "request " + itoa(requestID) + " is already fulfilled"
		}
		return key, raw, "request " + itoa(requestID) + " was cancelled"
	}
	return key, raw, ""
}

// applyAnswer fulfils the pending request whose record (raw, at key) was just read, with an
// answer whose signature by signer has been verified, and returns the fee to pay out.
func applyAnswer(ctx storage.Context, key, raw []byte, signer interop.PublicKey,
	requestID, status int, result []byte, gasUsed int) int {
	r := loadRequest(raw)
	// Mark first: whatever the callback does, this request cannot be fulfilled again.
	storage.Put(ctx, key, markFulfilled)
	runtime.Notify("Fulfilled", requestID, status, r.Requester, gasUsed, signer)
	if len(r.Callback) != 0 {
		invokeCallback(r, requestID, status, result)
	}
	return r.Fee
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

// invokeCallback calls the consumer back and reports a fault as a CallbackFailed event. NeoVM
// rolls back the storage changes and events of a called contract whose exception is caught, so
// a failed callback leaves no half-written state. Only exceptions (THROW, a Go panic, a C#
// throw) can be caught: ABORT, a failed ASSERT, running out of GAS or a VM error faults the
// whole transaction (see contracts/README.md).
func invokeCallback(r request, requestID, status int, result []byte) {
	callbackDone = false
	callbackFault = nil
	tryCallback(r, requestID, status, result)
	if !callbackDone {
		runtime.Notify("CallbackFailed", requestID, callbackFault)
	}
}

func tryCallback(r request, requestID, status int, result []byte) {
	defer func() {
		callbackFault = recover()
	}()
	contract.Call(r.Requester, r.Callback, callbackFlags, requestID, status, result, r.UserData)
	callbackDone = true
}
