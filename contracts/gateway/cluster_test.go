package gateway_test

import (
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/core/state"
	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

func (v *env) clusterKey(t *testing.T) stackitem.Item {
	st, err := v.gw.TestInvoke(t, "clusterKey")
	require.NoError(t, err)
	return st.Pop().Item()
}

func TestClusterKeyIsUnsetUntilTheOwnerSetsIt(t *testing.T) {
	v := newEnv(t)
	require.Equal(t, stackitem.Null{}, v.clusterKey(t))
}

func TestClusterKeyRecordsEachEpochWithAnEvent(t *testing.T) {
	v := newEnv(t)
	k0 := newKey(t).PublicKey().Bytes()
	k1 := newKey(t).PublicKey().Bytes()
	h := v.gw.Invoke(t, stackitem.Null{}, "setClusterKey", 0, k0)
	v.e.CheckTxNotificationEvents(t, h, []state.NotificationEvent{
		{ScriptHash: v.gwHash, Name: "ClusterKeyChanged", Item: stackitem.NewArray([]stackitem.Item{
			stackitem.Make(0), stackitem.Make(k0),
		})},
	})
	t.Logf("setClusterKey costs %s GAS (system + network)", gasString(v.cost(t, h).total()))
	got := v.clusterKey(t).Value().([]stackitem.Item)
	require.EqualValues(t, 0, got[0].Value().(interface{ Int64() int64 }).Int64())
	require.Equal(t, k0, mustBytes(t, got[1]))

	v.gw.Invoke(t, stackitem.Null{}, "setClusterKey", 1, k1)
	got = v.clusterKey(t).Value().([]stackitem.Item)
	require.EqualValues(t, 1, got[0].Value().(interface{ Int64() int64 }).Int64())
	require.Equal(t, k1, mustBytes(t, got[1]))
}

func TestClusterKeyRules(t *testing.T) {
	v := newEnv(t)
	good := newKey(t).PublicKey().Bytes()
	v.gw.Invoke(t, stackitem.Null{}, "setClusterKey", 3, good)
	cases := []struct {
		name  string
		who   string
		epoch int64
		key   []byte
		fault string
	}{
		{"only the owner", "dev", 4, good, "only the gateway owner may do this"},
		{"the same epoch again", "owner", 3, good, "epoch must be the next one, 4"},
		{"an epoch skipped", "owner", 5, good, "epoch must be the next one, 4"},
		{"an older epoch", "owner", 2, good, "epoch must be the next one, 4"},
		{"a negative epoch", "owner", -1, good, "epoch must be >= 0"},
		{"a 32-byte key", "owner", 4, good[:32], "pubKey must be a 33-byte compressed"},
		{"an uncompressed prefix", "owner", 4, append([]byte{4}, good[1:]...), "pubKey must be a 33-byte compressed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := v.gw
			if c.who == "dev" {
				inv = v.gw.WithSigners(v.dev)
			}
			inv.InvokeFail(t, c.fault, "setClusterKey", c.epoch, c.key)
		})
	}
}
