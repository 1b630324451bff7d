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

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use polkadot_sdk::{
	frame_support::{
		traits::{
			fungible::{InspectHold, Mutate, MutateHold},
			tokens::{Fortitude, Precision},
			Consideration, Footprint, Get,
		},
		CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
	},
	sp_runtime::{
		traits::{Convert, Saturating, Zero},
		DispatchError, TokenError,
	},
};
use scale_info::TypeInfo;

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

/// A storage deposit as a [`Consideration`] ticket: priced from a [`Footprint`] by `Price`,
/// held for `Reason` from the owner with [`hold_unfrozen`], re-priced by
/// [`Consideration::update`] (the difference held or released) and given back by
/// [`Consideration::drop`].
///
/// It stands where the SDK's `HoldConsideration` would, with one difference: that one holds
/// with a plain `hold`, which pallet-balances lets take frozen funds, so a vote lock could pay
/// a deposit and the tokens vote on (see the module docs). A hold this ticket cannot take
/// without frozen funds fails with [`TokenError::Frozen`]; one the free balance cannot cover
/// fails with [`TokenError::FundsUnavailable`]. Releases are exact: a ticket claiming more
/// than is held (a broken record) fails loudly instead of giving back less. It encodes as the
/// balance it holds.
#[derive(
	CloneNoBound,
	EqNoBound,
	PartialEqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	DebugNoBound,
)]
#[scale_info(skip_type_params(AccountId, Currency, Reason, Price, Fp))]
#[codec(mel_bound())]
pub struct UnfrozenHold<AccountId, Currency, Reason, Price, Fp = Footprint>(
	Currency::Balance,
	PhantomData<fn() -> (AccountId, Reason, Price, Fp)>,
)
where
	Currency: MutateHold<AccountId>;

impl<AccountId, Currency, Reason, Price, Fp> UnfrozenHold<AccountId, Currency, Reason, Price, Fp>
where
	Currency: MutateHold<AccountId>,
{
	/// What the ticket holds.
	pub fn amount(&self) -> Currency::Balance {
		self.0
	}

	/// A ticket holding nothing: the placeholder of a record whose size is being measured
	/// before it is priced (it encodes to the same length as any other ticket).
	pub fn unpriced() -> Self {
		Self(Zero::zero(), PhantomData)
	}
}

impl<AccountId, Currency, Reason, Price, Fp> Consideration<AccountId, Fp>
	for UnfrozenHold<AccountId, Currency, Reason, Price, Fp>
where
	AccountId: 'static + Eq,
	Currency: 'static + MutateHold<AccountId> + InspectHold<AccountId> + Mutate<AccountId>,
	Reason: 'static + Get<Currency::Reason>,
	Price: 'static + Convert<Fp, Currency::Balance>,
	Fp: 'static,
{
	fn new(who: &AccountId, footprint: Fp) -> Result<Self, DispatchError> {
		let amount = Price::convert(footprint);
		ticket_hold::<AccountId, Currency>(&Reason::get(), who, amount)?;
		Ok(Self(amount, PhantomData))
	}

	fn update(self, who: &AccountId, footprint: Fp) -> Result<Self, DispatchError> {
		let amount = Price::convert(footprint);
		if amount > self.0 {
			ticket_hold::<AccountId, Currency>(&Reason::get(), who, amount.saturating_sub(self.0))?;
		} else if amount < self.0 {
			Currency::release(
				&Reason::get(),
				who,
				self.0.saturating_sub(amount),
				Precision::Exact,
			)?;
		}
		Ok(Self(amount, PhantomData))
	}

	fn drop(self, who: &AccountId) -> Result<(), DispatchError> {
		Currency::release(&Reason::get(), who, self.0, Precision::Exact).map(|_| ())
	}

	fn burn(self, who: &AccountId) {
		let _ = Currency::burn_held(
			&Reason::get(),
			who,
			self.0,
			Precision::BestEffort,
			Fortitude::Force,
		);
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn ensure_successful(who: &AccountId, footprint: Fp) {
		let amount = Price::convert(footprint);
		let _ = Currency::mint_into(who, Currency::minimum_balance().saturating_add(amount));
	}
}

/// [`hold_unfrozen`] with its refusals as the token errors a ticket reports.
fn ticket_hold<AccountId, Currency>(
	reason: &Currency::Reason,
	who: &AccountId,
	amount: Currency::Balance,
) -> Result<(), DispatchError>
where
	Currency: MutateHold<AccountId> + InspectHold<AccountId>,
{
	hold_unfrozen::<AccountId, Currency>(reason, who, amount).map_err(|error| match error {
		HoldError::Insufficient => TokenError::FundsUnavailable.into(),
		HoldError::Frozen => TokenError::Frozen.into(),
	})
}
