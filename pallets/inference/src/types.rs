//! The types the inference pallet stores and shows: a job and its phase, the workers
//! assigned to it, a challenge, the governance parameters, the settled result record, and the
//! plain views returned by the runtime API.

use crate::Config;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use deai_primitives::{
	inference::{
		content_hash, majority, AttestationReceipt, Commitment, InputHash, JobId, OutputHash,
		Verification,
	},
	model::{ArtifactHash, ModelId},
};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::{BoundedVec, Get},
		traits::fungible::Inspect,
		CloneNoBound, DebugNoBound, Deserialize, EqNoBound, PartialEqNoBound, Serialize,
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::{traits::Saturating, Perbill, SaturatedConversion},
};
use scale_info::TypeInfo;

/// The balance type of the currency fees are paid in.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
>>::Balance;

/// A job's input: inline bytes or a reference.
pub type InputOf<T> = Payload<<T as Config>::MaxInputLen, <T as Config>::MaxUriLen>;
/// A revealed output: inline bytes or a reference.
pub type OutputOf<T> = Payload<<T as Config>::MaxOutputLen, <T as Config>::MaxUriLen>;
/// The workers of a job's current round.
pub type AssigneesOf<T> = BoundedVec<
	Assignment<<T as polkadot_sdk::frame_system::Config>::AccountId, BalanceOf<T>>,
	<T as Config>::MaxReplicas,
>;
/// The receipts a settled job keeps.
pub type ReceiptsOf<T> = BoundedVec<
	AttestationReceipt<<T as polkadot_sdk::frame_system::Config>::AccountId>,
	MaxReceipts<T>,
>;
/// Further URIs of a settled reference output (see [`JobResult::mirrors`]).
pub type MirrorsOf<T> = BoundedVec<BoundedVec<u8, <T as Config>::MaxUriLen>, MaxReceipts<T>>;
/// The governance parameters with the runtime's types.
pub type ParamsOf<T> = ProtocolParams<BalanceOf<T>, BlockNumberFor<T>>;

/// The most receipts a settled job keeps: a full quorum, or an optimistic result plus the
/// quorum that re-executed it.
pub struct MaxReceipts<T>(PhantomData<T>);
impl<T: Config> Get<u32> for MaxReceipts<T> {
	fn get() -> u32 {
		T::MaxReplicas::get().saturating_add(1)
	}
}

/// Bytes carried either inline (small) or by reference: a URI and the blake2-256 hash of the
/// bytes found there.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(Inline, Uri))]
#[codec(mel_bound(Inline: Get<u32>, Uri: Get<u32>))]
pub enum Payload<Inline: Get<u32>, Uri: Get<u32>> {
	/// The bytes themselves (at least one).
	Inline(BoundedVec<u8, Inline>),
	/// Where the bytes are (`ipfs://…`, `https://…`) and their blake2-256 hash.
	Reference {
		/// The URI (printable ASCII, at least one byte).
		uri: BoundedVec<u8, Uri>,
		/// The blake2-256 hash of the bytes.
		hash: [u8; 32],
	},
}

impl<Inline: Get<u32>, Uri: Get<u32>> Payload<Inline, Uri> {
	/// The blake2-256 hash of the bytes.
	pub fn hash(&self) -> [u8; 32] {
		match self {
			Payload::Inline(bytes) => content_hash(bytes),
			Payload::Reference { hash, .. } => *hash,
		}
	}

	/// The number of bytes carried on chain (the inline bytes or the URI): the length
	/// benchmarks parameterize over.
	pub fn len(&self) -> u32 {
		let len = match self {
			Payload::Inline(bytes) => bytes.len(),
			Payload::Reference { uri, .. } => uri.len(),
		};
		len.saturated_into::<u32>()
	}

	/// Whether nothing is carried (empty inline bytes or an empty URI).
	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}

	/// Whether the payload is usable: not empty, and a URI is printable ASCII.
	pub fn is_valid(&self) -> bool {
		match self {
			Payload::Inline(bytes) => !bytes.is_empty(),
			Payload::Reference { uri, .. } => {
				!uri.is_empty() && uri.iter().all(|c| c.is_ascii_graphic())
			},
		}
	}
}

/// Where a job is. The phase is stored as of its last change; deadlines pass lazily, so the
/// phase a job is effectively in at a block is [`Job::stage`].
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
pub enum JobPhase<BlockNumber> {
	/// Waiting in the assignment queue since block `since`; workers are drawn in a later
	/// block.
	Queued {
		/// The block the job (or its re-execution) was queued in.
		since: BlockNumber,
	},
	/// Workers are assigned and commit until `commit_until`; the reveal phase then lasts
	/// until `reveal_until` at the latest.
	Commit {
		/// The last block a commitment is accepted in.
		commit_until: BlockNumber,
		/// The last block a reveal is accepted in.
		reveal_until: BlockNumber,
	},
	/// Every assignee committed; reveals are accepted until `reveal_until`.
	Reveal {
		/// The last block a reveal is accepted in.
		reveal_until: BlockNumber,
	},
	/// An optimistic result was revealed; other workers may challenge it until `until`.
	Challengeable {
		/// The last block a challenge is accepted in.
		until: BlockNumber,
	},
}

/// What a job is doing at a given block, deadlines taken into account.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub enum Stage {
	/// Waiting for workers.
	Queued,
	/// Assigned workers commit.
	Commit,
	/// Committed workers reveal.
	Reveal,
	/// An optimistic result may be challenged.
	Challengeable,
	/// The round's deadline passed: `advance` concludes it.
	RoundOver,
	/// The challenge window closed: `advance` settles the job.
	Final,
}

/// One worker of a job's current round and what it did.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Assignment<AccountId, Balance> {
	/// The worker, drawn by the chain.
	pub worker: AccountId,
	/// The stake it was drawn with (its own and its delegators' bonded stake): the most a
	/// slash for this round may be a fraction of.
	pub backing: Balance,
	/// Its commitment, once committed.
	pub commitment: Option<Commitment>,
	/// Its attested result, once revealed.
	pub receipt: Option<AttestationReceipt<AccountId>>,
}

impl<AccountId, Balance> Assignment<AccountId, Balance> {
	/// A fresh assignment of `worker`, drawn with `backing`.
	pub fn new(worker: AccountId, backing: Balance) -> Self {
		Assignment { worker, backing, commitment: None, receipt: None }
	}

	/// The output hash it revealed, if any.
	pub fn output_hash(&self) -> Option<OutputHash> {
		self.receipt.as_ref().map(|receipt| receipt.output_hash)
	}
}

/// The shares of a job's work fee, fixed when it was submitted: neither a governance change
/// of the protocol parameters nor the model owner raising its royalty can change the split
/// of a job the workers already took.
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
pub struct FeeShares {
	/// The share paid to the model's training datasets.
	pub data: Perbill,
	/// The share paid to the treasury.
	pub treasury: Perbill,
	/// The model owner's royalty (capped by what the other shares leave).
	pub royalty: Perbill,
}

/// A challenge of an optimistic result, while the re-execution runs.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Challenge<T: Config> {
	/// The worker that challenged.
	pub challenger: T::AccountId,
	/// The bond held from the challenger; it pays the re-execution if the challenger was
	/// wrong, and comes back whole if it was right.
	pub bond: BalanceOf<T>,
	/// The challenger's stake when it challenged (the most its slash may be a fraction of).
	pub challenger_backing: BalanceOf<T>,
	/// The challenged result, with the original worker.
	pub original: AttestationReceipt<T::AccountId>,
	/// The stake the original worker was drawn with.
	pub original_backing: BalanceOf<T>,
	/// The last block an undecided re-execution (no workers, or no majority) is queued
	/// again in; after it the original result stands.
	pub retry_until: BlockNumberFor<T>,
}

/// An open (unsettled) job.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Job<T: Config> {
	/// The account that submitted and pays for the job.
	pub submitter: T::AccountId,
	/// The model to run.
	pub model: ModelId,
	/// The blake2-256 hash of the model's artifact when the job was submitted.
	pub model_hash: ArtifactHash,
	/// The blake2-256 hash of the input.
	pub input_hash: InputHash,
	/// Whether the input is given by reference (a URI): then whether a worker could fetch it
	/// is up to whoever serves the URI, and the verdict does not slash for it.
	pub input_by_reference: bool,
	/// How the result is verified.
	pub verification: Verification,
	/// The model's price per replica when the job was submitted.
	pub price: BalanceOf<T>,
	/// The protocol fee when the job was submitted.
	pub protocol_fee: BalanceOf<T>,
	/// How the work fee is split, as it was when the job was submitted.
	pub shares: FeeShares,
	/// The whole fee held in escrow: `price * replicas + protocol_fee`.
	pub fee: BalanceOf<T>,
	/// The storage deposit held until the result is pruned.
	pub deposit: BalanceOf<T>,
	/// The block the job was submitted in.
	pub submitted_at: BlockNumberFor<T>,
	/// The last block the first round may reveal in.
	pub deadline: BlockNumberFor<T>,
	/// Its phase as of its last change.
	pub phase: JobPhase<BlockNumberFor<T>>,
	/// The workers of the current round (empty while queued).
	pub assignees: AssigneesOf<T>,
	/// The challenge, once the optimistic result was challenged; the current round is then
	/// the re-execution.
	pub challenge: Option<Challenge<T>>,
}

impl<T: Config> Job<T> {
	/// Whether the current round re-executes a challenged result.
	pub fn is_reexecution(&self) -> bool {
		self.challenge.is_some()
	}

	/// How many workers the current round draws.
	pub fn round_replicas(&self) -> u8 {
		if self.is_reexecution() {
			T::ChallengeReplicas::get().saturated_into::<u8>()
		} else {
			self.verification.replicas()
		}
	}

	/// How many identical output hashes the current round needs.
	pub fn round_threshold(&self) -> u8 {
		if self.is_reexecution() {
			majority(self.round_replicas())
		} else {
			self.verification.threshold()
		}
	}

	/// The part of the fee that pays for the work (`price * replicas`).
	pub fn work_fee(&self) -> BalanceOf<T> {
		self.fee.saturating_sub(self.protocol_fee)
	}

	/// The position of `worker` among the current round's assignees.
	pub fn assignee_index(&self, worker: &T::AccountId) -> Option<usize> {
		self.assignees.iter().position(|assignment| &assignment.worker == worker)
	}

	/// Whether every assignee committed.
	pub fn all_committed(&self) -> bool {
		self.assignees.iter().all(|assignment| assignment.commitment.is_some())
	}

	/// Whether any assignee committed.
	pub fn any_committed(&self) -> bool {
		self.assignees.iter().any(|assignment| assignment.commitment.is_some())
	}

	/// Whether every assignee that committed also revealed.
	pub fn all_committed_revealed(&self) -> bool {
		self.assignees
			.iter()
			.all(|assignment| assignment.commitment.is_none() || assignment.receipt.is_some())
	}

	/// What the job is doing at block `now`.
	pub fn stage(&self, now: BlockNumberFor<T>) -> Stage {
		match self.phase {
			JobPhase::Queued { .. } => Stage::Queued,
			JobPhase::Commit { commit_until, reveal_until } => {
				if now <= commit_until {
					Stage::Commit
				} else if self.any_committed() && now <= reveal_until {
					Stage::Reveal
				} else {
					Stage::RoundOver
				}
			},
			JobPhase::Reveal { reveal_until } => {
				if now <= reveal_until {
					Stage::Reveal
				} else {
					Stage::RoundOver
				}
			},
			JobPhase::Challengeable { until } => {
				if now <= until {
					Stage::Challengeable
				} else {
					Stage::Final
				}
			},
		}
	}

	/// The accounts that must stay in the pending-jobs index while the job is open: the
	/// current assignees, and for a challenged job the original worker and the challenger.
	pub fn involved(&self) -> Vec<T::AccountId> {
		let mut accounts: Vec<T::AccountId> =
			self.assignees.iter().map(|assignment| assignment.worker.clone()).collect();
		if let Some(challenge) = &self.challenge {
			accounts.push(challenge.original.worker.clone());
			accounts.push(challenge.challenger.clone());
		}
		accounts
	}
}

/// The governance parameters of the protocol.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(crate = "polkadot_sdk::frame_support::__private::serde")]
pub struct ProtocolParams<Balance, BlockNumber> {
	/// The flat fee every job pays to the treasury on top of the model price.
	pub protocol_fee: Balance,
	/// The share of the work fee paid to the datasets the model was trained on.
	pub data_share: Perbill,
	/// The share of the work fee paid to the treasury.
	pub treasury_share: Perbill,
	/// The least time workers get to run a job and commit, in blocks.
	pub commit_period: BlockNumber,
	/// The time workers get to reveal once every assignee committed, in blocks.
	pub reveal_period: BlockNumber,
	/// How long an optimistic result may be challenged, in blocks.
	pub challenge_period: BlockNumber,
	/// The share of its stake a worker loses for revealing a result that lost the quorum.
	pub wrong_result_slash: Perbill,
	/// The share of its stake a worker loses for staying silent (at most
	/// `wrong_result_slash`).
	pub timeout_slash: Perbill,
	/// The share of its stake the loser of a challenge loses.
	pub challenge_slash: Perbill,
	/// The share of the loser's own-stake penalty paid to the winner of a challenge (the
	/// challenger, or the challenged worker); the rest, and all delegated stake, goes to the
	/// treasury.
	pub challenge_reward: Perbill,
}

impl<Balance: Copy, BlockNumber: Copy + Saturating + From<u32> + PartialOrd>
	ProtocolParams<Balance, BlockNumber>
{
	/// The fewest blocks between a submission and its deadline: the assignment delay, the
	/// commit period and the reveal period.
	pub fn min_job_duration(&self, assignment_delay: BlockNumber) -> BlockNumber {
		assignment_delay.saturating_add(self.commit_period).saturating_add(self.reveal_period)
	}
}

/// Why a job failed; the submitter got its fee back, less the slots of workers that
/// revealed an output (see the pallet docs).
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
pub enum FailureReason {
	/// Too few eligible workers were left when the job was drawn.
	NoWorkers,
	/// The job waited in the queue until it could no longer meet its deadline.
	Expired,
	/// No output hash reached the quorum's threshold; every worker that revealed was paid
	/// its slot (the outputs are public), nobody was slashed for it.
	NoQuorum,
	/// No worker revealed a result.
	NoResult,
}

/// How a job ended.
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
pub enum JobOutcome {
	/// A result was established.
	Completed {
		/// The hash of the winning canonical output.
		output_hash: OutputHash,
		/// Whether a challenge overturned the first (optimistic) result.
		overturned: bool,
	},
	/// No result; the fee was refunded (less the slots of workers that revealed).
	Failed(FailureReason),
	/// The quorum agreed that the input cannot be answered
	/// ([`deai_primitives::inference::UNANSWERABLE_OUTPUT`]); the workers were paid as for
	/// a completed job.
	Unanswerable,
}

/// The record a settled job leaves, queryable until it is pruned.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct JobResult<T: Config> {
	/// The account that submitted the job; it gets the deposit back.
	pub submitter: T::AccountId,
	/// The model.
	pub model: ModelId,
	/// The hash of the model's artifact the workers attested.
	pub model_hash: ArtifactHash,
	/// The hash of the input.
	pub input_hash: InputHash,
	/// How the result was verified.
	pub verification: Verification,
	/// How the job ended.
	pub outcome: JobOutcome,
	/// The winning output (inline or by reference), when there is one.
	pub output: Option<OutputOf<T>>,
	/// Further URIs of a winning reference output: every other URI that a worker revealing
	/// the same output hash gave, in reveal order. The bytes stay available while any one
	/// URI serves them, so the first revealer's URI (dead or not) is not the only copy.
	pub mirrors: MirrorsOf<T>,
	/// Every attested result revealed for the job (both rounds of a challenged job).
	pub receipts: ReceiptsOf<T>,
	/// The block the job settled in.
	pub settled_at: BlockNumberFor<T>,
	/// The deposit held from the submitter until the record is pruned.
	pub deposit: BalanceOf<T>,
}

/// How the fee of a completed job was spent. Every unit of the escrow is in exactly one
/// field.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, DecodeWithMemTracking, TypeInfo,
)]
pub struct FeeSplit<Balance> {
	/// Paid to the winning workers (through staking, shared with their delegators).
	pub workers: Balance,
	/// Paid to the model owner.
	pub owner: Balance,
	/// Credited to the model's training datasets.
	pub data: Balance,
	/// Paid to the treasury (its share and the protocol fee).
	pub treasury: Balance,
	/// Given back to the submitter (unused replicas, rounding, parts nobody could take).
	pub refunded: Balance,
}

/// What a worker has to do next for a job (runtime API).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub enum WorkerDuty {
	/// Run the job and commit.
	Commit,
	/// Wait for the other assignees' commitments.
	AwaitReveal,
	/// Reveal the committed result.
	Reveal,
	/// Nothing more: the result is revealed, or the worker is the original worker or the
	/// challenger of a re-execution.
	Done,
}

/// One job assigned to a worker (runtime API), so that a worker can resume after a restart.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct WorkerJob<BlockNumber> {
	/// The job.
	pub job: JobId,
	/// Its model.
	pub model: ModelId,
	/// Its stored phase.
	pub phase: JobPhase<BlockNumber>,
	/// What the job is doing now, deadlines taken into account.
	pub stage: Stage,
	/// What the worker has to do.
	pub duty: WorkerDuty,
	/// Whether the current round re-executes a challenged result.
	pub reexecution: bool,
}

/// A job's status and, once settled, its result (runtime API).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub enum JobStatus<AccountId, Balance, BlockNumber> {
	/// The job is open.
	Open {
		/// The submitter.
		submitter: AccountId,
		/// The model.
		model: ModelId,
		/// How the result is verified.
		verification: Verification,
		/// The fee held in escrow.
		fee: Balance,
		/// The first round's deadline.
		deadline: BlockNumber,
		/// Its stored phase.
		phase: JobPhase<BlockNumber>,
		/// What it is doing now.
		stage: Stage,
		/// The workers of the current round.
		workers: Vec<AccountId>,
		/// Whether the current round re-executes a challenged result.
		reexecution: bool,
	},
	/// The job settled.
	Settled {
		/// The submitter.
		submitter: AccountId,
		/// The model.
		model: ModelId,
		/// How it ended.
		outcome: JobOutcome,
		/// The winning output's bytes, when inline.
		output: Option<Vec<u8>>,
		/// The winning output's URI, when given by reference.
		output_uri: Option<Vec<u8>>,
		/// Further URIs of the same output bytes ([`JobResult::mirrors`]).
		mirrors: Vec<Vec<u8>>,
		/// The block it settled in.
		settled_at: BlockNumber,
	},
}

/// Everything a third party needs to check a job's attestations off chain (runtime API):
/// rebuild each [`deai_primitives::inference::AttestedResult`] from the chain's genesis hash,
/// the job's id, model hash, input hash and the receipt, then verify the signature against
/// the receipt's key.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct JobReceipts<AccountId> {
	/// The chain's genesis hash (every attested result names it).
	pub genesis_hash: deai_primitives::inference::GenesisHash,
	/// The job.
	pub job_id: JobId,
	/// The hash of the model's artifact.
	pub model_hash: ArtifactHash,
	/// The hash of the input.
	pub input_hash: InputHash,
	/// The attested results revealed so far (all of them once settled).
	pub receipts: Vec<AttestationReceipt<AccountId>>,
}
