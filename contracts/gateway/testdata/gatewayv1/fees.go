package gateway

import (
	"github.com/nspcc-dev/neo-go/pkg/interop"
	"github.com/nspcc-dev/neo-go/pkg/interop/native/gas"
	"github.com/nspcc-dev/neo-go/pkg/interop/runtime"
	"github.com/nspcc-dev/neo-go/pkg/interop/storage"
)

// Fees are prepaid balances (like a subscription): an account or consumer contract deposits GAS
// once by NEP-17 transfer and each request debits its fee from the balance in storage. Paying
// with every request would put a GAS transfer (a native call, its notification and two balance
// writes in the GAS contract) into every request, and would make the consumer contract sign a
// transfer of its own GAS per request. See contracts/README.md.

func balanceKey(account interop.Hash160) []byte {
	return cat(prefixBalance, account)
}

func credit(ctx storage.Context, account interop.Hash160, amount int) {
	if amount == 0 {
		return
	}
	key := balanceKey(account)
	storage.Put(ctx, key, getInt(ctx, key)+amount)
}

// OnNEP17Payment accepts GAS deposits. data = null credits the sender; data = a Hash160 credits
// that account instead (so a wallet can fund a consumer contract).
func OnNEP17Payment(from interop.Hash160, amount int, data any) {
	if !runtime.GetCallingScriptHash().Equals(gas.Hash) {
		panic("only GAS is accepted")
	}
	if amount <= 0 {
		panic("deposit must be positive")
	}
	beneficiary := from
	if data != nil {
		beneficiary = data.(interop.Hash160)
	}
	if len(beneficiary) != interop.Hash160Len {
		panic("deposit beneficiary must be a 20-byte Hash160 (pass it as data when minting)")
	}
	credit(storage.GetContext(), beneficiary, amount)
	runtime.Notify("Deposit", beneficiary, amount)
}

// BalanceOf returns an account's prepaid balance in datoshi.
func BalanceOf(account interop.Hash160) int {
	return getInt(storage.GetReadOnlyContext(), balanceKey(account))
}

// Withdraw sends amount of account's prepaid balance to `to`. The account must witness the
// transaction (a contract witnesses by being the caller).
func Withdraw(account interop.Hash160, to interop.Hash160, amount int) {
	mustHash160(account, "account")
	mustHash160(to, "to")
	if amount <= 0 {
		panic("amount must be positive")
	}
	if !runtime.CheckWitness(account) {
		panic("only the account itself may withdraw its balance")
	}
	ctx := storage.GetContext()
	key := balanceKey(account)
	balance := getInt(ctx, key)
	if balance < amount {
		panic("insufficient balance: have " + itoa(balance) + ", asked for " + itoa(amount))
	}
	if balance == amount {
		storage.Delete(ctx, key)
	} else {
		storage.Put(ctx, key, balance-amount)
	}
	if !gas.Transfer(runtime.GetExecutingScriptHash(), to, amount, nil) {
		panic("GAS transfer failed")
	}
	runtime.Notify("Withdrawal", account, to, amount)
}
