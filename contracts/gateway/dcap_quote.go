package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/crypto"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
)

// DCAP v3 quote verification (Intel SGX ECDSA Quote Library Reference, "Quote Format").
// All integers are little-endian.
//
//	   0  header (48): version u16, att_key_type u16, tee_type u32, qe_svn u16, pce_svn u16,
//	                   qe_vendor_id 16, user_data 20
//	  48  ISV enclave report body (384)
//	 432  signature data length u32
//	 436  signature r||s (64) | attestation key x||y (64) | QE report body (384)
//	      | QE report signature r||s (64) | QE auth data size u16 + data
//	      | certification data type u16 (5), size u32, data (PEM PCK chain: leaf, PCK CA, root)
//
// The checks and their order follow the Java verifier (io.nsl.enclave.dcap.DcapQuoteVerifier),
// and every fault message starts with the same reason code (FailureReason) so that one table of
// cases (testdata/dcap-cases.json) runs against both. What is not checked on chain (CRLs) is
// written in docs/enclave.md.

const (
	quoteHeaderSize = 48
	reportBodySize  = 384
	quoteSignedSize = quoteHeaderSize + reportBodySize // header || ISV report body
	quoteMinSize    = quoteSignedSize + 4
	quoteQeReport   = quoteMinSize + 128 // offset of the QE report body
	quoteAuthSize   = quoteQeReport + reportBodySize + 64
	// MaxQuoteSize bounds the quote a registration may carry (real v3 quotes are 4.5-5 KiB).
	MaxQuoteSize = 8192

	intelQeVendorID = "\x93\x9a\x72\x33\xf7\x9c\x4c\xa9\x94\x0a\x0d\xb3\x95\x7f\x06\x07"

	// Offsets inside a report body.
	bodyMiscSelect = 16
	bodyAttributes = 48
	bodyMrEnclave  = 64
	bodyMrSigner   = 128
	bodyIsvProdID  = 256
	bodyIsvSvn     = 258
	bodyReportData = 320
	attrDebug      = 2 // attributes.flags bit 1
)

// quoteFacts is what a verified quote says, for the TCB, QE identity and measurement checks.
type quoteFacts struct {
	MrEnclave  []byte
	MrSigner   []byte
	IsvProdID  int
	IsvSvn     int
	Debug      bool
	ReportData []byte // 64 bytes
	Fmspc      []byte // 6 bytes, from the PCK certificate's SGX extension
	PceID      []byte // 2 bytes
	TcbComps   int    // the 16 SGX TCB component SVNs of the PCK certificate, packed (tcbComponent)
	PceSvn     int
	QeReport   []byte // the QE's report body (384 bytes)
}

func quoteFail(reason, detail string) {
	panic(reason + ": " + detail)
}

func u16(b []byte, off int) int {
	return int(b[off]) + int(b[off+1])*256
}

func u32(b []byte, off int) int {
	return u16(b, off) + u16(b, off+2)*65536
}

// parseAndVerifyQuote checks the quote's structure, its PCK chain up to the pinned Intel root
// (signatures, names, validity at block time), the QE report signature, the QE report data
// binding of the attestation key and the quote signature. It faults with the reason at the first
// failure and returns the facts otherwise. It does not look at collateral or policy.
func parseAndVerifyQuote(q []byte) quoteFacts {
	n := len(q)
	if n < 8 {
		quoteFail("MALFORMED_QUOTE", "the quote is "+itoa(n)+" bytes; a quote starts with a 48-byte header")
	}
	if n > MaxQuoteSize {
		quoteFail("MALFORMED_QUOTE", "the quote is "+itoa(n)+" bytes, over the "+itoa(MaxQuoteSize)+" accepted")
	}
	version := u16(q, 0)
	teeType := u32(q, 4)
	if version == 4 && teeType == 0x81 {
		quoteFail("TDX_QUOTE_NOT_SUPPORTED", "this is a TDX quote (version 4, TEE type 0x81); the gateway verifies SGX enclave quotes only")
	}
	if version != 3 {
		quoteFail("UNSUPPORTED_QUOTE_VERSION", "quote version "+itoa(version)+" is not supported on chain (expected 3)")
	}
	if n < quoteMinSize {
		quoteFail("MALFORMED_QUOTE", "the quote is truncated: header + report body needs "+itoa(quoteMinSize)+" bytes, the quote has "+itoa(n))
	}
	sigLen := u32(q, quoteSignedSize)
	if sigLen != n-quoteMinSize {
		quoteFail("MALFORMED_QUOTE", "the signature data length field says "+itoa(sigLen)+" bytes but "+
			itoa(n-quoteMinSize)+" follow it (truncated or padded quote)")
	}
	if n < quoteAuthSize+2 {
		quoteFail("MALFORMED_QUOTE", "the quote is truncated: QE report needs "+itoa(quoteAuthSize+2)+" bytes, the quote has "+itoa(n))
	}
	authLen := u16(q, quoteAuthSize)
	certHeader := quoteAuthSize + 2 + authLen
	if certHeader+6 > n {
		quoteFail("MALFORMED_QUOTE", "the quote is truncated: QE auth data and certification data header need "+
			itoa(certHeader+6)+" bytes, the quote has "+itoa(n))
	}
	certType := u16(q, certHeader)
	certLen := u32(q, certHeader+2)
	if certLen != n-certHeader-6 {
		quoteFail("MALFORMED_QUOTE", "the certification data size field says "+itoa(certLen)+" bytes but "+
			itoa(n-certHeader-6)+" remain")
	}
	if teeType != 0 {
		quoteFail("TDX_QUOTE_NOT_SUPPORTED", "TEE type "+itoa(teeType)+" is not SGX (0)")
	}
	if u16(q, 2) != 2 {
		quoteFail("UNSUPPORTED_ATTESTATION_KEY_TYPE", "attestation key type "+itoa(u16(q, 2))+" is not 2 (ECDSA-256-with-P-256)")
	}
	if !equalAt(q, 12, 28, intelQeVendorID) {
		quoteFail("UNSUPPORTED_QE_VENDOR", "the QE vendor id is not Intel's 939a7233f79c4ca9940a0db3957f0607")
	}
	if certType != 5 {
		quoteFail("UNSUPPORTED_CERTIFICATION_DATA", "certification data type "+itoa(certType)+
			" is not 5 (PCK certificate chain); fetch the PCK chain into the quote (PCCS)")
	}

	// The PCK chain: leaf <- PCK CA <- pinned root, checked from the root down so that every key
	// used has itself been verified.
	ders := pemCertificates(q[certHeader+6 : n])
	if string(ders[2]) != intelRootDER {
		quoteFail("CHAIN_UNTRUSTED", "the PCK chain does not end in the pinned Intel SGX Root CA")
	}
	ca := parseCert(ders[1], "PCK CA certificate")
	leaf := parseCert(ders[0], "PCK certificate")
	if string(ca.Issuer) != intelRootName ||
		!crypto.VerifyWithECDsa(ca.TBS, interop.PublicKey(intelRootKey), ca.Signature, crypto.Secp256r1Sha256) {
		quoteFail("CHAIN_UNTRUSTED", "the PCK CA certificate is not signed by the Intel SGX Root CA")
	}
	if string(leaf.Issuer) != string(ca.Subject) ||
		!crypto.VerifyWithECDsa(leaf.TBS, ca.PublicKey, leaf.Signature, crypto.Secp256r1Sha256) {
		quoteFail("CHAIN_UNTRUSTED", "the PCK certificate is not signed by the PCK CA in the quote")
	}
	now := runtime.GetTime()
	checkValidity(leaf, now, "PCK certificate")
	checkValidity(ca, now, "PCK CA certificate")
	if now < intelRootNotBefore || now > intelRootNotAfter {
		quoteFail("CERTIFICATE_EXPIRED", "the Intel SGX Root CA is valid 2018-05-21 .. 2049-12-31, not at block time "+itoa(now))
	}
	pck := sgxExtension(leaf)

	// The QE report, signed by the PCK key, binds the attestation key.
	qeReport := q[quoteQeReport : quoteQeReport+reportBodySize]
	if !crypto.VerifyWithECDsa(qeReport, leaf.PublicKey, q[quoteAuthSize-64:quoteAuthSize], crypto.Secp256r1Sha256) {
		quoteFail("QE_REPORT_SIGNATURE_INVALID", "the QE report signature does not verify with the PCK certificate's key")
	}
	attKey := q[quoteMinSize+64 : quoteQeReport]
	bound := crypto.Sha256(append(attKey, q[quoteAuthSize+2:certHeader]...))
	if string(qeReport[bodyReportData:bodyReportData+32]) != string(bound) ||
		string(qeReport[bodyReportData+32:reportBodySize]) != string(make([]byte, 32)) {
		quoteFail("QE_REPORT_DATA_MISMATCH", "the QE report_data is not SHA-256(attestation key || QE auth data) || 0^32: "+
			"the attestation key was not produced by this quoting enclave")
	}
	// The quote itself, signed by the attestation key.
	if !crypto.VerifyWithECDsa(q[0:quoteSignedSize], interop.PublicKey(append([]byte{4}, attKey...)),
		q[quoteMinSize:quoteMinSize+64], crypto.Secp256r1Sha256) {
		quoteFail("QUOTE_SIGNATURE_INVALID", "the quote signature over header and report body does not verify "+
			"with the attestation key: the quote was altered")
	}

	body := q[quoteHeaderSize:quoteSignedSize]
	return quoteFacts{
		MrEnclave:  body[bodyMrEnclave : bodyMrEnclave+32],
		MrSigner:   body[bodyMrSigner : bodyMrSigner+32],
		IsvProdID:  u16(body, bodyIsvProdID),
		IsvSvn:     u16(body, bodyIsvSvn),
		Debug:      int(body[bodyAttributes])&attrDebug != 0,
		ReportData: body[bodyReportData:reportBodySize],
		Fmspc:      pck.Fmspc,
		PceID:      pck.PceID,
		TcbComps:   pck.TcbComps,
		PceSvn:     pck.PceSvn,
		QeReport:   qeReport,
	}
}

func checkValidity(c x509Cert, now int, what string) {
	if now < c.NotBefore || now > c.NotAfter {
		quoteFail("CERTIFICATE_EXPIRED", "the "+what+" is valid from "+itoa(c.NotBefore)+" to "+itoa(c.NotAfter)+
			" (unix ms), not at block time "+itoa(now))
	}
}
