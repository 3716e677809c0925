// Package hello is the smallest contract that proves the tool chain: compiled by neo-go,
// deployed on the local chain, invoked through neow3j, its notification read back.
package hello

import (
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
)

// SayHello emits a Hello notification carrying the caller's name and returns a greeting.
func SayHello(name string) string {
	greeting := "Hello, " + name + "!"
	runtime.Notify("Hello", name, greeting)
	return greeting
}
