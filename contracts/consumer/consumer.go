// Package consumer is the example consumer of the NSL gateway, for the demo and the tests: it
// requests a function, is called back with the answer, stores the answer per request id and
// emits an event. Copy its callback check: an answer is only believed from the gateway.
//
// It shows the cheap way for a dApp (its costs are "your callback" in contracts/README.md):
//   - it asks without userData, so the gateway commits to fewer bytes;
//   - its callback checks the caller with one storage read keyed by the caller's hash, and keeps
//     the result under the request id itself, with no key building, no serialized record and no
//     type conversion (each CONVERT costs 0.0025 GAS); the status is kept only when it is not 0,
//     under the negated id;
//   - its event carries the result's length, not the result: Neo refuses a notification over
//     1,024 bytes, and a result may have 4,096.
package consumer

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/contract"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// Storage keys. Request ids (positive) and their negation are minimal integer encodings of at
// most 8 bytes, which never equal these.
const (
	keyAddresses = "\x00" // gateway (20 bytes) || owner (20 bytes)
	// + the gateway's 20-byte hash -> 1: lets the callback check its caller with one read.
)

// _deploy takes data = [gateway Hash160, owner Hash160].
func _deploy(data any, isUpdate bool) {
	if isUpdate {
		return
	}
	args := data.([]any)
	if len(args) != 2 {
		panic("deploy data must be [gateway Hash160, owner Hash160]")
	}
	gw := args[0].(interop.Hash160)
	owner := args[1].(interop.Hash160)
	if len(gw) != interop.Hash160Len || len(owner) != interop.Hash160Len {
		panic("deploy data must be [gateway Hash160, owner Hash160]")
	}
	ctx := storage.GetContext()
	storage.Put(ctx, keyAddresses, append(gw, owner...))
	storage.Put(ctx, []byte(gw), 1)
}

// ownerChecked returns the gateway's address after checking the owner's witness.
func ownerChecked() interop.Hash160 {
	a := storage.Get(storage.GetReadOnlyContext(), keyAddresses).([]byte)
	if !runtime.CheckWitness(interop.Hash160(a[interop.Hash160Len:])) {
		panic("only the consumer's owner may do this")
	}
	return interop.Hash160(a[:interop.Hash160Len])
}

// Request asks the gateway to run functionId on input (JSON bytes) with jsGasLimit JS gas
// units, paying gasForResponse datoshi for the answer. The fee comes from this contract's
// prepaid balance at the gateway. Owner only, so nobody else can spend that balance. The
// gateway's Request event announces the request (id, function, requester), so the consumer
// emits none of its own.
func Request(functionID string, input []byte, jsGasLimit int, gasForResponse int) int {
	return contract.Call(ownerChecked(), "request", contract.All,
		functionID, input, "onResult", nil, gasForResponse, jsGasLimit).(int)
}

// OnResult is the gateway's callback. It refuses anyone but the gateway (the native Oracle's
// consumers check the same), then stores the answer and emits Answer with the result's length.
func OnResult(requestID int, status int, result []byte, userData any) {
	ctx := storage.GetContext()
	if storage.Get(ctx, runtime.GetCallingScriptHash()) == nil {
		panic("only the gateway may deliver answers")
	}
	storage.Put(ctx, requestID, result)
	if status != 0 {
		storage.Put(ctx, -requestID, status)
	}
	runtime.Notify("Answer", requestID, status, len(result))
}

// GetAnswer returns [status, result] for a request id, or null before the answer came.
func GetAnswer(requestID int) any {
	ctx := storage.GetReadOnlyContext()
	result := storage.Get(ctx, requestID)
	if result == nil {
		return nil
	}
	status := 0
	if s := storage.Get(ctx, -requestID); s != nil {
		status = s.(int)
	}
	return []any{status, result}
}

// Cancel cancels an expired, unanswered request at the gateway; the fee returns to this
// contract's prepaid balance. Owner only.
func Cancel(requestID int) {
	contract.Call(ownerChecked(), "cancel", contract.All, requestID)
}

// Withdraw moves amount of this contract's prepaid balance at the gateway to `to`. Owner only.
func Withdraw(to interop.Hash160, amount int) {
	contract.Call(ownerChecked(), "withdraw", contract.All, runtime.GetExecutingScriptHash(), to, amount)
}
