package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
)

// Minimal DER and X.509 reading for the PCK certificate chain of a DCAP quote. Only what the
// verification needs is parsed: the signed part (tbsCertificate), issuer and subject names (as
// raw bytes, compared to the parent's), the validity dates, the P-256 public key, the ECDSA
// signature and, for the PCK leaf, the SGX extension. Every length is checked against the end of
// its parent before it is used; every malformed input faults with PCK_CHAIN_MALFORMED and says
// what was wrong where.

const (
	tagInteger     = 0x02
	tagBitString   = 0x03
	tagOctetString = 0x04
	tagOID         = 0x06
	tagUTCTime     = 0x17
	tagGenTime     = 0x18
	tagSequence    = 0x30
	tagVersion     = 0xa0 // [0] EXPLICIT version
	tagExtensions  = 0xa3 // [3] EXPLICIT extensions

	// AlgorithmIdentifier ecdsa-with-SHA256 (1.2.840.10045.4.3.2), DER, without parameters.
	algECDSAWithSHA256 = "\x30\x0a\x06\x08\x2a\x86\x48\xce\x3d\x04\x03\x02"
	// SubjectPublicKeyInfo algorithm: id-ecPublicKey (1.2.840.10045.2.1) with prime256v1.
	algP256PublicKey = "\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07"

	malformedChain = "PCK_CHAIN_MALFORMED: "
)

// x509Cert is what the gateway reads of one certificate.
type x509Cert struct {
	DER       []byte
	TBS       []byte // tbsCertificate with its header: the bytes the issuer signed
	Issuer    []byte // issuer Name, DER
	Subject   []byte // subject Name, DER
	NotBefore int    // unix milliseconds
	NotAfter  int    // unix milliseconds
	PublicKey []byte // 65 bytes 04||x||y (uncompressed P-256 point)
	Signature []byte // 64 bytes r||s
	ExtStart  int    // content of the extensions SEQUENCE within DER (0, 0 when absent)
	ExtEnd    int
}

// derNext reads the header of the element at off, which must have tag and lie within
// [off, end), and returns its content's start and end. Lengths of up to two bytes are
// accepted (certificates here are under 64 KiB); indefinite lengths are not DER.
//
// who and what name the certificate and the field for the fault message: both are constants,
// joined only when faulting (string building costs GAS).
func derNext(b []byte, off, end, tag int, who, what string) (int, int) {
	if off+2 > end {
		panic(malformedChain + who + " " + what + " is truncated at byte " + itoa(off))
	}
	if int(b[off]) != tag {
		panic(malformedChain + who + " " + what + " at byte " + itoa(off) + " has tag " + itoa(int(b[off])) +
			", expected " + itoa(tag))
	}
	n := int(b[off+1])
	start := off + 2
	if n >= 0x80 {
		k := n - 0x80
		if k < 1 || k > 2 {
			panic(malformedChain + who + " " + what + " at byte " + itoa(off) + " has an unsupported length form")
		}
		if start+k > end {
			panic(malformedChain + who + " " + what + " length is truncated at byte " + itoa(off))
		}
		n = int(b[start])
		if k == 2 {
			n = n*256 + int(b[start+1])
		}
		start += k
	}
	if start+n > end {
		panic(malformedChain + who + " " + what + " at byte " + itoa(off) + " claims " + itoa(n) +
			" bytes, only " + itoa(end-start) + " remain")
	}
	return start, start + n
}

// parseCert reads one DER certificate that must fill der exactly.
func parseCert(der []byte, who string) x509Cert {
	total := len(der)
	cs, ce := derNext(der, 0, total, tagSequence, who, "certificate")
	if ce != total {
		panic(malformedChain + who + " has " + itoa(total-ce) + " bytes after its end")
	}
	// tbsCertificate
	ts, te := derNext(der, cs, ce, tagSequence, who, "tbsCertificate")
	p := ts
	if p < te && int(der[p]) == tagVersion {
		_, p = derNext(der, p, te, tagVersion, who, "version")
	}
	_, p = derNext(der, p, te, tagInteger, who, "serial number")
	_, ae := derNext(der, p, te, tagSequence, who, "signature algorithm")
	if !equalAt(der, p, ae, algECDSAWithSHA256) {
		panic(malformedChain + who + " is not signed with ecdsa-with-SHA256")
	}
	_, ie := derNext(der, ae, te, tagSequence, who, "issuer")
	vs, ve := derNext(der, ie, te, tagSequence, who, "validity")
	notBefore, q := derTime(der, vs, ve, who, "notBefore")
	notAfter, q2 := derTime(der, q, ve, who, "notAfter")
	if q2 != ve {
		panic(malformedChain + who + " validity has extra bytes")
	}
	_, se := derNext(der, ve, te, tagSequence, who, "subject")
	ks, ke := derNext(der, se, te, tagSequence, who, "subject public key info")
	_, ka := derNext(der, ks, ke, tagSequence, who, "public key algorithm")
	if !equalAt(der, ks, ka, algP256PublicKey) {
		panic(malformedChain + who + " public key is not a P-256 EC key")
	}
	bs, be := derNext(der, ka, ke, tagBitString, who, "public key")
	if be != ke || be-bs != 66 || der[bs] != 0 || der[bs+1] != 4 {
		panic(malformedChain + who + " public key is not an uncompressed P-256 point")
	}
	extStart, extEnd := 0, 0
	p = ke
	for p < te {
		if int(der[p]) == tagExtensions {
			xs, xe := derNext(der, p, te, tagExtensions, who, "extensions")
			extStart, extEnd = derNext(der, xs, xe, tagSequence, who, "extension list")
			p = xe
		} else {
			// issuerUniqueID / subjectUniqueID: skipped, whatever the (context-specific) tag.
			_, p = derNext(der, p, te, int(der[p]), who, "optional field")
		}
	}
	// signatureAlgorithm, signatureValue
	_, sa := derNext(der, te, ce, tagSequence, who, "outer signature algorithm")
	if !equalAt(der, te, sa, algECDSAWithSHA256) {
		panic(malformedChain + who + " outer signature algorithm is not ecdsa-with-SHA256")
	}
	ss, se2 := derNext(der, sa, ce, tagBitString, who, "signature")
	if se2 != ce {
		panic(malformedChain + who + " has bytes after its signature")
	}
	if ss >= se2 || der[ss] != 0 {
		panic(malformedChain + who + " signature bit string has unused bits")
	}
	return x509Cert{
		DER:       der,
		TBS:       der[cs:te],
		Issuer:    der[ae:ie],
		Subject:   der[ve:se],
		NotBefore: notBefore,
		NotAfter:  notAfter,
		PublicKey: der[bs+1 : be],
		Signature: derSignature(der, ss+1, se2, who),
		ExtStart:  extStart,
		ExtEnd:    extEnd,
	}
}

// equalAt says whether b[s:e] equals the constant c, byte by byte: for short constants this is
// cheaper than converting the slice (a Buffer) to a ByteString to compare it.
func equalAt(b []byte, s, e int, c string) bool {
	if e-s != len(c) {
		return false
	}
	for i := 0; i < len(c); i++ {
		if b[s+i] != c[i] {
			return false
		}
	}
	return true
}

// derSignature turns an ECDSA-Sig-Value SEQUENCE { r INTEGER, s INTEGER } in [off, end) into
// the 64-byte r||s that CryptoLib.verifyWithECDsa takes.
func derSignature(b []byte, off, end int, who string) []byte {
	s, e := derNext(b, off, end, tagSequence, who, "signature value")
	if e != end {
		panic(malformedChain + who + " signature value has extra bytes")
	}
	rs, re := derNext(b, s, e, tagInteger, who, "signature r")
	ss, se := derNext(b, re, e, tagInteger, who, "signature s")
	if se != e {
		panic(malformedChain + who + " signature value has extra bytes")
	}
	return append(scalar32(b, rs, re, who, "signature r"), scalar32(b, ss, se, who, "signature s")...)
}

// scalar32 is a positive DER INTEGER as exactly 32 big-endian bytes.
func scalar32(b []byte, s, e int, who, what string) []byte {
	if e > s+1 && b[s] == 0 {
		s++ // the sign byte DER adds before a high bit
	}
	n := e - s
	if n < 1 || n > 32 {
		panic(malformedChain + who + " " + what + " is " + itoa(n) + " bytes, not 1..32")
	}
	if n == 32 {
		return b[s:e]
	}
	return append(make([]byte, 32-n), b[s:e]...)
}

// derUint reads a non-negative DER INTEGER of at most 3 content bytes.
func derUint(b []byte, s, e int, who, what string) int {
	n := e - s
	if n < 1 || n > 3 || b[s] >= 0x80 {
		panic(malformedChain + who + " " + what + " is not a small non-negative integer")
	}
	v := 0
	for i := s; i < e; i++ {
		v = v*256 + int(b[i])
	}
	return v
}

// derTime reads a UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ) at off and
// returns it as unix milliseconds and the offset after it.
func derTime(b []byte, off, end int, who, what string) (int, int) {
	if off+2 > end {
		panic(malformedChain + who + " " + what + " is missing")
	}
	tag := int(b[off])
	var year, p int
	if tag == tagUTCTime {
		s, e := derNext(b, off, end, tagUTCTime, who, what)
		if e-s != 13 {
			panic(malformedChain + who + " " + what + " is not YYMMDDHHMMSSZ")
		}
		year = digits(b, s, 2, who, what)
		if year < 50 {
			year += 2000
		} else {
			year += 1900
		}
		p = s + 2
	} else {
		s, e := derNext(b, off, end, tagGenTime, who, what)
		if e-s != 15 {
			panic(malformedChain + who + " " + what + " is not YYYYMMDDHHMMSSZ")
		}
		year = digits(b, s, 4, who, what)
		p = s + 4
	}
	month := digits(b, p, 2, who, what)
	day := digits(b, p+2, 2, who, what)
	hour := digits(b, p+4, 2, who, what)
	minute := digits(b, p+6, 2, who, what)
	second := digits(b, p+8, 2, who, what)
	if b[p+10] != 'Z' || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 {
		panic(malformedChain + who + " " + what + " is not a valid UTC time")
	}
	ms := ((daysFromCivil(year, month, day)*24+hour)*60+minute)*60 + second
	return ms * 1000, p + 11
}

func digits(b []byte, s, n int, who, what string) int {
	v := 0
	for i := s; i < s+n; i++ {
		d := int(b[i]) - '0'
		if d < 0 || d > 9 {
			panic(malformedChain + who + " " + what + " has a non-digit")
		}
		v = v*10 + d
	}
	return v
}

// daysFromCivil is the number of days from 1970-01-01 to year-month-day (proleptic Gregorian;
// H. Hinnant's algorithm, for years >= 0).
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := m - 3
	if m <= 2 {
		mp = m + 9
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// pemCertificates decodes the PEM chain of certification data type 5: exactly three
// certificates (PCK leaf, PCK CA, root), back to back, base64 in lines of 64 characters (as
// Intel's quoting library writes them) with a last line of 4..64, optionally followed by one
// NUL. Anything else faults. StdLib.base64Decode takes at most 1024 characters, so each body is
// decoded 15 lines at a time.
func pemCertificates(data []byte) [][]byte {
	begin := "-----BEGIN CERTIFICATE-----\n"
	endMark := "-----END CERTIFICATE-----\n"
	certs := [][]byte{}
	p := 0
	n := len(data)
	for i := 1; i <= 3; i++ {
		if p+len(begin) > n || !equalAt(data, p, p+len(begin), begin) {
			panic(malformedChain + "certificate " + itoa(i) + " of the PEM chain does not start with " +
				"-----BEGIN CERTIFICATE----- at byte " + itoa(p) + " of the certification data")
		}
		s := p + len(begin)
		q := s
		for q+pemLine <= n && data[q+pemLine-1] == '\n' && data[q] != '-' {
			q += pemLine
		}
		last := pemLine - 1
		if q < n && data[q] != '-' { // a last line shorter than 64 characters
			last = 0
			for q+last < n && last < pemLine && data[q+last] != '\n' {
				last++
			}
			if q+last == n || last == pemLine || last%4 != 0 {
				panic(malformedChain + "certificate " + itoa(i) + " of the PEM chain has a line at byte " + itoa(q) +
					" that is not 64 base64 characters, nor a last line of a multiple of 4")
			}
			q += last + 1
		}
		if q == s || q+len(endMark) > n || !equalAt(data, q, q+len(endMark), endMark) {
			panic(malformedChain + "certificate " + itoa(i) + " of the PEM chain does not end with " +
				"-----END CERTIFICATE----- at byte " + itoa(q))
		}
		checkPadding(data, q-1-last, q-1, i)
		certs = append(certs, pemBody(data, s, q))
		p = q + len(endMark)
	}
	if p != n && !(p+1 == n && data[p] == 0) {
		panic(malformedChain + "the certification data has " + itoa(n-p) +
			" bytes after the third certificate; expected the leaf, PCK CA and root only")
	}
	return certs
}

const pemLine = 65 // 64 base64 characters and a newline

// pemBody decodes the base64 lines data[s:e], 15 lines (960 characters) per call.
func pemBody(data []byte, s, e int) []byte {
	out := []byte{}
	for q := s; q < e; q += pemLine * 15 {
		stop := q + pemLine*15
		if stop > e {
			stop = e
		}
		out = append(out, std.Base64Decode(data[q:stop])...)
	}
	return out
}

// checkPadding refuses a last base64 group whose padding bits are not zero: the decoder ignores
// them, so without this check several texts would decode to the same certificate.
func checkPadding(data []byte, s, e, which int) {
	if data[e-1] != '=' {
		return
	}
	mask := 3 // one '=': the third character's low 2 bits are padding
	c := e - 2
	if data[e-2] == '=' {
		mask = 15 // two: the second character's low 4 bits
		c = e - 3
	}
	if base64Index(int(data[c]))&mask != 0 {
		panic(malformedChain + "certificate " + itoa(which) + " of the PEM chain has non-zero base64 padding bits")
	}
}

func base64Index(ch int) int {
	switch {
	case ch >= 'A' && ch <= 'Z':
		return ch - 'A'
	case ch >= 'a' && ch <= 'z':
		return ch - 'a' + 26
	case ch >= '0' && ch <= '9':
		return ch - '0' + 52
	case ch == '+':
		return 62
	case ch == '/':
		return 63
	}
	return 0
}
