package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/convert"
	"github.com/nspcc-dev/neo-go/pkg/interop/iterator"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// legacyRequest is a pending request as the first storage format kept it (prefixLegacy +
// requestId -> serialized legacyRequest; a finished request kept a 1-byte state instead).
type legacyRequest struct {
	Requester interop.Hash160
	Callback  string
	UserData  any
	Fee       int
	ExpiresAt int
}

// legacyEntry is what a Find over prefixLegacy with RemovePrefix yields.
type legacyEntry struct {
	Key   []byte
	Value []byte
}

// migrateFunctions writes the request-side item of every registered function (putFunction),
// which the first version did not keep.
func migrateFunctions(ctx storage.Context) {
	it := storage.Find(ctx, prefixFunction, storage.RemovePrefix)
	for iterator.Next(it) {
		kv := iterator.Value(it).(legacyEntry)
		putFunction(ctx, string(kv.Key), loadFunction(kv.Value))
	}
}

// migrateLegacyRequests moves every request of the first storage format to the commitment
// format, in the update transaction (Update -> _deploy with isUpdate): a pending request gets its
// commitment record, and a RequestMigrated event carries its fields, which its original Request
// event lacked, for the service to hand back; a fulfilled one keeps a 1-byte record and its done
// bit; a cancelled one only its done bit. The old items are deleted. The update pays for it,
// about 0.06 GAS per finished old request and 0.15 per pending one: pause the gateway and let the
// service drain it first to keep the
// update cheap.
func migrateLegacyRequests(ctx storage.Context) {
	it := storage.Find(ctx, prefixLegacy, storage.RemovePrefix)
	for iterator.Next(it) {
		kv := iterator.Value(it).(legacyEntry)
		id := convert.ToInteger(kv.Key)
		switch {
		case len(kv.Value) > 1:
			r := deserialize(kv.Value).(legacyRequest)
			fields := requestFields(r.Requester, r.Callback, r.UserData)
			storage.Put(ctx, requestKey(id), recordOf(sha256(fields), r.Requester, r.Fee, r.ExpiresAt))
			runtime.Notify("RequestMigrated", id, fields, r.ExpiresAt)
		case kv.Value[0] == StateFulfilled:
			storage.Put(ctx, requestKey(id), []byte{StateFulfilled})
			markDone(ctx, id)
		default: // cancelled
			markDone(ctx, id)
		}
		storage.Delete(ctx, cat(prefixLegacy, kv.Key))
	}
}
