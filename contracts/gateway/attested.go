package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/crypto"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// Permissionless, attested enclave registration: anyone may register an enclave signing key
// for this gateway with an SGX DCAP quote that the contract verifies itself (dcap_quote.go,
// dcap_collateral.go), whose measurement the owner allows (measurements.go) and whose
// report_data binds this network, this gateway and the key (enclave/ReportData.java):
//
//	report_data = SHA-256("NSL-ATTEST-v1" || networkMagic u32 LE || gateway script hash (VM order)
//	                      || signing public key (33) || secrets public key (33)) || 0^32
//
// The key records what it was admitted with; enclaveInfo shows it, so a consumer can decide for
// itself. Owner-only registerEnclave stays (SIMULATED devnets, and SGX keys the owner vouches
// for): enclaveInfo tells the two apart.

const (
	prefixAttested = "\x12" // + pubKey -> serialized attested record
	reportDataTag  = "NSL-ATTEST-v1"
)

// attested is what an attested key was admitted with.
type attested struct {
	MrEnclave   []byte
	MrSigner    []byte
	IsvProdID   int
	IsvSvn      int
	TcbStatus   int // converged platform + QE status (Intel QVL), as statusCode: a byte instead of up to 33
	QeTcbStatus int
	Fmspc       []byte
	SecretsKey  []byte          // the secrets public key bound in report_data
	Transaction interop.Hash256 // the registering transaction: it carries the whole quote
}

// VerifyQuote verifies a DCAP v3 quote on chain at the current block time against the pinned
// Intel root and the collateral on chain, and returns [mrEnclave, mrSigner, isvProdId, isvSvn,
// debug, reportData, fmspc, pceId, tcbComponents (Integer, packed: component i is byte 16-i),
// pceSvn, tcbStatus, qeTcbStatus]. It faults with "REASON: detail" at the first failed check.
// It applies no policy (DEBUG, measurement, report_data, accepted statuses): registration does.
func VerifyQuote(quote []byte) []any {
	f, status, qe := verifyAttestation(storage.GetReadOnlyContext(), quote)
	return []any{f.MrEnclave, f.MrSigner, f.IsvProdID, f.IsvSvn, f.Debug, f.ReportData,
		f.Fmspc, f.PceID, f.TcbComps, f.PceSvn, status, qe}
}

// RegisterEnclaveAttested registers pubKey as an SGX enclave key of this gateway. Anyone may
// call it: the quote is the credential. Refused (with the reason code first) unless the quote
// verifies, the enclave is not DEBUG, its measurement is allowed, its report_data binds
// (network, gateway, pubKey, secretsKey) and its TCB status is accepted.
func RegisterEnclaveAttested(pubKey interop.PublicKey, secretsKey interop.PublicKey, quote []byte) {
	checkCompressedKey(pubKey, "pubKey")
	checkCompressedKey(secretsKey, "secretsKey")
	ctx := storage.GetContext()
	f, status, qe := verifyAttestation(ctx, quote)
	if f.Debug {
		quoteFail("DEBUG_ENCLAVE", "the enclave is built debuggable (attributes.flags DEBUG): the host can read its memory")
	}
	if !measurementAllowed(ctx, f.MrEnclave, f.MrSigner, f.IsvProdID, f.IsvSvn) {
		quoteFail("UNEXPECTED_MRENCLAVE", "the enclave's measurement (MRENCLAVE, or MRSIGNER with ISVPRODID "+
			itoa(f.IsvProdID)+" and ISVSVN "+itoa(f.IsvSvn)+") is not allowed by this gateway (allowMeasurement)")
	}
	if string(f.ReportData) != string(bindingReportData(pubKey, secretsKey)) {
		quoteFail("UNEXPECTED_REPORT_DATA", "report_data does not bind this network, this gateway and these keys "+
			"(another key, another gateway or another network)")
	}
	if !tcbStatusAccepted(status) {
		quoteFail("TCB_STATUS_NOT_ACCEPTED", "TCB status "+status+" is not accepted; the platform needs a "+
			"microcode/BIOS or QE update")
	}
	addEnclave(ctx, pubKey, ModeSGX)
	storage.Put(ctx, cat(prefixAttested, pubKey), std.Serialize(attested{
		MrEnclave: f.MrEnclave, MrSigner: f.MrSigner, IsvProdID: f.IsvProdID, IsvSvn: f.IsvSvn,
		TcbStatus: statusCode(status), QeTcbStatus: statusCode(qe), Fmspc: f.Fmspc, SecretsKey: secretsKey,
		Transaction: runtime.GetScriptContainer().Hash,
	}))
	runtime.Notify("EnclaveAttested", pubKey, f.MrEnclave, status)
}

func checkCompressedKey(k interop.PublicKey, what string) {
	if len(k) != PublicKeySize || (k[0] != 2 && k[0] != 3) {
		panic(what + " must be a 33-byte compressed secp256r1 public key")
	}
}

// bindingReportData is the report_data an NSL enclave puts in its quote for these keys on this
// network and gateway (enclave/ReportData.java).
func bindingReportData(pubKey, secretsKey []byte) []byte {
	msg := cat(cat(cat(cat(reportDataTag, fixedLE(runtime.GetNetwork(), 4)), runtime.GetExecutingScriptHash()), pubKey), secretsKey)
	return cat(crypto.Sha256(msg), make([]byte, 32))
}

// EnclaveInfo says how a key was admitted: [mode, registeredAt, revokedAt, attested, mrEnclave,
// mrSigner, isvProdId, isvSvn, tcbStatus, qeTcbStatus, fmspc, secretsKey, transaction], with
// attested false and the rest null for keys the owner registered; null for unknown keys.
func EnclaveInfo(pubKey interop.PublicKey) any {
	ctx := storage.GetReadOnlyContext()
	raw := getBytes(ctx, cat(prefixEnclave, pubKey))
	if raw == nil {
		return nil
	}
	e := loadEnclave(raw)
	a := getBytes(ctx, cat(prefixAttested, pubKey))
	if a == nil {
		return []any{e.Mode, e.RegisteredAt, e.RevokedAt, false, nil, nil, nil, nil, nil, nil, nil, nil, nil}
	}
	r := std.Deserialize(a).(attested)
	return []any{e.Mode, e.RegisteredAt, e.RevokedAt, true, r.MrEnclave, r.MrSigner, r.IsvProdID, r.IsvSvn,
		statusName(r.TcbStatus), statusName(r.QeTcbStatus), r.Fmspc, r.SecretsKey, r.Transaction}
}

// tcbStatuses are Intel's TCB statuses; a key's record stores the index (storage is paid per
// byte). A function, not a package variable: neo-go initialises package variables on every
// call of every method, request and fulfil included.
func tcbStatuses() []string {
	return []string{"UpToDate", "SWHardeningNeeded", "ConfigurationNeeded",
		"ConfigurationAndSWHardeningNeeded", "OutOfDate", "OutOfDateConfigurationNeeded", "Revoked"}
}

func statusCode(s string) int {
	all := tcbStatuses()
	for i := 0; i < len(all); i++ {
		if all[i] == s {
			return i
		}
	}
	panic("unknown TCB status '" + s + "'")
}

func statusName(code int) string {
	return tcbStatuses()[code]
}
