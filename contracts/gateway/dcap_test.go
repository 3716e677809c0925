package gateway_test

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nspcc-dev/neo-go/pkg/neotest"
	"github.com/stretchr/testify/require"
)

// vectorsDir holds the recorded SGX DCAP vectors (README.txt there says where each came from).
const vectorsDir = "../../testdata/sgx-vectors"

// Times at which each recorded vector set's certificates and collateral are all current.
var (
	phalaTime      = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	automataTime   = time.Date(2025, 8, 20, 0, 0, 0, 0, time.UTC)
	mobilecoinTime = time.Date(2023, 7, 13, 0, 0, 0, 0, time.UTC)
)

func vectorBytes(t testing.TB, rel string) []byte {
	b, err := os.ReadFile(filepath.Join(vectorsDir, rel))
	require.NoError(t, err, "the SGX vectors are part of the repository (testdata/sgx-vectors)")
	if strings.HasSuffix(rel, ".hex") {
		s := strings.TrimPrefix(strings.TrimSpace(string(b)), "0x")
		b, err = hex.DecodeString(s)
		require.NoError(t, err)
	}
	return b
}

// setBlockTime adds a block with timestamp at: the next block and test invocations run at
// at + 1 ms. Block timestamps only grow, so a chain can be moved forward, never back.
func setBlockTime(t testing.TB, e *neotest.Executor, at time.Time) {
	b := e.NewUnsignedBlock(t)
	b.Timestamp = uint64(at.UnixMilli())
	e.SignBlock(b)
	require.NoError(t, e.Chain.AddBlock(b))
}

func TestRecordedQuotesVerifyOnChain(t *testing.T) {
	cases := []struct {
		name      string
		file      string
		at        time.Time
		mrEnclave string
		fmspc     string
		tcbStatus string
	}{
		{"phala", "phala-dcap-qvl/sgx_quote.bin", phalaTime, "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb", "00a067110000", "ConfigurationAndSWHardeningNeeded"},
		{"automata", "automata-dcap-attestation/quotev3.hex", automataTime, "a4f45c39dac622cb1dd32ddb35a52ec92db41d0fa88a1c911c49e59c534f61cd", "00606a000000", "SWHardeningNeeded"},
		// The Java verifier refuses this set (its PCK CRL had expired); CRLs are not checked on chain.
		{"mobilecoin", "mobilecoin-attestation/hw_quote.dat", mobilecoinTime, "840d61b0585dc8b4dc90f53af293c760fda06bee75978a6a86263ffb296423f4", "00906ed50000", "SWHardeningNeeded"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := newEnv(t)
			setBlockTime(t, v.e, c.at)
			v.setCollateral(t, collateralOf(t, c.name))
			vm, err := v.e.TestInvoke(v.gw.PrepareInvoke(t, "verifyQuote", vectorBytes(t, c.file)))
			require.NoError(t, err)
			facts := vm.Estack().Pop().Array()
			require.Equal(t, c.mrEnclave, hex.EncodeToString(facts[0].Value().([]byte)))
			require.Equal(t, c.fmspc, hex.EncodeToString(facts[6].Value().([]byte)))
			require.Equal(t, c.tcbStatus, string(facts[10].Value().([]byte)))
			require.Equal(t, "UpToDate", string(facts[11].Value().([]byte)))
			t.Logf("%s: verifyQuote with collateral costs %.4f GAS", c.name, float64(vm.GasConsumed())/1e8)
		})
	}
}
