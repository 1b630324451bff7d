//! Holds that never take funds a freeze needs.
//!
//! pallet-balances lets a hold take frozen funds: a freeze (a governance vote lock) applies to
//! the *total* balance, free plus held, so moving free funds into a hold keeps the freeze
//! satisfied. That is sound for holds that are only ever released back to the owner, but not
//! for holds the protocol later moves to someone else (job escrow, challenge bonds) or may
//! slash (bonds, deposits): once the held funds leave, the account's total drops below its
//! freeze and the vote that froze it still counts. Tokens could then vote, pay a
//! self-dealing job, come back to another account and vote again.
//!
//! Every hold the DeAI pallets take goes through [`hold_unfrozen`]: the hold must leave the
//! account's *free* balance at or above its frozen balance, i.e. no held unit of the account
//! is needed to satisfy a freeze. With governance freezing only free funds (a vote may not
//! exceed the free balance), held funds are therefore never frozen and may leave without
//! breaking a vote lock.

use polkadot_sdk::frame_support::traits::{
	fungible::{InspectHold, MutateHold},
	tokens::Fortitude,
};

/// Why [`hold_unfrozen`] refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum HoldError {
	/// The account's free balance cannot cover the amount (and its existential deposit).
	Insufficient,
	/// The account could cover the amount only with funds a freeze (a vote lock) needs.
	Frozen,
}

/// Places `amount` on hold for `reason` from `who`, refusing when the hold would use funds a
/// freeze needs (see the module docs). On `Err` the caller must fail its dispatch, which
/// reverts the hold: dispatchables run in a storage layer.
pub fn hold_unfrozen<AccountId, Currency>(
	reason: &Currency::Reason,
	who: &AccountId,
	amount: Currency::Balance,
) -> Result<(), HoldError>
where
	Currency: MutateHold<AccountId> + InspectHold<AccountId>,
{
	Currency::hold(reason, who, amount).map_err(|_| HoldError::Insufficient)?;
	// `reducible_total_balance_on_hold(Polite)` is what is held minus what the freezes still
	// need beyond the free balance: it equals everything held exactly when the free balance
	// alone satisfies every freeze.
	let held = Currency::total_balance_on_hold(who);
	if Currency::reducible_total_balance_on_hold(who, Fortitude::Polite) < held {
		return Err(HoldError::Frozen);
	}
	Ok(())
}
