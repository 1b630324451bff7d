#![doc = include_str!("../README.md")]
// The crate docs (what the pallet does and, where money moves, why each actor's best
// strategy is honesty) live in the pallet's README.md, shown as the crate's rustdoc.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use params::default_params;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod delegation;
mod holds;
#[cfg(test)]
mod mock;
mod params;
pub mod runtime_api;
mod slashing;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod weights;
mod worker_set;
mod worker_staking;
mod workers;

use alloc::vec::Vec;
use deai_primitives::{
	funds::{self, HoldError},
	inference::JobId,
	model::{ModelId, ModelInspect},
	staking::{AttestationKey, PendingJobs, SlashOutcome, SlashPayee, SlashReason, WorkerStaking},
};
use polkadot_sdk::{
	frame_support::{
		self,
		traits::{
			fungible::{Inspect, InspectHold, Mutate, MutateHold},
			tokens::{Fortitude, Precision, Preservation, Restriction},
			Get,
		},
		weights::Weight,
		PalletId,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::{
		traits::{AccountIdConversion, EnsureAdd, Saturating, UniqueSaturatedInto, Zero},
		DispatchError, Perbill, Rounding, SaturatedConversion,
	},
};

/// The log target of this pallet.
const LOG_TARGET: &str = "runtime::compute-staking";

// FRAME's pallet macros expand to `expect` calls with proofs (e.g. the runtime always knows
// this pallet's name); this module's own code has none.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use polkadot_sdk::sp_runtime::traits::StaticLookup;

	/// The account lookup source used by the delegation calls.
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A worker's own stake, bonded or unbonding; slashable.
		#[codec(index = 0)]
		WorkerBond,
		/// A worker's registration deposit; refunded on deregistration, never slashed.
		#[codec(index = 1)]
		RegistrationDeposit,
		/// Delegated stake, bonded or unbonding, held on the pallet's pot account; slashable.
		#[codec(index = 2)]
		DelegatedStake,
	}

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The currency stake and deposits are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Tells whether a model exists and is active (the model registry).
		type Models: ModelInspect<Self::AccountId, BalanceOf<Self>>;

		/// Tells whether a worker has unsettled jobs (the inference pallet); such a worker can
		/// neither deregister nor stop serving a model.
		type PendingJobs: PendingJobs<Self::AccountId>;

		/// The origin that sets the staking parameters.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Where slashed funds go when a slash names no beneficiary (the treasury). The
		/// runtime must keep this account alive (e.g. with an existential deposit at genesis).
		type SlashDestination: Get<Self::AccountId>;

		/// The id of the pallet's pot account, which holds the delegated stake.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The most models a worker may serve.
		#[pallet::constant]
		type MaxModelsPerWorker: Get<u32>;

		/// The longest endpoint/metadata, in bytes.
		#[pallet::constant]
		type MaxMetadataLen: Get<u32>;

		/// The longest capabilities declaration, in bytes.
		#[pallet::constant]
		type MaxCapabilitiesLen: Get<u32>;

		/// The most delegation records one page of [`Pallet::delegations_of`] returns. It
		/// bounds a read, not the delegators of a worker (which nothing bounds).
		#[pallet::constant]
		type MaxDelegationsPerPage: Get<u32>;

		/// The most unbonding chunks a worker, or a delegation, may have at once.
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32>;

		/// The most active workers per model: the bound of a draw's work.
		#[pallet::constant]
		type MaxWorkersPerModel: Get<u32>;

		/// The most recent offences kept per worker.
		#[pallet::constant]
		type MaxOffencesKept: Get<u32>;

		/// The least number of blocks between two free heartbeats.
		#[pallet::constant]
		type HeartbeatInterval: Get<BlockNumberFor<Self>>;

		/// A worker whose last heartbeat is more than this many blocks old is offline.
		#[pallet::constant]
		type OfflineAfter: Get<BlockNumberFor<Self>>;

		/// How many blocks unbonding stake waits (still slashable) before it can be withdrawn.
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;

		/// The longest a job can stay unsettled: its longest deadline plus its challenge
		/// window (taken from the inference pallet's configuration). The unbonding period must
		/// be longer, so that stake cannot leave before the jobs it secured settle.
		#[pallet::constant]
		type MaxJobLifetime: Get<BlockNumberFor<Self>>;

		/// The weights of this pallet's calls and trait functions.
		type WeightInfo: WeightInfo;

		/// Creates what benchmarks need from other pallets (active models).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper;
	}

	/// The default of [`Params`]: [`default_params`].
	#[pallet::type_value]
	pub fn DefaultParams<T: Config>() -> StakingParams<BalanceOf<T>> {
		default_params::<T>()
	}

	/// The staking parameters, set by governance.
	#[pallet::storage]
	pub type Params<T: Config> =
		StorageValue<_, StakingParams<BalanceOf<T>>, ValueQuery, DefaultParams<T>>;

	/// Every registered worker.
	#[pallet::storage]
	pub type Workers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Worker<T>>;

	/// What each worker tells about itself.
	#[pallet::storage]
	pub type Profiles<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Profile<T>>;

	/// Each worker's own stake on its way out, oldest first (still held and slashable).
	#[pallet::storage]
	pub type WorkerUnbonding<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, UnbondingOf<T>, ValueQuery>;

	/// The delegation pool of each worker. It exists while the worker is registered or while
	/// a delegation record remains.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Pool<BalanceOf<T>>>;

	/// Every delegation: `(worker, delegator)`.
	#[pallet::storage]
	pub type Delegations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		Delegation<T>,
	>;

	/// The active workers serving each model: the candidates of a draw.
	#[pallet::storage]
	pub type ModelWorkers<T: Config> = StorageMap<_, Twox64Concat, ModelId, ModelWorkersOf<T>>;

	/// The commission raises workers announced: the higher rate and the first block it may
	/// be applied in (`UnbondingPeriod` after the announcement), so that every delegator can
	/// leave, and be out, before a higher commission takes from its rewards.
	#[pallet::storage]
	pub type CommissionRaises<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (Perbill, BlockNumberFor<T>)>;

	/// The track record of every registered worker (dropped when it deregisters).
	#[pallet::storage]
	pub type Reputations<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Reputation<BalanceOf<T>>, ValueQuery>;

	/// The most recent offences of every registered worker that has been slashed, oldest
	/// first (dropped when it deregisters).
	#[pallet::storage]
	pub type RecentOffences<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, OffencesOf<T>, ValueQuery>;

	/// The genesis state: the staking parameters.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The smallest own bond of a worker.
		pub min_worker_bond: BalanceOf<T>,
		/// The smallest delegation.
		pub min_delegation: BalanceOf<T>,
		/// The registration deposit.
		pub registration_deposit: BalanceOf<T>,
		/// The highest commission.
		pub max_commission: Perbill,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			let params = default_params::<T>();
			GenesisConfig {
				min_worker_bond: params.min_worker_bond,
				min_delegation: params.min_delegation,
				registration_deposit: params.registration_deposit,
				max_commission: params.max_commission,
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::do_build_genesis(self)
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A worker registered.
		WorkerRegistered {
			/// The worker.
			worker: T::AccountId,
			/// Its own bond.
			bond: BalanceOf<T>,
			/// The registration deposit held.
			deposit: BalanceOf<T>,
			/// Its attestation key.
			attestation_key: AttestationKey,
			/// The models it serves.
			models: ModelsOf<T>,
		},
		/// A worker added to its own bond.
		Bonded {
			/// The worker.
			worker: T::AccountId,
			/// The amount added.
			amount: BalanceOf<T>,
			/// Its bond now.
			bonded: BalanceOf<T>,
		},
		/// A worker started unbonding part of its own bond.
		Unbonded {
			/// The worker.
			worker: T::AccountId,
			/// The amount unbonding.
			amount: BalanceOf<T>,
			/// The first block it can be withdrawn in.
			unlock_at: BlockNumberFor<T>,
		},
		/// A worker withdrew its unlocked unbonding stake.
		Withdrawn {
			/// The worker.
			worker: T::AccountId,
			/// The amount released.
			amount: BalanceOf<T>,
		},
		/// A worker deregistered; its deposit was refunded.
		WorkerDeregistered {
			/// The worker.
			worker: T::AccountId,
			/// The deposit released.
			deposit: BalanceOf<T>,
		},
		/// A worker sent a heartbeat.
		HeartbeatReceived {
			/// The worker.
			worker: T::AccountId,
			/// Whether it was on time (and therefore free).
			on_time: bool,
		},
		/// A worker paused: it gets no new jobs.
		WentIdle {
			/// The worker.
			worker: T::AccountId,
		},
		/// A worker came back from a pause.
		Resumed {
			/// The worker.
			worker: T::AccountId,
		},
		/// A worker replaced its attestation key.
		AttestationKeyRotated {
			/// The worker.
			worker: T::AccountId,
			/// The key it used until now.
			old_key: AttestationKey,
			/// The key it signs with from now on.
			new_key: AttestationKey,
		},
		/// A worker changed the models it serves.
		ServedModelsSet {
			/// The worker.
			worker: T::AccountId,
			/// The models it serves now.
			models: ModelsOf<T>,
		},
		/// A worker took the slot of a weaker member in a full worker set: `evicted` no longer
		/// serves `model` and `worker` does.
		SlotTaken {
			/// The model.
			model: ModelId,
			/// The worker that took the slot.
			worker: T::AccountId,
			/// The member that lost it (offline, idle in effect, under-bonded or with less
			/// stake).
			evicted: T::AccountId,
		},
		/// A worker updated its metadata and capabilities.
		MetadataSet {
			/// The worker.
			worker: T::AccountId,
		},
		/// A worker set its commission.
		CommissionSet {
			/// The worker.
			worker: T::AccountId,
			/// The new rate.
			commission: Perbill,
		},
		/// A worker announced a higher commission; it may apply it from block `from` on
		/// (its delegators have until then to undelegate and withdraw).
		CommissionRaiseAnnounced {
			/// The worker.
			worker: T::AccountId,
			/// The higher rate.
			commission: Perbill,
			/// The first block `set_commission` may apply it in.
			from: BlockNumberFor<T>,
		},
		/// An account delegated stake to a worker.
		Delegated {
			/// The worker.
			worker: T::AccountId,
			/// The delegator.
			delegator: T::AccountId,
			/// The amount delegated.
			amount: BalanceOf<T>,
			/// The shares minted for it.
			shares: BalanceOf<T>,
		},
		/// A delegator started unbonding stake from a worker.
		Undelegated {
			/// The worker.
			worker: T::AccountId,
			/// The delegator.
			delegator: T::AccountId,
			/// The value unbonding.
			amount: BalanceOf<T>,
			/// The shares redeemed.
			shares: BalanceOf<T>,
			/// The first block it can be withdrawn in.
			unlock_at: BlockNumberFor<T>,
		},
		/// A delegator withdrew its unlocked unbonding stake.
		DelegationWithdrawn {
			/// The worker.
			worker: T::AccountId,
			/// The delegator.
			delegator: T::AccountId,
			/// The amount paid back.
			amount: BalanceOf<T>,
		},
		/// Governance set the staking parameters.
		ParamsSet {
			/// The new parameters.
			params: StakingParams<BalanceOf<T>>,
		},
		/// A worker and its delegators were rewarded for a job.
		Rewarded {
			/// The worker.
			worker: T::AccountId,
			/// The job.
			job: JobId,
			/// The whole reward.
			amount: BalanceOf<T>,
			/// The worker's commission (part of `to_worker`).
			commission: BalanceOf<T>,
			/// Paid to the worker's free balance: commission plus its stake's share.
			to_worker: BalanceOf<T>,
			/// Added to the delegators' bonded stake.
			to_delegators: BalanceOf<T>,
		},
		/// A worker and its delegators were slashed, on the evidence of a job.
		Slashed {
			/// The worker.
			worker: T::AccountId,
			/// The job that is the evidence.
			job: JobId,
			/// Why.
			reason: SlashReason,
			/// The fraction of the stake slashed.
			fraction: Perbill,
			/// The total slashed.
			amount: BalanceOf<T>,
			/// Taken from the worker's own stake.
			from_worker: BalanceOf<T>,
			/// Taken from the delegators' stake (always sent to the slash destination).
			from_delegators: BalanceOf<T>,
			/// The account that received part of the worker's own slashed stake, if any.
			payee: Option<T::AccountId>,
			/// What the payee received (at most `from_worker`); the rest went to the slash
			/// destination.
			to_payee: BalanceOf<T>,
		},
		/// A slash could not move its funds (neither the beneficiary nor the slash destination
		/// could receive them); the offence is recorded with a zero amount.
		SlashNotApplied {
			/// The worker.
			worker: T::AccountId,
			/// The job that is the evidence.
			job: JobId,
			/// The amount that should have been slashed.
			amount: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a registered worker.
		AlreadyRegistered,
		/// The account is not a registered worker: register first, or name a registered
		/// worker.
		NotRegistered,
		/// The bond is below the governance minimum: bond more.
		BondBelowMinimum,
		/// The bond or deposit cannot be held: the account needs more free balance (above the
		/// existential deposit).
		InsufficientBalance,
		/// The commission is above the governance maximum: lower it.
		CommissionTooHigh,
		/// A model is listed twice: list each model once.
		DuplicateModel,
		/// A model does not exist or is not active in the registry: serve an active model.
		ModelNotActive,
		/// A model's worker set is full: take the slot of an offline, under-bonded or
		/// lower-staked member with `take_slot`, or serve another model.
		ModelWorkersFull,
		/// The amount is zero: give a positive amount.
		ZeroAmount,
		/// The worker has less bonded than it asks to unbond.
		NotEnoughBonded,
		/// The bond left would be below the minimum but not zero: unbond less, or everything.
		WouldFallBelowMinimum,
		/// There are already `MaxUnbondingChunks` unbonding chunks: withdraw unlocked ones or
		/// wait.
		TooManyUnbondingChunks,
		/// No unbonding chunk is unlocked yet: wait until the unbonding period has passed.
		NothingToWithdraw,
		/// The worker still has bonded or unbonding stake: unbond everything and withdraw it
		/// first.
		StillBonded,
		/// The worker has unsettled jobs: wait until they settle.
		JobsPending,
		/// The announced commission raise may not be applied yet: call again from the block
		/// its `CommissionRaiseAnnounced` event named.
		CommissionRaiseNotDue,
		/// The worker is already idle.
		AlreadyIdle,
		/// The worker is not idle, so there is nothing to resume.
		NotIdle,
		/// The new attestation key is the current one.
		SameAttestationKey,
		/// A worker cannot delegate to itself: use `bond_extra`.
		SelfDelegation,
		/// The delegation would be below the governance minimum but not zero: delegate more,
		/// or undelegate everything.
		DelegationBelowMinimum,
		/// The caller has no (bonded) delegation behind this worker.
		NotDelegator,
		/// The amount is too small to mint a share: delegate more.
		AmountTooSmall,
		/// The parameters are invalid: the worker bond and delegation minimums must be
		/// positive.
		InvalidParams,
		/// Fewer eligible workers serve the model than were asked for: ask for fewer, or wait
		/// for workers.
		NotEnoughWorkers,
		/// The worker already serves `MaxModelsPerWorker` models: stop serving one first.
		TooManyModels,
		/// The worker already serves this model.
		AlreadyServing,
		/// Only a worker that could be drawn now (active, online, bonded at least the minimum)
		/// can take a slot: resume, heartbeat or bond more first.
		NotEligible,
		/// The model's worker set has room: join it with `set_served_models` instead.
		WorkerSetNotFull,
		/// The named account is not in the model's worker set.
		NotInWorkerSet,
		/// The named member can be drawn and has at least the caller's stake, so its slot
		/// cannot be taken: name an offline, under-bonded or lower-staked member.
		MemberNotWeaker,
		/// The funds this needs are locked by a governance vote: unlock them (remove the vote
		/// once its lock expires) or use other funds.
		FundsFrozen,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			Self::do_integrity_test()
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the caller as a worker with an own bond of `bond` (at least the minimum),
		/// holding the bond and the registration deposit from its free balance.
		///
		/// The worker starts active and online, listed for each of `models` (distinct, active
		/// models).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_worker(
			models.len().saturated_into::<u32>()
		))]
		pub fn register_worker(
			origin: OriginFor<T>,
			bond: BalanceOf<T>,
			attestation_key: AttestationKey,
			metadata: MetadataOf<T>,
			capabilities: CapabilitiesOf<T>,
			models: ModelsOf<T>,
			commission: Perbill,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_worker(
				who,
				bond,
				attestation_key,
				metadata,
				capabilities,
				models,
				commission,
			)
		}

		/// Adds `amount` from the caller's free balance to its own bond.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::bond_extra())]
		pub fn bond_extra(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond_extra(who, amount)
		}

		/// Starts unbonding `amount` of the caller's own bond. It stays slashable and can be
		/// withdrawn after `UnbondingPeriod` blocks. What stays bonded must be zero or at least
		/// the minimum; unbonding everything makes the worker idle.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(who, amount)
		}

		/// Releases the caller's unbonding chunks whose unbonding period has passed. Refused
		/// while a job is still pending for the caller: the unbonding period outlasts every job
		/// that is concluded on time, and this keeps a slash reachable even for a job whose
		/// deadline passed without anyone calling `advance`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_unbonded(who)
		}

		/// Deregisters the caller and refunds its registration deposit. Its bond must be fully
		/// unbonded and withdrawn, and no job may be pending for it. Its delegators keep their
		/// records and can still undelegate and withdraw. Its [`Reputations`] and
		/// [`RecentOffences`] go with it: no slash can reach a worker without stake or jobs, and
		/// a record kept for an account that left would be storage nobody pays for. This
		/// loses nothing a cheat could not already shed: a fresh account starts clean as
		/// well, so a clean record means "unknown", never "trustworthy".
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::deregister())]
		pub fn deregister(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister(who)
		}

		/// Proves the caller's worker is alive. Free when on time: at least
		/// `HeartbeatInterval` and at most `OfflineAfter` blocks after the previous heartbeat
		/// (or registration, or resumption); early and late heartbeats pay the normal fee. An
		/// offline worker is online again from this heartbeat on.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::heartbeat())]
		pub fn heartbeat(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_heartbeat(who)
		}

		/// Pauses the caller's worker: it is unlisted from its models' worker sets and gets no
		/// new jobs. Its pending jobs go on; its stake stays bonded.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::go_idle(T::MaxModelsPerWorker::get()))]
		pub fn go_idle(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_go_idle(who)
		}

		/// Brings the caller's idle worker back: it needs at least the minimum bond, is listed
		/// again for each model it serves, and counts as online from now on.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::resume(T::MaxModelsPerWorker::get()))]
		pub fn resume(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_resume(who)
		}

		/// Replaces the caller's attestation key. Results revealed from now on must be signed
		/// with `new_key`. Stake, reputation and pending slashes are unaffected.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::rotate_attestation_key())]
		pub fn rotate_attestation_key(
			origin: OriginFor<T>,
			new_key: AttestationKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rotate_attestation_key(who, new_key)
		}

		/// Replaces the models the caller serves by `models` (distinct; the added ones must be
		/// active). Stopping to serve a model takes effect at once, even with jobs pending:
		/// the worker is no longer drawn for it and its jobs already drawn run to their end.
		/// A worker is never held to a model whose owner cut its price (see the pallet docs).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::set_served_models(
			models.len().saturated_into::<u32>()
		))]
		pub fn set_served_models(origin: OriginFor<T>, models: ModelsOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_served_models(who, models)
		}

		/// Replaces the caller's endpoint/metadata and capabilities.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_metadata())]
		pub fn set_metadata(
			origin: OriginFor<T>,
			metadata: MetadataOf<T>,
			capabilities: CapabilitiesOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_metadata(who, metadata, capabilities)
		}

		/// Sets the share of each reward the caller's worker keeps before the rest is split by
		/// stake (at most the governance maximum).
		///
		/// A lower (or equal) rate applies at once and drops any announced raise. A higher
		/// rate is announced first: the call records it with the block `UnbondingPeriod`
		/// ahead ([`Event::CommissionRaiseAnnounced`]), and the same call with the same rate
		/// from that block on applies it. Delegators therefore always have the time to
		/// undelegate and withdraw at the old rate; without the notice a worker could take
		/// the whole reward of a job its delegators' stake was drawn for. Announcing another
		/// higher rate restarts the notice.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::set_commission())]
		pub fn set_commission(origin: OriginFor<T>, commission: Perbill) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_commission(who, commission)
		}

		/// Delegates `amount` of the caller's free balance to `worker`, minting shares of its
		/// pool. The caller's account is kept alive. The delegation must reach the minimum.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::delegate())]
		pub fn delegate(
			origin: OriginFor<T>,
			worker: AccountIdLookupOf<T>,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_delegate(who, worker, amount)
		}

		/// Starts unbonding `amount` of the caller's delegation to `worker` (everything if
		/// `amount` is at least its value). It stays slashable and can be withdrawn after
		/// `UnbondingPeriod` blocks. What stays delegated must be zero or at least the minimum.
		/// A delegation wiped out by a full slash, with nothing unbonding, is cleared.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::undelegate())]
		pub fn undelegate(
			origin: OriginFor<T>,
			worker: AccountIdLookupOf<T>,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_undelegate(who, worker, amount)
		}

		/// Pays the caller back its unbonding chunks behind `worker` whose unbonding period has
		/// passed, at their value after any slash. The delegation record ends when nothing is
		/// left.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::withdraw_undelegated())]
		pub fn withdraw_undelegated(
			origin: OriginFor<T>,
			worker: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_undelegated(who, worker)
		}

		/// Takes the slot of `member` in the full worker set of `model`: `member` stops serving
		/// `model` and the caller starts.
		///
		/// This is what keeps a full set open to better workers, in O(1): a set holds at most
		/// `MaxWorkersPerModel` members, and without it members that went offline, fell under
		/// the minimum bond or merely hold the smallest stake could keep every other worker
		/// out for good. The caller must be drawable now (active, online, bonded at least the
		/// minimum) and `member` must not be: it is offline, or under the minimum bond, or it
		/// is drawable with strictly less stake (own plus delegated) than the caller. The
		/// member's pending jobs are unaffected (it stays assigned and slashable); it can
		/// serve the model again by taking a slot itself. Find the weakest member through the
		/// runtime API's `worker_set`.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::take_slot())]
		pub fn take_slot(
			origin: OriginFor<T>,
			model: ModelId,
			member: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_take_slot(who, model, member)
		}

		/// Sets the staking parameters (governance). A higher worker minimum applies at the
		/// next draw (workers below it are not drawn); a lower commission maximum caps higher
		/// rates at the next reward. Deposits already paid are kept as they are.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(
			origin: OriginFor<T>,
			params: StakingParams<BalanceOf<T>>,
		) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}
	}
}
