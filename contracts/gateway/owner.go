package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/management"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// Default fee parameters set at deploy; the owner changes them with SetFeeParameters.
const (
	// 0.05 GAS: covers the gateway's share of a fulfilment in batches of 5 or more (0.047 GAS
	// per answer at 5, 0.018 at 100; contracts/README.md, "Fee defaults") with the rest left for
	// the off-chain execution. TestGasCosts checks it.
	defaultRequestFee = 5000000
	// Datoshi per JS gas unit; 0 = execution is priced into RequestFee.
	defaultJsGasPrice = 0
	// 0.1 GAS, as the native Oracle's minimum: pays for the callback (the example consumer's
	// costs 0.056 GAS, measured as "your callback" by TestGasCosts).
	defaultMinGasForResponse = 10000000
	defaultMaxJsGasLimit     = 100000000
	defaultExpiryBlocks      = 240
)

// config is everything a request or fulfilment needs from the owner's settings, kept in one
// storage item so that each transaction pays for one read instead of six.
type config struct {
	Paused            bool
	RequestFee        int // datoshi charged per request on top of gasForResponse
	JsGasPrice        int // datoshi per JS gas unit of the request's gasLimit
	MinGasForResponse int // smallest gasForResponse accepted, datoshi
	MaxJsGasLimit     int // largest JS gas limit a request may ask for
	ExpiryBlocks      int // blocks after which an unfulfilled request may be cancelled
	FeeRecipient      interop.Hash160
	ActiveKeys        []interop.PublicKey // active enclave keys (33-byte compressed each)
}

// _deploy takes data = [owner Hash160, allowSimulated Boolean]. allowSimulated is fixed for the
// life of the deployment: a production gateway is deployed with false and then refuses SIMULATED
// enclave keys forever, even after an update.
//
// On update, requests kept in the first storage format are migrated (migrate.go).
func _deploy(data any, isUpdate bool) {
	if isUpdate {
		ctx := storage.GetContext()
		putConfig(ctx, getConfig(ctx)) // writes requestParams, which the first version lacked
		migrateFunctions(ctx)
		migrateLegacyRequests(ctx)
		return
	}
	if data == nil {
		panic("deploy data must be [owner Hash160, allowSimulated Boolean]")
	}
	args := data.([]any)
	if len(args) != 2 {
		panic("deploy data must be [owner Hash160, allowSimulated Boolean]")
	}
	owner := args[0].(interop.Hash160)
	mustHash160(owner, "deploy data owner")
	allowSimulated := args[1].(bool)
	ctx := storage.GetContext()
	storage.Put(ctx, keyOwner, owner)
	storage.Put(ctx, keyAllowSimulated, allowSimulated)
	putConfig(ctx, config{
		RequestFee:        defaultRequestFee,
		JsGasPrice:        defaultJsGasPrice,
		MinGasForResponse: defaultMinGasForResponse,
		MaxJsGasLimit:     defaultMaxJsGasLimit,
		ExpiryBlocks:      defaultExpiryBlocks,
		FeeRecipient:      owner,
		ActiveKeys:        []interop.PublicKey{},
	})
}

func getConfig(ctx storage.Context) config {
	return loadConfig(getBytes(ctx, keyConfig))
}

// putConfig stores the config, and beside it the part a request reads (requestParams).
func putConfig(ctx storage.Context, c config) {
	storage.Put(ctx, keyConfig, std.Serialize(c))
	paused := 0
	if c.Paused {
		paused = 1
	}
	storage.Put(ctx, keyRequestParams, cat(cat(cat(cat(cat(fixedLE(paused, 1), fixedLE(c.RequestFee, 8)),
		fixedLE(c.JsGasPrice, 8)), fixedLE(c.MinGasForResponse, 8)), fixedLE(c.MaxJsGasLimit, 8)),
		fixedLE(c.ExpiryBlocks, 4)))
}

// requestParams is what Request needs of the config, read from one fixed-layout item: paused (1
// byte), requestFee, jsGasPrice, minGasForResponse, maxJsGasLimit (u64 LE each), expiryBlocks
// (u32 LE). Deserializing the config record instead would cost a native call (0.0147 GAS).
type requestParams struct {
	Paused            bool
	RequestFee        int
	JsGasPrice        int
	MinGasForResponse int
	MaxJsGasLimit     int
	ExpiryBlocks      int
}

func getRequestParams(ctx storage.Context) requestParams {
	b := getBytes(ctx, keyRequestParams)
	return requestParams{
		Paused:            b[0] != 0,
		RequestFee:        leUint(b, 1, 8),
		JsGasPrice:        leUint(b, 9, 8),
		MinGasForResponse: leUint(b, 17, 8),
		MaxJsGasLimit:     leUint(b, 25, 8),
		ExpiryBlocks:      leUint(b, 33, 4),
	}
}

// checkOwner faults unless the transaction carries the owner's witness. The owner may be any
// account, including a multi-signature one.
func checkOwner(ctx storage.Context) {
	if !runtime.CheckWitness(loadOwner(ctx)) {
		panic("only the gateway owner may do this: the transaction lacks the owner's witness")
	}
}

// GetOwner returns the owner account.
func GetOwner() interop.Hash160 {
	return loadOwner(storage.GetReadOnlyContext())
}

// AllowsSimulated says whether SIMULATED enclave keys may be registered (fixed at deploy).
func AllowsSimulated() bool {
	return storage.Get(storage.GetReadOnlyContext(), keyAllowSimulated).(bool)
}

// SetOwner hands the gateway to a new owner. Both the current and the new owner must witness
// the transaction, so a typo cannot lock the gateway away from everyone.
func SetOwner(newOwner interop.Hash160) {
	mustHash160(newOwner, "new owner")
	ctx := storage.GetContext()
	checkOwner(ctx)
	if !runtime.CheckWitness(newOwner) {
		panic("the new owner must also witness the ownership transfer")
	}
	old := loadOwner(ctx)
	storage.Put(ctx, keyOwner, newOwner)
	runtime.Notify("OwnerChanged", old, newOwner)
}

// SetPaused stops (true) or resumes (false) new requests and fulfilments. Cancel and withdraw
// keep working while paused, so nobody's GAS is locked by a pause.
func SetPaused(paused bool) {
	ctx := storage.GetContext()
	checkOwner(ctx)
	c := getConfig(ctx)
	c.Paused = asBool(paused)
	putConfig(ctx, c)
	runtime.Notify("Paused", c.Paused)
}

// IsPaused says whether requests and fulfilments are stopped.
func IsPaused() bool {
	return getConfig(storage.GetReadOnlyContext()).Paused
}

// SetFeeParameters changes the fee parameters for requests made from now on; requests already
// made keep the fee they paid.
func SetFeeParameters(requestFee, jsGasPrice, minGasForResponse, maxJsGasLimit, expiryBlocks int) {
	if requestFee < 0 || jsGasPrice < 0 || minGasForResponse < 0 {
		panic("fees must not be negative")
	}
	if maxJsGasLimit <= 0 || expiryBlocks <= 0 {
		panic("maxJsGasLimit and expiryBlocks must be positive")
	}
	ctx := storage.GetContext()
	checkOwner(ctx)
	c := getConfig(ctx)
	c.RequestFee = requestFee
	c.JsGasPrice = jsGasPrice
	c.MinGasForResponse = minGasForResponse
	c.MaxJsGasLimit = maxJsGasLimit
	c.ExpiryBlocks = expiryBlocks
	putConfig(ctx, c)
	runtime.Notify("FeeParametersChanged", requestFee, jsGasPrice, minGasForResponse, maxJsGasLimit, expiryBlocks)
}

// SetFeeRecipient sets the account credited with the fees of fulfilled requests.
func SetFeeRecipient(account interop.Hash160) {
	mustHash160(account, "fee recipient")
	ctx := storage.GetContext()
	checkOwner(ctx)
	c := getConfig(ctx)
	c.FeeRecipient = account
	putConfig(ctx, c)
	runtime.Notify("FeeRecipientChanged", account)
}

// GetFeeParameters returns [requestFee, jsGasPrice, minGasForResponse, maxJsGasLimit,
// expiryBlocks, feeRecipient, maxInputSize, paused].
func GetFeeParameters() []any {
	c := getConfig(storage.GetReadOnlyContext())
	return []any{c.RequestFee, c.JsGasPrice, c.MinGasForResponse, c.MaxJsGasLimit,
		c.ExpiryBlocks, c.FeeRecipient, MaxInputSize, c.Paused}
}

// Update replaces the gateway's code, keeping its storage. Owner only.
func Update(nef []byte, manifest []byte, data any) {
	checkOwner(storage.GetReadOnlyContext())
	management.UpdateWithData(nef, manifest, data)
}

// Destroy removes the gateway. Owner only.
//
// WARNING: destroying the gateway makes every prepaid balance and any GAS it holds unrecoverable.
// Pause first, let requesters cancel and withdraw, and withdraw the fee recipient's balance.
func Destroy() {
	checkOwner(storage.GetReadOnlyContext())
	management.Destroy()
}

// asBool turns what a client sent as a Boolean into one: some (neow3j) send true/false as the
// integers 1/0, and an event that notifies an Integer for a Boolean parameter FAULTs the call.
func asBool(b bool) bool {
	if b {
		return true
	}
	return false
}
