#![doc = include_str!("../README.md")]
// The crate docs (what the pallet does and, where money moves, why each actor's best
// strategy is honesty) live in the pallet's README.md, shown as the crate's rustdoc.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use jobs::MaxJobLifetime;
pub use pallet::*;
pub use params::default_params;
pub use settlement::SettlementCost;
pub use types::*;
pub use weights::WeightInfo;

mod assignment;
#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod challenge;
mod jobs;
#[cfg(test)]
mod mock;
mod params;
pub mod runtime_api;
mod settlement;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
mod verification;
pub mod weights;

use alloc::vec::Vec;
use deai_primitives::{
	data::DataRoyalty,
	inference::{
		commitment, AttestationSignature, AttestedResult, Commitment, JobId, Salt, Verification,
	},
	model::{ModelId, ModelInspect},
	staking::{SlashReason, WorkerStaking},
};
use polkadot_sdk::{
	frame_support::{
		self,
		traits::{
			fungible::{Mutate, MutateHold},
			Get, Randomness,
		},
		BoundedVec, PalletId,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::{
		traits::{AccountIdConversion, Saturating, Zero},
		Perbill, Weight,
	},
};

/// The subject (and seed prefix) of assignment randomness.
pub const ASSIGNMENT_SUBJECT: &[u8] = b"deai/assign";

/// The log target of this pallet.
const LOG_TARGET: &str = "runtime::inference";

// FRAME's pallet macros expand to `expect` calls with proofs (e.g. the runtime always knows
// this pallet's name); this module's own code has none.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{dispatch::DispatchResultWithPostInfo, pallet_prelude::*};
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The fee of an open job, held from its submitter until the job settles.
		#[codec(index = 0)]
		JobEscrow,
		/// The storage deposit of a job and its result record, held from the submitter
		/// until the record is pruned (or the job cancelled).
		#[codec(index = 1)]
		JobDeposit,
		/// A challenger's bond, held until the challenge is resolved; it pays the
		/// re-execution.
		#[codec(index = 2)]
		ChallengeBond,
	}

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The currency fees, deposits and bonds are paid in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The registered models (the model registry).
		type Models: ModelInspect<Self::AccountId, BalanceOf<Self>>;

		/// The workers: eligibility, draws, attestation keys, rewards and slashes (compute
		/// staking).
		type Staking: WorkerStaking<Self::AccountId, BalanceOf<Self>>;

		/// Pays the data royalty of a settled job (data rewards).
		type DataRoyalty: DataRoyalty<Self::AccountId, BalanceOf<Self>>;

		/// The randomness workers are drawn from (see the pallet docs for the sources and
		/// their limits).
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;

		/// The origin that sets the protocol parameters.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The account that receives the treasury share and the protocol fee.
		type TreasuryAccount: Get<Self::AccountId>;

		/// The id the escrow account derives from.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The storage deposit of one job and its result record whatever its input: the job,
		/// the largest inline output and the receipts of `MaxReplicas` workers.
		#[pallet::constant]
		type JobDepositBase: Get<BalanceOf<Self>>;

		/// The storage deposit of every byte of a job's input (the inline bytes, or the URI
		/// of a reference), on top of [`Config::JobDepositBase`].
		#[pallet::constant]
		type JobDepositPerByte: Get<BalanceOf<Self>>;

		/// The most bytes of an inline input.
		#[pallet::constant]
		type MaxInputLen: Get<u32>;

		/// The most bytes of an inline output.
		#[pallet::constant]
		type MaxOutputLen: Get<u32>;

		/// The longest input or output URI, in bytes.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;

		/// The most replicas of a quorum job (at most 255).
		#[pallet::constant]
		type MaxReplicas: Get<u32>;

		/// How many workers re-execute a challenged result (at most `MaxReplicas`); a
		/// majority of them decides.
		#[pallet::constant]
		type ChallengeReplicas: Get<u32>;

		/// The most open jobs a worker may be involved in at once (assigned, challenged or
		/// challenging); a full worker is not drawn.
		#[pallet::constant]
		type MaxOpenJobsPerWorker: Get<u32>;

		/// The most jobs (and re-executions) waiting for assignment.
		#[pallet::constant]
		type MaxQueuedJobs: Get<u32>;

		/// The most jobs one account may have waiting in the assignment queue. Friction only
		/// (accounts are free): what prices a flood is [`Config::QueueFee`].
		#[pallet::constant]
		type MaxQueuedPerAccount: Get<u32>;

		/// What a job that leaves the queue without being drawn (cancelled, expired or
		/// without workers) pays the treasury out of its deposit: the price of the queue slot
		/// it held. At most [`Config::JobDepositBase`], so the deposit always covers it.
		#[pallet::constant]
		type QueueFee: Get<BalanceOf<Self>>;

		/// The most jobs assigned in one block.
		#[pallet::constant]
		type MaxAssignmentsPerBlock: Get<u32>;

		/// The fewest blocks between a submission (or challenge) and the draw of its workers,
		/// so that the randomness of the draw was unknown when it was submitted (at least 1).
		#[pallet::constant]
		type AssignmentDelay: Get<BlockNumberFor<Self>>;

		/// The longest commit, reveal or challenge period governance may set, in blocks.
		#[pallet::constant]
		type MaxPhasePeriod: Get<BlockNumberFor<Self>>;

		/// The latest deadline a job may have, in blocks after its submission.
		#[pallet::constant]
		type MaxJobDuration: Get<BlockNumberFor<Self>>;

		/// How long a settled job's result record is kept before it may be pruned, in blocks.
		#[pallet::constant]
		type ResultRetention: Get<BlockNumberFor<Self>>;

		/// The most training datasets a model may name (the model registry's bound); the
		/// royalty payment is weighed for this many.
		#[pallet::constant]
		type MaxTrainingDatasets: Get<u32>;

		/// The weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates what benchmarks need from other pallets (a model, workers).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId, BalanceOf<Self>>;
	}

	/// The id the next job gets.
	#[pallet::storage]
	pub type NextJobId<T> = StorageValue<_, JobId, ValueQuery>;

	/// Every open (unsettled) job, by id.
	#[pallet::storage]
	pub type Jobs<T: Config> = StorageMap<_, Twox64Concat, JobId, Job<T>>;

	/// The input of every open job (kept apart so that commits and reveals need not read it).
	#[pallet::storage]
	pub type Inputs<T: Config> = StorageMap<_, Twox64Concat, JobId, InputOf<T>>;

	/// The outputs revealed for open jobs, once per distinct output hash.
	#[pallet::storage]
	pub type Outputs<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		JobId,
		Blake2_128Concat,
		deai_primitives::inference::OutputHash,
		OutputOf<T>,
	>;

	/// The further URIs of a revealed reference output of an open job: each distinct URI
	/// that another worker revealing the same output hash gave, in reveal order (the first
	/// is in [`Outputs`]). Moved into the job's result when it settles.
	#[pallet::storage]
	pub type OutputMirrors<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		JobId,
		Blake2_128Concat,
		deai_primitives::inference::OutputHash,
		MirrorsOf<T>,
		ValueQuery,
	>;

	/// The record of every settled job, until it is pruned.
	#[pallet::storage]
	pub type Results<T: Config> = StorageMap<_, Twox64Concat, JobId, JobResult<T>>;

	/// The jobs waiting for workers, oldest first.
	#[pallet::storage]
	pub type AssignmentQueue<T: Config> =
		StorageValue<_, BoundedVec<JobId, T::MaxQueuedJobs>, ValueQuery>;

	/// The re-executions of challenged results waiting for workers, oldest first. Kept apart
	/// from [`AssignmentQueue`] and drawn before it, so that no amount of job traffic can
	/// keep a challenge from being judged within its window.
	#[pallet::storage]
	pub type ChallengeQueue<T: Config> =
		StorageValue<_, BoundedVec<JobId, T::MaxQueuedJobs>, ValueQuery>;

	/// The open jobs each worker is involved in: assigned, challenged or challenging.
	#[pallet::storage]
	pub type WorkerJobs<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<JobId, T::MaxOpenJobsPerWorker>,
		ValueQuery,
	>;

	/// How many jobs each account has waiting in the assignment queue (re-executions are
	/// not counted: nobody chose to queue them).
	#[pallet::storage]
	pub type QueuedJobsOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// How many open jobs name each model.
	#[pallet::storage]
	pub type ModelJobs<T> = StorageMap<_, Twox64Concat, ModelId, u32, ValueQuery>;

	/// The protocol parameters, set by governance.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, ValueQuery, DefaultParams<T>>;

	/// The default of [`Params`]: [`default_params`].
	#[pallet::type_value]
	pub fn DefaultParams<T: Config>() -> ParamsOf<T> {
		default_params::<BalanceOf<T>, BlockNumberFor<T>>()
	}

	/// The genesis state: the protocol parameters. The escrow account also receives the
	/// existential deposit at genesis, so that payouts never reap it.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The protocol parameters.
		pub params: ParamsOf<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			GenesisConfig { params: default_params::<BalanceOf<T>, BlockNumberFor<T>>() }
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
		/// A job was submitted and queued for assignment; its fee and deposit are held.
		JobSubmitted {
			/// The new job.
			job: JobId,
			/// Its submitter.
			submitter: T::AccountId,
			/// The model to run.
			model: ModelId,
			/// How its result is verified.
			verification: Verification,
			/// The fee held in escrow.
			fee: BalanceOf<T>,
			/// The last block its first round may reveal in.
			deadline: BlockNumberFor<T>,
		},
		/// Workers were drawn for a job (or for the re-execution of a challenged result).
		JobAssigned {
			/// The job.
			job: JobId,
			/// The drawn workers.
			workers: Vec<T::AccountId>,
			/// The last block they may commit in.
			commit_until: BlockNumberFor<T>,
			/// The last block they may reveal in.
			reveal_until: BlockNumberFor<T>,
			/// Whether this round re-executes a challenged result.
			reexecution: bool,
		},
		/// A worker committed to its result.
		ResultCommitted {
			/// The job.
			job: JobId,
			/// The worker.
			worker: T::AccountId,
		},
		/// Every assignee committed: the reveal phase started.
		RevealPhaseStarted {
			/// The job.
			job: JobId,
			/// The last block a reveal is accepted in.
			reveal_until: BlockNumberFor<T>,
		},
		/// A worker revealed its attested result.
		ResultRevealed {
			/// The job.
			job: JobId,
			/// The worker.
			worker: T::AccountId,
			/// The hash of its canonical output.
			output_hash: deai_primitives::inference::OutputHash,
		},
		/// An optimistic result was revealed and may be challenged until `until`.
		ChallengeWindowOpened {
			/// The job.
			job: JobId,
			/// The worker that revealed it.
			worker: T::AccountId,
			/// The hash of its output.
			output_hash: deai_primitives::inference::OutputHash,
			/// The last block a challenge is accepted in.
			until: BlockNumberFor<T>,
		},
		/// An optimistic result was challenged; a re-execution is queued.
		ResultChallenged {
			/// The job.
			job: JobId,
			/// The challenger.
			challenger: T::AccountId,
			/// The bond held from it.
			bond: BalanceOf<T>,
		},
		/// The re-execution decided a challenge.
		ChallengeResolved {
			/// The job.
			job: JobId,
			/// Whether the original result was confirmed (the challenger lost).
			confirmed: bool,
			/// The loser (the challenger, or the original worker).
			loser: T::AccountId,
			/// What the loser was slashed in all (its own and its delegators' stake).
			slashed: BalanceOf<T>,
			/// What the re-executing workers were paid: from the challenger's bond when it
			/// lost, from the original worker's own stake when it lost.
			reexecution_paid: BalanceOf<T>,
			/// What the winner received from the loser's own slashed stake.
			rewarded: BalanceOf<T>,
		},
		/// A re-execution decided nothing (no workers, or no majority) and was queued again;
		/// the original result stands if it still decides nothing after `retry_until`.
		ChallengeRequeued {
			/// The job.
			job: JobId,
			/// The last block it is queued again in.
			retry_until: BlockNumberFor<T>,
		},
		/// A worker was slashed with a job as evidence.
		WorkerSlashed {
			/// The job.
			job: JobId,
			/// The worker.
			worker: T::AccountId,
			/// Why.
			reason: SlashReason,
			/// The amount slashed.
			amount: BalanceOf<T>,
		},
		/// A job completed and its fee was split.
		JobCompleted {
			/// The job.
			job: JobId,
			/// The hash of the winning output.
			output_hash: deai_primitives::inference::OutputHash,
			/// The workers that were paid.
			workers: Vec<T::AccountId>,
			/// Whether a challenge overturned the first result.
			overturned: bool,
			/// Where every unit of the fee went.
			split: FeeSplit<BalanceOf<T>>,
		},
		/// A job failed; its fee was refunded, less the slots paid to workers that revealed.
		JobFailed {
			/// The job.
			job: JobId,
			/// Why.
			reason: FailureReason,
			/// The fee given back to the submitter.
			refunded: BalanceOf<T>,
			/// What the workers that revealed an output were paid.
			paid: BalanceOf<T>,
			/// The queue fee taken from the deposit (a job that failed before its draw).
			queue_fee: BalanceOf<T>,
		},
		/// The quorum agreed that the job's input cannot be answered; the workers that said so
		/// were paid as for a completed job.
		JobUnanswerable {
			/// The job.
			job: JobId,
			/// The workers that were paid.
			workers: Vec<T::AccountId>,
			/// Where every unit of the fee went.
			split: FeeSplit<BalanceOf<T>>,
		},
		/// The submitter cancelled a job before it was assigned and got its fee and deposit
		/// back.
		JobCancelled {
			/// The job.
			job: JobId,
			/// The fee and deposit given back.
			refunded: BalanceOf<T>,
			/// The queue fee taken from the deposit for the queue slot it held.
			queue_fee: BalanceOf<T>,
		},
		/// A result record was pruned and its deposit returned.
		ResultPruned {
			/// The job.
			job: JobId,
			/// The submitter, who got the deposit back.
			submitter: T::AccountId,
			/// The deposit.
			deposit: BalanceOf<T>,
		},
		/// Governance set the protocol parameters.
		ParamsSet {
			/// The new parameters.
			params: ParamsOf<T>,
		},
		/// Assigning a job failed and was rolled back (a defect, reported so that it is seen).
		/// The job then ended as if no workers could be drawn, or, if that failed too, was
		/// queued again at the end of its queue.
		AssignmentFailed {
			/// The job.
			job: JobId,
			/// Why the assignment failed.
			error: DispatchError,
			/// Whether the job was queued again (ending it failed as well).
			requeued: bool,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No model has this id: check the id in the model registry.
		UnknownModel,
		/// The model is deprecated or retired: use its newest active version.
		ModelNotActive,
		/// The verification parameters are out of bounds: 1 to `MaxReplicas` replicas and a
		/// threshold that is a strict majority of them.
		InvalidVerification,
		/// The input or output is empty, or its URI is not printable ASCII.
		InvalidPayload,
		/// The inline input is longer than the model accepts: send less, or a reference.
		InputTooLarge,
		/// The inline input is not of the model's input kind (e.g. not UTF-8 for a text
		/// model, not whole 4-byte words for tokens): encode it as the model's input spec says.
		InputNotAccepted,
		/// Fewer eligible workers serve the model than the job needs (for a challenge: fewer
		/// than `ChallengeReplicas` besides the original worker and the challenger): use
		/// fewer replicas or try later.
		NotEnoughWorkers,
		/// The fee is above `max_fee`: raise it (see the `quote` runtime API).
		FeeAboveMax,
		/// The deadline is too near for the commit and reveal periods, or beyond
		/// `MaxJobDuration`.
		DeadlineOutOfRange,
		/// The assignment queue is full: try again in a few blocks.
		QueueFull,
		/// The caller has `MaxQueuedPerAccount` jobs waiting for their draw: wait until they
		/// are drawn.
		TooManyQueuedJobs,
		/// The caller cannot afford the fee, deposit or bond.
		InsufficientBalance,
		/// No open job has this id.
		UnknownJob,
		/// Only the submitter may cancel its job.
		NotSubmitter,
		/// The job can no longer be cancelled: its workers were drawn (cancelling then would
		/// let a submitter re-roll the draw), or it is being re-executed.
		CannotCancel,
		/// The job is not in its commit phase (it waits for workers, or is past committing).
		NotCommitPhase,
		/// The commit phase is over: a late commitment is refused.
		CommitPeriodOver,
		/// The caller is not assigned to the job's current round.
		NotAssigned,
		/// The caller already committed.
		AlreadyCommitted,
		/// The job is not in its reveal phase: wait until every assignee committed or the
		/// commit phase ended.
		NotRevealPhase,
		/// The reveal phase is over: a late reveal is refused.
		RevealPeriodOver,
		/// The caller did not commit, so it cannot reveal.
		NotCommitted,
		/// The caller already revealed.
		AlreadyRevealed,
		/// The output and salt do not match the caller's commitment.
		CommitmentMismatch,
		/// The caller has no registered attestation key: register one in compute staking.
		NoAttestationKey,
		/// The signature is not the caller's attestation key's signature over this job's
		/// attested result.
		BadSignature,
		/// The job has no result open to challenge.
		NotChallengeable,
		/// The challenge window is closed.
		ChallengePeriodOver,
		/// An assignee cannot challenge its own job.
		ChallengerIsAssignee,
		/// Only a worker eligible for the job's model may challenge.
		ChallengerNotEligible,
		/// The worker is involved in as many open jobs as allowed: wait for one to settle.
		TooManyOpenJobs,
		/// No deadline of the job has passed: nothing to conclude yet.
		NothingToAdvance,
		/// No result record has this id (never settled, or already pruned).
		UnknownResult,
		/// The result record is still within its retention period.
		ResultRetained,
		/// The parameters are out of bounds: periods 1 to `MaxPhasePeriod`, delay plus commit
		/// plus reveal within `MaxJobDuration`, data and treasury shares at most 100 % together,
		/// the timeout slash at most the wrong-result slash.
		InvalidParams,
		/// The funds the fee, deposit or bond needs are locked by a governance vote: unlock
		/// them (remove the vote once its lock expires) or use other funds.
		FundsFrozen,
		/// An optimistic job's re-execution (`price * ChallengeReplicas`, twice over) must be
		/// covered by the minimum worker bond, so that a wrong result always pays for the
		/// challenge that overturns it: use quorum verification for this model.
		OptimisticPriceTooHigh,
		/// An optimistic job needs an inline input: whether a lone worker could fetch a
		/// referenced input is up to whoever serves it, so its "unanswerable" could never be
		/// challenged fairly. Use quorum verification, or send the bytes inline.
		OptimisticNeedsInlineInput,
	}

	#[pallet::extra_constants]
	impl<T: Config> Pallet<T> {
		/// The most blocks between a job's submission and its settlement (before anyone calls
		/// `advance`): see [`MaxJobLifetime`].
		fn max_job_lifetime() -> BlockNumberFor<T> {
			MaxJobLifetime::<T>::get()
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::assign_due_jobs(now)
		}

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
		/// Submits an inference job on `model` with `input`, verified as `verification`,
		/// paying at most `max_fee`, with its first round revealed by block `deadline`.
		///
		/// Holds the fee (`price * replicas + protocol_fee`) and the job deposit and queues
		/// the job; workers are drawn at least `AssignmentDelay` blocks later.
		///
		/// Its weight adds a scan of the model's whole worker set (the eligibility count reads
		/// every member, up to the staking pallet's bound), which the benchmark's few workers
		/// do not reach.
		#[pallet::call_index(0)]
		#[pallet::weight(
			T::WeightInfo::submit_job(input.len())
				.saturating_add(T::Staking::select_workers_weight(0))
		)]
		pub fn submit_job(
			origin: OriginFor<T>,
			model: ModelId,
			input: InputOf<T>,
			verification: Verification,
			max_fee: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		) -> DispatchResult {
			let submitter = ensure_signed(origin)?;
			Self::do_submit_job(submitter, model, input, verification, max_fee, deadline)
		}

		/// Cancels a job of the caller that is still queued (its workers not drawn yet): its
		/// fee and deposit are released. Once workers are drawn the job runs: cancelling then
		/// would let a submitter re-roll the draw until its own workers hold the quorum.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel_job(T::MaxReplicas::get()))]
		pub fn cancel_job(origin: OriginFor<T>, job: JobId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_cancel_job(who, job)
		}

		/// Commits the caller's result for `job`:
		/// `commitment = blake2_256(SCALE(job, caller, output_hash, salt))`.
		///
		/// Free when it succeeds. When every assignee has committed the reveal phase starts.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::commit_result(T::MaxReplicas::get()))]
		pub fn commit_result(
			origin: OriginFor<T>,
			job: JobId,
			commitment: Commitment,
		) -> DispatchResultWithPostInfo {
			let worker = ensure_signed(origin)?;
			Self::do_commit_result(worker, job, commitment)
		}

		/// Reveals the caller's committed result for `job`: the output (inline or by
		/// reference), the salt of the commitment and the attestation key's signature over
		/// the [`AttestedResult`].
		///
		/// Free when it succeeds. The last expected reveal concludes the round (verdict,
		/// slashes and settlement, or the challenge window of an optimistic job).
		#[pallet::call_index(3)]
		#[pallet::weight(
			T::WeightInfo::reveal_result(T::MaxReplicas::get(), output.len())
				.saturating_add(Pallet::<T>::resolution_weight())
		)]
		pub fn reveal_result(
			origin: OriginFor<T>,
			job: JobId,
			output: OutputOf<T>,
			salt: Salt,
			signature: AttestationSignature,
		) -> DispatchResultWithPostInfo {
			let worker = ensure_signed(origin)?;
			Self::do_reveal_result(worker, job, output, salt, signature)
		}

		/// Challenges the optimistic result of `job` during its challenge window, holding a
		/// bond of `price * ChallengeReplicas` from the caller, which must be a worker
		/// eligible for the job's model and not its assignee.
		///
		/// Free when it succeeds. A quorum re-execution by fresh workers is queued. Refused
		/// with `NotEnoughWorkers` unless the model has at least `ChallengeReplicas` eligible
		/// workers besides the original worker and the challenger, so that a challenge
		/// cannot undo an honest result for free where no fresh quorum could judge it.
		#[pallet::call_index(4)]
		#[pallet::weight(
			T::WeightInfo::challenge_result().saturating_add(T::Staking::select_workers_weight(0))
		)]
		pub fn challenge_result(origin: OriginFor<T>, job: JobId) -> DispatchResultWithPostInfo {
			let challenger = ensure_signed(origin)?;
			Self::do_challenge_result(challenger, job)
		}

		/// Concludes what a passed deadline left open in `job`: a commit or reveal phase that
		/// ended (verdict, slashes, settlement or refund) or a closed challenge window
		/// (settlement). Anyone may call it; free when it concludes something.
		#[pallet::call_index(5)]
		#[pallet::weight(
			T::WeightInfo::advance(T::MaxReplicas::get())
				.saturating_add(Pallet::<T>::resolution_weight())
		)]
		pub fn advance(origin: OriginFor<T>, job: JobId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_advance(job)
		}

		/// Prunes the result record of `job` once its retention period is over and returns
		/// its deposit to the submitter. Anyone may call it.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::prune_result())]
		pub fn prune_result(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_prune_result(job)
		}

		/// Sets the protocol parameters (governance): fee shares, protocol fee, periods and
		/// slash fractions. Open jobs keep the fee and deadlines they were given.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}
	}
}
