package gateway_test

import (
	"math/big"
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

func (v *env) allowed(t *testing.T, mrEnclave, mrSigner []byte, prodID, svn int) bool {
	st, err := v.gw.TestInvoke(t, "isMeasurementAllowed", mrEnclave, mrSigner, prodID, svn)
	require.NoError(t, err)
	return st.Pop().Bool()
}

func TestMeasurementPolicyMatchesMrEnclaveOrMrSignerWithMinimumSvn(t *testing.T) {
	v := newEnv(t)
	build, other, signer := hashOf([]byte("build")), hashOf([]byte("other")), hashOf([]byte("signer"))
	h := v.gw.Invoke(t, stackitem.Null{}, "allowMeasurement", 1, build, 0, 0)
	require.Equal(t, []string{"MeasurementAllowed"}, eventNames(v.events(t, h)))
	v.gw.Invoke(t, stackitem.Null{}, "allowMeasurement", 2, signer, 7, 3)

	cases := []struct {
		name      string
		mrEnclave []byte
		mrSigner  []byte
		prodID    int
		svn       int
		allowed   bool
	}{
		{"allowed MRENCLAVE, any signer", build, other, 0, 0, true},
		{"unknown MRENCLAVE, unknown signer", other, other, 7, 9, false},
		{"allowed signer and product at the minimum SVN", other, signer, 7, 3, true},
		{"allowed signer above the minimum SVN", other, signer, 7, 4, true},
		{"allowed signer below the minimum SVN", other, signer, 7, 2, false},
		{"allowed signer, another product", other, signer, 8, 9, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.allowed, v.allowed(t, c.mrEnclave, c.mrSigner, c.prodID, c.svn))
		})
	}

	// Raising the minimum replaces the rule.
	v.gw.Invoke(t, stackitem.Null{}, "allowMeasurement", 2, signer, 7, 5)
	require.False(t, v.allowed(t, other, signer, 7, 4))
	st, err := v.gw.TestInvoke(t, "measurements")
	require.NoError(t, err)
	rules := st.Pop().Array()
	require.Len(t, rules, 2)

	h = v.gw.Invoke(t, stackitem.Null{}, "revokeMeasurement", 1, build, 0)
	require.Equal(t, []string{"MeasurementRevoked"}, eventNames(v.events(t, h)))
	require.False(t, v.allowed(t, build, other, 0, 0))
	st, err = v.gw.TestInvoke(t, "measurements")
	require.NoError(t, err)
	left := st.Pop().Array()
	require.Len(t, left, 1)
	rule := left[0].Value().([]stackitem.Item)
	require.EqualValues(t, 2, rule[0].Value().(*big.Int).Int64())
	require.Equal(t, signer, rule[1].Value().([]byte))
	require.EqualValues(t, 5, rule[3].Value().(*big.Int).Int64())
}

func TestMeasurementPolicyIsOwnerOnly(t *testing.T) {
	v := newEnv(t)
	build := hashOf([]byte("build"))
	v.gw.WithSigners(v.dev).InvokeFail(t, "only the gateway owner may do this", "allowMeasurement", 1, build, 0, 0)
	v.gw.Invoke(t, stackitem.Null{}, "allowMeasurement", 1, build, 0, 0)
	v.gw.WithSigners(v.dev).InvokeFail(t, "only the gateway owner may do this", "revokeMeasurement", 1, build, 0)
}

func TestMeasurementPolicyRejectsMalformedRules(t *testing.T) {
	v := newEnv(t)
	h32 := hashOf([]byte("x"))
	cases := []struct {
		name   string
		method string
		args   []any
		fault  string
	}{
		{"unknown kind", "allowMeasurement", []any{3, h32, 0, 0}, "measurement kind must be 1 (MRENCLAVE) or 2 (MRSIGNER)"},
		{"31-byte value", "allowMeasurement", []any{1, h32[:31], 0, 0}, "measurement value must be a 32-byte"},
		{"MRENCLAVE with a product id", "allowMeasurement", []any{1, h32, 1, 0}, "an MRENCLAVE rule takes isvProdId 0 and minIsvSvn 0"},
		{"ISVSVN over 16 bits", "allowMeasurement", []any{2, h32, 0, 65536}, "isvProdId and minIsvSvn must be 0..65535"},
		{"revoking an unknown rule", "revokeMeasurement", []any{1, h32, 0}, "no such measurement rule"},
		{"asking with a short MRENCLAVE", "isMeasurementAllowed", []any{h32[:5], h32, 0, 0}, "mrEnclave and mrSigner must be 32 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v.gw.InvokeFail(t, c.fault, c.method, c.args...)
		})
	}
}
