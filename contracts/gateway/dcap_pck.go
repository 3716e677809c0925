package gateway

// The SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1): the platform's TCB
// component SVNs, PCE SVN, PCE id and FMSPC. These, not the quote header, are what TCB levels
// are matched against: the certificate is signed by Intel, the header is not.

const (
	oidSgxExtension = "\x2a\x86\x48\x86\xf8\x4d\x01\x0d\x01" // 1.2.840.113741.1.13.1
	tagBoolean      = 0x01
	sgxTcb          = 2 // .2: SEQUENCE of (OID .2.n, INTEGER svn): n 1..16 components, 17 PCESVN, 18 CPUSVN
	sgxPceID        = 3 // .3: OCTET STRING (2)
	sgxFmspc        = 4 // .4: OCTET STRING (6)
	pckWho          = "PCK certificate"
)

// sgxExtension reads the FMSPC, PCE id, TCB components and PCE SVN of the PCK leaf.
func sgxExtension(c x509Cert) quoteFacts {
	der := c.DER
	p := c.ExtStart
	for p < c.ExtEnd {
		es, ee := derNext(der, p, c.ExtEnd, tagSequence, pckWho, "PCK certificate extension")
		os, oe := derNext(der, es, ee, tagOID, pckWho, "PCK certificate extension id")
		if equalAt(der, os, oe, oidSgxExtension) {
			v := oe
			if v < ee && int(der[v]) == tagBoolean {
				_, v = derNext(der, v, ee, tagBoolean, pckWho, "SGX extension critical flag")
			}
			vs, ve := derNext(der, v, ee, tagOctetString, pckWho, "SGX extension value")
			if ve != ee {
				panic(malformedChain + "the SGX extension has extra bytes")
			}
			return sgxFields(der, vs, ve)
		}
		p = ee
	}
	panic(malformedChain + "the PCK certificate has no SGX extension (1.2.840.113741.1.13.1)")
}

func sgxFields(der []byte, vs, ve int) quoteFacts {
	comps, pceSvn := -1, -1
	var pceID, fmspc []byte
	s, e := derNext(der, vs, ve, tagSequence, pckWho, "SGX extension")
	if e != ve {
		panic(malformedChain + "the SGX extension has extra bytes")
	}
	for p := s; p < e; {
		is, ie := derNext(der, p, e, tagSequence, pckWho, "SGX extension entry")
		os, oe := derNext(der, is, ie, tagOID, pckWho, "SGX extension entry id")
		arc := sgxArc(der, os, oe, oidSgxExtension)
		switch arc {
		case sgxTcb:
			comps, pceSvn = sgxTcbComponents(der, oe, ie)
		case sgxPceID:
			bs, be := derNext(der, oe, ie, tagOctetString, pckWho, "SGX PCE-ID")
			if be-bs != 2 {
				panic(malformedChain + "the SGX PCE-ID is not 2 bytes")
			}
			pceID = der[bs:be]
		case sgxFmspc:
			bs, be := derNext(der, oe, ie, tagOctetString, pckWho, "SGX FMSPC")
			if be-bs != 6 {
				panic(malformedChain + "the SGX FMSPC is not 6 bytes")
			}
			fmspc = der[bs:be]
		}
		p = ie
	}
	if comps < 0 || pceID == nil || fmspc == nil {
		panic(malformedChain + "the PCK certificate's SGX extension lacks TCB, PCE-ID or FMSPC")
	}
	return quoteFacts{Fmspc: fmspc, PceID: pceID, TcbComps: comps, PceSvn: pceSvn}
}

// sgxArc returns the last arc of an OID that is base + one more single-byte arc, or -1.
func sgxArc(der []byte, os, oe int, base string) int {
	if oe-os != len(base)+1 || !equalAt(der, os, oe-1, base) {
		return -1
	}
	return int(der[oe-1])
}

// sgxTcbComponents returns the 16 component SVNs packed in one integer (component 1 in the top
// byte, component 16 in the lowest: see tcbComponent) and the PCE SVN.
func sgxTcbComponents(der []byte, s, e int) (int, int) {
	ts, te := derNext(der, s, e, tagSequence, pckWho, "SGX TCB")
	if te != e {
		panic(malformedChain + "the SGX TCB entry has extra bytes")
	}
	comps := 0
	seen := 0
	pceSvn := -1
	tcbOid := oidSgxExtension + "\x02"
	for p := ts; p < te; {
		is, ie := derNext(der, p, te, tagSequence, pckWho, "SGX TCB component")
		os, oe := derNext(der, is, ie, tagOID, pckWho, "SGX TCB component id")
		n := sgxArc(der, os, oe, tcbOid)
		if n >= 1 && n <= 17 {
			vs, ve := derNext(der, oe, ie, tagInteger, pckWho, "SGX TCB component")
			if ve != ie {
				panic(malformedChain + "SGX TCB component " + itoa(n) + " has extra bytes")
			}
			v := derUint(der, vs, ve, pckWho, "SGX TCB component")
			if n == 17 {
				pceSvn = v
			} else if v > 255 {
				panic(malformedChain + "SGX TCB component " + itoa(n) + " is over 255")
			} else {
				comps = comps | v<<(8*(16-n))
			}
			seen++
		}
		p = ie
	}
	if seen != 17 || pceSvn < 0 {
		panic(malformedChain + "the SGX TCB entry has " + itoa(seen) + " of the 16 components and PCESVN")
	}
	return comps, pceSvn
}

// tcbComponent is component i (1..16) of a packed set of TCB components.
func tcbComponent(packed, i int) int {
	return (packed >> (8 * (16 - i))) & 255
}
