//! `pallet_inference`: jobs, fee escrow, chain-chosen assignment, commit-reveal
//! verification, challenges and settlement.
//!
//! Bounds, in 6-second blocks: a job's deadline is at most a day after its submission;
//! governance may set commit, reveal and challenge periods of up to six hours; a settled
//! job's result (with its attested receipts) is kept for seven days, then anyone may prune it
//! and return its deposit. The longest a job can stay open, [`pallet_inference::MaxJobLifetime`],
//! is about 1.8 days, well inside compute staking's 7-day unbonding period.
//!
//! Workers are drawn at least two blocks after a job is submitted, with randomness that
//! became known only after the submission: the relay chain's BABE VRF output of a newer relay
//! parent on a relay-connected chain, collective flip on the development chain (see
//! [`super::randomness`]).
//!
//! The treasury share, the flat protocol fee and silent or dissenting workers' slashes go to
//! the governance pallet's treasury account. Parameters are set by the Parameters track.

use crate::{
	configs::governance_origin::ParametersOrigin, Balance, Balances, BlockNumber, ComputeStaking,
	DataRewards, ModelRegistry, Runtime, RuntimeHoldReason, DAYS, HOURS, MICRO_DEAI, MILLI_DEAI,
};
use polkadot_sdk::frame_support::{parameter_types, PalletId};

parameter_types! {
	/// The escrow account of job fees derives from this id.
	pub const InferencePalletId: PalletId = PalletId(*b"deai/inf");
	/// The storage deposit of a job and its result record (0.1 DEAI), whatever its input;
	/// returned when the result is pruned. It covers the job, the largest inline output
	/// (4 KiB, revealed by workers for free) and the receipts.
	pub const JobDepositBase: Balance = 100 * MILLI_DEAI;
	/// The storage deposit of every input byte on top of the base (0.1 milli-DEAI): a full
	/// 4 KiB inline input holds about 0.41 DEAI more than a short prompt.
	pub const JobDepositPerByte: Balance = 100 * MICRO_DEAI;
	/// The largest inline input, in bytes; larger inputs go by reference (URI + hash).
	pub const MaxJobInputLen: u32 = 4 * 1024;
	/// The largest inline output, in bytes; larger outputs go by reference.
	pub const MaxJobOutputLen: u32 = 4 * 1024;
	/// The longest input or output URI.
	pub const MaxJobUriLen: u32 = 256;
	/// The most replicas of a quorum job.
	pub const MaxReplicas: u32 = 7;
	/// How many fresh workers re-execute a challenged optimistic result.
	pub const ChallengeReplicas: u32 = 3;
	/// The most open jobs one worker takes part in at once.
	pub const MaxOpenJobsPerWorker: u32 = 16;
	/// The most jobs waiting for their draw.
	pub const MaxQueuedJobs: u32 = 256;
	/// The most jobs one account has waiting for their draw (friction: accounts are free).
	pub const MaxQueuedPerAccount: u32 = 32;
	/// What a job that leaves the queue undrawn (cancelled, expired, no workers) pays the
	/// treasury out of its deposit (0.02 DEAI): holding the whole queue through one
	/// cancel-and-resubmit cycle costs 256 of them, 5.12 DEAI, on top of the fees.
	pub const QueueFee: Balance = 20 * MILLI_DEAI;
	/// The most jobs drawn in one block.
	pub const MaxAssignmentsPerBlock: u32 = 8;
	/// Blocks between a submission and its draw, so that the draw's randomness is unknown at
	/// submission.
	pub const AssignmentDelay: BlockNumber = 2;
	/// The longest commit, reveal or challenge period governance may set.
	pub const MaxPhasePeriod: BlockNumber = 6 * HOURS;
	/// The latest deadline a job may ask for, after its submission.
	pub const MaxJobDuration: BlockNumber = DAYS;
	/// How long a settled job's result is kept before it may be pruned.
	pub const ResultRetention: BlockNumber = 7 * DAYS;
}

impl pallet_inference::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = ModelRegistry;
	type Staking = ComputeStaking;
	type DataRoyalty = DataRewards;
	type Randomness = super::randomness::AssignmentRandomness;
	type ParamsOrigin = ParametersOrigin;
	type TreasuryAccount = pallet_governance::TreasuryAccount<Runtime>;
	type PalletId = InferencePalletId;
	type JobDepositBase = JobDepositBase;
	type JobDepositPerByte = JobDepositPerByte;
	type MaxInputLen = MaxJobInputLen;
	type MaxOutputLen = MaxJobOutputLen;
	type MaxUriLen = MaxJobUriLen;
	type MaxReplicas = MaxReplicas;
	type ChallengeReplicas = ChallengeReplicas;
	type MaxOpenJobsPerWorker = MaxOpenJobsPerWorker;
	type MaxQueuedJobs = MaxQueuedJobs;
	type MaxQueuedPerAccount = MaxQueuedPerAccount;
	type QueueFee = QueueFee;
	type MaxAssignmentsPerBlock = MaxAssignmentsPerBlock;
	type AssignmentDelay = AssignmentDelay;
	type MaxPhasePeriod = MaxPhasePeriod;
	type MaxJobDuration = MaxJobDuration;
	type ResultRetention = ResultRetention;
	type MaxTrainingDatasets = super::model_registry::ModelMaxDatasets;
	type WeightInfo = pallet_inference::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = InferenceBenchmarkHelper;
}

/// Makes a real model (model registry) and real workers (compute staking) for the inference
/// benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct InferenceBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_inference::benchmarking::BenchmarkHelper<crate::AccountId, Balance>
	for InferenceBenchmarkHelper
{
	fn create_model(owner: &crate::AccountId, price: Balance) -> deai_primitives::model::ModelId {
		// The benchmarks need the model; an id that does not exist makes them fail loudly.
		super::model_registry::benchmark_model(
			owner,
			u32::MAX,
			price,
			super::model_registry::ModelMaxDatasets::get(),
			MaxJobInputLen::get(),
		)
		.unwrap_or(deai_primitives::model::ModelId::MAX)
	}

	fn register_worker(
		worker: &crate::AccountId,
		model: deai_primitives::model::ModelId,
		key: deai_primitives::staking::AttestationKey,
	) {
		use polkadot_sdk::{frame_system::RawOrigin, sp_runtime::Perbill};
		let params = pallet_compute_staking::Params::<Runtime>::get();
		let _ = ComputeStaking::register_worker(
			RawOrigin::Signed(worker.clone()).into(),
			params.min_worker_bond.saturating_mul(10),
			key,
			Default::default(),
			Default::default(),
			alloc::vec![model].try_into().unwrap_or_default(),
			Perbill::from_percent(5),
		);
		// A fresh worker is online: its registration counts as its first heartbeat.
	}
}
