package gateway_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nspcc-dev/neo-go/pkg/neotest"
	"github.com/nspcc-dev/neo-go/pkg/neotest/chain"
	"github.com/nspcc-dev/neo-go/pkg/util"
	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

// A synthetic PKI for the one outcome no recorded quote can reach: a successful attested
// registration, which needs report_data binding this gateway and fresh keys. The contract under
// test is the gateway's own source with ONLY dcap_root.go replaced, pinning a test root instead of
// Intel's; everything else (parsing, chain, QE report, binding, collateral, policy) is the code
// that ships. The QE report and TCB components copy Phala's genuine ones, so the recorded Intel
// TCB info and QE identity apply.

var sgxOID = asn1.ObjectIdentifier{1, 2, 840, 113741, 1, 13, 1}

type synthPKI struct {
	rootKey, caKey, leafKey *ecdsa.PrivateKey
	root, ca, leaf          []byte // DER
}

func sgxArcOID(arcs ...int) asn1.ObjectIdentifier {
	return append(append(asn1.ObjectIdentifier{}, sgxOID...), arcs...)
}

// sgxExtensionDER builds the PCK certificate's SGX extension: PPID, TCB (16 components, PCESVN,
// CPUSVN), PCE-ID, FMSPC, SGX type.
func sgxExtensionDER(t testing.TB, comps []int, pceSvn int, fmspc []byte) []byte {
	type pair struct {
		ID    asn1.ObjectIdentifier
		Value any
	}
	tcb := []any{}
	cpusvn := make([]byte, 16)
	for i, c := range comps {
		tcb = append(tcb, pair{sgxArcOID(2, i+1), c})
		cpusvn[i] = byte(c)
	}
	tcb = append(tcb, pair{sgxArcOID(2, 17), pceSvn}, pair{sgxArcOID(2, 18), cpusvn})
	ext, err := asn1.Marshal([]any{
		pair{sgxArcOID(1), make([]byte, 16)},
		pair{sgxArcOID(2), tcb},
		pair{sgxArcOID(3), []byte{0, 0}},
		pair{sgxArcOID(4), fmspc},
		pair{sgxArcOID(5), asn1.Enumerated(0)},
	})
	require.NoError(t, err)
	return ext
}

func newSynthPKI(t testing.TB, comps []int, pceSvn int, fmspc []byte) synthPKI {
	var p synthPKI
	var err error
	gen := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		return k
	}
	p.rootKey, p.caKey, p.leafKey = gen(), gen(), gen()
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	tmpl := func(cn string, serial int64, ca bool) *x509.Certificate {
		return &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn, Organization: []string{"NSL test"}},
			NotBefore: from, NotAfter: to, IsCA: ca, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	}
	rootT := tmpl("Test SGX Root CA", 1, true)
	p.root, err = x509.CreateCertificate(rand.Reader, rootT, rootT, &p.rootKey.PublicKey, p.rootKey)
	require.NoError(t, err)
	rootC, _ := x509.ParseCertificate(p.root)
	caT := tmpl("Test SGX PCK Processor CA", 2, true)
	p.ca, err = x509.CreateCertificate(rand.Reader, caT, rootC, &p.caKey.PublicKey, p.rootKey)
	require.NoError(t, err)
	caC, _ := x509.ParseCertificate(p.ca)
	leafT := tmpl("Test SGX PCK Certificate", 3, false)
	leafT.ExtraExtensions = []pkix.Extension{{Id: sgxOID, Value: sgxExtensionDER(t, comps, pceSvn, fmspc)}}
	p.leaf, err = x509.CreateCertificate(rand.Reader, leafT, caC, &p.leafKey.PublicKey, p.caKey)
	require.NoError(t, err)
	return p
}

// rootSource is dcap_root.go pinning this PKI's root.
func (p synthPKI) rootSource(t testing.TB) string {
	c, err := x509.ParseCertificate(p.root)
	require.NoError(t, err)
	goq := func(b []byte) string {
		var s strings.Builder
		for _, x := range b {
			fmt.Fprintf(&s, "\\x%02x", x)
		}
		return `"` + s.String() + `"`
	}
	pub := elliptic.Marshal(elliptic.P256(), p.rootKey.X, p.rootKey.Y) //nolint:staticcheck // the uncompressed point is what the contract pins
	return fmt.Sprintf("package gateway\n\nconst (\n\tintelRootDER = %s\n\tintelRootName = %s\n\tintelRootKey = %s\n\tintelRootNotBefore = %d\n\tintelRootNotAfter = %d\n)\n",
		goq(p.root), goq(c.RawSubject), goq(pub), c.NotBefore.UnixMilli(), c.NotAfter.UnixMilli())
}

// compileWithRoot compiles the gateway with dcap_root.go replaced (in a folder under testdata,
// inside the module, removed afterwards).
func compileWithRoot(t *testing.T, sender util.Uint160, rootSource string) *neotest.Contract {
	dir, err := os.MkdirTemp("testdata", "synthetic-root-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, f := range append(files, "gateway.yml") {
		if strings.HasSuffix(f, "_test.go") || f == "dcap_root.go" {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "dcap_root.go"), []byte(rootSource), 0o644))
	return neotest.CompileFile(t, sender, dir, filepath.Join(dir, "gateway.yml"))
}

func sign64(t testing.TB, k *ecdsa.PrivateKey, msg []byte) []byte {
	h := sha256.Sum256(msg)
	r, s, err := ecdsa.Sign(rand.Reader, k, h[:])
	require.NoError(t, err)
	out := make([]byte, 64)
	r.FillBytes(out[:32])
	s.FillBytes(out[32:])
	return out
}

// synthQuote is a v3 quote for an enclave with this body, signed through p, whose QE report is
// Phala's genuine one with the report_data binding the new attestation key.
func (p synthPKI) quote(t testing.TB, mrEnclave []byte, flags byte, reportData []byte) []byte {
	genuine := vectorBytes(t, "phala-dcap-qvl/sgx_quote.bin")
	att, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	attXY := elliptic.Marshal(elliptic.P256(), att.X, att.Y)[1:] //nolint:staticcheck // raw x||y as the quote carries it
	hb := append([]byte{}, genuine[:432]...)                     // Phala's header and body, then ours
	hb[48+48] = flags
	copy(hb[48+64:], mrEnclave)
	copy(hb[48+320:], reportData)
	auth := make([]byte, 32)
	qe := append([]byte{}, genuine[436+128:436+128+384]...)
	bound := sha256.Sum256(append(append([]byte{}, attXY...), auth...))
	copy(qe[320:], bound[:])
	copy(qe[352:], make([]byte, 32))
	var chainPEM []byte
	for _, der := range [][]byte{p.leaf, p.ca, p.root} {
		chainPEM = append(chainPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	chainPEM = append(chainPEM, 0)
	q := append([]byte{}, hb...)
	sig := make([]byte, 0)
	sig = append(sig, sign64(t, att, hb)...)
	sig = append(sig, attXY...)
	sig = append(sig, qe...)
	sig = append(sig, sign64(t, p.leafKey, qe)...)
	sig = binary.LittleEndian.AppendUint16(sig, uint16(len(auth)))
	sig = append(sig, auth...)
	sig = binary.LittleEndian.AppendUint16(sig, 5)
	sig = binary.LittleEndian.AppendUint32(sig, uint32(len(chainPEM)))
	sig = append(sig, chainPEM...)
	q = binary.LittleEndian.AppendUint32(q, uint32(len(sig)))
	return append(q, sig...)
}

// reportDataFor is the NSL binding (enclave/ReportData.java), written from its documentation.
func reportDataFor(magic uint32, gw util.Uint160, signing, secrets []byte) []byte {
	b := []byte("NSL-ATTEST-v1")
	b = binary.LittleEndian.AppendUint32(b, magic)
	b = append(b, gw.BytesBE()...)
	b = append(append(b, signing...), secrets...)
	h := sha256.Sum256(b)
	return append(h[:], make([]byte, 32)...)
}

// synthEnv is a production gateway pinning the synthetic root, at Phala's time with Phala's
// collateral, and the quote maker.
func synthEnv(t *testing.T) (*env, synthPKI) {
	pki := newSynthPKI(t, []int{11, 11, 2, 2, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 13, []byte{0, 0xa0, 0x67, 0x11, 0, 0})
	bc, acc := chain.NewSingle(t)
	e := neotest.NewExecutor(t, bc, acc, acc)
	ctr := compileWithRoot(t, e.CommitteeHash, pki.rootSource(t))
	e.DeployContract(t, ctr, []any{e.Committee.ScriptHash(), false})
	v := &env{e: e, owner: e.Committee, gwHash: ctr.Hash, gw: e.NewInvoker(ctr.Hash, e.Committee), submitter: e.NewAccount(t)}
	setBlockTime(t, e, phalaTime)
	v.setCollateral(t, collateralOf(t, "phala"))
	return v, pki
}

func TestAnyoneRegistersAnAttestedEnclaveWithABoundQuote(t *testing.T) {
	v, pki := synthEnv(t)
	mrEnclave := hashOf([]byte("an NSL build"))
	v.gw.Invoke(t, stackitem.Null{}, "allowMeasurement", 1, mrEnclave, 0, 0)
	signing, secrets := newKey(t), newKey(t)
	rd := reportDataFor(uint32(v.e.Chain.GetConfig().Magic), v.gwHash, signing.PublicKey().Bytes(), secrets.PublicKey().Bytes())
	q := pki.quote(t, mrEnclave, 0x05, rd)

	anyone := v.e.NewInvoker(v.gwHash, v.submitter)
	vm, err := v.e.TestInvoke(anyone.PrepareInvoke(t, "verifyQuote", q))
	require.NoError(t, err)
	verifyGas := vm.GasConsumed()
	h := anyone.Invoke(t, stackitem.Null{}, "registerEnclaveAttested", signing.PublicKey().Bytes(), secrets.PublicKey().Bytes(), q)
	res := v.e.GetTxExecResult(t, h)
	tx, _ := v.e.GetTransaction(t, h)
	t.Logf("registerEnclaveAttested: system fee %.4f GAS (verifyQuote alone %.4f), network fee %.4f GAS; quote %d bytes",
		float64(res.GasConsumed)/1e8, float64(verifyGas)/1e8, float64(tx.NetworkFee)/1e8, len(q))
	require.Equal(t, []string{"EnclaveRegistered", "EnclaveAttested"}, eventNames(res.Events))

	st, err := v.gw.TestInvoke(t, "enclaveInfo", signing.PublicKey().Bytes())
	require.NoError(t, err)
	info := st.Pop().Array()
	require.EqualValues(t, modeSGX, info[0].Value().(*big.Int).Int64())
	require.True(t, info[3].Value().(bool), "attested")
	require.Equal(t, mrEnclave, info[4].Value().([]byte))
	require.Equal(t, "ConfigurationAndSWHardeningNeeded", string(info[8].Value().([]byte)))
	require.Equal(t, "UpToDate", string(info[9].Value().([]byte)))
	require.Equal(t, secrets.PublicKey().Bytes(), info[11].Value().([]byte))
	require.Equal(t, h.BytesBE(), info[12].Value().([]byte))

	st, err = v.gw.TestInvoke(t, "getActiveEnclaves")
	require.NoError(t, err)
	require.Len(t, st.Pop().Array(), 1)

	// The same quote again, or for another key, is refused.
	anyone.InvokeFail(t, "enclave key is already registered", "registerEnclaveAttested", signing.PublicKey().Bytes(), secrets.PublicKey().Bytes(), q)
	anyone.InvokeFail(t, "UNEXPECTED_REPORT_DATA:", "registerEnclaveAttested", newKey(t).PublicKey().Bytes(), secrets.PublicKey().Bytes(), q)
}

func TestAttestedRegistrationRefusesByPolicy(t *testing.T) {
	v, pki := synthEnv(t)
	mrEnclave := hashOf([]byte("an NSL build"))
	v.gw.Invoke(t, stackitem.Null{}, "allowMeasurement", 1, mrEnclave, 0, 0)
	magic := uint32(v.e.Chain.GetConfig().Magic)
	signing, secrets := newKey(t), newKey(t)
	bound := reportDataFor(magic, v.gwHash, signing.PublicKey().Bytes(), secrets.PublicKey().Bytes())
	cases := []struct {
		name  string
		quote []byte
		fault string
	}{
		{"debug enclave", pki.quote(t, mrEnclave, 0x07, bound), "DEBUG_ENCLAVE:"},
		{"measurement not allowed", pki.quote(t, hashOf([]byte("another build")), 0x05, bound), "UNEXPECTED_MRENCLAVE:"},
		{"bound to another gateway", pki.quote(t, mrEnclave, 0x05, reportDataFor(magic, util.Uint160{1}, signing.PublicKey().Bytes(), secrets.PublicKey().Bytes())), "UNEXPECTED_REPORT_DATA:"},
		{"bound to another network", pki.quote(t, mrEnclave, 0x05, reportDataFor(magic+1, v.gwHash, signing.PublicKey().Bytes(), secrets.PublicKey().Bytes())), "UNEXPECTED_REPORT_DATA:"},
		{"bound to another secrets key", pki.quote(t, mrEnclave, 0x05, reportDataFor(magic, v.gwHash, signing.PublicKey().Bytes(), newKey(t).PublicKey().Bytes())), "UNEXPECTED_REPORT_DATA:"},
	}
	anyone := v.e.NewInvoker(v.gwHash, v.submitter)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			anyone.InvokeFail(t, c.fault, "registerEnclaveAttested", signing.PublicKey().Bytes(), secrets.PublicKey().Bytes(), c.quote)
		})
	}
}

func TestRevokingAMeasurementRevokesTheKeysItAdmitted(t *testing.T) {
	v, pki := synthEnv(t)
	mrEnclave := hashOf([]byte("an NSL build"))
	v.gw.Invoke(t, stackitem.Null{}, "allowMeasurement", 1, mrEnclave, 0, 0)
	signing, secrets := newKey(t), newKey(t)
	rd := reportDataFor(uint32(v.e.Chain.GetConfig().Magic), v.gwHash, signing.PublicKey().Bytes(), secrets.PublicKey().Bytes())
	v.e.NewInvoker(v.gwHash, v.submitter).Invoke(t, stackitem.Null{}, "registerEnclaveAttested",
		signing.PublicKey().Bytes(), secrets.PublicKey().Bytes(), pki.quote(t, mrEnclave, 0x05, rd))

	h := v.gw.Invoke(t, stackitem.Null{}, "revokeMeasurement", 1, mrEnclave, 0)
	require.Equal(t, []string{"MeasurementRevoked", "EnclaveRevoked"}, eventNames(v.events(t, h)))
	st, err := v.gw.TestInvoke(t, "getActiveEnclaves")
	require.NoError(t, err)
	require.Empty(t, st.Pop().Array())
}
