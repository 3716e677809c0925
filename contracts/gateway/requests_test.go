package gateway_test

import (
	"strings"
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

func TestRequestIsRefusedWithAClearReason(t *testing.T) {
	v := newEnv(t)
	v.gw.WithSigners(v.dev).Invoke(t, stackitem.Null{}, "registerFunction", "disabled-fn", v.codeHash, v.dev.ScriptHash())
	v.gw.WithSigners(v.dev).Invoke(t, stackitem.Null{}, "setFunctionEnabled", "disabled-fn", false)

	cases := []struct {
		name           string
		function       string
		input          []byte
		jsGas          int64
		gasForResponse int64
		fault          string
	}{
		{"unknown function", "no-such-fn", []byte(input), jsGasLimit, gasForResponse, "unknown function: no-such-fn"},
		{"disabled function", "disabled-fn", []byte(input), jsGasLimit, gasForResponse, "function disabled-fn is disabled by its owner"},
		{"oversize input", functionID, []byte(strings.Repeat("x", 769)), jsGasLimit, gasForResponse, "input is 769 bytes, over the limit of 768"},
		{"gasForResponse under the minimum", functionID, []byte(input), jsGasLimit, gasForResponse - 1, "gasForResponse must be at least 10000000"},
		{"zero JS gas", functionID, []byte(input), 0, gasForResponse, "jsGasLimit must be 1..100000000"},
		{"fee over the prepaid balance", functionID, []byte(input), jsGasLimit, depositAmount, "insufficient prepaid balance: have 2500000000, request costs 2505000000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v.consumer.InvokeFail(t, c.fault, "request", c.function, c.input, c.jsGas, c.gasForResponse)
		})
	}
	require.EqualValues(t, 0, v.lastRequestID(t))
	require.EqualValues(t, depositAmount, v.balance(t, consumerCtr.Hash), "refusals cost the requester nothing at the gateway")
	// The largest input allowed fits the Request event under Neo's 1024-byte notification limit.
	v.request(t, strings.Repeat("x", 768))
}

func TestRequestWithoutPrepaidBalanceIsUnderpaid(t *testing.T) {
	v := newEnv(t)
	v.e.DeployContract(t, hostileCtr, v.gwHash) // never deposits
	h := v.e.NewInvoker(hostileCtr.Hash, v.app)
	h.InvokeFail(t, "insufficient prepaid balance: have 0, request costs 15000000", "request", functionID, []byte(input), "onResult", gasForResponse, jsGasLimit)
}

func TestRequestMustComeFromAContract(t *testing.T) {
	v := newEnv(t)
	v.gw.WithSigners(v.app).InvokeFail(t, "the requester must be a contract with method onResult", "request", functionID, []byte(input), "onResult", nil, gasForResponse, jsGasLimit)
	v.gw.WithSigners(v.app).InvokeFail(t, "requests must come from a deployed contract", "request", functionID, []byte(input), "", nil, gasForResponse, jsGasLimit)
}

func TestRequestIdsCountFromOne(t *testing.T) {
	v := newEnv(t)
	for want := int64(1); want <= 3; want++ {
		require.Equal(t, want, v.request(t, input))
	}
}

func TestCancelRefusedBeforeExpiry(t *testing.T) {
	v := newEnv(t)
	id := v.request(t, input)
	v.consumer.InvokeFail(t, "cannot be cancelled before block", "cancel", id)
	require.EqualValues(t, statePending, v.requestState(t, id))
}

func TestCancelRefundsAfterExpiry(t *testing.T) {
	v := newEnv(t)
	id := v.request(t, input)
	v.e.GenerateNewBlocks(t, expiryBlocks)
	v.e.NewInvoker(consumerCtr.Hash, v.submitter).InvokeFail(t, "only the consumer's owner", "cancel", id)
	// The requester is the consumer contract: nobody else may cancel at the gateway directly.
	v.gw.WithSigners(v.app).InvokeFail(t, "only the requester may cancel", "cancel", id)

	h := v.consumer.Invoke(t, stackitem.Null{}, "cancel", id)
	require.Equal(t, []string{"Cancelled"}, eventNames(v.events(t, h)))
	require.EqualValues(t, stateCancelled, v.requestState(t, id))
	require.EqualValues(t, depositAmount, v.balance(t, consumerCtr.Hash), "the whole fee is refunded")
	v.fulfilFail(t, v.sign(id, 0, []byte("42"), 10), "was cancelled")
	v.consumer.InvokeFail(t, "is no longer pending", "cancel", id)
}

func TestPrepaidBalanceCanBeWithdrawn(t *testing.T) {
	v := newEnv(t)
	to := v.dev.ScriptHash() // signs nothing here, so pays no fees
	before := v.gasBalance(t, to)
	v.consumer.Invoke(t, stackitem.Null{}, "withdraw", to, int64(depositAmount))
	require.EqualValues(t, 0, v.balance(t, consumerCtr.Hash))
	require.Equal(t, before+depositAmount, v.gasBalance(t, to))
	v.consumer.InvokeFail(t, "insufficient balance: have 0, asked for 1", "withdraw", to, 1)
}
