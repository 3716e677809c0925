package gateway_test

import (
	"encoding/binary"
	"github.com/nspcc-dev/neo-go/pkg/core/interop/interopnames"
	"sort"
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/core/block"
	"github.com/nspcc-dev/neo-go/pkg/core/transaction"
	"github.com/nspcc-dev/neo-go/pkg/smartcontract/callflag"
	"github.com/nspcc-dev/neo-go/pkg/smartcontract/trigger"
	"github.com/nspcc-dev/neo-go/pkg/util"
	"github.com/nspcc-dev/neo-go/pkg/vm/opcode"
)

func profile(t *testing.T, v *env, tx *transaction.Transaction) {
	lastBlock, _ := v.e.Chain.GetBlock(v.e.Chain.GetHeaderHash(v.e.Chain.BlockHeight()))
	b := &block.Block{Header: block.Header{Index: v.e.Chain.BlockHeight() + 1, Timestamp: lastBlock.Timestamp + 1}}
	ttx := *tx
	ic, _ := v.e.Chain.GetTestVM(trigger.Application, &ttx, b)
	defer ic.Finalize()
	agg := map[string]int64{}
	var lastKey string
	var lastGas int64
	ic.VM.SetOnExecHook(func(h util.Uint160, off int, op opcode.Opcode) {
		g := ic.VM.GasConsumed()
		if lastKey != "" {
			agg[lastKey] += g - lastGas
		}
		name := op.String()
		prog := ic.VM.Context().Program()
		if op == opcode.SYSCALL {
			id := binary.LittleEndian.Uint32(prog[off+1 : off+5])
			n, _ := interopnames.FromID(id)
			name = n
		}
		if op == opcode.CALLT {
			idx := binary.LittleEndian.Uint16(prog[off+1 : off+3])
			cs := v.e.Chain.GetContractState(h)
			tok := cs.NEF.Tokens[idx]
			name = "CALLT " + tok.Method
		}
		lastKey = name + " @" + h.StringLE()[:6]
		lastGas = g
	})
	ic.VM.LoadWithFlags(tx.Script, callflag.All)
	err := ic.VM.Run()
	agg[lastKey] += ic.VM.GasConsumed() - lastGas
	type kv struct {
		k string
		v int64
	}
	var l []kv
	for k, x := range agg {
		l = append(l, kv{k, x})
	}
	sort.Slice(l, func(i, j int) bool { return l[i].v > l[j].v })
	t.Logf("total %d err %v", ic.VM.GasConsumed(), err)
	for i := 0; i < len(l) && i < 25; i++ {
		t.Logf("%10d %s", l[i].v, l[i].k)
	}
}

func TestProfile(t *testing.T) {
	v := newEnv(t)
	v.request(t, input)
	t.Logf("gateway %s consumer %s", v.gwHash.StringLE()[:6], consumerCtr.Hash.StringLE()[:6])
	profile(t, v, v.consumer.PrepareInvoke(t, "request", functionID, []byte(input), jsGasLimit, gasForResponse))
	a := v.sign(1, 0, []byte(`{"price":42}`), 1000)
	profile(t, v, v.submitterInvoker().PrepareInvoke(t, "fulfil", a.args()...))
}
