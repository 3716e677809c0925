// Package hostile is a test-only consumer whose callback misbehaves on demand, to check that the
// gateway's fulfilment survives (or, where NeoVM cannot catch the fault, is left pending).
package hostile

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/contract"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
	"github.com/nspcc-dev/neo-go/pkg/interop/util"
)

// Callback behaviours.
const (
	ModeStore   = 0 // store the answer and emit Answer
	ModeThrow   = 1 // write, emit, then panic (THROW): catchable by the gateway
	ModeAbort   = 2 // ABORT: no contract can catch it
	ModeReenter = 3 // try to fulfil the same request again from the callback
)

func _deploy(data any, isUpdate bool) {
	if !isUpdate {
		storage.Put(storage.GetContext(), "g", data.(interop.Hash160))
	}
}

// SetMode picks the callback behaviour; Arm stores the gasUsed and signature ModeReenter replays.
func SetMode(mode int) { storage.Put(storage.GetContext(), "m", mode) }

func Arm(gasUsed int, fields, signature []byte) {
	ctx := storage.GetContext()
	storage.Put(ctx, "u", gasUsed)
	storage.Put(ctx, "f", fields)
	storage.Put(ctx, "s", signature)
}

// Request forwards to the gateway with any callback name (empty for none).
func Request(functionID string, input []byte, callback string, gasForResponse, jsGasLimit int) int {
	gw := storage.Get(storage.GetReadOnlyContext(), "g").(interop.Hash160)
	return contract.Call(gw, "request", contract.All, functionID, input, callback, nil, gasForResponse, jsGasLimit).(int)
}

// RequestWithData forwards a request with userData, which the callback stores (see UserData).
func RequestWithData(functionID string, input []byte, callback string, userData any, gasForResponse, jsGasLimit int) int {
	gw := storage.Get(storage.GetReadOnlyContext(), "g").(interop.Hash160)
	return contract.Call(gw, "request", contract.All, functionID, input, callback, userData, gasForResponse, jsGasLimit).(int)
}

// UserData returns the userData the last callback got, serialized.
func UserData() []byte {
	return storage.Get(storage.GetReadOnlyContext(), "ud").([]byte)
}

// Cancel forwards to the gateway.
func Cancel(requestID int) {
	gw := storage.Get(storage.GetReadOnlyContext(), "g").(interop.Hash160)
	contract.Call(gw, "cancel", contract.All, requestID)
}

func OnResult(requestID int, status int, result []byte, userData any) {
	ctx := storage.GetContext()
	mode := storage.Get(ctx, "m").(int)
	storage.Put(ctx, "last", requestID)
	storage.Put(ctx, "ud", std.Serialize(userData))
	runtime.Notify("Answer", requestID)
	switch mode {
	case ModeThrow:
		panic("hostile callback refuses the answer")
	case ModeAbort:
		util.Abort()
	case ModeReenter:
		gw := storage.Get(ctx, "g").(interop.Hash160)
		contract.Call(gw, "fulfil", contract.All, requestID, status, result,
			storage.Get(ctx, "u").(int), storage.Get(ctx, "f").([]byte), storage.Get(ctx, "s").([]byte))
	}
}

// Last returns the last request id the callback saw (its write survives only a clean return).
func Last() int {
	v := storage.Get(storage.GetReadOnlyContext(), "last")
	if v == nil {
		return 0
	}
	return v.(int)
}
