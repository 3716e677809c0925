package gateway

// VerifyQuote verifies a DCAP v3 quote on chain at the current block time and returns what it
// says: [mrEnclave, mrSigner, isvProdId, isvSvn, debug, reportData, fmspc, pceId, tcbComponents,
// pceSvn]. It faults with "REASON: detail" at the first failed check. Read-only: anyone can use
// it to check a quote, and it is what registerEnclaveAttested runs.
func VerifyQuote(quote []byte) []any {
	f := parseAndVerifyQuote(quote)
	return []any{f.MrEnclave, f.MrSigner, f.IsvProdID, f.IsvSvn, f.Debug, f.ReportData,
		f.Fmspc, f.PceID, f.TcbComps, f.PceSvn}
}
