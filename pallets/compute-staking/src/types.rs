//! The types compute staking stores and shows: a worker's record, a delegation pool with its
//! share arithmetic, a delegation, the governance parameters, reputation and offences, and the
//! plain views returned by the runtime API.
//!
//! The share arithmetic of [`Pool`] lives here, beside the type, so that `lib.rs` keeps to the
//! flow of each call and the rounding rules are written down once.

use crate::Config;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use deai_primitives::{
	inference::JobId,
	model::ModelId,
	staking::{AttestationKey, SlashReason},
};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::BoundedVec, traits::fungible::Inspect, CloneNoBound, DebugNoBound,
		EqNoBound, PartialEqNoBound,
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::{
		helpers_128bit::multiply_by_rational_with_rounding,
		traits::{AtLeast32BitUnsigned, Saturating, Zero},
		ArithmeticError, Perbill, Rounding,
	},
};
use scale_info::TypeInfo;

/// The balance type of the staked currency.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
>>::Balance;

/// A worker's endpoint and free-form metadata (e.g. `https://worker.example:9944`).
pub type MetadataOf<T> = BoundedVec<u8, <T as Config>::MaxMetadataLen>;
/// A worker's declared capabilities, free-form (e.g. `cpu=x86-64-v3;gpu=a100;mem=80g`).
pub type CapabilitiesOf<T> = BoundedVec<u8, <T as Config>::MaxCapabilitiesLen>;
/// The models a worker serves.
pub type ModelsOf<T> = BoundedVec<ModelId, <T as Config>::MaxModelsPerWorker>;
/// The active workers serving one model.
pub type ModelWorkersOf<T> = BoundedVec<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	<T as Config>::MaxWorkersPerModel,
>;
/// A worker's own stake on its way out, oldest first.
pub type UnbondingOf<T> =
	BoundedVec<UnbondingChunk<BalanceOf<T>, BlockNumberFor<T>>, <T as Config>::MaxUnbondingChunks>;
/// A delegator's stake on its way out, oldest first.
pub type PoolChunksOf<T> =
	BoundedVec<PoolChunk<BalanceOf<T>, BlockNumberFor<T>>, <T as Config>::MaxUnbondingChunks>;
/// A worker's most recent offences, oldest first.
pub type OffencesOf<T> =
	BoundedVec<Offence<BalanceOf<T>, BlockNumberFor<T>>, <T as Config>::MaxOffencesKept>;

/// `floor` or `ceil` of `a * b / c`, computed on 128 bits; `None` when `c` is zero or the
/// result does not fit the balance type.
pub fn mul_div<B: AtLeast32BitUnsigned + Copy>(a: B, b: B, c: B, rounding: Rounding) -> Option<B> {
	if c.is_zero() {
		return None;
	}
	let result = multiply_by_rational_with_rounding(
		a.unique_saturated_into(),
		b.unique_saturated_into(),
		c.unique_saturated_into(),
		rounding,
	)?;
	B::try_from(result).ok()
}

/// The parameters governance sets (see `set_params`).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct StakingParams<Balance> {
	/// The smallest own bond a worker needs to register, to resume and to be drawn for jobs.
	pub min_worker_bond: Balance,
	/// The smallest stake a delegator may keep behind a worker.
	pub min_delegation: Balance,
	/// The deposit held from a worker for its record (the price of an identity); refunded on
	/// deregistration. Each worker keeps the deposit it paid.
	pub registration_deposit: Balance,
	/// The highest commission a worker may set; higher rates set earlier are capped at use.
	pub max_commission: Perbill,
}

impl<Balance: Zero> StakingParams<Balance> {
	/// Whether the parameters are usable: workers and delegations need a non-zero minimum,
	/// otherwise empty stakes would be drawn and delegators could fill a worker's slots for
	/// free.
	pub fn is_valid(&self) -> bool {
		!self.min_worker_bond.is_zero() && !self.min_delegation.is_zero()
	}
}

/// Whether a worker takes new jobs.
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
pub enum WorkerStatus {
	/// It takes jobs when online and bonded at least the minimum; it is listed in the
	/// worker set of every model it serves.
	Active,
	/// It paused (or unbonded everything): it is listed nowhere and gets no new jobs.
	Idle,
}

/// A part of a worker's own stake that is unbonding: still slashable, withdrawable from
/// `unlock_at` on.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo, Default)]
pub struct UnbondingChunk<Balance, BlockNumber> {
	/// Its value (reduced by slashes).
	pub value: Balance,
	/// The first block it can be withdrawn in.
	pub unlock_at: BlockNumber,
}

/// A part of a delegation that is unbonding, as points of its worker's unbonding pool (so
/// that a slash of the pool reaches every chunk at once).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo, Default)]
pub struct PoolChunk<Balance, BlockNumber> {
	/// Its points in the unbonding pool.
	pub points: Balance,
	/// The unbonding pool's era the points belong to; points of an older era are worth
	/// nothing (the pool was slashed to zero since).
	pub era: u32,
	/// The first block it can be withdrawn in.
	pub unlock_at: BlockNumber,
}

/// What a worker tells about itself: where to reach it and what it runs on. Kept apart from
/// [`Worker`] so that a draw, which reads the record of every candidate, reads less.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Profile<T: Config> {
	/// Its endpoint and metadata.
	pub metadata: MetadataOf<T>,
	/// Its declared capabilities.
	pub capabilities: CapabilitiesOf<T>,
}

/// A registered worker: what a draw, a reward or a slash needs. Its [`Profile`] and its
/// unbonding chunks are stored apart (`Profiles`, `WorkerUnbonding`).
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Worker<T: Config> {
	/// The sr25519 key it signs results with.
	pub attestation_key: AttestationKey,
	/// The models it serves (distinct, active when added).
	pub models: ModelsOf<T>,
	/// Whether it takes new jobs.
	pub status: WorkerStatus,
	/// The share of each reward it keeps before the rest is split by stake.
	pub commission: Perbill,
	/// Its own bonded stake (held with `HoldReason::WorkerBond`, like its unbonding stake).
	pub bonded: BalanceOf<T>,
	/// The registration deposit it paid (held with `HoldReason::RegistrationDeposit`).
	pub deposit: BalanceOf<T>,
	/// The block of its last heartbeat (or registration, or resumption).
	pub last_heartbeat: BlockNumberFor<T>,
	/// The block it registered in.
	pub registered_at: BlockNumberFor<T>,
}

impl<T: Config> Worker<T> {
	/// Its own stake: bonded plus `unbonding` (its unbonding chunks).
	pub fn own_total(
		&self,
		unbonding: &[UnbondingChunk<BalanceOf<T>, BlockNumberFor<T>>],
	) -> BalanceOf<T> {
		unbonding.iter().fold(self.bonded, |total, chunk| total.saturating_add(chunk.value))
	}

	/// Whether it sent a heartbeat (or registered, or resumed) at most `offline_after` blocks
	/// before `now`.
	pub fn is_online(&self, now: BlockNumberFor<T>, offline_after: BlockNumberFor<T>) -> bool {
		now.saturating_sub(self.last_heartbeat) <= offline_after
	}

	/// Takes `amount` out of its own stake, bonded first, then the newest of its `unbonding`
	/// chunks (emptied chunks are dropped). Returns what could not be taken (zero when
	/// `amount` is at most [`Worker::own_total`]).
	pub fn take_own(
		&mut self,
		unbonding: &mut UnbondingOf<T>,
		amount: BalanceOf<T>,
	) -> BalanceOf<T> {
		let from_bonded = amount.min(self.bonded);
		self.bonded = self.bonded.saturating_sub(from_bonded);
		let mut left = amount.saturating_sub(from_bonded);
		for chunk in unbonding.iter_mut().rev() {
			if left.is_zero() {
				break;
			}
			let taken = left.min(chunk.value);
			chunk.value = chunk.value.saturating_sub(taken);
			left = left.saturating_sub(taken);
		}
		unbonding.retain(|chunk| !chunk.value.is_zero());
		left
	}
}

/// The stake delegators put behind one worker, with share accounting.
///
/// - **Bonded**: `bonded` is owned by `shares`. A deposit mints `floor(amount * shares /
///   bonded)` shares (1:1 in an empty pool); redeeming `s` shares pays `floor(s * bonded /
///   shares)`, or everything when `s` is all shares. Rewards add to `bonded` without minting
///   shares (shares appreciate); slashes take from `bonded` (shares depreciate). Every
///   operation is O(1) whatever the number of delegators.
/// - **Unbonding**: the same with `unbonding` and `unbonding_points`, so that a slash reaches
///   every unbonding chunk of every delegator at once. Unbonding stake earns no reward.
/// - **Rounding** always favours the pool: the remainders stay in `bonded`/`unbonding`,
///   owned by the remaining holders, and the last holder takes everything that is left. So
///   no value is ever created or lost by rounding, and `shares` is zero exactly when
///   `bonded` is (likewise for points).
/// - **Wipe-out**: a slash that takes everything left (a 100 % slash) cannot scale shares,
///   so it starts a new `generation` (or unbonding `era`): the old shares or points are
///   worth nothing and new ones start at 1:1, still in O(1).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Pool<Balance> {
	/// The delegated stake that is bonded (held on the pallet's pot account).
	pub bonded: Balance,
	/// The shares of `bonded`, of the current generation.
	pub shares: Balance,
	/// The current share generation.
	pub generation: u32,
	/// The delegated stake that is unbonding (held on the pot too).
	pub unbonding: Balance,
	/// The points of `unbonding`, of the current era.
	pub unbonding_points: Balance,
	/// The current unbonding era.
	pub unbonding_era: u32,
	/// How many delegation records exist for this worker (bonded or unbonding).
	pub delegators: u32,
}

impl<Balance: AtLeast32BitUnsigned + Copy> Pool<Balance> {
	/// Bonded plus unbonding delegated stake.
	pub fn total(&self) -> Balance {
		self.bonded.saturating_add(self.unbonding)
	}

	/// The shares of `delegation` that count (zero when they belong to an old generation).
	pub fn shares_of(&self, delegation_shares: Balance, generation: u32) -> Balance {
		if generation == self.generation {
			delegation_shares
		} else {
			Zero::zero()
		}
	}

	/// What `shares` are worth now (rounded down; all shares are worth all of `bonded`).
	pub fn value_of_shares(&self, shares: Balance) -> Balance {
		if shares >= self.shares {
			return self.bonded;
		}
		mul_div(shares, self.bonded, self.shares, Rounding::Down).unwrap_or_else(Zero::zero)
	}

	/// The fewest shares worth at least `value` (rounded up, at most all shares).
	pub fn shares_for_value(&self, value: Balance) -> Balance {
		if value >= self.bonded {
			return self.shares;
		}
		mul_div(value, self.shares, self.bonded, Rounding::Up)
			.unwrap_or(self.shares)
			.min(self.shares)
	}

	/// Adds `amount` to the bonded stake and returns the shares minted for it (rounded down;
	/// 1:1 in an empty pool).
	pub fn deposit(&mut self, amount: Balance) -> Result<Balance, ArithmeticError> {
		let minted = if self.shares.is_zero() {
			amount
		} else {
			mul_div(amount, self.shares, self.bonded, Rounding::Down)
				.ok_or(ArithmeticError::Overflow)?
		};
		self.bonded = self.bonded.ensure_add(amount)?;
		self.shares = self.shares.ensure_add(minted)?;
		Ok(minted)
	}

	/// Redeems `shares` (at most all of them) and returns what they were worth.
	pub fn redeem(&mut self, shares: Balance) -> Balance {
		let shares = shares.min(self.shares);
		let value = self.value_of_shares(shares);
		self.shares = self.shares.saturating_sub(shares);
		self.bonded = self.bonded.saturating_sub(value);
		value
	}

	/// Puts `value` into the unbonding pool and returns the points minted for it (1:1 in an
	/// empty pool; slashes only ever make points cheaper, so a non-zero value always mints at
	/// least one point).
	pub fn start_unbonding(&mut self, value: Balance) -> Result<Balance, ArithmeticError> {
		let minted = if self.unbonding_points.is_zero() {
			value
		} else {
			mul_div(value, self.unbonding_points, self.unbonding, Rounding::Down)
				.ok_or(ArithmeticError::Overflow)?
		};
		self.unbonding = self.unbonding.ensure_add(value)?;
		self.unbonding_points = self.unbonding_points.ensure_add(minted)?;
		Ok(minted)
	}

	/// What `points` of unbonding `era` are worth now.
	pub fn value_of_points(&self, points: Balance, era: u32) -> Balance {
		if era != self.unbonding_era {
			return Zero::zero();
		}
		if points >= self.unbonding_points {
			return self.unbonding;
		}
		mul_div(points, self.unbonding, self.unbonding_points, Rounding::Down)
			.unwrap_or_else(Zero::zero)
	}

	/// Takes `points` of unbonding `era` out of the pool and returns what they were worth.
	pub fn finish_unbonding(&mut self, points: Balance, era: u32) -> Balance {
		if era != self.unbonding_era {
			return Zero::zero();
		}
		let points = points.min(self.unbonding_points);
		let value = self.value_of_points(points, era);
		self.unbonding_points = self.unbonding_points.saturating_sub(points);
		self.unbonding = self.unbonding.saturating_sub(value);
		value
	}

	/// Slashes `amount` (at most everything) of the bonded stake; starts a new generation
	/// when nothing is left.
	pub fn slash_bonded(&mut self, amount: Balance) {
		self.bonded = self.bonded.saturating_sub(amount);
		if self.bonded.is_zero() && !self.shares.is_zero() {
			self.shares = Zero::zero();
			self.generation = self.generation.wrapping_add(1);
		}
	}

	/// Slashes `amount` (at most everything) of the unbonding stake; starts a new era when
	/// nothing is left.
	pub fn slash_unbonding(&mut self, amount: Balance) {
		self.unbonding = self.unbonding.saturating_sub(amount);
		if self.unbonding.is_zero() && !self.unbonding_points.is_zero() {
			self.unbonding_points = Zero::zero();
			self.unbonding_era = self.unbonding_era.wrapping_add(1);
		}
	}
}

/// One account's stake behind one worker.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Delegation<T: Config> {
	/// Its shares of the worker's pool (they count only in `generation`).
	pub shares: BalanceOf<T>,
	/// The pool generation the shares belong to.
	pub generation: u32,
	/// Its stake on its way out.
	pub unbonding: PoolChunksOf<T>,
}

impl<T: Config> Delegation<T> {
	/// An empty delegation in the pool's current generation.
	pub fn new(generation: u32) -> Self {
		Delegation { shares: Zero::zero(), generation, unbonding: Default::default() }
	}

	/// Drops shares of an old generation (worth nothing) and moves to the pool's generation.
	pub fn refresh(&mut self, pool: &Pool<BalanceOf<T>>) {
		self.shares = pool.shares_of(self.shares, self.generation);
		self.generation = pool.generation;
	}

	/// Whether nothing is left: no share and no unbonding chunk.
	pub fn is_empty(&self) -> bool {
		self.shares.is_zero() && self.unbonding.is_empty()
	}
}

/// What dapps can read about a worker's track record. Kept after deregistration, so that a
/// worker cannot clear its record by registering again.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Reputation<Balance> {
	/// Jobs it was rewarded for.
	pub jobs_completed: u32,
	/// Jobs it failed: slashed for a wrong result or a timeout.
	pub jobs_failed: u32,
	/// Challenges it lost.
	pub challenges_lost: u32,
	/// Slashes of any reason.
	pub slashes: u32,
	/// The total slashed from it and its delegators.
	pub total_slashed: Balance,
	/// The total of the rewards paid to it and its delegators.
	pub total_rewarded: Balance,
}

/// One offence: the evidence (job) and what it cost.
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
pub struct Offence<Balance, BlockNumber> {
	/// The job that is the evidence.
	pub job: JobId,
	/// Why it was slashed.
	pub reason: SlashReason,
	/// The fraction of the stake slashed.
	pub fraction: Perbill,
	/// The amount slashed (from the worker and its delegators).
	pub amount: Balance,
	/// The block of the slash.
	pub at: BlockNumber,
}

/// A member of a model's worker set, as the runtime API's `worker_set` shows it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct WorkerSlot<AccountId, Balance> {
	/// The member.
	pub account: AccountId,
	/// Its bonded stake, own plus delegated (what a draw weighs it by).
	pub stake: Balance,
	/// Whether it can be drawn now (active, online, bonded at least the minimum). A member
	/// that cannot is open to [`crate::Pallet::take_slot`] by any drawable worker.
	pub drawable: bool,
}

/// Everything known about a worker, in plain types (for the runtime API).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct WorkerDetails<AccountId, Balance, BlockNumber> {
	/// The worker's account.
	pub account: AccountId,
	/// The sr25519 key it signs results with.
	pub attestation_key: AttestationKey,
	/// Its endpoint and metadata.
	pub metadata: Vec<u8>,
	/// Its declared capabilities.
	pub capabilities: Vec<u8>,
	/// The models it serves.
	pub models: Vec<ModelId>,
	/// Whether it takes new jobs.
	pub status: WorkerStatus,
	/// The commission it set.
	pub commission: Perbill,
	/// The commission applied to rewards now (its rate capped by the governance maximum).
	pub effective_commission: Perbill,
	/// Its own bonded stake.
	pub bonded: Balance,
	/// Its own unbonding stake.
	pub unbonding: Vec<UnbondingChunk<Balance, BlockNumber>>,
	/// Its registration deposit.
	pub deposit: Balance,
	/// The bonded stake of its delegators.
	pub delegated: Balance,
	/// The unbonding stake of its delegators.
	pub delegated_unbonding: Balance,
	/// How many delegation records it has.
	pub delegators: u32,
	/// The block of its last heartbeat.
	pub last_heartbeat: BlockNumber,
	/// The block it registered in.
	pub registered_at: BlockNumber,
	/// Whether it counts as online now.
	pub online: bool,
	/// Whether it can be drawn for jobs now (active, online, bonded at least the minimum).
	pub eligible: bool,
	/// Its track record.
	pub reputation: Reputation<Balance>,
	/// Its most recent offences, oldest first.
	pub recent_offences: Vec<Offence<Balance, BlockNumber>>,
}

/// One delegation, in plain types (for the runtime API).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct DelegationDetails<AccountId, Balance, BlockNumber> {
	/// The delegator.
	pub delegator: AccountId,
	/// Its shares of the worker's pool (zero if they were wiped out).
	pub shares: Balance,
	/// What its shares are worth now.
	pub value: Balance,
	/// Its unbonding chunks, at their value now.
	pub unbonding: Vec<UnbondingChunk<Balance, BlockNumber>>,
}

/// What a slash will take, computed before anything moves (see
/// [`WorkerStaking::slash`](deai_primitives::staking::WorkerStaking::slash)).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct SlashPlan<Balance> {
	/// From the worker's own stake: the penalty's own part plus the payee's cost.
	pub from_worker: Balance,
	/// From the delegators' bonded stake.
	pub from_pool_bonded: Balance,
	/// From the delegators' unbonding stake (only once their bonded stake is gone).
	pub from_pool_unbonding: Balance,
	/// To the payee (at most `from_worker`).
	pub to_payee: Balance,
}
