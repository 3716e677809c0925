package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// function is a registered JavaScript function: the enclave refuses code whose sha256 differs
// from CodeHash.
type function struct {
	CodeHash []byte
	Owner    interop.Hash160
	Version  int
	Enabled  bool
}

func functionKey(functionID string) []byte {
	return cat(prefixFunction, functionID)
}

func getFunction(ctx storage.Context, functionID string) (function, bool) {
	raw := getBytes(ctx, functionKey(functionID))
	if raw == nil {
		return function{}, false
	}
	return loadFunction(raw), true
}

// putFunction stores the function record, and beside it what a request reads of it (its code
// hash and whether it is enabled) in a fixed layout that needs no deserialization.
func putFunction(ctx storage.Context, functionID string, f function) {
	storage.Put(ctx, functionKey(functionID), std.Serialize(f))
	enabled := 0
	if f.Enabled {
		enabled = 1
	}
	storage.Put(ctx, cat(prefixFunctionHot, functionID), cat(f.CodeHash, fixedLE(enabled, 1)))
}

// checkFunctionID is the one rule for function ids, the service's too (io.nsl.NameRules, checked
// against the same cases in testdata/name-cases.json): 1..64 characters of a-z 0-9 . _ -,
// starting with a letter or digit. The id names the function's storage namespace in the service,
// which has no upper case: an id outside the rule was registered here and failed every request.
func checkFunctionID(functionID string) {
	if len(functionID) == 0 || len(functionID) > MaxFunctionIDSize {
		panic("functionId must be 1.." + itoa(MaxFunctionIDSize) + " bytes")
	}
	b := []byte(functionID)
	for i := 0; i < len(b); i++ {
		c := b[i]
		alnum := (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
		if !alnum && (i == 0 || (c != '.' && c != '_' && c != '-')) {
			panic("functionId must use a-z 0-9 . _ - and start with a letter or digit")
		}
	}
}

// RegisterFunction registers functionId with the sha256 of its code, owned by owner, at
// version 1. The owner must witness the transaction; ids are first come, first served.
func RegisterFunction(functionID string, codeHash []byte, owner interop.Hash160) {
	checkFunctionID(functionID)
	if len(codeHash) != CodeHashSize {
		panic("codeHash must be the 32-byte sha256 of the function's code")
	}
	mustHash160(owner, "function owner")
	if !runtime.CheckWitness(owner) {
		panic("the function owner must witness its registration")
	}
	ctx := storage.GetContext()
	if _, ok := getFunction(ctx, functionID); ok {
		panic("function " + functionID + " is already registered")
	}
	putFunction(ctx, functionID, function{CodeHash: codeHash, Owner: owner, Version: 1, Enabled: true})
	runtime.Notify("FunctionRegistered", functionID, codeHash, owner, 1)
}

// ownedFunction loads a function and faults unless its owner witnesses the transaction.
func ownedFunction(ctx storage.Context, functionID string) function {
	f, ok := getFunction(ctx, functionID)
	if !ok {
		panic("unknown function: " + functionID)
	}
	if !runtime.CheckWitness(f.Owner) {
		panic("only the owner of function " + functionID + " may change it")
	}
	return f
}

// UpdateFunction commits new code for a function: new hash, version + 1. Requests made before
// the update carry the old code hash in their Request event and are executed with that code.
func UpdateFunction(functionID string, codeHash []byte) {
	if len(codeHash) != CodeHashSize {
		panic("codeHash must be the 32-byte sha256 of the function's code")
	}
	ctx := storage.GetContext()
	f := ownedFunction(ctx, functionID)
	f.CodeHash = codeHash
	f.Version = f.Version + 1
	putFunction(ctx, functionID, f)
	runtime.Notify("FunctionUpdated", functionID, codeHash, f.Owner, f.Version)
}

// SetFunctionEnabled disables (false) or re-enables (true) new requests to a function.
func SetFunctionEnabled(functionID string, enabled bool) {
	ctx := storage.GetContext()
	f := ownedFunction(ctx, functionID)
	f.Enabled = asBool(enabled)
	putFunction(ctx, functionID, f)
	runtime.Notify("FunctionEnabled", functionID, f.Enabled)
}

// GetFunction returns [codeHash, owner, version, enabled] or null for an unknown id.
func GetFunction(functionID string) any {
	f, ok := getFunction(storage.GetReadOnlyContext(), functionID)
	if !ok {
		return nil
	}
	return []any{f.CodeHash, f.Owner, f.Version, f.Enabled}
}
