// Package settlement is the contract of examples/event-settlement: Close(id, amount) ends a deal
// and emits Closed; an event subscription on Closed runs settle.js, whose answer the gateway hands
// to OnResult, which records the payout. Nobody runs a bot: the service watches the event.
package settlement

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

const (
	keyGateway = "g" // the gateway's hash: the only caller of OnResult
	prefixDeal = "d" // + id: 1 while closed and not settled
	prefixPaid = "s" // + id: the payout settled
)

// _deploy takes data = the gateway's Hash160.
func _deploy(data any, isUpdate bool) {
	if isUpdate {
		return
	}
	gw := data.(interop.Hash160)
	if len(gw) != interop.Hash160Len {
		panic("deploy data must be the gateway's Hash160")
	}
	storage.Put(storage.GetContext(), keyGateway, gw)
}

// Close ends deal id worth amount and emits Closed(id, amount); a deal closes once.
func Close(id int, amount int) {
	if id <= 0 || amount <= 0 {
		panic("id and amount must be positive")
	}
	ctx := storage.GetContext()
	key := append([]byte(prefixDeal), std.Itoa10(id)...)
	if storage.Get(ctx, key) != nil || storage.Get(ctx, append([]byte(prefixPaid), std.Itoa10(id)...)) != nil {
		panic("deal " + std.Itoa10(id) + " is already closed")
	}
	storage.Put(ctx, key, 1)
	runtime.Notify("Closed", id, amount)
}

// OnResult is the subscription's target: the function's answer {"id": N, "payout": M} settles
// deal N once. Only the gateway may call; a failed run settles nothing.
func OnResult(runID int, status int, result []byte, userData any) {
	ctx := storage.GetContext()
	gw := storage.Get(ctx, keyGateway).(interop.Hash160)
	if !runtime.GetCallingScriptHash().Equals(gw) {
		panic("only the gateway answers")
	}
	if status != 0 {
		return
	}
	answer := std.JSONDeserialize(result).(map[string]any)
	id := answer["id"].(int)
	key := append([]byte(prefixDeal), std.Itoa10(id)...)
	if storage.Get(ctx, key) == nil {
		return // not closed, or settled already
	}
	storage.Delete(ctx, key)
	payout := answer["payout"].(int)
	storage.Put(ctx, append([]byte(prefixPaid), std.Itoa10(id)...), payout)
	runtime.Notify("Settled", id, payout, runID)
}

// GetSettlement returns the payout settled for deal id, or null.
func GetSettlement(id int) any {
	return storage.Get(storage.GetReadOnlyContext(), append([]byte(prefixPaid), std.Itoa10(id)...))
}
