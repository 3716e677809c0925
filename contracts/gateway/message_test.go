package gateway_test

import (
	"encoding/hex"
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/crypto/keys"
	"github.com/nspcc-dev/neo-go/pkg/util"
	"github.com/stretchr/testify/require"
)

// The vector published in contracts/README.md for the Java signer. Changing any of these values
// changes the interface with the service.
const (
	vectorPrivateKey = "7d128a6d096f0c14c3a25a2b0c41cf79661bfcb4a8cc95aaaea28bde4d732344"
	vectorMagic      = 860833102                                    // Neo N3 MainNet
	vectorGateway    = "0x0102030405060708090a0b0c0d0e0f1011121314" // display (big-endian) form
	vectorRequestID  = 258
	vectorStatus     = 0
	vectorResult     = `{"price":42}`
	vectorGasUsed    = 123456
	vectorMessageHex = "4e454f33" + // magic LE
		"14131211100f0e0d0c0b0a090807060504030201" + // gateway hash, VM (little-endian) order
		"0201000000000000" + // requestId LE
		"00" + // status
		"0f2af916164505408bb45ed8884d4adf9caeead0b6a44fadbf2afc412c74d00c" + // sha256(result)
		"40e2010000000000" // gasUsed LE
	vectorPublicKey = "02028a99826edc0c97d18e22b6932373d908d323aa7f92656a77ec26e8861699ef"
	// neo-go signs deterministically (RFC 6979, HMAC-SHA256); any valid signature is accepted.
	vectorSignatureHex = "7794de6c2648b420134a2c9f8d2c792eeaef1898dc58e6bf90d29f42ed6c55db" +
		"7419e66e89fa8baaaf47807cd2f179bc5c4c161656ae177720d898201515d6f3"
)

func TestFulfilmentMessageVector(t *testing.T) {
	gw, err := util.Uint160DecodeStringLE(vectorGateway[2:])
	require.NoError(t, err)
	msg := fulfilmentMessage(vectorMagic, gw, vectorRequestID, vectorStatus, []byte(vectorResult), vectorGasUsed)
	require.Len(t, msg, 73)
	require.Equal(t, vectorMessageHex, hex.EncodeToString(msg))

	priv, err := keys.NewPrivateKeyFromHex(vectorPrivateKey)
	require.NoError(t, err)
	require.Equal(t, vectorPublicKey, hex.EncodeToString(priv.PublicKey().Bytes()))
	sig := priv.Sign(msg)
	require.Equal(t, vectorSignatureHex, hex.EncodeToString(sig))
	require.True(t, priv.PublicKey().Verify(sig, hashOf(msg)))
}

// The contract must build byte for byte the message of the reference encoding, with this
// chain's magic and this gateway's hash.
func TestContractBuildsTheReferenceMessage(t *testing.T) {
	v := newEnv(t)
	cases := []struct {
		name    string
		id      int64
		status  byte
		result  []byte
		gasUsed int64
	}{
		{"small values", 1, 0, []byte(`{"ok":true}`), 0},
		{"error status", 258, 7, []byte("TypeError: x is undefined"), 99},
		{"empty result", 3, 255, nil, 1},
		{"large ids", 1<<40 + 5, 128, []byte{0}, 1<<62 + 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := fulfilmentMessage(uint32(v.e.Chain.GetConfig().Magic), v.gwHash, uint64(c.id), c.status, c.result, c.gasUsed)
			st, err := v.gw.TestInvoke(t, "getFulfilmentMessage", c.id, int64(c.status), c.result, c.gasUsed)
			require.NoError(t, err)
			got, err := st.Pop().Item().TryBytes()
			require.NoError(t, err)
			require.Equal(t, hex.EncodeToString(want), hex.EncodeToString(got))
		})
	}
}
