package hello_test

import (
	"github.com/nspcc-dev/neo-go/pkg/core/state"
	"github.com/nspcc-dev/neo-go/pkg/util"
	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
)

func stateNotification(h util.Uint160, name, greeting string) state.NotificationEvent {
	return state.NotificationEvent{
		ScriptHash: h,
		Name:       "Hello",
		Item:       stackitem.NewArray([]stackitem.Item{stackitem.Make(name), stackitem.Make(greeting)}),
	}
}
