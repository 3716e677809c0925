package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/ledger"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/management"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// Request states, as GetRequestState returns them. A request record is never deleted: after
// fulfilment or cancellation its value shrinks to the one-byte state.
const (
	StateUnknown   = 0
	StatePending   = 1
	StateFulfilled = 2
	StateCancelled = 3

	// The one-byte values a finished request keeps (a constant string costs no CONVERT).
	markFulfilled = "\x02"
	markCancelled = "\x03"
)

// request is what a pending request keeps in storage: only what fulfilment and cancel need.
// The input and code hash live in the Request event, not in storage (storage costs 0.001 GAS
// per byte).
type request struct {
	Requester interop.Hash160
	Callback  string
	UserData  any
	Fee       int // datoshi debited at request time: paid out on fulfilment, refunded on cancel
	ExpiresAt int // block index from which the requester may cancel
}

func requestKey(id int) []byte {
	return cat(prefixRequest, id)
}

// Request asks for functionID to be run on input; the calling contract is the requester and is
// called back with (requestId, status, result, userData) on callbackMethod (empty: no callback).
// The fee, requestFee + jsGasLimit*jsGasPrice + gasForResponse, is debited from the requester's
// prepaid balance. Returns the request id.
func Request(functionID string, input []byte, callbackMethod string, userData any,
	gasForResponse int, jsGasLimit int) int {
	ctx := storage.GetContext()
	c := getConfig(ctx)
	if c.Paused {
		panic("gateway is paused: no new requests until the owner resumes it")
	}
	f, ok := getFunction(ctx, functionID)
	if !ok {
		panic("unknown function: " + functionID)
	}
	if !f.Enabled {
		panic("function " + functionID + " is disabled by its owner")
	}
	if len(input) > MaxInputSize {
		panic("input is " + itoa(len(input)) + " bytes, over the limit of " + itoa(MaxInputSize))
	}
	if jsGasLimit <= 0 || jsGasLimit > c.MaxJsGasLimit {
		panic("jsGasLimit must be 1.." + itoa(c.MaxJsGasLimit))
	}
	if gasForResponse < c.MinGasForResponse {
		panic("gasForResponse must be at least " + itoa(c.MinGasForResponse))
	}
	requester := runtime.GetCallingScriptHash()
	if len(callbackMethod) != 0 {
		if len(callbackMethod) > MaxCallbackSize || callbackMethod[0] == '_' {
			panic("callbackMethod must be 1.." + itoa(MaxCallbackSize) + " bytes and not start with '_'")
		}
		if !management.HasMethod(requester, callbackMethod, 4) {
			panic("the requester must be a contract with method " + callbackMethod +
				"(requestId, status, result, userData)")
		}
	} else if management.GetContract(requester) == nil {
		panic("requests must come from a deployed contract")
	}

	fee := c.RequestFee + jsGasLimit*c.JsGasPrice + gasForResponse
	balKey := balanceKey(requester)
	balance := getInt(ctx, balKey)
	if balance < fee {
		panic("insufficient prepaid balance: have " + itoa(balance) + ", request costs " +
			itoa(fee) + "; deposit GAS to the gateway with the requester as data")
	}
	storage.Put(ctx, balKey, balance-fee)

	id := getInt(ctx, keyRequestCounter) + 1
	storage.Put(ctx, keyRequestCounter, id)
	rec := std.Serialize(request{
		Requester: requester,
		Callback:  callbackMethod,
		UserData:  userData,
		Fee:       fee,
		ExpiresAt: ledger.CurrentIndex() + c.ExpiryBlocks,
	})
	if len(rec) > MaxRecordSize {
		panic("userData is too large: the request record would be " + itoa(len(rec)) +
			" bytes, limit " + itoa(MaxRecordSize))
	}
	storage.Put(ctx, requestKey(id), rec)
	runtime.Notify("Request", id, functionID, f.CodeHash, requester, input, jsGasLimit)
	return id
}

// Cancel refunds an unfulfilled request's fee to the requester's balance once the request has
// expired. Only the requester (the consumer contract, by calling) may cancel.
func Cancel(requestID int) {
	ctx := storage.GetContext()
	key := requestKey(requestID)
	raw := getBytes(ctx, key)
	if raw == nil {
		panic("unknown request id " + itoa(requestID))
	}
	if len(raw) == 1 {
		panic("request " + itoa(requestID) + " is no longer pending (state " + itoa(int(raw[0])) + ")")
	}
	r := loadRequest(raw)
	if !runtime.CheckWitness(r.Requester) {
		panic("only the requester may cancel request " + itoa(requestID))
	}
	if ledger.CurrentIndex() < r.ExpiresAt {
		panic("request " + itoa(requestID) + " cannot be cancelled before block " + itoa(r.ExpiresAt))
	}
	storage.Put(ctx, key, markCancelled)
	credit(ctx, r.Requester, r.Fee)
	runtime.Notify("Cancelled", requestID, r.Requester, r.Fee)
}

// GetRequestState returns 0 unknown, 1 pending, 2 fulfilled, 3 cancelled. The service calls it
// before paying for a fulfilment.
func GetRequestState(requestID int) int {
	raw := getBytes(storage.GetReadOnlyContext(), requestKey(requestID))
	if raw == nil {
		return StateUnknown
	}
	if len(raw) == 1 {
		return int(raw[0])
	}
	return StatePending
}

// GetRequest returns [requester, callbackMethod, userData, fee, expiresAt] for a pending request,
// or null when it is unknown, fulfilled or cancelled (GetRequestState tells which).
func GetRequest(requestID int) any {
	raw := getBytes(storage.GetReadOnlyContext(), requestKey(requestID))
	if raw == nil || len(raw) == 1 {
		return nil
	}
	r := loadRequest(raw)
	return []any{r.Requester, r.Callback, r.UserData, r.Fee, r.ExpiresAt}
}

// GetRequestCount returns the last request id handed out (0 before the first request).
func GetRequestCount() int {
	return getInt(storage.GetReadOnlyContext(), keyRequestCounter)
}
