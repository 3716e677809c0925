package gateway_test

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

// The shared table: testdata/dcap-cases.json is run here against the contract and by
// DcapSharedCasesTest against the Java verifier, so the two agree case by case.

type dcapTable struct {
	Vectors map[string]struct {
		Quote string `json:"quote"`
		At    string `json:"at"`
	} `json:"vectors"`
	Cases  []dcapCase `json:"cases"`
	Random struct {
		Vector string `json:"vector"`
		Seed   uint64 `json:"seed"`
		Count  int    `json:"count"`
	} `json:"random"`
}

type dcapCase struct {
	Name      string `json:"name"`
	Vector    string `json:"vector"`
	Quote     string `json:"quote"`
	At        string `json:"at"`
	Flip      *int   `json:"flip"`
	Truncate  *int   `json:"truncate"`
	Append    int    `json:"append"`
	Register  string `json:"register"`
	Expect    string `json:"expect"`
	TcbStatus string `json:"tcbStatus"`
}

func loadDcapTable(t *testing.T) dcapTable {
	raw, err := os.ReadFile("../../testdata/dcap-cases.json")
	require.NoError(t, err)
	var tab dcapTable
	require.NoError(t, json.Unmarshal(raw, &tab))
	return tab
}

// quoteOf applies the case's one mutation to its quote.
func (c dcapCase) quoteOf(t testing.TB, tab dcapTable) []byte {
	file := tab.Vectors[c.Vector].Quote
	if c.Quote != "" {
		file = c.Quote
	}
	q := vectorBytes(t, file)
	switch {
	case c.Flip != nil:
		q[*c.Flip] ^= 0x01
	case c.Truncate != nil:
		q = q[:*c.Truncate]
	case c.Append > 0:
		q = append(q, make([]byte, c.Append)...)
	}
	return q
}

// vectorChain is a gateway at time at with a vector set's collateral on chain.
func vectorChain(t *testing.T, set string, at time.Time) *env {
	v := newEnv(t)
	setBlockTime(t, v.e, at)
	v.setCollateral(t, collateralOf(t, set))
	return v
}

func TestContractAgreesWithTheSharedDcapTable(t *testing.T) {
	tab := loadDcapTable(t)
	require.NotEmpty(t, tab.Cases)
	chains := map[string]*env{} // one per vector set and time, on the parent test (chains close with their test)
	for _, c := range tab.Cases {
		at := tab.Vectors[c.Vector].At
		if c.At != "" {
			at = c.At
		}
		key := c.Vector + "@" + at
		if _, ok := chains[key]; !ok {
			ts, err := time.Parse(time.RFC3339, at)
			require.NoError(t, err)
			chains[key] = vectorChain(t, c.Vector, ts)
		}
		v := chains[key]
		t.Run(c.Name, func(t *testing.T) {
			q := c.quoteOf(t, tab)
			if c.Register != "" {
				mrEnclave := q[112:144]
				if c.Register == "allowed" {
					v.gw.Invoke(t, stackitem.Null{}, "allowMeasurement", 1, mrEnclave, 0, 0)
					defer v.gw.Invoke(t, stackitem.Null{}, "revokeMeasurement", 1, mrEnclave, 0)
				}
				anyone := v.e.NewInvoker(v.gwHash, v.submitter)
				anyone.InvokeFail(t, c.Expect+":", "registerEnclaveAttested", newKey(t).PublicKey().Bytes(), newKey(t).PublicKey().Bytes(), q)
				return
			}
			vm, err := v.e.TestInvoke(v.gw.PrepareInvoke(t, "verifyQuote", q))
			if c.Expect == "OK" {
				require.NoError(t, err)
				facts := vm.Estack().Pop().Array()
				require.Equal(t, c.TcbStatus, string(facts[10].Value().([]byte)))
				return
			}
			require.Error(t, err)
			require.Contains(t, err.Error(), c.Expect+":", "fault: %v", err)
		})
	}
}

// splitmix64 is the generator both sides use to pick the random mutations.
type splitmix64 uint64

func (s *splitmix64) next() uint64 {
	*s += 0x9E3779B97F4A7C15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

func TestRandomSingleByteMutationsNeverVerify(t *testing.T) {
	tab := loadDcapTable(t)
	r := tab.Random
	require.GreaterOrEqual(t, r.Count, 200)
	at, err := time.Parse(time.RFC3339, tab.Vectors[r.Vector].At)
	require.NoError(t, err)
	v := vectorChain(t, r.Vector, at)
	genuine := vectorBytes(t, tab.Vectors[r.Vector].Quote)
	_, err = v.e.TestInvoke(v.gw.PrepareInvoke(t, "verifyQuote", genuine))
	require.NoError(t, err, "the unmutated quote must verify, or this test proves nothing")
	rng := splitmix64(r.Seed)
	reasons := map[string]int{}
	for i := 0; i < r.Count; i++ {
		q := append([]byte{}, genuine...)
		off := int(rng.next() % uint64(len(q)))
		q[off] ^= byte(1 + rng.next()%255)
		_, err := v.e.TestInvoke(v.gw.PrepareInvoke(t, "verifyQuote", q))
		require.Error(t, err, "mutation %d (seed %d): byte %d -> %s verified", i, r.Seed, off, hex.EncodeToString(q[off:off+1]))
		reasons[faultReason(t, err.Error())]++
	}
	t.Logf("%d mutations of %s (seed %d) refused: %v", r.Count, r.Vector, r.Seed, reasons)
}

// faultReason is the reason code a fault starts with, or "base64" for a character outside the
// base64 alphabet (or not UTF-8) in the PEM chain: StdLib.base64Decode faults with its own message there, and
// NeoVM cannot catch a native contract's fault (docs/enclave.md).
func faultReason(t testing.TB, msg string) string {
	if strings.Contains(msg, "illegal base64 data") || strings.Contains(msg, "(SYSCALL): invalid value: not UTF-8") {
		return "base64"
	}
	j := strings.Index(msg, "exception: \"")
	require.GreaterOrEqual(t, j, 0, "not a contract exception: %s", msg)
	msg = msg[j+12:]
	k := strings.Index(msg, ":")
	require.Greater(t, k, 0, "fault without a reason code: %s", msg)
	reason := msg[:k]
	require.Equal(t, strings.ToUpper(reason), reason, "fault without a reason code: %s", msg)
	return reason
}
