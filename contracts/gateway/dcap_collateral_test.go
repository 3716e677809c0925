package gateway_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

// intelCollateral is Intel's signed TCB info and QE identity JSON, the exact signed text of each.
type intelCollateral struct {
	tcbInfo    json.RawMessage
	qeIdentity json.RawMessage
}

// collateralOf reads a vector set's collateral: Phala's PCCS-style JSON (the signed documents as
// strings) or Intel PCS responses ({"tcbInfo": {...}, "signature": ...}).
func collateralOf(t testing.TB, set string) intelCollateral {
	switch set {
	case "phala":
		var c struct {
			TcbInfo    string `json:"tcb_info"`
			QeIdentity string `json:"qe_identity"`
		}
		require.NoError(t, json.Unmarshal(vectorBytes(t, "phala-dcap-qvl/sgx_quote_collateral.json"), &c))
		return intelCollateral{json.RawMessage(c.TcbInfo), json.RawMessage(c.QeIdentity)}
	case "automata":
		return intelCollateral{pcsBody(t, "automata-dcap-attestation/sgx_tcbinfov3_00606a000000.json", "tcbInfo"),
			pcsBody(t, "automata-dcap-attestation/sgx_qeidentity_v4.json", "enclaveIdentity")}
	case "mobilecoin":
		return intelCollateral{pcsBody(t, "mobilecoin-attestation/fmspc_00906ED50000_2023_07_12.json", "tcbInfo"),
			pcsBody(t, "mobilecoin-attestation/qe_identity.json", "enclaveIdentity")}
	}
	t.Fatalf("unknown vector set %q", set)
	return intelCollateral{}
}

func pcsBody(t testing.TB, file, field string) json.RawMessage {
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(vectorBytes(t, file), &m))
	require.Contains(t, m, field)
	return m[field]
}

func unixMs(t testing.TB, s string) int64 {
	at, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return at.UnixMilli()
}

func unhex(t testing.TB, s string) []byte {
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// tcbInfoArgs transcribes Intel's TCB info (version 3) into setTcbInfo's arguments, as the
// owner's CLI does after verifying Intel's signature.
func tcbInfoArgs(t testing.TB, raw json.RawMessage) []any {
	var info struct {
		Version    int    `json:"version"`
		IssueDate  string `json:"issueDate"`
		NextUpdate string `json:"nextUpdate"`
		Fmspc      string `json:"fmspc"`
		PceID      string `json:"pceId"`
		Levels     []struct {
			Tcb struct {
				Components []struct {
					Svn int `json:"svn"`
				} `json:"sgxtcbcomponents"`
				PceSvn int `json:"pcesvn"`
			} `json:"tcb"`
			Status string `json:"tcbStatus"`
		} `json:"tcbLevels"`
	}
	require.NoError(t, json.Unmarshal(raw, &info))
	require.Equal(t, 3, info.Version)
	levels := []any{}
	for _, l := range info.Levels {
		require.Len(t, l.Tcb.Components, 16)
		comps := make([]byte, 16)
		for i, c := range l.Tcb.Components {
			comps[i] = byte(c.Svn)
		}
		levels = append(levels, []any{comps, l.Tcb.PceSvn, l.Status})
	}
	sum := sha256.Sum256(raw)
	return []any{unhex(t, info.Fmspc), unhex(t, info.PceID), unixMs(t, info.IssueDate), unixMs(t, info.NextUpdate), levels, sum[:]}
}

// qeIdentityArgs transcribes Intel's QE identity (version 2) into setQeIdentity's arguments.
func qeIdentityArgs(t testing.TB, raw json.RawMessage) []any {
	var id struct {
		ID             string `json:"id"`
		IssueDate      string `json:"issueDate"`
		NextUpdate     string `json:"nextUpdate"`
		MiscSelect     string `json:"miscselect"`
		MiscSelectMask string `json:"miscselectMask"`
		Attributes     string `json:"attributes"`
		AttributesMask string `json:"attributesMask"`
		MrSigner       string `json:"mrsigner"`
		IsvProdID      int    `json:"isvprodid"`
		Levels         []struct {
			Tcb struct {
				IsvSvn int `json:"isvsvn"`
			} `json:"tcb"`
			Status string `json:"tcbStatus"`
		} `json:"tcbLevels"`
	}
	require.NoError(t, json.Unmarshal(raw, &id))
	require.Equal(t, "QE", id.ID)
	misc, err := strconv.ParseUint(id.MiscSelect, 16, 32)
	require.NoError(t, err)
	mask, err := strconv.ParseUint(id.MiscSelectMask, 16, 32)
	require.NoError(t, err)
	levels := []any{}
	for _, l := range id.Levels {
		levels = append(levels, []any{l.Tcb.IsvSvn, l.Status})
	}
	sum := sha256.Sum256(raw)
	return []any{unhex(t, id.MrSigner), id.IsvProdID, int64(misc), int64(mask), unhex(t, id.Attributes),
		unhex(t, id.AttributesMask), unixMs(t, id.IssueDate), unixMs(t, id.NextUpdate), levels, sum[:]}
}

// setCollateral puts a vector set's TCB info and QE identity on chain, as the owner.
func (v *env) setCollateral(t testing.TB, c intelCollateral) {
	v.gw.Invoke(t, stackitem.Null{}, "setTcbInfo", tcbInfoArgs(t, c.tcbInfo)...)
	v.gw.Invoke(t, stackitem.Null{}, "setQeIdentity", qeIdentityArgs(t, c.qeIdentity)...)
}

func TestCollateralIsOwnerOnly(t *testing.T) {
	v := newEnv(t)
	c := collateralOf(t, "phala")
	other := v.gw.WithSigners(v.dev)
	other.InvokeFail(t, "only the gateway owner may do this", "setTcbInfo", tcbInfoArgs(t, c.tcbInfo)...)
	other.InvokeFail(t, "only the gateway owner may do this", "setQeIdentity", qeIdentityArgs(t, c.qeIdentity)...)
}

func TestCollateralRejectsMalformedInput(t *testing.T) {
	v := newEnv(t)
	c := collateralOf(t, "phala")
	good := tcbInfoArgs(t, c.tcbInfo)
	with := func(i int, x any) []any {
		a := append([]any{}, good...)
		a[i] = x
		return a
	}
	cases := []struct {
		name  string
		args  []any
		fault string
	}{
		{"5-byte fmspc", with(0, []byte{1, 2, 3, 4, 5}), "fmspc must be 6 bytes"},
		{"window backwards", with(3, good[2].(int64)-1), "issueDate < nextUpdate"},
		{"no levels", with(4, []any{}), "TCB info needs 1..64 levels"},
		{"15 components", with(4, []any{[]any{make([]byte, 15), 13, "UpToDate"}}), "components must be 16 bytes"},
		{"unknown status", with(4, []any{[]any{make([]byte, 16), 13, "Fine"}}), "unknown TCB status 'Fine'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v.gw.InvokeFail(t, tc.fault, "setTcbInfo", tc.args...)
		})
	}
}
