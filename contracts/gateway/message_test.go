package gateway_test

import (
	"encoding/hex"
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/crypto/keys"
	"github.com/nspcc-dev/neo-go/pkg/util"
	"github.com/stretchr/testify/require"
)

// The vectors published in contracts/README.md for the Java signer (FulfilmentMessageTest
// asserts the same bytes). Changing any of these values changes the interface with the service.
const (
	vectorPrivateKey = "7d128a6d096f0c14c3a25a2b0c41cf79661bfcb4a8cc95aaaea28bde4d732344"
	vectorPublicKey  = "02028a99826edc0c97d18e22b6932373d908d323aa7f92656a77ec26e8861699ef"
	vectorMagic      = 860833102                                    // Neo N3 MainNet
	vectorGateway    = "0x0102030405060708090a0b0c0d0e0f1011121314" // display (big-endian) form
	vectorPrefixHex  = "4e454f33" +                                 // magic LE
		"14131211100f0e0d0c0b0a090807060504030201" // gateway hash, VM (little-endian) order
	// Entry 1: request 258, status 0, result {"price":42}, gasUsed 123456.
	vectorEntry1Hex = "0201000000000000" + // requestId u64 LE
		"00" + // status
		"40e2010000000000" + // gasUsed u64 LE
		"0c00" + // len(result) u16 LE
		"7b227072696365223a34327d" // result
	// Entry 2: request 259, status 3, result {"error":"x"}, gasUsed 7.
	vectorEntry2Hex = "0301000000000000" + "03" + "0700000000000000" + "0d00" + "7b226572726f72223a2278227d"
	// neo-go signs deterministically (RFC 6979, HMAC-SHA256); any valid signature is accepted.
	vectorSingleSignatureHex = "0fdf4b2e7647ef77adf335e6ff866e7998fb84a8922557d1dba345ebab094012" +
		"6e656f0db6e7093677aa25036c7b6e0f6008787e555dcd02d16f61ccdc1df965"
	vectorBatchSignatureHex = "0d06ba23eed72f53694ca00247aaae6823698597f884d6dcd973ee39028cc1e1" +
		"883a62180fc8118559d122ddbec45eeabc8c33f6070dc7a98403a50a56309abf"
)

var vectorAnswers = []answer{
	{id: 258, status: 0, result: []byte(`{"price":42}`), gasUsed: 123456},
	{id: 259, status: 3, result: []byte(`{"error":"x"}`), gasUsed: 7},
}

func vectorKeyAndGateway(t *testing.T) (*keys.PrivateKey, util.Uint160) {
	gw, err := util.Uint160DecodeStringLE(vectorGateway[2:])
	require.NoError(t, err)
	priv, err := keys.NewPrivateKeyFromHex(vectorPrivateKey)
	require.NoError(t, err)
	require.Equal(t, vectorPublicKey, hex.EncodeToString(priv.PublicKey().Bytes()))
	return priv, gw
}

func TestFulfilmentMessageVector(t *testing.T) {
	priv, gw := vectorKeyAndGateway(t)
	a := vectorAnswers[0]
	msg := fulfilmentMessage(vectorMagic, gw, uint64(a.id), byte(a.status), a.result, a.gasUsed)
	require.Equal(t, vectorPrefixHex+vectorEntry1Hex, hex.EncodeToString(msg))
	require.Len(t, msg, 24+19+12)
	sig := priv.Sign(msg)
	require.Equal(t, vectorSingleSignatureHex, hex.EncodeToString(sig))
	require.True(t, priv.PublicKey().Verify(sig, hashOf(msg)))
	require.Equal(t, msg, batchMessage(vectorMagic, gw, vectorAnswers[:1]), "a single answer is a batch of one")
}

func TestBatchFulfilmentMessageVector(t *testing.T) {
	priv, gw := vectorKeyAndGateway(t)
	msg := batchMessage(vectorMagic, gw, vectorAnswers)
	require.Equal(t, vectorPrefixHex+vectorEntry1Hex+vectorEntry2Hex, hex.EncodeToString(msg))
	sig := priv.Sign(msg)
	require.Equal(t, vectorBatchSignatureHex, hex.EncodeToString(sig))
	require.True(t, priv.PublicKey().Verify(sig, hashOf(msg)))
}

var messageCases = []answer{
	{id: 1, status: 0, result: []byte(`{"ok":true}`), gasUsed: 0},
	{id: 258, status: 7, result: []byte("TypeError: x is undefined"), gasUsed: 99},
	{id: 3, status: 255, result: nil, gasUsed: 1},
	{id: 1<<40 + 5, status: 128, result: []byte{0}, gasUsed: 1<<62 + 3},
	{id: 1<<63 - 1, status: 1, result: make([]byte, 4096), gasUsed: 1<<63 - 1},
}

// The contract must build byte for byte the message of the reference encoding, with this
// chain's magic and this gateway's hash.
func TestContractBuildsTheReferenceMessage(t *testing.T) {
	v := newEnv(t)
	magic := uint32(v.e.Chain.GetConfig().Magic)
	for _, c := range messageCases {
		want := fulfilmentMessage(magic, v.gwHash, uint64(c.id), byte(c.status), c.result, c.gasUsed)
		st, err := v.gw.TestInvoke(t, "getFulfilmentMessage", c.id, c.status, c.result, c.gasUsed)
		require.NoError(t, err)
		got, err := st.Pop().Item().TryBytes()
		require.NoError(t, err)
		require.Equal(t, hex.EncodeToString(want), hex.EncodeToString(got), "request %d", c.id)
	}
}

func TestContractBuildsTheReferenceBatchMessage(t *testing.T) {
	v := newEnv(t)
	want := batchMessage(uint32(v.e.Chain.GetConfig().Magic), v.gwHash, messageCases)
	st, err := v.gw.TestInvoke(t, "getBatchFulfilmentMessage", batchArgs(messageCases))
	require.NoError(t, err)
	got, err := st.Pop().Item().TryBytes()
	require.NoError(t, err)
	require.Equal(t, hex.EncodeToString(want), hex.EncodeToString(got))
}
