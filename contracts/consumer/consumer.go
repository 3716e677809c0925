// Package consumer is the example consumer of the NSL gateway, for the demo and the tests: it
// requests a function, is called back with the answer, stores the last answer per request id
// and emits an event. Copy its callback check: an answer is only believed from the gateway.
package consumer

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/contract"
	"github.com/nspcc-dev/neo-go/pkg/interop/convert"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

const (
	keyGateway   = "g"
	keyOwner     = "o"
	prefixAnswer = "a"
)

// answer is what the consumer keeps per request id.
type answer struct {
	Status int
	Result []byte
}

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
	storage.Put(ctx, keyGateway, gw)
	storage.Put(ctx, keyOwner, owner)
}

func gateway(ctx storage.Context) interop.Hash160 {
	return storage.Get(ctx, keyGateway).(interop.Hash160)
}

func checkOwner(ctx storage.Context) {
	if !runtime.CheckWitness(storage.Get(ctx, keyOwner).(interop.Hash160)) {
		panic("only the consumer's owner may do this")
	}
}

// Request asks the gateway to run functionId on input (JSON bytes) with jsGasLimit JS gas
// units, paying gasForResponse datoshi for the answer. The fee comes from this contract's
// prepaid balance at the gateway. Owner only, so nobody else can spend that balance.
func Request(functionID string, input []byte, jsGasLimit int, gasForResponse int) int {
	ctx := storage.GetContext()
	checkOwner(ctx)
	id := contract.Call(gateway(ctx), "request", contract.All,
		functionID, input, "onResult", functionID, gasForResponse, jsGasLimit).(int)
	runtime.Notify("Requested", id, functionID)
	return id
}

// OnResult is the gateway's callback. It refuses anyone but the gateway (the native Oracle's
// consumers check the same), then stores the answer and emits Answer.
func OnResult(requestID int, status int, result []byte, userData any) {
	ctx := storage.GetContext()
	if !runtime.GetCallingScriptHash().Equals(gateway(ctx)) {
		panic("only the gateway may deliver answers")
	}
	storage.Put(ctx, answerKey(requestID), std.Serialize(answer{Status: status, Result: result}))
	runtime.Notify("Answer", requestID, status, result)
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
	a := std.Deserialize(raw.([]byte)).(answer)
	return []any{a.Status, a.Result}
}

// Cancel cancels an expired, unanswered request at the gateway; the fee returns to this
// contract's prepaid balance. Owner only.
func Cancel(requestID int) {
	ctx := storage.GetContext()
	checkOwner(ctx)
	contract.Call(gateway(ctx), "cancel", contract.All, requestID)
}

// Withdraw moves amount of this contract's prepaid balance at the gateway to `to`. Owner only.
func Withdraw(to interop.Hash160, amount int) {
	ctx := storage.GetContext()
	checkOwner(ctx)
	contract.Call(gateway(ctx), "withdraw", contract.All, runtime.GetExecutingScriptHash(), to, amount)
}
