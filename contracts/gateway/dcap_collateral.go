package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop/native/std"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// Collateral: Intel's TCB info (per FMSPC) and QE identity, set by the gateway owner from the
// documents Intel signs (docs/decisions/0401-owner-set-dcap-collateral.md says why the owner
// sets them and what that means for trust). The owner's CLI verifies Intel's signatures off
// chain with the Java verifier before sending; sourceSha256 is the SHA-256 of the exact signed
// JSON text, so anyone can check that what is on chain matches what Intel published.

const (
	prefixTcbInfo = "\x51" // + fmspc (6 bytes) -> serialized tcbInfo
	keyQeIdentity = "\x52" // serialized qeIdentity

	maxTcbLevels = 64
)

type tcbInfo struct {
	PceID        []byte
	IssueDate    int   // unix ms
	NextUpdate   int   // unix ms
	Levels       []any // each [packed components (tcbComponent), pceSvn, status], Intel's order
	SourceSha256 []byte
}

type qeIdentity struct {
	MrSigner       []byte
	IsvProdID      int
	MiscSelect     int
	MiscSelectMask int
	Attributes     []byte // 16 bytes
	AttributesMask []byte // 16 bytes
	IssueDate      int
	NextUpdate     int
	Levels         []any // each [isvSvn, status], Intel's order (highest first)
	SourceSha256   []byte
}

// tcbStatusKnown lists the statuses Intel uses in TCB info and QE identity levels.
func tcbStatusKnown(s string) bool {
	return s == "UpToDate" || s == "SWHardeningNeeded" || s == "ConfigurationNeeded" ||
		s == "ConfigurationAndSWHardeningNeeded" || s == "OutOfDate" ||
		s == "OutOfDateConfigurationNeeded" || s == "Revoked"
}

// tcbStatusAccepted is the gateway's TCB policy, the Java verifier's default
// (AttestationPolicy.DEFAULT_TCB_STATUSES): patched platforms, advisories reported.
func tcbStatusAccepted(s string) bool {
	return s == "UpToDate" || s == "SWHardeningNeeded" || s == "ConfigurationNeeded" ||
		s == "ConfigurationAndSWHardeningNeeded"
}

func checkWindow(issueDate, nextUpdate int) {
	if issueDate <= 0 || nextUpdate <= issueDate {
		panic("issueDate and nextUpdate must be unix milliseconds with issueDate < nextUpdate")
	}
}

func checkStatus(s string) {
	if !tcbStatusKnown(s) {
		panic("unknown TCB status '" + s + "'")
	}
}

// SetTcbInfo stores Intel's TCB info for one FMSPC. levels: Array of Array[ByteArray
// components (16 bytes, SGX TCB component SVNs 1..16), Integer pceSvn, String tcbStatus], in
// Intel's order (highest first). Owner only.
func SetTcbInfo(fmspc, pceID []byte, issueDate, nextUpdate int, levels []any, sourceSha256 []byte) {
	if len(fmspc) != 6 || len(pceID) != 2 || len(sourceSha256) != 32 {
		panic("fmspc must be 6 bytes, pceId 2 bytes and sourceSha256 32 bytes")
	}
	checkWindow(issueDate, nextUpdate)
	if len(levels) == 0 || len(levels) > maxTcbLevels {
		panic("TCB info needs 1.." + itoa(maxTcbLevels) + " levels")
	}
	stored := []any{}
	for i := 0; i < len(levels); i++ {
		l := levels[i].([]any)
		if len(l) != 3 {
			panic("TCB level " + itoa(i) + " must be [components, pceSvn, status]")
		}
		comps := l[0].([]byte)
		if len(comps) != 16 {
			panic("TCB level " + itoa(i) + " components must be 16 bytes")
		}
		packed := 0
		for j := 0; j < 16; j++ {
			packed = packed<<8 | int(comps[j])
		}
		status := l[2].(string)
		checkStatus(status)
		stored = append(stored, []any{packed, l[1].(int), status})
	}
	ctx := storage.GetContext()
	checkOwner(ctx)
	storage.Put(ctx, cat(prefixTcbInfo, fmspc), std.Serialize(tcbInfo{PceID: pceID, IssueDate: issueDate,
		NextUpdate: nextUpdate, Levels: stored, SourceSha256: sourceSha256}))
	runtime.Notify("TcbInfoSet", fmspc, issueDate, nextUpdate, sourceSha256)
}

// GetTcbInfo returns [pceId, issueDate, nextUpdate, levels, sourceSha256] for an FMSPC (levels
// with packed components), or null.
func GetTcbInfo(fmspc []byte) any {
	raw := getBytes(storage.GetReadOnlyContext(), cat(prefixTcbInfo, fmspc))
	if raw == nil {
		return nil
	}
	return std.Deserialize(raw)
}

// SetQeIdentity stores Intel's QE identity. levels: Array of Array[Integer isvSvn, String
// tcbStatus], highest first. Owner only.
func SetQeIdentity(mrSigner []byte, isvProdID, miscSelect, miscSelectMask int, attributes, attributesMask []byte,
	issueDate, nextUpdate int, levels []any, sourceSha256 []byte) {
	if len(mrSigner) != 32 || len(attributes) != 16 || len(attributesMask) != 16 || len(sourceSha256) != 32 {
		panic("mrSigner must be 32 bytes, attributes and attributesMask 16, sourceSha256 32")
	}
	checkWindow(issueDate, nextUpdate)
	if len(levels) == 0 || len(levels) > maxTcbLevels {
		panic("QE identity needs 1.." + itoa(maxTcbLevels) + " levels")
	}
	for i := 0; i < len(levels); i++ {
		l := levels[i].([]any)
		if len(l) != 2 {
			panic("QE TCB level " + itoa(i) + " must be [isvSvn, status]")
		}
		checkStatus(l[1].(string))
	}
	ctx := storage.GetContext()
	checkOwner(ctx)
	storage.Put(ctx, keyQeIdentity, std.Serialize(qeIdentity{MrSigner: mrSigner, IsvProdID: isvProdID,
		MiscSelect: miscSelect, MiscSelectMask: miscSelectMask, Attributes: attributes,
		AttributesMask: attributesMask, IssueDate: issueDate, NextUpdate: nextUpdate, Levels: levels,
		SourceSha256: sourceSha256}))
	runtime.Notify("QeIdentitySet", mrSigner, issueDate, nextUpdate, sourceSha256)
}

// GetQeIdentity returns the stored QE identity as an Array in the field order of
// setQeIdentity, or null.
func GetQeIdentity() any {
	raw := getBytes(storage.GetReadOnlyContext(), keyQeIdentity)
	if raw == nil {
		return nil
	}
	return std.Deserialize(raw)
}

// platformStatus matches the PCK certificate's TCB against the stored TCB info, as Intel's QVL
// does: the first level (Intel orders them highest first) whose every component and PCE SVN
// the platform meets.
func platformStatus(ctx storage.Context, f quoteFacts, now int) string {
	raw := getBytes(ctx, cat(prefixTcbInfo, f.Fmspc))
	if raw == nil {
		quoteFail("COLLATERAL_REQUIRED", "no TCB info for this platform's FMSPC is on chain; the gateway owner "+
			"must set it (setTcbInfo) from Intel's TCB info for this FMSPC")
	}
	info := std.Deserialize(raw).(tcbInfo)
	if string(info.PceID) != string(f.PceID) {
		quoteFail("TCB_INFO_MISMATCH", "the TCB info on chain is for another PCE id than the PCK certificate's")
	}
	if now < info.IssueDate || now > info.NextUpdate {
		quoteFail("TCB_INFO_EXPIRED", "the TCB info on chain is current from "+itoa(info.IssueDate)+" to "+
			itoa(info.NextUpdate)+" (unix ms), not at block time "+itoa(now)+"; the owner must set fresh TCB info")
	}
	for i := 0; i < len(info.Levels); i++ {
		l := info.Levels[i].([]any)
		level := l[0].(int)
		ok := f.PceSvn >= l[1].(int)
		for c := 1; c <= 16 && ok; c++ {
			ok = tcbComponent(f.TcbComps, c) >= tcbComponent(level, c)
		}
		if ok {
			return l[2].(string)
		}
	}
	quoteFail("TCB_LEVEL_NOT_FOUND", "no TCB level matches the platform: it is below every level Intel knows")
	return ""
}

// qeStatus checks the quoting enclave's identity and returns its TCB status.
func qeStatus(ctx storage.Context, qeReport []byte, now int) string {
	raw := getBytes(ctx, keyQeIdentity)
	if raw == nil {
		quoteFail("COLLATERAL_REQUIRED", "no QE identity is on chain; the gateway owner must set it (setQeIdentity)")
	}
	id := std.Deserialize(raw).(qeIdentity)
	if now < id.IssueDate || now > id.NextUpdate {
		quoteFail("QE_IDENTITY_EXPIRED", "the QE identity on chain is current from "+itoa(id.IssueDate)+" to "+
			itoa(id.NextUpdate)+" (unix ms), not at block time "+itoa(now)+"; the owner must set a fresh one")
	}
	if string(qeReport[bodyMrSigner:bodyMrSigner+32]) != string(id.MrSigner) {
		quoteFail("QE_IDENTITY_MISMATCH", "the quoting enclave's MRSIGNER is not Intel's QE signer")
	}
	if u16(qeReport, bodyIsvProdID) != id.IsvProdID {
		quoteFail("QE_IDENTITY_MISMATCH", "the quoting enclave's ISVPRODID is not "+itoa(id.IsvProdID))
	}
	if u32(qeReport, bodyMiscSelect)&id.MiscSelectMask != id.MiscSelect {
		quoteFail("QE_IDENTITY_MISMATCH", "the quoting enclave's MISCSELECT does not match the QE identity")
	}
	for i := 0; i < 16; i++ {
		if int(qeReport[bodyAttributes+i])&int(id.AttributesMask[i]) != int(id.Attributes[i]) {
			quoteFail("QE_IDENTITY_MISMATCH", "the quoting enclave's attributes do not match the QE identity (a debug or modified QE)")
		}
	}
	svn := u16(qeReport, bodyIsvSvn)
	for i := 0; i < len(id.Levels); i++ {
		l := id.Levels[i].([]any)
		if svn >= l[0].(int) {
			return l[1].(string)
		}
	}
	quoteFail("QE_REVOKED", "the quoting enclave's ISVSVN "+itoa(svn)+" is below every QE TCB level")
	return ""
}

// converge is Intel QVL's combination of the platform status with the QE's.
func converge(platform, qe string) string {
	if qe != "OutOfDate" {
		return platform
	}
	if platform == "UpToDate" || platform == "SWHardeningNeeded" {
		return "OutOfDate"
	}
	if platform == "ConfigurationNeeded" || platform == "ConfigurationAndSWHardeningNeeded" {
		return "OutOfDateConfigurationNeeded"
	}
	return platform
}

// verifyAttestation is the whole on-chain check of a quote: the quote and its chain, then the
// collateral (platform TCB level, QE identity), in the Java verifier's order. It returns the
// facts with the converged TCB status and the QE's status.
func verifyAttestation(ctx storage.Context, quote []byte) (quoteFacts, string, string) {
	f := parseAndVerifyQuote(quote)
	now := runtime.GetTime()
	platform := platformStatus(ctx, f, now)
	qe := qeStatus(ctx, f.QeReport, now)
	if qe == "Revoked" {
		quoteFail("QE_REVOKED", "the quoting enclave's TCB level is Revoked")
	}
	status := converge(platform, qe)
	if platform == "Revoked" {
		quoteFail("TCB_REVOKED", "the platform's TCB level is Revoked")
	}
	return f, status, qe
}
