//! The runtime API through which dapps (`api.call.computeStakingApi.*` in polkadot-js) and
//! the DeAI worker read workers, delegations and draw candidates without knowing the
//! pallet's storage layout.
//!
//! The runtime implements it by calling the pallet's plain functions:
//!
//! ```ignore
//! impl pallet_compute_staking::runtime_api::ComputeStakingApi<Block, AccountId, Balance, BlockNumber>
//!     for Runtime
//! {
//!     fn worker(who: AccountId) -> Option<WorkerDetails<AccountId, Balance, BlockNumber>> {
//!         ComputeStaking::worker_details(who)
//!     }
//!     fn delegations(
//!         worker: AccountId,
//!         start: u32,
//!         limit: u32,
//!     ) -> Vec<DelegationDetails<AccountId, Balance, BlockNumber>> {
//!         ComputeStaking::delegations_of(worker, start, limit)
//!     }
//!     fn delegation(
//!         worker: AccountId,
//!         delegator: AccountId,
//!     ) -> Option<DelegationDetails<AccountId, Balance, BlockNumber>> {
//!         ComputeStaking::delegation_details(worker, delegator)
//!     }
//!     fn eligible_workers(model: ModelId) -> Vec<AccountId> {
//!         ComputeStaking::eligible_workers(model)
//!     }
//!     fn worker_set(model: ModelId) -> Vec<WorkerSlot<AccountId, Balance>> {
//!         ComputeStaking::worker_set(model)
//!     }
//!     fn reputation(who: AccountId) -> Reputation<Balance> {
//!         ComputeStaking::reputation(&who)
//!     }
//!     fn params() -> StakingParams<Balance> {
//!         ComputeStaking::params()
//!     }
//! }
//! ```

use crate::types::{DelegationDetails, Reputation, StakingParams, WorkerDetails, WorkerSlot};
use alloc::vec::Vec;
use codec::Codec;
use deai_primitives::model::ModelId;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Reads compute staking.
	pub trait ComputeStakingApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The full record of worker `who` (stake, delegated totals, liveness, eligibility,
		/// reputation, recent offences), or `None` if it is not registered.
		fn worker(who: AccountId) -> Option<WorkerDetails<AccountId, Balance, BlockNumber>>;

		/// A page of the delegations behind `worker`: at most `limit` records (capped at
		/// `MaxDelegationsPerPage`) after skipping `start`, in a stable storage order.
		fn delegations(
			worker: AccountId,
			start: u32,
			limit: u32,
		) -> Vec<DelegationDetails<AccountId, Balance, BlockNumber>>;

		/// The delegation of `delegator` behind `worker`, if any.
		fn delegation(
			worker: AccountId,
			delegator: AccountId,
		) -> Option<DelegationDetails<AccountId, Balance, BlockNumber>>;

		/// The workers that can be drawn for jobs on `model` now: active, online and bonded
		/// at least the minimum.
		fn eligible_workers(model: ModelId) -> Vec<AccountId>;

		/// Every member of the worker set of `model` (at most `MaxWorkersPerModel`), with its
		/// stake and whether it can be drawn now, in set order. When the set is full, the
		/// weakest member (not drawable, or else the least stake) is the one a worker names
		/// in `take_slot`.
		fn worker_set(model: ModelId) -> Vec<WorkerSlot<AccountId, Balance>>;

		/// The track record of `who`, kept after deregistration.
		fn reputation(who: AccountId) -> Reputation<Balance>;

		/// The staking parameters in force.
		fn params() -> StakingParams<Balance>;
	}
}

/// The pallet's answers to the runtime API.
mod views {
	use crate::*;

	impl<T: Config> Pallet<T> {
		/// The staking parameters in force.
		pub fn params() -> StakingParams<BalanceOf<T>> {
			Params::<T>::get()
		}

		/// The track record of `who` (kept after deregistration).
		pub fn reputation(who: &T::AccountId) -> Reputation<BalanceOf<T>> {
			Reputations::<T>::get(who)
		}

		/// Everything known about worker `who`, in plain types (for the runtime API).
		pub fn worker_details(
			who: T::AccountId,
		) -> Option<WorkerDetails<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
			let worker = Workers::<T>::get(&who)?;
			let profile = Profiles::<T>::get(&who).unwrap_or_else(|| Profile {
				metadata: Default::default(),
				capabilities: Default::default(),
			});
			let pool = Pools::<T>::get(&who).unwrap_or_default();
			let params = Params::<T>::get();
			let now = frame_system::Pallet::<T>::block_number();
			let online = worker.is_online(now, T::OfflineAfter::get());
			let eligible = Self::draw_weight(&who, now, params.min_worker_bond).is_some();
			Some(WorkerDetails {
				attestation_key: worker.attestation_key,
				metadata: profile.metadata.into_inner(),
				capabilities: profile.capabilities.into_inner(),
				models: worker.models.into_inner(),
				status: worker.status,
				commission: worker.commission,
				effective_commission: worker.commission.min(params.max_commission),
				bonded: worker.bonded,
				unbonding: WorkerUnbonding::<T>::get(&who).into_inner(),
				deposit: worker.deposit,
				delegated: pool.bonded,
				delegated_unbonding: pool.unbonding,
				delegators: pool.delegators,
				last_heartbeat: worker.last_heartbeat,
				registered_at: worker.registered_at,
				online,
				eligible,
				reputation: Reputations::<T>::get(&who),
				recent_offences: RecentOffences::<T>::get(&who).into_inner(),
				account: who,
			})
		}

		/// The plain view of a delegation record against `pool`.
		fn delegation_view(
			delegator: T::AccountId,
			delegation: Delegation<T>,
			pool: &Pool<BalanceOf<T>>,
		) -> DelegationDetails<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> {
			let shares = pool.shares_of(delegation.shares, delegation.generation);
			DelegationDetails {
				delegator,
				shares,
				value: pool.value_of_shares(shares),
				unbonding: delegation
					.unbonding
					.iter()
					.map(|chunk| UnbondingChunk {
						value: pool.value_of_points(chunk.points, chunk.era),
						unlock_at: chunk.unlock_at,
					})
					.collect(),
			}
		}

		/// The delegation of `delegator` behind `worker`, in plain types (for the runtime API).
		pub fn delegation_details(
			worker: T::AccountId,
			delegator: T::AccountId,
		) -> Option<DelegationDetails<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
			let pool = Pools::<T>::get(&worker)?;
			let delegation = Delegations::<T>::get(&worker, &delegator)?;
			Some(Self::delegation_view(delegator, delegation, &pool))
		}

		/// A page of the delegations behind `worker`: at most `limit` (capped at
		/// `MaxDelegationsPerPage`) records after skipping `start`, in storage order (stable
		/// while the set of delegators does not change). For the runtime API.
		pub fn delegations_of(
			worker: T::AccountId,
			start: u32,
			limit: u32,
		) -> Vec<DelegationDetails<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
			let Some(pool) = Pools::<T>::get(&worker) else {
				return Vec::new();
			};
			let limit = limit.min(T::MaxDelegationsPerPage::get());
			Delegations::<T>::iter_prefix(&worker)
				.skip(usize::try_from(start).unwrap_or(usize::MAX))
				.take(usize::try_from(limit).unwrap_or(usize::MAX))
				.map(|(delegator, delegation)| Self::delegation_view(delegator, delegation, &pool))
				.collect()
		}

		/// The members of the worker set of `model` with their stake and whether they can be
		/// drawn now (for the runtime API).
		pub fn worker_set(model: ModelId) -> Vec<WorkerSlot<T::AccountId, BalanceOf<T>>> {
			let now = frame_system::Pallet::<T>::block_number();
			let min_bond = Params::<T>::get().min_worker_bond;
			ModelWorkers::<T>::get(model)
				.unwrap_or_default()
				.into_iter()
				.map(|account| {
					let own = Workers::<T>::get(&account).map(|w| w.bonded).unwrap_or_default();
					let delegated =
						Pools::<T>::get(&account).map(|pool| pool.bonded).unwrap_or_default();
					let drawable = Self::draw_weight(&account, now, min_bond).is_some();
					WorkerSlot { stake: own.saturating_add(delegated), drawable, account }
				})
				.collect()
		}

		/// The workers that can be drawn for `model` now (for the runtime API).
		pub fn eligible_workers(model: ModelId) -> Vec<T::AccountId> {
			Self::candidates(model, &[]).into_iter().map(|(who, _)| who).collect()
		}
	}
}
