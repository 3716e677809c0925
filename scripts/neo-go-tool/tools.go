//go:build tools

package tools

import _ "github.com/nspcc-dev/neo-go/cli"
