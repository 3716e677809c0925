package gateway_test

import (
	"encoding/hex"
	"strings"
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
	// Entry 1: request 258, status 0, result {"price":42}, gasUsed 123456, fields vectorFields1.
	vectorEntry1Hex = "0201000000000000" + // requestId u64 LE
		"00" + // status
		"40e2010000000000" + // gasUsed u64 LE
		"0c00" + // len(result) u16 LE
		"1d00" + // len(fields) u16 LE
		"7b227072696365223a34327d" + // result
		"1111111111111111111111111111111111111111086f6e526573756c74" + // fields
		"e47bd1caa3947217916e0a6741287d7a65c43ba7d70427220f878fb94876cc95" // commitment = sha256(fields)
	// Entry 2: request 259, status 3, result {"error":"x"}, gasUsed 7, fields vectorFields2.
	vectorEntry2Hex = "0301000000000000" + "03" + "0700000000000000" + "0d00" + "1800" + "7b226572726f72223a2278227d" +
		"111111111111111111111111111111111111111100280178" +
		"b583f50ca85660168015871bdcdc5de88718a8ede96a456a1976cd2268d4967c"
	// neo-go signs deterministically (RFC 6979, HMAC-SHA256); any valid signature is accepted.
	vectorSingleSignatureHex = "72160517636409744af8fe32c22011581b253ee447f8f0175c07927cdfed46d1" +
		"53e4cc21ee7517182216514948888c436276bd1b101f83144bb082978f970b01"
	vectorBatchSignatureHex = "a3e70847358b0cea3575aec6eb079585af35009cf83b6e8fc6bf5d41d4a1e02c" +
		"0c434a3e9356960d7eb2a891957fc3b045d1502e267848e81fb5b6db48b6e774"
)

// Entry 1's request has callback onResult and no userData; entry 2's none and userData "x"
// (serialized: ByteString 0x28, length 1, 0x78). Both from requester 0x1111...11 (display form).
var vectorFields1, _ = hex.DecodeString(strings.Repeat("11", 20) + "08" + hex.EncodeToString([]byte("onResult")))
var vectorFields2, _ = hex.DecodeString(strings.Repeat("11", 20) + "00" + "280178")

var vectorAnswers = []answer{
	{id: 258, status: 0, result: []byte(`{"price":42}`), gasUsed: 123456, fields: vectorFields1},
	{id: 259, status: 3, result: []byte(`{"error":"x"}`), gasUsed: 7, fields: vectorFields2},
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
	msg := fulfilmentMessage(vectorMagic, gw, uint64(a.id), byte(a.status), a.result, a.gasUsed, a.fields)
	require.Equal(t, vectorPrefixHex+vectorEntry1Hex, hex.EncodeToString(msg))
	require.Len(t, msg, 24+21+12+29+32)
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
	{id: 1, status: 0, result: []byte(`{"ok":true}`), gasUsed: 0, fields: vectorFields1},
	{id: 258, status: 7, result: []byte("TypeError: x is undefined"), gasUsed: 99, fields: vectorFields2},
	{id: 3, status: 255, result: nil, gasUsed: 1, fields: vectorFields1[:21]},
	{id: 1<<40 + 5, status: 128, result: []byte{0}, gasUsed: 1<<62 + 3, fields: vectorFields2},
	{id: 1<<63 - 1, status: 1, result: make([]byte, 4096), gasUsed: 1<<63 - 1, fields: make([]byte, 832)},
}

// The contract must build byte for byte the message of the reference encoding, with this
// chain's magic and this gateway's hash.
func TestContractBuildsTheReferenceMessage(t *testing.T) {
	v := newEnv(t)
	magic := uint32(v.e.Chain.GetConfig().Magic)
	for _, c := range messageCases {
		want := fulfilmentMessage(magic, v.gwHash, uint64(c.id), byte(c.status), c.result, c.gasUsed, c.fields)
		st, err := v.gw.TestInvoke(t, "getFulfilmentMessage", c.id, c.status, c.result, c.gasUsed, c.fields)
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
