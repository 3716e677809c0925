package gateway_test

import (
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

// The TCB and QE identity rules on chain, on Phala's genuine quote (platform components
// [11,11,2,2,255,1,0...], PCE SVN 13, QE ISVSVN 10) against collateral the owner sets: Intel's
// documents as transcribed, with one thing changed per case. Intel-signed documents for these
// outcomes do not exist in the recorded vectors; the owner-set model (decision 0401) is what lets
// the contract be tested on them.

func TestTcbAndQeIdentityRulesOnChain(t *testing.T) {
	c := collateralOf(t, "phala")
	quote := vectorBytes(t, "phala-dcap-qvl/sgx_quote.bin")
	tcb := func(change func(a []any)) []any {
		a := tcbInfoArgs(t, c.tcbInfo)
		change(a)
		return a
	}
	qe := func(change func(a []any)) []any {
		a := qeIdentityArgs(t, c.qeIdentity)
		change(a)
		return a
	}
	comps := func(b byte) []byte {
		out := make([]byte, 16)
		for i := range out {
			out[i] = b
		}
		return out
	}
	keep := func([]any) {}
	cases := []struct {
		name   string
		tcb    []any
		qe     []any
		fault  string // or "" and status
		status string
	}{
		{"Intel's documents as they are", tcb(keep), qe(keep), "", "ConfigurationAndSWHardeningNeeded"},
		{"TCB info only for another FMSPC", tcb(func(a []any) { a[0] = []byte{0, 0x60, 0x6a, 0, 0, 0} }), qe(keep), "COLLATERAL_REQUIRED:", ""},
		{"TCB info for another PCE id", tcb(func(a []any) { a[1] = []byte{0, 1} }), qe(keep), "TCB_INFO_MISMATCH:", ""},
		{"platform below every TCB level", tcb(func(a []any) { a[4] = []any{[]any{comps(255), 13, "UpToDate"}} }), qe(keep), "TCB_LEVEL_NOT_FOUND:", ""},
		{"platform PCE SVN below every level", tcb(func(a []any) { a[4] = []any{[]any{comps(0), 14, "UpToDate"}} }), qe(keep), "TCB_LEVEL_NOT_FOUND:", ""},
		{"platform TCB level Revoked", tcb(func(a []any) { a[4] = []any{[]any{comps(0), 0, "Revoked"}} }), qe(keep), "TCB_REVOKED:", ""},
		{"platform at an UpToDate level", tcb(func(a []any) { a[4] = []any{[]any{comps(0), 0, "UpToDate"}} }), qe(keep), "", "UpToDate"},
		{"QE identity of another signer", tcb(keep), qe(func(a []any) { a[0] = hashOf([]byte("not Intel")) }), "QE_IDENTITY_MISMATCH:", ""},
		{"QE identity for another product", tcb(keep), qe(func(a []any) { a[1] = 2 }), "QE_IDENTITY_MISMATCH:", ""},
		{"QE attributes do not match", tcb(keep), qe(func(a []any) { a[4] = comps(0) }), "QE_IDENTITY_MISMATCH:", ""},
		{"QE MISCSELECT does not match", tcb(keep), qe(func(a []any) { a[2] = 1 }), "QE_IDENTITY_MISMATCH:", ""},
		{"QE below every QE level", tcb(keep), qe(func(a []any) { a[8] = []any{[]any{255, "UpToDate"}} }), "QE_REVOKED:", ""},
		{"QE level Revoked", tcb(keep), qe(func(a []any) { a[8] = []any{[]any{0, "Revoked"}} }), "QE_REVOKED:", ""},
		{"QE OutOfDate converges with the platform", tcb(keep), qe(func(a []any) { a[8] = []any{[]any{0, "OutOfDate"}} }), "", "OutOfDateConfigurationNeeded"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := newEnv(t)
			setBlockTime(t, v.e, phalaTime)
			v.gw.Invoke(t, stackitem.Null{}, "setTcbInfo", tc.tcb...)
			v.gw.Invoke(t, stackitem.Null{}, "setQeIdentity", tc.qe...)
			vm, err := v.e.TestInvoke(v.gw.PrepareInvoke(t, "verifyQuote", quote))
			if tc.fault != "" {
				require.Error(t, err)
				require.Contains(t, err.Error(), tc.fault)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.status, string(vm.Estack().Pop().Array()[10].Value().([]byte)))
		})
	}
}

func TestAttestedRegistrationRefusesAnOutOfDateTcb(t *testing.T) {
	v, pki := synthEnv(t)
	a := qeIdentityArgs(t, collateralOf(t, "phala").qeIdentity)
	a[8] = []any{[]any{0, "OutOfDate"}}
	v.gw.Invoke(t, stackitem.Null{}, "setQeIdentity", a...)
	mrEnclave := hashOf([]byte("an NSL build"))
	v.gw.Invoke(t, stackitem.Null{}, "allowMeasurement", 1, mrEnclave, 0, 0)
	signing, secrets := newKey(t), newKey(t)
	rd := reportDataFor(uint32(v.e.Chain.GetConfig().Magic), v.gwHash, signing.PublicKey().Bytes(), secrets.PublicKey().Bytes())
	v.e.NewInvoker(v.gwHash, v.submitter).InvokeFail(t, "TCB_STATUS_NOT_ACCEPTED: TCB status OutOfDateConfigurationNeeded",
		"registerEnclaveAttested", signing.PublicKey().Bytes(), secrets.PublicKey().Bytes(), pki.quote(t, mrEnclave, 0x05, rd))
}
