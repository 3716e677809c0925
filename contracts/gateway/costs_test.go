package gateway_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/core/native/nativenames"
	"github.com/nspcc-dev/neo-go/pkg/neotest"
	"github.com/nspcc-dev/neo-go/pkg/util"
	"github.com/stretchr/testify/require"
)

// txCost is what a transaction cost its sender, in datoshi (1e-8 GAS).
type txCost struct{ system, network int64 }

func (c txCost) total() int64 { return c.system + c.network }

func (c txCost) per(n int) txCost { return txCost{c.system / int64(n), c.network / int64(n)} }

func (v *env) cost(t testing.TB, h util.Uint256) txCost {
	tx, _ := v.e.GetTransaction(t, h)
	return txCost{system: v.e.GetTxExecResult(t, h).GasConsumed, network: tx.NetworkFee}
}

func gasString(datoshi int64) string { return fmt.Sprintf("%d.%08d", datoshi/1e8, datoshi%1e8) }

type costRow struct {
	what string
	cost txCost
}

// measureFulfilment fulfils n fresh requests (batched when n > 1) and returns the cost per request.
func measureFulfilment(t *testing.T, n int, withCallback bool) txCost {
	v := newEnv(t)
	inv := v.consumer
	args := func(int) []any { return []any{functionID, []byte(input), jsGasLimit, gasForResponse} }
	if !withCallback {
		inv = v.deployHostile(t, hostileStore)
		args = func(int) []any { return []any{functionID, []byte(input), "", gasForResponse, jsGasLimit} }
	}
	ids := v.requestMany(t, inv, n, args)
	answers := make([]answer, n)
	for i, id := range ids {
		answers[i] = v.sign(id, 0, []byte(`{"price":42}`), 1000)
	}
	if n == 1 {
		return v.cost(t, v.fulfil(t, answers[0]))
	}
	return v.cost(t, v.fulfilBatch(t, answers, n)).per(n)
}

// TestGasCosts measures what each step costs on a chain with mainnet fee settings (neo-go's
// defaults: ExecFeeFactor 30, FeePerByte 1000, StoragePrice 100000), next to the native Oracle.
// Run with -v to see the table; contracts/README.md quotes it.
func TestGasCosts(t *testing.T) {
	v := newEnv(t)
	request := v.cost(t, v.consumer.Invoke(t, v.lastRequestID(t)+1, "request", functionID, []byte(input), jsGasLimit, gasForResponse))
	// The first request of a deployment also creates the counter; measure a typical one.
	request = v.cost(t, v.consumer.Invoke(t, v.lastRequestID(t)+1, "request", functionID, []byte(input), jsGasLimit, gasForResponse))
	single := measureFulfilment(t, 1, true)
	batch10 := measureFulfilment(t, 10, true)
	batch100 := measureFulfilment(t, 100, true)
	bare1 := measureFulfilment(t, 1, false)
	bare5 := measureFulfilment(t, 5, false)
	bare10 := measureFulfilment(t, 10, false)
	bare100 := measureFulfilment(t, 100, false)
	callback := txCost{system: batch100.system - bare100.system, network: batch100.network - bare100.network}

	oracleRequest := measureOracleRequest(t)
	const oracleResponse = 10_000_000 // the response tx's system + network fee is exactly gasForResponse (min 0.1 GAS)

	rows := []costRow{
		{"NSL request (example consumer -> gateway)", request},
		{"NSL fulfil, single, with callback", single},
		{"NSL fulfil, batch of 10, per request, with callback", batch10},
		{"NSL fulfil, batch of 100, per request, with callback", batch100},
		{"NSL fulfil, single, no callback", bare1},
		{"NSL fulfil, batch of 5, per request, no callback", bare5},
		{"NSL fulfil, batch of 10, per request, no callback", bare10},
		{"NSL fulfil, batch of 100, per request, no callback (the gateway's share)", bare100},
		{"your callback: the example consumer's, per request (batch 100 with - without)", callback},
		{"Oracle request tx (0.5 GAS price + 0.1 GAS gasForResponse inside)", oracleRequest},
		{"Oracle response tx (paid from gasForResponse)", txCost{system: oracleResponse}},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n| step | system fee | network fee | total GAS |\n|---|---:|---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.what, gasString(r.cost.system), gasString(r.cost.network), gasString(r.cost.total()))
	}
	nslChain100 := request.total() + batch100.total()
	nslConsumer := request.total() + requestFee + gasForResponse
	oracleConsumer := oracleRequest.total()
	fmt.Fprintf(&b, "\nchain cost per answer, NSL batch of 100: %s GAS (request tx + fulfil share with the example callback)\n", gasString(nslChain100))
	fmt.Fprintf(&b, "consumer pays per answer, NSL (request tx + requestFee + gasForResponse): %s GAS\n", gasString(nslConsumer))
	fmt.Fprintf(&b, "consumer pays per answer, native Oracle (request tx, response included): %s GAS\n", gasString(oracleConsumer))
	fmt.Fprintf(&b, "batch-100 fulfil per request / single fulfil: %.2f (with callback), %.2f (no callback)\n",
		float64(batch100.total())/float64(single.total()), float64(bare100.total())/float64(bare1.total()))
	t.Log(b.String())

	// Issue 21: the gateway's share of a batch-100 fulfilment is at most 0.02 GAS per request
	// (0.053 before), with every refusal and the exactly-once guarantee unchanged (their tests).
	require.LessOrEqual(t, bare100.total(), int64(2_000_000), "gateway share of a batch-100 fulfilment")
	// What the defaults promise: in batches of 5 or more the requestFee covers the gateway's
	// share of a fulfilment and gasForResponse covers the example consumer's callback, and a
	// consumer pays less per answer than through the native Oracle.
	require.Less(t, bare5.total(), int64(requestFee), "requestFee covers the gateway's share from batches of 5")
	require.Less(t, batch10.total(), int64(requestFee+gasForResponse), "batch of 10 with callback")
	require.Less(t, callback.total(), int64(gasForResponse), "example callback")
	require.Less(t, nslConsumer, oracleConsumer)
	require.Less(t, batch100.total(), batch10.total())
	require.Less(t, batch10.total(), single.total())
	require.LessOrEqual(t, 3*bare100.total(), bare1.total(), "batch-100 per request <= single / 3, no callback")
}

// measureOracleRequest deploys a contract that asks the native Oracle for one URL and returns
// the cost of that request transaction.
func measureOracleRequest(t *testing.T) txCost {
	v := newEnv(t)
	ctr := neotest.CompileFile(t, v.e.CommitteeHash, "testdata/oracleconsumer", "testdata/oracleconsumer/oracleconsumer.yml")
	v.e.DeployContract(t, ctr, nil)
	caller := v.e.NewInvoker(ctr.Hash, v.app)
	h := caller.Invoke(t, nil, "ask", "https://api.example.com/price?pair=NEO/GAS")
	_ = nativenames.Oracle
	return v.cost(t, h)
}
