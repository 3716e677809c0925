// Package consumer is the example consumer of the NSL gateway, for the demo and the tests: it
// requests a function, is called back with the answer, stores the answer per request id and
// emits an event. Copy its callback check: an answer is only believed from the gateway.
//
// It shows the cheap way for a dApp (costs in contracts/README.md, "your callback"): one storage
// item holds both addresses it needs, it asks without userData (the gateway then commits to
// fewer bytes), it keeps the answer as status || result without serializing a record, and its
// event carries the result's length, not the result: Neo refuses a notification over 1,024
// bytes, and a result may have 4,096.
package consumer

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/contract"
	"github.com/nspcc-dev/neo-go/pkg/interop/convert"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

const (
	keyAddresses = "c" // gateway (20 bytes) || owner (20 bytes)
	prefixAnswer = "a" // + request id -> status (1 byte) || result
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
	storage.Put(storage.GetContext(), keyAddresses, append(gw, owner...))
}

func addresses(ctx storage.Context) []byte {
	return storage.Get(ctx, keyAddresses).([]byte)
}

func gateway(a []byte) interop.Hash160 {
	return interop.Hash160(a[:interop.Hash160Len])
}

// ownerChecked returns the gateway's address after checking the owner's witness.
func ownerChecked(ctx storage.Context) interop.Hash160 {
	a := addresses(ctx)
	if !runtime.CheckWitness(interop.Hash160(a[interop.Hash160Len:])) {
		panic("only the consumer's owner may do this")
	}
	return gateway(a)
}

// Request asks the gateway to run functionId on input (JSON bytes) with jsGasLimit JS gas
// units, paying gasForResponse datoshi for the answer. The fee comes from this contract's
// prepaid balance at the gateway. Owner only, so nobody else can spend that balance. The
// gateway's Request event announces the request (id, function, requester), so the consumer
// emits none of its own.
func Request(functionID string, input []byte, jsGasLimit int, gasForResponse int) int {
	gw := ownerChecked(storage.GetReadOnlyContext())
	return contract.Call(gw, "request", contract.All,
		functionID, input, "onResult", nil, gasForResponse, jsGasLimit).(int)
}

// OnResult is the gateway's callback. It refuses anyone but the gateway (the native Oracle's
// consumers check the same), then stores status || result and emits Answer with the result's
// length.
func OnResult(requestID int, status int, result []byte, userData any) {
	ctx := storage.GetContext()
	if !runtime.GetCallingScriptHash().Equals(gateway(addresses(ctx))) {
		panic("only the gateway may deliver answers")
	}
	storage.Put(ctx, answerKey(requestID), append([]byte{byte(status)}, result...))
	runtime.Notify("Answer", requestID, status, len(result))
}

func answerKey(requestID int) []byte {
	return append([]byte(prefixAnswer), convert.ToBytes(requestID)...)
}

// GetAnswer returns [status, result] for a request id, or null before the answer came.
func GetAnswer(requestID int) any {
	raw := storage.Get(storage.GetReadOnlyContext(), answerKey(requestID))
	if raw == nil {
		return nil
	}
	b := raw.([]byte)
	return []any{int(b[0]), string(b[1:])}
}

// Cancel cancels an expired, unanswered request at the gateway; the fee returns to this
// contract's prepaid balance. Owner only.
func Cancel(requestID int) {
	gw := ownerChecked(storage.GetReadOnlyContext())
	contract.Call(gw, "cancel", contract.All, requestID)
}

// Withdraw moves amount of this contract's prepaid balance at the gateway to `to`. Owner only.
func Withdraw(to interop.Hash160, amount int) {
	gw := ownerChecked(storage.GetReadOnlyContext())
	contract.Call(gw, "withdraw", contract.All, runtime.GetExecutingScriptHash(), to, amount)
}
