package gateway_test

import (
	"crypto/sha256"
	"encoding/binary"
	"math/big"
	"sync"
	"testing"

	"github.com/nspcc-dev/neo-go/pkg/core/native/nativenames"
	"github.com/nspcc-dev/neo-go/pkg/core/state"
	"github.com/nspcc-dev/neo-go/pkg/crypto/keys"
	"github.com/nspcc-dev/neo-go/pkg/neotest"
	"github.com/nspcc-dev/neo-go/pkg/neotest/chain"
	"github.com/nspcc-dev/neo-go/pkg/util"
	"github.com/nspcc-dev/neo-go/pkg/vm/stackitem"
	"github.com/stretchr/testify/require"
)

const (
	modeSGX       = 1
	modeSimulated = 2

	stateUnknown   = 0
	statePending   = 1
	stateFulfilled = 2
	stateCancelled = 3

	functionID     = "price-feed"
	functionCode   = "export function main(input) { return { price: 42 }; }"
	gasForResponse = 10_000_000 // the default minimum
	jsGasLimit     = 1_000_000
	requestFee     = 5_000_000 // the default service fee
	expiryBlocks   = 240       // the default expiry
	depositAmount  = 25_0000_0000
)

// Compiled contracts are shared by all tests: compiling is the slow part and its output only
// depends on the sender, which is the same committee account for every test chain.
var (
	compileOnce  sync.Once
	gatewayCtr   *neotest.Contract
	consumerCtr  *neotest.Contract
	hostileCtr   *neotest.Contract
	compileMutex sync.Mutex
	compiledFor  = map[util.Uint160]*neotest.Contract{}
)

func compileAll(t testing.TB, sender util.Uint160) {
	compileOnce.Do(func() {
		gatewayCtr = neotest.CompileFile(t, sender, ".", "gateway.yml")
		consumerCtr = neotest.CompileFile(t, sender, "../consumer", "../consumer/consumer.yml")
		hostileCtr = neotest.CompileFile(t, sender, "testdata/hostile", "testdata/hostile/hostile.yml")
	})
}

// gatewayFrom compiles the gateway as deployed by sender (the contract hash depends on it), for
// the tests that need a second, different deployment.
func gatewayFrom(t testing.TB, sender util.Uint160) *neotest.Contract {
	compileMutex.Lock()
	defer compileMutex.Unlock()
	if c, ok := compiledFor[sender]; ok {
		return c
	}
	c := neotest.CompileFile(t, sender, ".", "gateway.yml")
	compiledFor[sender] = c
	return c
}

// env is one chain with a deployed gateway, a registered function, a registered enclave key and
// the example consumer holding a prepaid balance.
type env struct {
	e         *neotest.Executor
	owner     neotest.Signer // gateway owner (the committee: a 1-of-1 multi-signature account)
	dev       neotest.Signer // owner of the registered function
	app       neotest.Signer // owner of the example consumer
	submitter neotest.Signer // sends fulfilments; any account may
	gw        *neotest.ContractInvoker
	gwHash    util.Uint160
	consumer  *neotest.ContractInvoker // signed by app
	enclave   *keys.PrivateKey
	codeHash  []byte
	fields    map[int64][]byte // each request's fields, as its Request event carried them
}

type envOptions struct {
	allowSimulated bool
}

func newEnv(t *testing.T) *env {
	return newEnvWith(t, envOptions{allowSimulated: true})
}

func newEnvWith(t *testing.T, o envOptions) *env {
	bc, acc := chain.NewSingle(t)
	e := neotest.NewExecutor(t, bc, acc, acc)
	compileAll(t, e.CommitteeHash)
	v := &env{e: e, owner: e.Committee, fields: map[int64][]byte{}}
	v.dev = e.NewAccount(t)
	v.app = e.NewAccount(t)
	v.submitter = e.NewAccount(t)

	e.DeployContract(t, gatewayCtr, []any{v.owner.ScriptHash(), o.allowSimulated})
	v.gwHash = gatewayCtr.Hash
	v.gw = e.NewInvoker(v.gwHash, v.owner)
	e.DeployContract(t, consumerCtr, []any{v.gwHash, v.app.ScriptHash()})
	v.consumer = e.NewInvoker(consumerCtr.Hash, v.app)

	sum := sha256.Sum256([]byte(functionCode))
	v.codeHash = sum[:]
	v.gw.WithSigners(v.dev).Invoke(t, stackitem.Null{}, "registerFunction", functionID, v.codeHash, v.dev.ScriptHash())

	var err error
	v.enclave, err = keys.NewPrivateKey()
	require.NoError(t, err)
	mode := modeSGX
	if o.allowSimulated {
		mode = modeSimulated
	}
	v.gw.Invoke(t, stackitem.Null{}, "registerEnclave", v.enclave.PublicKey().Bytes(), []byte("SIMULATED test quote"), mode)
	v.deposit(t, v.app, consumerCtr.Hash, depositAmount)
	return v
}

// deposit sends GAS from `from` to the gateway for beneficiary.
func (v *env) deposit(t testing.TB, from neotest.Signer, beneficiary util.Uint160, amount int64) {
	gas := v.e.NewInvoker(v.e.NativeHash(t, nativenames.Gas), from)
	gas.Invoke(t, true, "transfer", from.ScriptHash(), v.gwHash, amount, beneficiary)
}

// request makes the example consumer request the function and returns the request id.
func (v *env) request(t testing.TB, input string) int64 {
	id := v.lastRequestID(t) + 1
	v.noteRequests(t, v.consumer.Invoke(t, id, "request", functionID, []byte(input), jsGasLimit, gasForResponse))
	return id
}

// noteRequests keeps the fields of the requests transaction h made, as the service does from
// the Request events, to hand them back at fulfilment.
func (v *env) noteRequests(t testing.TB, h util.Uint256) {
	for _, ev := range v.events(t, h) {
		if ev.Name == "Request" && ev.ScriptHash == v.gwHash {
			st := ev.Item.Value().([]stackitem.Item)
			require.Len(t, st, 8)
			v.fields[st[0].Value().(*big.Int).Int64()] = mustBytes(t, st[6])
		}
	}
}

// requestFields is the reference encoding of a request's fields (contracts/README.md):
// requester (VM order) | len(callback) u8 | callback | serialized userData (absent when null).
func requestFields(requester util.Uint160, callback string, userData []byte) []byte {
	b := append(requester.BytesBE(), byte(len(callback)))
	b = append(b, callback...)
	return append(b, userData...)
}

// fieldsOf is what the service hands back for request id: the fields its Request event carried,
// or, for an id that never had one, those of an example-consumer request.
func (v *env) fieldsOf(id int64) []byte {
	if f, ok := v.fields[id]; ok {
		return f
	}
	return requestFields(consumerCtr.Hash, "onResult", nil)
}

func (v *env) lastRequestID(t testing.TB) int64 {
	st, err := v.gw.TestInvoke(t, "getRequestCount")
	require.NoError(t, err)
	return st.Pop().BigInt().Int64()
}

// answer is one fulfilment as the service would submit it.
type answer struct {
	id        int64
	status    int64
	result    []byte
	gasUsed   int64
	fields    []byte
	signature []byte
}

func (a answer) args() []any {
	return []any{a.id, a.status, a.result, a.gasUsed, a.fields, a.signature}
}

// sign makes the enclave's answer for request id on this chain and gateway.
func (v *env) sign(id int64, status byte, result []byte, gasUsed int64) answer {
	return signWith(v.enclave, uint32(v.e.Chain.GetConfig().Magic), v.gwHash, id, status, result, gasUsed, v.fieldsOf(id))
}

func signWith(k *keys.PrivateKey, magic uint32, gw util.Uint160, id int64, status byte, result []byte, gasUsed int64, fields []byte) answer {
	msg := fulfilmentMessage(magic, gw, uint64(id), status, result, gasUsed, fields)
	return answer{id: id, status: int64(status), result: result, gasUsed: gasUsed, fields: fields, signature: k.Sign(msg)}
}

// fulfilmentMessage is the reference encoding of the message the enclave signs for one answer
// (a batch of one), written from the interface in contracts/README.md, independently of the
// contract.
func fulfilmentMessage(magic uint32, gw util.Uint160, id uint64, status byte, result []byte, gasUsed int64, fields []byte) []byte {
	return append(messagePrefix(magic, gw), entryMessage(id, status, result, gasUsed, fields)...)
}

// messagePrefix binds the network and the deployment: magic (u32 LE) || gateway hash (VM order).
func messagePrefix(magic uint32, gw util.Uint160) []byte {
	b := make([]byte, 0, 24)
	b = binary.LittleEndian.AppendUint32(b, magic)
	return append(b, gw.BytesBE()...) // neo-go's BytesBE is the VM's (little-endian UInt160) order
}

// entryMessage is one answer: requestId u64 LE | status | gasUsed u64 LE | len(result) u16 LE |
// len(fields) u16 LE | result | fields | sha256(fields).
func entryMessage(id uint64, status byte, result []byte, gasUsed int64, fields []byte) []byte {
	b := make([]byte, 0, 21+len(result)+len(fields)+32)
	b = binary.LittleEndian.AppendUint64(b, id)
	b = append(b, status)
	b = binary.LittleEndian.AppendUint64(b, uint64(gasUsed))
	b = binary.LittleEndian.AppendUint16(b, uint16(len(result)))
	b = binary.LittleEndian.AppendUint16(b, uint16(len(fields)))
	b = append(b, result...)
	b = append(b, fields...)
	return append(b, hashOf(fields)...)
}

// batchMessage is the reference encoding of what one batch signature covers: the prefix, then
// every entry's 49 bytes in order.
func batchMessage(magic uint32, gw util.Uint160, answers []answer) []byte {
	b := messagePrefix(magic, gw)
	for _, a := range answers {
		b = append(b, entryMessage(uint64(a.id), byte(a.status), a.result, a.gasUsed, a.fields)...)
	}
	return b
}

// signBatch is the enclave's one signature over answers as a batch on this chain and gateway.
func (v *env) signBatch(answers []answer) []byte {
	return v.enclave.Sign(batchMessage(uint32(v.e.Chain.GetConfig().Magic), v.gwHash, answers))
}

func (v *env) submitterInvoker() *neotest.ContractInvoker {
	return v.e.NewInvoker(v.gwHash, v.submitter)
}

func (v *env) fulfil(t testing.TB, a answer) util.Uint256 {
	return v.submitterInvoker().Invoke(t, stackitem.Null{}, "fulfil", a.args()...)
}

func (v *env) fulfilFail(t testing.TB, a answer, message string) {
	v.submitterInvoker().InvokeFail(t, message, "fulfil", a.args()...)
}

func (v *env) requestState(t testing.TB, id int64) int64 {
	st, err := v.gw.TestInvoke(t, "getRequestState", id)
	require.NoError(t, err)
	return st.Pop().BigInt().Int64()
}

func (v *env) balance(t testing.TB, account util.Uint160) int64 {
	st, err := v.gw.TestInvoke(t, "balanceOf", account)
	require.NoError(t, err)
	return st.Pop().BigInt().Int64()
}

func (v *env) consumerAnswer(t testing.TB, id int64) stackitem.Item {
	st, err := v.consumer.TestInvoke(t, "getAnswer", id)
	require.NoError(t, err)
	return st.Pop().Item()
}

// events returns the notifications of transaction h, in order.
func (v *env) events(t testing.TB, h util.Uint256) []state.NotificationEvent {
	return v.e.GetTxExecResult(t, h).Events
}

func eventNames(evs []state.NotificationEvent) []string {
	names := make([]string, len(evs))
	for i := range evs {
		names[i] = evs[i].Name
	}
	return names
}

// fulfilledFact is one accepted answer as the Fulfilled event reports it.
type fulfilledFact struct {
	id, gasUsed int64
	status      byte
}

// fulfilledFacts decodes the Fulfilled events of a transaction: per accepted answer the 21-byte
// head of its entry, requestId u64 LE | status u8 | gasUsed u64 LE | two u16 lengths, at most 40
// per event.
func fulfilledFacts(t testing.TB, evs []state.NotificationEvent) []fulfilledFact {
	var facts []fulfilledFact
	for _, ev := range evs {
		if ev.Name != "Fulfilled" {
			continue
		}
		b := mustBytes(t, ev.Item.Value().([]stackitem.Item)[0])
		require.Zero(t, len(b)%21)
		require.LessOrEqual(t, len(b), 40*21)
		for ; len(b) > 0; b = b[21:] {
			facts = append(facts, fulfilledFact{
				id: int64(binary.LittleEndian.Uint64(b)), status: b[8], gasUsed: int64(binary.LittleEndian.Uint64(b[9:])),
			})
		}
	}
	return facts
}

func countEvents(evs []state.NotificationEvent, name string) int {
	n := 0
	for _, ev := range evs {
		if ev.Name == name {
			n++
		}
	}
	return n
}

func hashOf(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}

func (v *env) gasBalance(t testing.TB, account util.Uint160) int64 {
	st, err := v.e.NewInvoker(v.e.NativeHash(t, nativenames.Gas)).TestInvoke(t, "balanceOf", account)
	require.NoError(t, err)
	return st.Pop().BigInt().Int64()
}
