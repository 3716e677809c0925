// Package sink is a test-only trigger target that takes an answer and does nothing with it, so
// that a run's cost without a target's own work (the gateway's share) can be measured.
package sink

// OnResult accepts any answer.
func OnResult(runID int, status int, result []byte, userData any) {
}
