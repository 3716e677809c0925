// Package pricefeed is the price feed of examples/price-feed: a subscription runs the function
// feed.js every N blocks, which fetches two sources and keeps the median; the gateway calls
// OnResult with the answer, and any contract reads the latest price with GetPrice.
package pricefeed

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

const (
	keyGateway = "g" // the gateway's hash: the only caller of OnResult
	keyPrice   = "p" // the latest price (integer, the function's unit)
	keyRun     = "r" // the run id that set it
	keyUpdates = "u" // how many answers set a price
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

// OnResult is the subscription's target: runId, status (0 ok), result (the function's JSON,
// {"price": N, ...}) and userData (null for runs). An answer is believed only from the gateway;
// a failed run or an answer older than the stored one leaves the price as it is.
func OnResult(runID int, status int, result []byte, userData any) {
	ctx := storage.GetContext()
	gw := storage.Get(ctx, keyGateway).(interop.Hash160)
	if !runtime.GetCallingScriptHash().Equals(gw) {
		panic("only the gateway answers")
	}
	if status != 0 {
		return
	}
	last := storage.Get(ctx, keyRun)
	if last != nil && last.(int) >= runID {
		return
	}
	answer := std.JSONDeserialize(result).(map[string]any)
	storage.Put(ctx, keyPrice, answer["price"].(int))
	storage.Put(ctx, keyRun, runID)
	n := storage.Get(ctx, keyUpdates)
	count := 1
	if n != nil {
		count = n.(int) + 1
	}
	storage.Put(ctx, keyUpdates, count)
	runtime.Notify("PriceUpdated", runID, answer["price"].(int))
}

// GetPrice returns [price, runId, updates], or null before the first answer.
func GetPrice() any {
	ctx := storage.GetReadOnlyContext()
	p := storage.Get(ctx, keyPrice)
	if p == nil {
		return nil
	}
	return []any{p.(int), storage.Get(ctx, keyRun).(int), storage.Get(ctx, keyUpdates).(int)}
}
