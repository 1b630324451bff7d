//! `pallet_compute_staking`: workers, their bonds and delegators, liveness, unbonding and
//! evidence-based slashing.
//!
//! - Workers hold at least 1,000 DEAI of own bond and a 100 DEAI registration deposit;
//!   delegations are at least 10 DEAI; commissions are capped at 50 % (genesis parameters,
//!   changed by the Parameters track).
//! - A heartbeat is free every 10 minutes (100 blocks of 6 s) and a worker is offline after
//!   an hour without one. With the `fast-runtime` feature (local testnets and the
//!   end-to-end fault tests only) a heartbeat is free every 5 blocks and a worker is
//!   offline after 20, so the liveness rules can be watched in a minute.
//! - Unbonding takes 7 days, far longer than the longest job plus its challenge window
//!   ([`pallet_inference::MaxJobLifetime`], about 1.8 days with the bounds in
//!   [`super::inference`]); `integrity_test` checks it, so no one escapes a slash.
//! - Slashed stake goes to the treasury (the governance pallet's account).

use crate::{
	configs::governance_origin::ParametersOrigin, Balances, BlockNumber, Inference, ModelRegistry,
	Runtime, RuntimeHoldReason, DAYS, HOURS, MINUTES,
};
use polkadot_sdk::frame_support::{parameter_types, PalletId};

parameter_types! {
	/// The pot account that holds delegated stake derives from this id.
	pub const ComputeStakingPalletId: PalletId = PalletId(*b"deai/stk");
	/// The most models one worker serves.
	pub const MaxModelsPerWorker: u32 = 16;
	/// The longest endpoint/metadata of a worker, in bytes.
	pub const WorkerMaxMetadataLen: u32 = 256;
	/// The longest capabilities description of a worker, in bytes.
	pub const WorkerMaxCapabilitiesLen: u32 = 128;
	/// The most delegation records one page of the runtime API returns (delegators behind
	/// a worker are not bounded).
	pub const MaxDelegationsPerPage: u32 = 64;
	/// The most unbonding chunks of a worker or a delegator at once.
	pub const MaxUnbondingChunks: u32 = 8;
	/// The most workers in one model's worker set (what a draw reads).
	pub const MaxWorkersPerModel: u32 = 64;
	/// How many recent offences of a worker are kept.
	pub const MaxOffencesKept: u32 = 16;
	/// The shortest gap between two free heartbeats.
	pub const HeartbeatInterval: BlockNumber =
		if cfg!(feature = "fast-runtime") { 5 } else { 10 * MINUTES };
	/// A worker whose last heartbeat is older than this is offline.
	pub const OfflineAfter: BlockNumber = if cfg!(feature = "fast-runtime") { 20 } else { HOURS };
	/// How long unbonding stake stays slashable before it can be withdrawn.
	pub const UnbondingPeriod: BlockNumber = 7 * DAYS;
}

impl pallet_compute_staking::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = ModelRegistry;
	type PendingJobs = Inference;
	type ParamsOrigin = ParametersOrigin;
	type SlashDestination = pallet_governance::TreasuryAccount<Runtime>;
	type PalletId = ComputeStakingPalletId;
	type MaxModelsPerWorker = MaxModelsPerWorker;
	type MaxMetadataLen = WorkerMaxMetadataLen;
	type MaxCapabilitiesLen = WorkerMaxCapabilitiesLen;
	type MaxDelegationsPerPage = MaxDelegationsPerPage;
	type MaxUnbondingChunks = MaxUnbondingChunks;
	type MaxWorkersPerModel = MaxWorkersPerModel;
	type MaxOffencesKept = MaxOffencesKept;
	type HeartbeatInterval = HeartbeatInterval;
	type OfflineAfter = OfflineAfter;
	type UnbondingPeriod = UnbondingPeriod;
	type MaxJobLifetime = pallet_inference::MaxJobLifetime<Runtime>;
	type WeightInfo = pallet_compute_staking::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = StakingBenchmarkHelper;
}

/// Registers real, active models in the model registry for the staking benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct StakingBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_compute_staking::benchmarking::BenchmarkHelper for StakingBenchmarkHelper {
	fn active_models(count: u32) -> alloc::vec::Vec<deai_primitives::model::ModelId> {
		let owner: crate::AccountId =
			polkadot_sdk::frame_benchmarking::account("model-owner", 0, 0);
		(0..count)
			.filter_map(|i| {
				super::model_registry::benchmark_model(&owner, i, crate::MILLI_DEAI, 0, 1)
			})
			.collect()
	}
}
