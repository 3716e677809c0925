package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/contract"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/crypto"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/neogointernal"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// Gas-conscious primitives for the hot paths (request, fulfil).
//
// neo-go compiles every Go type assertion, and []byte(...) of a string, to a CONVERT opcode
// (1<<13 x ExecFeeFactor = 0.0025 GAS on mainnet settings) unless the operand is a
// neogointernal call. A request or fulfilment would pay a dozen of them for nothing, so storage
// reads, deserialization and key building go through neogointernal here. Behaviour is the same
// as storage.Get, std.Deserialize and append; the tests cover every path.

const getSyscall = "System.Storage.Get"

// getBytes returns the stored bytes, or nil.
func getBytes(ctx storage.Context, key any) []byte {
	return neogointernal.Syscall2(getSyscall, ctx, key).([]byte)
}

// getInt returns the stored integer, or 0 when the key is absent.
func getInt(ctx storage.Context, key any) int {
	v := neogointernal.Syscall2(getSyscall, ctx, key)
	if v == nil {
		return 0
	}
	return neogointernal.Opcode2("ADD", v, 0).(int) // ByteString -> Integer, without CONVERT
}

// cat concatenates two byte strings or an byte string and an integer (its minimal
// little-endian two's complement bytes, as Neo stores integers).
func cat(a, b any) []byte {
	return neogointernal.Opcode2("CAT", a, b).([]byte)
}

// fixedLE encodes 0 <= n < 2^(8*size) as exactly size little-endian bytes: n + 2^(8*size) has
// n's bytes followed by a 0x01, and LEFT keeps the first size of them.
func fixedLE(n, size int) []byte {
	return neogointernal.Opcode2("LEFT", n+(1<<(8*size)), size).([]byte)
}

// leUint reads the n-byte little-endian unsigned integer at off, byte by byte with PICKITEM: a
// splice (SUBSTR) gives a Buffer, which arithmetic refuses, and the CONVERT back costs more.
func leUint(b []byte, off, n int) int {
	v := 0
	for i := n - 1; i >= 0; i-- {
		v = neogointernal.Opcode2("SHL", v, 8).(int) + int(b[off+i])
	}
	return v
}

func loadConfig(raw []byte) config {
	return neogointernal.CallWithToken(std.Hash, "deserialize", int(contract.NoneFlag), raw).(config)
}

// deserialize turns serialized bytes (userData) back into the stack item.
func deserialize(raw []byte) any {
	return neogointernal.CallWithToken(std.Hash, "deserialize", int(contract.NoneFlag), raw)
}

// sha256 is CryptoLib's sha256, as bytes.
func sha256(b []byte) []byte {
	return neogointernal.CallWithToken(crypto.Hash, "sha256", int(contract.NoneFlag), b).([]byte)
}

func loadFunction(raw []byte) function {
	return neogointernal.CallWithToken(std.Hash, "deserialize", int(contract.NoneFlag), raw).(function)
}

func loadEnclave(raw []byte) enclave {
	return neogointernal.CallWithToken(std.Hash, "deserialize", int(contract.NoneFlag), raw).(enclave)
}

func loadOwner(ctx storage.Context) interop.Hash160 {
	return neogointernal.Syscall2(getSyscall, ctx, keyOwner).(interop.Hash160)
}
