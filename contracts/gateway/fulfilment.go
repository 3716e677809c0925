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

// fulfilmentMessage is the 73-byte message the enclave signs (ECDSA secp256r1 over its
// SHA-256): prefix || requestId (uint64 LE) || status (1 byte) || sha256(result) ||
// gasUsed (int64 LE).
func fulfilmentMessage(prefix []byte, requestID, status int, resultSha256 interop.Hash256, gasUsed int) []byte {
	msg := cat(prefix, fixedLE(requestID, 8))
	msg = cat(msg, fixedLE(status, 1))
	msg = cat(msg, resultSha256)
	return cat(msg, fixedLE(gasUsed, 8))
}

// GetFulfilmentMessage returns the exact bytes an enclave must sign to fulfil requestId with
// this status, result and gasUsed on this network and this gateway. Read-only; the service can
// compare it with its own encoding.
func GetFulfilmentMessage(requestID, status int, result []byte, gasUsed int) []byte {
	if reason := checkEntryFormat(requestID, status, result, gasUsed, make([]byte, SignatureSize)); reason != "" {
		panic(reason)
	}
	return fulfilmentMessage(messagePrefix(), requestID, status, crypto.Sha256(result), gasUsed)
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
	reason, _, fee := fulfilOne(ctx, messagePrefix(), c.ActiveKeys, 0,
		requestID, status, result, gasUsed, signature)
	if reason != "" {
		panic(reason)
	}
	credit(ctx, c.FeeRecipient, fee)
}

// FulfilBatch accepts many answers in one transaction. entries is an array of
// [requestId Integer, status Integer, result ByteArray, gasUsed Integer, signature ByteArray].
// An entry that is refused (bad signature, not pending, bad format) is skipped with a
// FulfilmentRejected event and the rest go on; an entry that is not a 5-element array faults the
// whole batch. Returns the number of entries accepted.
func FulfilBatch(entries []entry) int {
	ctx := storage.GetContext()
	c := getConfig(ctx)
	if c.Paused {
		panic("gateway is paused: no fulfilments until the owner resumes it")
	}
	prefix := messagePrefix()
	keys := c.ActiveKeys
	hint := 0
	total := 0
	accepted := 0
	for i := 0; i < len(entries); i++ {
		e := entries[i]
		// SIZE directly: asserting e to []any would cost a CONVERT per entry.
		if neogointernal.Opcode1("SIZE", e) != 5 {
			panic("entry " + itoa(i) + " must be [requestId, status, result, gasUsed, signature]")
		}
		reason, k, fee := fulfilOne(ctx, prefix, keys, hint,
			e.RequestID, e.Status, e.Result, e.GasUsed, e.Signature)
		if reason != "" {
			runtime.Notify("FulfilmentRejected", e.RequestID, reason)
			continue
		}
		hint = k // the next entry was most likely signed by the same enclave
		total += fee
		accepted++
	}
	credit(ctx, c.FeeRecipient, total)
	return accepted
}

// entry is one element of FulfilBatch's array. Reading its fields is a plain PICKITEM: a type
// assertion per field would CONVERT (and turn the result into a Buffer).
type entry struct {
	RequestID int
	Status    int
	Result    []byte
	GasUsed   int
	Signature interop.Signature
}

func checkEntryFormat(requestID, status int, result []byte, gasUsed int, signature interop.Signature) string {
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
	// CryptoLib faults (since Gorgon) on a signature of the wrong length; refuse it cleanly.
	if len(signature) != SignatureSize {
		return "signature must be 64 bytes (r||s)"
	}
	return ""
}

// fulfilOne checks and applies one fulfilment. It returns a non-empty reason when it refuses,
// otherwise the index of the key that signed and the fee to pay out.
func fulfilOne(ctx storage.Context, prefix []byte, keys []interop.PublicKey, hint int,
	requestID, status int, result []byte, gasUsed int, signature interop.Signature) (string, int, int) {
	if reason := checkEntryFormat(requestID, status, result, gasUsed, signature); reason != "" {
		return "request " + itoa(requestID) + ": " + reason, 0, 0
	}
	key := requestKey(requestID)
	raw := getBytes(ctx, key)
	if raw == nil {
		return "unknown request id " + itoa(requestID), 0, 0
	}
	if len(raw) == 1 {
		if raw[0] == StateFulfilled {
			return "request " + itoa(requestID) + " is already fulfilled", 0, 0
		}
		return "request " + itoa(requestID) + " was cancelled", 0, 0
	}
	resultSha256 := crypto.Sha256(result)
	msg := fulfilmentMessage(prefix, requestID, status, resultSha256, gasUsed)
	k := findSigner(msg, signature, keys, hint)
	if k < 0 {
		return "request " + itoa(requestID) + ": signature is not by an active enclave key", 0, 0
	}
	r := loadRequest(raw)
	// Mark first: whatever the callback does, this request cannot be fulfilled again.
	storage.Put(ctx, key, markFulfilled)
	runtime.Notify("Fulfilled", requestID, status, resultSha256, gasUsed, keys[k])
	if len(r.Callback) != 0 {
		invokeCallback(r, requestID, status, result)
	}
	return "", k, r.Fee
}

// findSigner returns the index of the active key whose signature over msg verifies, trying the
// hinted key first, or -1.
func findSigner(msg []byte, signature interop.Signature, keys []interop.PublicKey, hint int) int {
	n := len(keys)
	for i := 0; i < n; i++ {
		k := (hint + i) % n
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
