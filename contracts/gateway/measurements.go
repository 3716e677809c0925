package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop/iterator"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// The measurement policy: which enclaves may hold a key of this gateway. The owner keeps an
// allowlist of rules of two kinds:
//
//	kind 1 (MRENCLAVE): exactly this enclave build (value = 32-byte MRENCLAVE)
//	kind 2 (MRSIGNER):  any build signed by this key with this ISVPRODID and an ISVSVN of at
//	                    least minIsvSvn (value = 32-byte MRSIGNER)
//
// A measurement is allowed when any rule matches. registerEnclaveAttested refuses a quote whose
// measurement is not allowed; revoking a rule also revokes every active attested key that no
// rule allows any more. Other code (key continuity, issue 16) asks isMeasurementAllowed.

// Measurement rule kinds.
const (
	MeasurementMrEnclave = 1
	MeasurementMrSigner  = 2

	prefixMeasurement = "\x50" // + kind + value (+ isvProdId u16 LE for MRSIGNER) -> serialized measurement
)

type measurement struct {
	Kind      int
	Value     []byte
	IsvProdID int
	MinIsvSvn int
}

func measurementKey(kind int, value []byte, isvProdID int) []byte {
	if kind == MeasurementMrEnclave {
		return cat(prefixMeasurement+"\x01", value)
	}
	return cat(cat(prefixMeasurement+"\x02", value), fixedLE(isvProdID, 2))
}

func checkMeasurementRule(kind int, value []byte, isvProdID, minIsvSvn int) {
	if kind != MeasurementMrEnclave && kind != MeasurementMrSigner {
		panic("measurement kind must be 1 (MRENCLAVE) or 2 (MRSIGNER)")
	}
	if len(value) != 32 {
		panic("measurement value must be a 32-byte MRENCLAVE or MRSIGNER")
	}
	if kind == MeasurementMrEnclave && (isvProdID != 0 || minIsvSvn != 0) {
		panic("an MRENCLAVE rule takes isvProdId 0 and minIsvSvn 0 (they are part of the measured build)")
	}
	if isvProdID < 0 || isvProdID > 65535 || minIsvSvn < 0 || minIsvSvn > 65535 {
		panic("isvProdId and minIsvSvn must be 0..65535")
	}
}

// AllowMeasurement adds a rule to the allowlist, or (MRSIGNER) replaces the minimum ISVSVN of
// an existing rule for the same MRSIGNER and ISVPRODID. Owner only.
func AllowMeasurement(kind int, value []byte, isvProdID, minIsvSvn int) {
	checkMeasurementRule(kind, value, isvProdID, minIsvSvn)
	ctx := storage.GetContext()
	checkOwner(ctx)
	storage.Put(ctx, measurementKey(kind, value, isvProdID),
		std.Serialize(measurement{Kind: kind, Value: value, IsvProdID: isvProdID, MinIsvSvn: minIsvSvn}))
	runtime.Notify("MeasurementAllowed", kind, value, isvProdID, minIsvSvn)
}

// RevokeMeasurement removes a rule, then revokes every active attested enclave key whose
// measurement no remaining rule allows. Owner only.
func RevokeMeasurement(kind int, value []byte, isvProdID int) {
	checkMeasurementRule(kind, value, isvProdID, 0)
	ctx := storage.GetContext()
	checkOwner(ctx)
	key := measurementKey(kind, value, isvProdID)
	if storage.Get(ctx, key) == nil {
		panic("no such measurement rule")
	}
	storage.Delete(ctx, key)
	runtime.Notify("MeasurementRevoked", kind, value, isvProdID)
	keys := getConfig(ctx).ActiveKeys
	for i := 0; i < len(keys); i++ {
		raw := getBytes(ctx, cat(prefixAttested, keys[i]))
		if raw != nil {
			a := std.Deserialize(raw).(attested)
			if !measurementAllowed(ctx, a.MrEnclave, a.MrSigner, a.IsvProdID, a.IsvSvn) {
				revokeKey(ctx, keys[i])
			}
		}
	}
}

// Measurements returns every rule as [kind, value, isvProdId, minIsvSvn].
func Measurements() []any {
	out := []any{}
	it := storage.Find(storage.GetReadOnlyContext(), prefixMeasurement, storage.ValuesOnly|storage.DeserializeValues)
	for iterator.Next(it) {
		m := iterator.Value(it).(measurement)
		out = append(out, []any{m.Kind, m.Value, m.IsvProdID, m.MinIsvSvn})
	}
	return out
}

// IsMeasurementAllowed says whether an enclave with this MRENCLAVE, MRSIGNER, ISVPRODID and
// ISVSVN is allowed by the policy.
func IsMeasurementAllowed(mrEnclave, mrSigner []byte, isvProdID, isvSvn int) bool {
	if len(mrEnclave) != 32 || len(mrSigner) != 32 {
		panic("mrEnclave and mrSigner must be 32 bytes")
	}
	return measurementAllowed(storage.GetReadOnlyContext(), mrEnclave, mrSigner, isvProdID, isvSvn)
}

func measurementAllowed(ctx storage.Context, mrEnclave, mrSigner []byte, isvProdID, isvSvn int) bool {
	if storage.Get(ctx, measurementKey(MeasurementMrEnclave, mrEnclave, 0)) != nil {
		return true
	}
	raw := getBytes(ctx, measurementKey(MeasurementMrSigner, mrSigner, isvProdID))
	if raw == nil {
		return false
	}
	return isvSvn >= std.Deserialize(raw).(measurement).MinIsvSvn
}
