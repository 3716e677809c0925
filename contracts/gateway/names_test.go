package gateway_test

import (
	"crypto/sha256"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

// The shared table: testdata/name-cases.json's function ids are checked here against
// RegisterFunction and by NameRulesTest against the service's io.nsl.NameRules, so an id is
// accepted on chain exactly when the service can run it.

type nameCase struct {
	Value  string `json:"value"`
	Repeat int    `json:"repeat"`
	Valid  bool   `json:"valid"`
	Why    string `json:"why"`
}

func (c nameCase) text() string {
	if c.Repeat == 0 {
		return c.Value
	}
	return strings.Repeat(c.Value, c.Repeat)
}

func TestFunctionIDRuleMatchesSharedTable(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/name-cases.json")
	require.NoError(t, err)
	var tab struct {
		FunctionID []nameCase `json:"functionId"`
	}
	require.NoError(t, json.Unmarshal(raw, &tab))
	require.NotEmpty(t, tab.FunctionID)

	v := newEnv(t)
	hash := sha256.Sum256([]byte("function main() { return 1 }"))
	dev := v.gw.WithSigners(v.dev)
	for _, c := range tab.FunctionID {
		id := c.text()
		switch {
		case !c.Valid && len(id) > 0 && len(id) <= 63:
			dev.InvokeFail(t, "functionId must use a-z 0-9 . _ - and start with a letter or digit", "registerFunction", id, hash[:], v.dev.ScriptHash())
		case !c.Valid:
			dev.InvokeFail(t, "functionId must be 1..63 bytes", "registerFunction", id, hash[:], v.dev.ScriptHash())
		case id == functionID:
			// Registered by newEnv: the id passed the rule, only the second registration fails.
			dev.InvokeFail(t, "function "+id+" is already registered", "registerFunction", id, hash[:], v.dev.ScriptHash())
		default:
			dev.Invoke(t, stackitem.Null{}, "registerFunction", id, hash[:], v.dev.ScriptHash())
		}
	}
}
