//! The stored types of the data-rewards pallet and the reward-per-share arithmetic.
//!
//! # Reward-per-share accounting
//!
//! Every dataset has a [`RewardPool`]. Its contributors hold *shares*; a credit of `a` units
//! to the pool raises the pool's `reward_per_share` accumulator by `a * SCALE / total_shares`
//! ([`SCALE`] = 10^18), which costs O(1) whatever the number of contributors. A contributor
//! remembers the accumulator value it was last settled at (`reward_per_share_paid`); what it
//! earned since is `shares * (reward_per_share - reward_per_share_paid) / SCALE`.
//!
//! Nothing is ever rounded away:
//! - The remainder of the division by `total_shares` stays in the pool as `carry` (in units
//!   of `1 / SCALE`) and is added to the next credit.
//! - A contributor's earnings are kept as whole units (`owed`) plus a `fraction` below one
//!   unit (in units of `1 / SCALE`), which is paid as soon as it adds up to a whole unit.
//! - A credit to a pool without shares waits, whole, in `unallocated` until the next credit
//!   finds shares to spread it over.
//!
//! So at every moment, for every pool, exactly (integers, no tolerance):
//!
//! ```text
//! SCALE * balance = Σ_contributors (SCALE * owed + fraction
//!                                    + shares * (reward_per_share - reward_per_share_paid))
//!                   + carry + SCALE * unallocated
//! ```
//!
//! where `balance` is what the pool was credited minus what was claimed from it. The
//! accumulator and the products are computed in 256 bits, so they cannot overflow for any
//! balance a `u128` can hold.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt::Debug;
use deai_primitives::{data::DatasetId, Balance};
use polkadot_sdk::{
	frame_support::{BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_core::{H256, U256},
	sp_runtime::{
		traits::{EnsureAdd, EnsureMul, EnsureSub},
		ArithmeticError,
	},
};
use scale_info::TypeInfo;

/// The id of a contribution. Ids are never reused.
pub type ContributionId = u64;

/// The fixed-point scale of the reward-per-share accumulator: 10^18 (18 decimal places of a
/// unit per share, as `FixedU128`).
pub const SCALE: u128 = 1_000_000_000_000_000_000;

/// The highest quality score a curator may give (scores are 1 to 100, a percentage).
pub const MAX_QUALITY: u8 = 100;

/// Whether a dataset takes new contributions.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum DatasetStatus {
	/// The dataset takes new contributions.
	Open,
	/// The dataset takes no new contributions; pending ones may still be curated and the
	/// dataset still earns royalties.
	Closed,
}

/// A registered dataset.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[codec(mel_bound(T: Config))]
#[scale_info(skip_type_params(T))]
pub struct DatasetInfo<T: Config> {
	/// The account that registered the dataset and paid its deposit.
	pub owner: T::AccountId,
	/// A human-readable name.
	pub name: BoundedVec<u8, T::MaxNameLen>,
	/// The blake2-256 hash of the dataset's manifest (the list of its files and their hashes).
	pub content_hash: H256,
	/// Where the manifest can be fetched.
	pub uri: BoundedVec<u8, T::MaxUriLen>,
	/// The license of the data, as an SPDX identifier (e.g. `CC-BY-4.0`).
	pub license: BoundedVec<u8, T::MaxLicenseLen>,
	/// The blake2-256 hash of the dataset's schema and description document.
	pub schema_hash: H256,
	/// Whether the dataset takes new contributions.
	pub status: DatasetStatus,
	/// The deposit held from the owner for this record, refunded on removal.
	pub deposit: crate::deposits::DatasetDepositOf<T>,
	/// The number of contributions to this dataset waiting for curation.
	pub pending_contributions: u32,
	/// The number of accounts holding shares in this dataset.
	pub contributors: u32,
}

/// A contribution waiting for curation. Accepted, rejected and withdrawn contributions are
/// removed from storage (their outcome is in the events).
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[codec(mel_bound(T: Config))]
#[scale_info(skip_type_params(T))]
pub struct Contribution<T: Config> {
	/// The dataset the contribution is for.
	pub dataset: DatasetId,
	/// The account that submitted it and receives its shares.
	pub contributor: T::AccountId,
	/// The blake2-256 hash of the contributed data (or of its manifest).
	pub content_hash: H256,
	/// Where the contributed data can be fetched.
	pub uri: BoundedVec<u8, T::MaxUriLen>,
	/// The declared size of the data, in bytes (informational, for curators).
	pub size: u64,
	/// The declared weight of the data (e.g. its number of records or tokens), from which
	/// its shares are computed if it is accepted.
	pub weight: u32,
	/// The deposit held from the contributor while the contribution is pending.
	pub deposit: crate::deposits::ContributionDepositOf<T>,
	/// The block the contribution was submitted in.
	pub submitted_at: BlockNumberFor<T>,
}

/// The reward pool of a dataset: its shares and the reward-per-share accumulator.
///
/// Kept apart from [`DatasetInfo`] so that crediting a royalty reads and writes only this
/// small record.
#[derive(Clone, PartialEq, Eq, Default, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct RewardPool {
	/// The sum of the shares of all contributors.
	pub total_shares: u128,
	/// Rewards per share since the pool was created, scaled by [`SCALE`].
	pub reward_per_share: U256,
	/// Credited value not yet added to the accumulator because it did not divide evenly by
	/// `total_shares`, in units of `1 / SCALE`; always below `total_shares`.
	pub carry: u128,
	/// Credits received while the pool had no shares, waiting for the next credit that finds
	/// shares to spread them over.
	pub unallocated: Balance,
	/// Everything credited to the pool minus everything claimed from it: what the pallet
	/// account holds for this dataset.
	pub balance: Balance,
}

/// A contributor's stake in a dataset's reward pool.
#[derive(Clone, PartialEq, Eq, Default, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct ContributorInfo {
	/// The contributor's shares in the dataset (never zero: the record is created by the
	/// first accepted contribution and shares never decrease).
	pub shares: u128,
	/// The pool's accumulator when the contributor was last settled.
	pub reward_per_share_paid: U256,
	/// Settled, unclaimed rewards, in whole units.
	pub owed: Balance,
	/// Settled rewards below one unit, in units of `1 / SCALE`; always below [`SCALE`].
	pub fraction: u128,
}

/// The shares an accepted contribution gives: its declared weight times the curator's
/// quality score (1 to 100). A contribution of weight 1000 accepted at quality 80 gives
/// 80 000 shares; at quality 100 the same data gives 100 000.
pub fn shares_for(weight: u32, quality: u8) -> u128 {
	u128::from(weight).saturating_mul(u128::from(quality))
}

fn scale() -> U256 {
	U256::from(SCALE)
}

impl RewardPool {
	/// Credits `amount` to the pool: spreads it (with any unallocated credit and the carried
	/// remainder) over the shares, or keeps it unallocated if there are none.
	pub fn credit(&mut self, amount: Balance) -> Result<(), ArithmeticError> {
		let balance = self.balance.ensure_add(amount)?;
		if self.total_shares == 0 {
			self.unallocated = self.unallocated.ensure_add(amount)?;
			self.balance = balance;
			return Ok(());
		}
		let value = amount.ensure_add(self.unallocated)?;
		let numerator =
			U256::from(value).ensure_mul(scale())?.ensure_add(U256::from(self.carry))?;
		let shares = U256::from(self.total_shares);
		let increase = numerator.checked_div(shares).ok_or(ArithmeticError::DivisionByZero)?;
		let carry = numerator.checked_rem(shares).ok_or(ArithmeticError::DivisionByZero)?;
		self.reward_per_share = self.reward_per_share.ensure_add(increase)?;
		// The remainder of a division by a `u128` fits in a `u128`.
		self.carry = u128::try_from(carry).map_err(|_| ArithmeticError::Overflow)?;
		self.unallocated = 0;
		self.balance = balance;
		Ok(())
	}

	/// Adds `shares` to the pool for a contributor that was just settled.
	pub fn add_shares(&mut self, shares: u128) -> Result<(), ArithmeticError> {
		self.total_shares = self.total_shares.ensure_add(shares)?;
		Ok(())
	}

	/// Takes `amount` out of the pool's balance when a contributor claims it.
	pub fn debit(&mut self, amount: Balance) -> Result<(), ArithmeticError> {
		self.balance = self.balance.ensure_sub(amount)?;
		Ok(())
	}
}

impl ContributorInfo {
	/// A new contributor, settled at the pool's current accumulator, without shares yet.
	pub fn new(pool: &RewardPool) -> Self {
		Self { shares: 0, reward_per_share_paid: pool.reward_per_share, owed: 0, fraction: 0 }
	}

	/// Moves what the contributor earned since its last settlement into `owed` and
	/// `fraction`, and settles it at the pool's current accumulator.
	pub fn settle(&mut self, pool: &RewardPool) -> Result<(), ArithmeticError> {
		let (owed, fraction) = self.pending(pool)?;
		self.owed = owed;
		self.fraction = fraction;
		self.reward_per_share_paid = pool.reward_per_share;
		Ok(())
	}

	/// What the contributor would hold after a settlement, as `(owed, fraction)`, without
	/// changing anything. `owed` is what it may claim now.
	pub fn pending(&self, pool: &RewardPool) -> Result<(Balance, u128), ArithmeticError> {
		let earned = pool
			.reward_per_share
			.ensure_sub(self.reward_per_share_paid)?
			.ensure_mul(U256::from(self.shares))?
			.ensure_add(U256::from(self.fraction))?;
		let whole = earned.checked_div(scale()).ok_or(ArithmeticError::DivisionByZero)?;
		let fraction = earned.checked_rem(scale()).ok_or(ArithmeticError::DivisionByZero)?;
		let whole = Balance::try_from(whole).map_err(|_| ArithmeticError::Overflow)?;
		let owed = self.owed.ensure_add(whole)?;
		// Below `SCALE`, so it fits.
		let fraction = u128::try_from(fraction).map_err(|_| ArithmeticError::Overflow)?;
		Ok((owed, fraction))
	}

	/// The value the contributor is owed but has not claimed, in units of `1 / SCALE`
	/// (settled or not): its term in the pool's conservation identity.
	pub fn value_scaled(&self, pool: &RewardPool) -> Result<U256, ArithmeticError> {
		pool.reward_per_share
			.ensure_sub(self.reward_per_share_paid)?
			.ensure_mul(U256::from(self.shares))?
			.ensure_add(U256::from(self.fraction))?
			.ensure_add(U256::from(self.owed).ensure_mul(scale())?)
	}
}
