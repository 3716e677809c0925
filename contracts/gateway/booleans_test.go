package gateway_test

import (
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

// Clients that send true/false as the integers 1/0 (neow3j does) got a FAULT: the event's
// Boolean parameter was notified as an Integer, which neo-go refuses against the manifest.
func TestBooleanArgumentsSentAsIntegersAreNotifiedAsBooleans(t *testing.T) {
	v := newEnv(t)
	h := v.gw.Invoke(t, stackitem.Null{}, "setPaused", 1)
	ev := v.events(t, h)
	require.Equal(t, "Paused", ev[0].Name)
	require.Equal(t, stackitem.NewBool(true), ev[0].Item.Value().([]stackitem.Item)[0])
	v.gw.Invoke(t, stackitem.NewBool(true), "isPaused")
	v.gw.Invoke(t, stackitem.Null{}, "setPaused", 0)
	v.gw.Invoke(t, stackitem.NewBool(false), "isPaused")

	h = v.gw.WithSigners(v.dev).Invoke(t, stackitem.Null{}, "setFunctionEnabled", functionID, 0)
	ev = v.events(t, h)
	require.Equal(t, "FunctionEnabled", ev[0].Name)
	require.Equal(t, stackitem.NewBool(false), ev[0].Item.Value().([]stackitem.Item)[1])
}
