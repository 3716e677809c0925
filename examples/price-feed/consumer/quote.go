// Package pricequote is the consumer of examples/price-feed: a contract that reads the feed's
// latest median on chain, the way any dApp would, and prices an amount with it. Each caller says
// how old a price it accepts: a feed that stopped (its budget ran out, the service is down) must
// not be read as current.
package pricequote

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/contract"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/ledger"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

const (
	keyFeed  = "f" // the price feed's hash
	keyQuote = "q" // the last quote: [amount, price, value, runId]

	// slotMask takes the slot out of a run id (2^62 | subscriptionId << 40 | slot); for a
	// schedule the slot is the block index the run was made for.
	slotMask = 1<<40 - 1
)

// _deploy takes data = the feed's Hash160.
func _deploy(data any, isUpdate bool) {
	if isUpdate {
		return
	}
	feed := data.(interop.Hash160)
	if len(feed) != interop.Hash160Len {
		panic("deploy data must be the price feed's Hash160")
	}
	storage.Put(storage.GetContext(), keyFeed, feed)
}

// Quote prices amount at the feed's latest price (value = amount × price), keeps the quote and
// emits Quoted. It faults when the feed has no price yet, or when the price is from a slot more
// than maxAgeBlocks blocks before the current one.
func Quote(amount int, maxAgeBlocks int) int {
	if amount <= 0 {
		panic("amount must be positive")
	}
	if maxAgeBlocks < 0 {
		panic("maxAgeBlocks must not be negative")
	}
	ctx := storage.GetContext()
	feed := storage.Get(ctx, keyFeed).(interop.Hash160)
	p := contract.Call(feed, "getPrice", contract.ReadStates)
	if p == nil {
		panic("the feed has no price yet")
	}
	latest := p.([]any)
	price := latest[0].(int)
	runID := latest[1].(int)
	slot := runID & slotMask
	age := ledger.CurrentIndex() - slot
	if age > maxAgeBlocks {
		panic("the feed's price is from block " + itoa(slot) + ", " + itoa(age) +
			" blocks old: over the " + itoa(maxAgeBlocks) + " asked for")
	}
	value := amount * price
	storage.Put(ctx, keyQuote, std.Serialize([]any{amount, price, value, runID}))
	runtime.Notify("Quoted", amount, price, value, runID)
	return value
}

// GetLastQuote returns [amount, price, value, runId] of the last quote, or null before one.
func GetLastQuote() any {
	q := storage.Get(storage.GetReadOnlyContext(), keyQuote)
	if q == nil {
		return nil
	}
	return std.Deserialize(q.([]byte))
}

func itoa(n int) string {
	return std.Itoa10(n)
}
