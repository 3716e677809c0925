package hello_test

import (
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/neotest"
	"github.com/nspcc-dev/neo-go/pkg/neotest/chain"
	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
)

func TestSayHelloEmitsHelloNotification(t *testing.T) {
	bc, acc := chain.NewSingle(t)
	e := neotest.NewExecutor(t, bc, acc, acc)
	ctr := neotest.CompileFile(t, e.CommitteeHash, ".", "hello.yml")
	e.DeployContract(t, ctr, nil)

	inv := e.CommitteeInvoker(ctr.Hash)
	h := inv.Invoke(t, stackitem.NewBuffer([]byte("Hello, neo!")), "sayHello", "neo")
	inv.CheckTxNotificationEvent(t, h, 0, stateNotification(ctr.Hash, "neo", "Hello, neo!"))
}
