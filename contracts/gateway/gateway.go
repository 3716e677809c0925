// Package gateway is the chain's half of every promise NSL makes: consumer contracts ask for a
// registered JavaScript function to be run, an attested enclave signs the answer, and the gateway
// accepts it only with a valid signature by an active enclave key, then calls the consumer back.
//
// The files split by concern: owner.go (owner, pause, update, destroy, fee parameters),
// enclaves.go and functions.go (registries), fees.go (prepaid balances, NEP-17 deposits,
// withdrawals), requests.go (request, cancel, request state), fulfilment.go (signed fulfilment,
// batches, callbacks), subscriptions.go and runs.go (triggers: subscriptions and the answers to
// their runs, which travel in the same batches as requests), migrate.go (storage of the first
// version, moved on update).
// contracts/README.md documents the interface the Java service uses.
package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
)

// Storage layout. Single-byte prefixes keep keys (and therefore storage fees) small.
const (
	keyOwner          = "\x01" // Hash160 of the owner account (may be a multi-signature account)
	keyAllowSimulated = "\x02" // Boolean fixed at deploy: are SIMULATED enclave keys accepted?
	keyConfig         = "\x03" // serialized config: pause switch, fee parameters, fee recipient
	keyRequestCounter = "\x04" // last request id handed out (ids start at 1)
	keyRequestParams  = "\x05" // what a request needs of the config, in a fixed layout (requestParams)
	keySubCounter     = "\x06" // last subscription id handed out (ids start at 1)
	keyTriggerParams  = "\x07" // operator's trigger limits, one integer (triggerParams); absent = defaults

	prefixEnclave     = "\x10" // + pubKey -> serialized enclave record
	prefixAttestation = "\x11" // + pubKey -> attestation bytes as registered
	prefixFunction    = "\x20" // + functionId -> serialized function record
	prefixFunctionHot = "\x21" // + functionId -> codeHash (32) || enabled (1 byte), what a request reads
	prefixLegacy      = "\x30" // + requestId -> request record of the first storage format (migrated on update)
	prefixRequest     = "\x32" // + requestId -> commitment (32) || requester (20) || fee, expiresAt (12)
	prefixDone        = "\x33" // + (requestId >> 7) -> bitmap: bit (requestId & 127) set = fulfilled or cancelled
	prefixBalance     = "\x40" // + account -> prepaid GAS balance in datoshi (1e-8 GAS)
	prefixSub         = "\x50" // + subscriptionId -> hot record, fixed layout (subscriptions.go), what a run reads
	prefixSubState    = "\x51" // + subscriptionId -> one integer: budget, period, runs in period, state
	prefixSubInfo     = "\x52" // + subscriptionId -> serialized subscriptionInfo (owner, trigger, target)
)

// Limits. The Request event must fit Neo's 1024-byte notification limit
// (runtime.MaxNotificationSize) together with the other fields, which bounds the input and the
// request's fields (the callback and the serialized userData) together.
const (
	MaxInputSize      = 768   // bytes of request input (the JSON the function gets)
	MaxFunctionIDSize = 63    // bytes of a function id: a storage key is at most 64 bytes, one of them the prefix
	MaxCallbackSize   = 32    // bytes of a callback method name (as the native Oracle)
	MaxPayloadSize    = 832   // bytes of input + request fields together (the Request event's share)
	MaxResultSize     = 4096  // bytes of a fulfilment result
	MaxBatchSize      = 256   // entries of one FulfilBatch (each entry is 5 stack items; NeoVM allows 2048 in all)
	MaxAttestation    = 65000 // bytes of attestation (Neo's storage value limit is 65535)
	MaxActiveEnclaves = 8     // bounds the signature checks one fulfilment may need
	SignatureSize     = 64    // secp256r1 r||s
	PublicKeySize     = 33    // compressed secp256r1 point
	CodeHashSize      = 32    // sha256 of the function's code
)

func mustHash160(h interop.Hash160, what string) {
	if len(h) != interop.Hash160Len {
		panic(what + " must be a 20-byte Hash160")
	}
}

func itoa(n int) string {
	return std.Itoa10(n)
}
