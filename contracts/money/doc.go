// Package money is Likr's checked arithmetic for LKC amounts and basis-point
// rates. Every balance, price, fee and reward in the chaincode is computed
// here, so that no other package does raw integer arithmetic on money.
//
// # Amounts
//
// An [Amount] is an unsigned 64-bit count of the coin's smallest unit; its
// zero value is 0. Operations never wrap: a sum or product above 2^64-1 is an
// errs.Overflow error and a difference below zero is errs.InsufficientFunds.
// [Amount.MulUint] is the check a batch operation makes on count x value, so
// that the 2018 BeautyChain batchOverflow (2 x 2^255 wrapping to 0, which let
// an attacker mint tokens) cannot happen: 2 x 2^63 is an error here.
//
// On the wire an amount is a JSON string holding a canonical decimal: digits
// only, no sign, no leading zeros ("0" itself is fine), no exponent or
// fraction, at most 2^64-1. Strings, not JSON numbers, because many JSON
// clients read numbers as IEEE doubles, which cannot represent every amount
// above 2^53. Anything else is errs.InvalidArgument, including a decimal that
// is too large: a value that cannot be an amount is a bad argument, while
// errs.Overflow is kept for arithmetic whose result does not fit.
//
// # Rates
//
// A [Rate] is in basis points: 1 bp = 0.01 %, 10000 bp = 100 %. A valid rate
// is at most [MaxRate]; [NewRate], [Rate.Add] and JSON decoding only ever
// produce valid rates. On the wire a rate is a JSON integer.
//
// # Rounding
//
// Applying a rate rounds down: [Amount.MulRate] is floor(a x r / 10000),
// computed exactly with a 128-bit intermediate. Rounding down means a rate
// never pays out more than its exact share. [Split] then gives whatever
// the rounded claims leave over (the remainder, including every rounding
// residue) to one named party, so the shares always add up to the total
// exactly and no unit is created or lost.
package money
