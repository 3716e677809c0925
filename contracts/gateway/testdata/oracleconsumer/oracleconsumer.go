// Package oracleconsumer asks Neo's native Oracle for one answer, so the tests can measure what
// the same job costs through the Oracle.
package oracleconsumer

import (
	"github.com/nspcc-dev/neo-go/pkg/interop/native/oracle"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// Ask requests url with the smallest gasForResponse the Oracle accepts.
func Ask(url string) {
	oracle.Request(url, nil, "onOracle", nil, oracle.MinimumResponseGas)
}

// OnOracle stores the answer, as the example NSL consumer does.
func OnOracle(url string, userData any, code int, result []byte) {
	if !runtime.GetCallingScriptHash().Equals(oracle.Hash) {
		panic("only the Oracle may call back")
	}
	storage.Put(storage.GetContext(), "a", result)
	runtime.Notify("Answer", code, result)
}
