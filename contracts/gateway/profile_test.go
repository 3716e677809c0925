package gateway_test

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/core/interop/interopnames"
	"github.com/nspcc-dev/neo-go/pkg/core/transaction"
	"github.com/nspcc-dev/neo-go/pkg/smartcontract/callflag"
	"github.com/nspcc-dev/neo-go/pkg/smartcontract/trigger"
	"github.com/nspcc-dev/neo-go/pkg/util"
	"github.com/nspcc-dev/neo-go/pkg/vm/opcode"
	"github.com/nspcc-dev/neo-go/pkg/vm/vmstate"
	"github.com/stretchr/testify/require"
)

// profileRow is what one kind of instruction cost in a run: SYSCALLs by name, CALLTs by the
// native method they call (the method's own fee included), other opcodes by name.
type profileRow struct {
	what  string
	count int
	gas   int64
}

// profile runs tx's script in a test VM on the current state and attributes the GAS each
// instruction burnt (the difference between consecutive instructions) to it, per contract.
func (v *env) profile(t *testing.T, tx *transaction.Transaction) (map[string]*profileRow, int64) {
	ic, err := v.e.Chain.GetTestVM(trigger.Application, tx, nil)
	require.NoError(t, err)
	ic.VM.SetGasLimit(100_0000_0000)
	ic.VM.LoadScriptWithFlags(tx.Script, callflag.All)
	names := map[util.Uint160]string{v.gwHash: "gateway", consumerCtr.Hash: "consumer", hostileCtr.Hash: "pass-through"}
	tokens := map[util.Uint160][]string{}
	for h := range names {
		cs := v.e.Chain.GetContractState(h)
		if cs == nil {
			continue
		}
		for _, tok := range cs.NEF.Tokens {
			tokens[h] = append(tokens[h], tok.Method)
		}
	}
	rows := map[string]*profileRow{}
	last := ""
	lastGas := int64(0)
	ic.VM.SetOnExecHook(func(h util.Uint160, offset int, op opcode.Opcode) {
		if last != "" {
			r := rows[last]
			if r == nil {
				r = &profileRow{what: last}
				rows[last] = r
			}
			r.count++
			r.gas += ic.VM.GasConsumed() - lastGas
		}
		lastGas = ic.VM.GasConsumed()
		who, ok := names[h]
		if !ok {
			// A native contract's own work counts for the contract that called it; the entry
			// script is the transaction's.
			who = "transaction"
			if caller, ok := names[ic.VM.GetCallingScriptHash()]; ok {
				who = caller
			}
		}
		label := op.String()
		prog := ic.VM.Context().Program()
		switch op {
		case opcode.SYSCALL:
			name, _ := interopnames.FromID(binary.LittleEndian.Uint32(prog[offset+1:]))
			label = name
		case opcode.CALLT:
			i := int(binary.LittleEndian.Uint16(prog[offset+1:]))
			if i < len(tokens[h]) {
				label = "CALLT " + tokens[h][i]
			}
		}
		last = who + ": " + label
	})
	require.NoError(t, ic.VM.Run())
	require.Equal(t, vmstate.Halt, ic.VM.State())
	if last != "" {
		r := rows[last]
		if r == nil {
			r = &profileRow{what: last}
			rows[last] = r
		}
		r.count++
		r.gas += ic.VM.GasConsumed() - lastGas
	}
	return rows, ic.VM.GasConsumed()
}

func profileTable(rows map[string]*profileRow, total int64, per int) string {
	list := make([]*profileRow, 0, len(rows))
	for _, r := range rows {
		list = append(list, r)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].gas > list[j].gas })
	var b strings.Builder
	fmt.Fprintf(&b, "\n| instruction | count | GAS | share |\n|---|---:|---:|---:|\n")
	for _, r := range list {
		if r.gas*1000 < total { // under 0.1 %
			continue
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %.1f%% |\n", r.what, r.count/per, gasString(r.gas/int64(per)), 100*float64(r.gas)/float64(total))
	}
	fmt.Fprintf(&b, "| total system fee | | %s | |\n", gasString(total/int64(per)))
	parts := map[string]int64{}
	for _, r := range list {
		parts[r.what[:strings.Index(r.what, ":")]] += r.gas
	}
	for _, who := range []string{"transaction", "consumer", "pass-through", "gateway"} {
		if parts[who] != 0 {
			fmt.Fprintf(&b, "| of which %s (its own code and the native calls it makes) | | %s | |\n", who, gasString(parts[who]/int64(per)))
		}
	}
	return b.String()
}

// TestGasProfile prints where the GAS of a request and of a batch-100 fulfilment (per request)
// goes, instruction by instruction (contracts/README.md quotes it). Run with -v.
func TestGasProfile(t *testing.T) {
	v := newEnv(t)
	v.request(t, input) // the first request also creates the counter
	tx := v.consumer.PrepareInvoke(t, "request", functionID, []byte(input), jsGasLimit, gasForResponse)
	rows, total := v.profile(t, tx)
	t.Log("request (example consumer -> gateway):" + profileTable(rows, total, 1))

	ids := v.exampleRequests(t, 100)
	answers := make([]answer, len(ids))
	for i, id := range ids {
		answers[i] = v.sign(id, 0, []byte(`{"price":42}`), 1000)
	}
	tx = v.submitterInvoker().PrepareInvoke(t, "fulfilBatch", batchArgs(answers), v.signBatch(answers))
	rows, total = v.profile(t, tx)
	t.Log("fulfilBatch of 100 with the example callback, per request:" + profileTable(rows, total, 100))

	v = newEnv(t)
	h := v.deployHostile(t, hostileStore)
	ids = v.requestMany(t, h, 100, func(int) []any { return []any{functionID, []byte(input), "", gasForResponse, jsGasLimit} })
	for i, id := range ids {
		answers[i] = v.sign(id, 0, []byte(`{"price":42}`), 1000)
	}
	tx = v.submitterInvoker().PrepareInvoke(t, "fulfilBatch", batchArgs(answers), v.signBatch(answers))
	rows, total = v.profile(t, tx)
	t.Log("fulfilBatch of 100 without callback (the gateway's share), per request:" + profileTable(rows, total, 100))
}
