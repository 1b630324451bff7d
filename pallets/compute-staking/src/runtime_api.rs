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
//!     fn parameters() -> StakingParameters<Balance> {
//!         ComputeStaking::parameters()
//!     }
//! }
//! ```

use crate::types::{DelegationDetails, Reputation, StakingParameters, WorkerDetails, WorkerSlot};
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
		fn parameters() -> StakingParameters<Balance>;
	}
}
