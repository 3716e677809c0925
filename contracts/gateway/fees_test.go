package gateway_test

import (
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/core/native/nativenames"
	"github.com/stretchr/testify/require"
)

func TestDepositCreditsSenderOrNamedBeneficiary(t *testing.T) {
	v := newEnv(t)
	gas := v.e.NewInvoker(v.e.NativeHash(t, nativenames.Gas), v.dev)
	gas.Invoke(t, true, "transfer", v.dev.ScriptHash(), v.gwHash, int64(3), nil)
	require.EqualValues(t, 3, v.balance(t, v.dev.ScriptHash()))
	gas.Invoke(t, true, "transfer", v.dev.ScriptHash(), v.gwHash, int64(4), v.app.ScriptHash())
	require.EqualValues(t, 4, v.balance(t, v.app.ScriptHash()))
	gas.InvokeFail(t, "deposit beneficiary must be a 20-byte Hash160", "transfer", v.dev.ScriptHash(), v.gwHash, int64(4), []byte{1, 2, 3})
}

func TestOnlyGASIsAccepted(t *testing.T) {
	v := newEnv(t)
	neo := v.e.NewInvoker(v.e.NativeHash(t, nativenames.Neo), v.owner)
	neo.InvokeFail(t, "only GAS is accepted", "transfer", v.owner.ScriptHash(), v.gwHash, int64(1), nil)
}

func TestWithdrawNeedsTheAccountsWitness(t *testing.T) {
	v := newEnv(t)
	v.gw.WithSigners(v.app).InvokeFail(t, "only the account itself may withdraw its balance", "withdraw", consumerCtr.Hash, v.app.ScriptHash(), 1)
	v.gw.WithSigners(v.app).InvokeFail(t, "only the account itself may withdraw its balance", "withdraw", v.owner.ScriptHash(), v.app.ScriptHash(), 1)
}
