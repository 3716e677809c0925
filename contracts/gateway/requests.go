package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/ledger"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/management"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/neogointernal"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// Request states, as GetRequestState returns them.
//
// A pending request keeps one 64-byte record: a 32-byte commitment to the fields fulfilment
// needs (requester, callback, userData; see requestFields), then what refunds and expiry need in
// the clear (requester, fee, expiresAt). The fields themselves travel in the Request event and
// come back with the answer. Whether a request is finished is one bit of a shared bitmap
// (prefixDone, 128 requests per item), so a batch of consecutive answers reads and writes one
// storage item for all of them instead of one per answer. Fulfilled requests keep their record
// (deleting it would cost a syscall per answer and Neo refunds nothing for it); a cancel deletes
// it, which is how the two finished states are told apart.
const (
	StateUnknown   = 0
	StatePending   = 1
	StateFulfilled = 2
	StateCancelled = 3

	recordSize     = 64 // commitment 32 | requester 20 | fee u64 LE + expiresAt u32 LE
	commitmentSize = 32
	doneBits       = 128 // requests per bitmap item (a 17-byte integer at most)
)

func requestKey(id int) []byte {
	return cat(prefixRequest, id)
}

func doneKey(id int) []byte {
	return doneItemKey(id >> 7)
}

func doneItemKey(item int) []byte {
	return cat(prefixDone, item)
}

// doneBit is requestId's bit in its bitmap item.
func doneBit(id int) int {
	return shl(1, id&(doneBits-1))
}

// isDone says whether requestId is fulfilled or cancelled (one storage read).
func isDone(ctx storage.Context, id int) bool {
	return getInt(ctx, doneKey(id))&doneBit(id) != 0
}

// markDone sets requestId's bit (used by cancel; fulfilment keeps the bitmap item in hand).
func markDone(ctx storage.Context, id int) {
	key := doneKey(id)
	storage.Put(ctx, key, getInt(ctx, key)|doneBit(id))
}

// requestFields is what the commitment covers and what the service hands back at fulfilment:
// requester (20 bytes) || len(callbackMethod) (1 byte) || callbackMethod || serialized userData
// (absent when userData is null). A fixed layout, so the gateway reads it with LEFT and SUBSTR
// instead of deserializing a record.
func requestFields(requester interop.Hash160, callbackMethod string, userData any) []byte {
	f := cat(cat(requester, fixedLE(len(callbackMethod), 1)), callbackMethod)
	if userData != nil {
		f = cat(f, std.Serialize(userData))
	}
	return f
}

// recordOf is the stored form of a pending request.
func recordOf(commitment []byte, requester interop.Hash160, fee, expiresAt int) []byte {
	return cat(cat(commitment, requester), fixedLE(fee+shl(expiresAt, 64), 12))
}

func recordRequester(rec []byte) interop.Hash160 {
	return neogointernal.Opcode3("SUBSTR", rec, commitmentSize, interop.Hash160Len).(interop.Hash160)
}

// recordFeeAndExpiry returns the fee (datoshi) and expiresAt (block index) of a record. Byte by
// byte with PICKITEM: a splice (RIGHT, SUBSTR) gives a Buffer, which arithmetic refuses, and the
// CONVERT back would cost eight times as much.
func recordFeeAndExpiry(rec []byte) (int, int) {
	return recordFee(rec), int(rec[60]) + shl(int(rec[61]), 8) + shl(int(rec[62]), 16) + shl(int(rec[63]), 24)
}

func recordFee(rec []byte) int {
	return int(rec[52]) + shl(int(rec[53]), 8) + shl(int(rec[54]), 16) + shl(int(rec[55]), 24) +
		shl(int(rec[56]), 32) + shl(int(rec[57]), 40) + shl(int(rec[58]), 48) + shl(int(rec[59]), 56)
}

// Request asks for functionID to be run on input; the calling contract is the requester and is
// called back with (requestId, status, result, userData) on callbackMethod (empty: no callback).
// The fee, requestFee + jsGasLimit*jsGasPrice + gasForResponse, is debited from the requester's
// prepaid balance. Returns the request id.
func Request(functionID string, input []byte, callbackMethod string, userData any,
	gasForResponse int, jsGasLimit int) int {
	ctx := storage.GetContext()
	c := getRequestParams(ctx)
	if c.Paused {
		panic("gateway is paused: no new requests until the owner resumes it")
	}
	fn := getBytes(ctx, cat(prefixFunctionHot, functionID)) // codeHash (32) || enabled (1)
	if fn == nil {
		panic("unknown function: " + functionID)
	}
	if fn[CodeHashSize] == 0 {
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
	fields := requestFields(requester, callbackMethod, userData)
	if len(input)+len(fields) > MaxPayloadSize {
		panic("userData is too large: input and request fields are " + itoa(len(input)+len(fields)) +
			" bytes, limit " + itoa(MaxPayloadSize) + " (the Request event must fit 1024 bytes)")
	}
	expiresAt := ledger.CurrentIndex() + c.ExpiryBlocks
	storage.Put(ctx, requestKey(id), recordOf(sha256(fields), requester, fee, expiresAt))
	runtime.Notify("Request", id, functionID, neogointernal.Opcode2("LEFT", fn, CodeHashSize).([]byte),
		requester, input, jsGasLimit, fields, expiresAt)
	return id
}

// Cancel refunds an unfulfilled request's fee to the requester's balance once the request has
// expired. Only the requester (the consumer contract, by calling) may cancel.
func Cancel(requestID int) {
	ctx := storage.GetContext()
	key := requestKey(requestID)
	rec := getBytes(ctx, key)
	if rec == nil {
		if isDone(ctx, requestID) {
			panic("request " + itoa(requestID) + " is no longer pending (state " + itoa(StateCancelled) + ")")
		}
		panic("unknown request id " + itoa(requestID))
	}
	if isDone(ctx, requestID) {
		panic("request " + itoa(requestID) + " is no longer pending (state " + itoa(StateFulfilled) + ")")
	}
	requester := recordRequester(rec)
	if !runtime.CheckWitness(requester) {
		panic("only the requester may cancel request " + itoa(requestID))
	}
	fee, expiresAt := recordFeeAndExpiry(rec)
	if ledger.CurrentIndex() < expiresAt {
		panic("request " + itoa(requestID) + " cannot be cancelled before block " + itoa(expiresAt))
	}
	storage.Delete(ctx, key)
	markDone(ctx, requestID)
	credit(ctx, requester, fee)
	runtime.Notify("Cancelled", requestID, requester, fee)
}

// GetRequestState returns 0 unknown, 1 pending, 2 fulfilled, 3 cancelled. The service calls it
// before paying for a fulfilment. For a run id (runs.go): 2 once answered, else the state of its
// subscription (1 while it exists and is not cancelled, even paused or out of budget).
func GetRequestState(requestID int) int {
	ctx := storage.GetReadOnlyContext()
	if isRunID(requestID) {
		return runStateOf(ctx, requestID)
	}
	done := isDone(ctx, requestID)
	rec := getBytes(ctx, requestKey(requestID))
	if rec == nil {
		if done {
			return StateCancelled
		}
		return StateUnknown
	}
	if done {
		return StateFulfilled
	}
	return StatePending
}

// GetRequest returns [requester, commitment, fee, expiresAt] for a pending request, or null when
// it is unknown, fulfilled or cancelled (GetRequestState tells which). commitment is the sha256
// of the request fields the Request event carried.
func GetRequest(requestID int) any {
	ctx := storage.GetReadOnlyContext()
	rec := getBytes(ctx, requestKey(requestID))
	if rec == nil || isDone(ctx, requestID) {
		return nil
	}
	fee, expiresAt := recordFeeAndExpiry(rec)
	return []any{recordRequester(rec), neogointernal.Opcode2("LEFT", rec, commitmentSize), fee, expiresAt}
}

// GetRequestCount returns the last request id handed out (0 before the first request).
func GetRequestCount() int {
	return getInt(storage.GetReadOnlyContext(), keyRequestCounter)
}
