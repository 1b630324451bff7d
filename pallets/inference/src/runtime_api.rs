//! The runtime API through which dapps (`api.call.inferenceApi.*` in polkadot-js), workers
//! and third-party verifiers read jobs without knowing the pallet's storage layout.
//!
//! The runtime implements it by calling the pallet's plain functions:
//!
//! ```ignore
//! impl pallet_inference::runtime_api::InferenceApi<Block, AccountId, Balance, BlockNumber>
//!     for Runtime
//! {
//!     fn job_status(job: JobId) -> Option<JobStatus<AccountId, Balance, BlockNumber>> {
//!         Inference::job_status(job)
//!     }
//!     fn job_input(job: JobId) -> Option<JobInput> {
//!         Inference::job_input(job)
//!     }
//!     fn job_receipts(job: JobId) -> Option<JobReceipts<AccountId>> {
//!         Inference::job_receipts(job)
//!     }
//!     fn worker_jobs(worker: AccountId) -> Vec<WorkerJob<BlockNumber>> {
//!         Inference::worker_jobs(worker)
//!     }
//!     fn quote(model: ModelId, verification: Verification) -> Option<Balance> {
//!         Inference::quote(model, verification)
//!     }
//! }
//! ```
//!
//! (with `use pallet_inference::{JobInput, JobReceipts, JobStatus, WorkerJob};` and
//! `use deai_primitives::{inference::{JobId, Verification}, model::ModelId};`).

use crate::{
	types::{JobReceipts, JobStatus, Payload, Stage, WorkerDuty, WorkerJob},
	Config, Inputs, Jobs, Pallet, Results, WorkerJobs,
};
use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use deai_primitives::{
	inference::{InputHash, JobId, Verification},
	model::{ArtifactHash, ModelId},
};
use polkadot_sdk::frame_system::{self, pallet_prelude::BlockNumberFor};
use scale_info::TypeInfo;

/// The input of an open job, for the workers that run it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct JobInput {
	/// The model to run.
	pub model: ModelId,
	/// The hash of the model's artifact the result must be attested for.
	pub model_hash: ArtifactHash,
	/// The input bytes, when inline.
	pub inline: Option<Vec<u8>>,
	/// Where to fetch the input, when given by reference.
	pub uri: Option<Vec<u8>>,
	/// The blake2-256 hash of the input bytes (checked by the worker for references).
	pub input_hash: InputHash,
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Reads inference jobs.
	pub trait InferenceApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The status of job `job`: open (phase, stage, workers) or settled (outcome and
		/// winning output), or `None` if it never existed or its record was pruned.
		fn job_status(job: JobId) -> Option<JobStatus<AccountId, Balance, BlockNumber>>;

		/// The input of open job `job`.
		fn job_input(job: JobId) -> Option<JobInput>;

		/// The attested receipts of job `job` (so far, while it is open), with what is needed
		/// to check their signatures off chain.
		fn job_receipts(job: JobId) -> Option<JobReceipts<AccountId>>;

		/// The open jobs `worker` is involved in, with their phase and what the worker has
		/// to do, so that a worker can resume after a restart.
		fn worker_jobs(worker: AccountId) -> Vec<WorkerJob<BlockNumber>>;

		/// The fee of a job on `model` verified as `verification`, at current prices.
		fn quote(model: ModelId, verification: Verification) -> Option<Balance>;
	}
}

impl<T: Config> Pallet<T> {
	/// The status of job `job` (for the runtime API).
	pub fn job_status(
		job: JobId,
	) -> Option<JobStatus<T::AccountId, crate::BalanceOf<T>, BlockNumberFor<T>>> {
		let now = frame_system::Pallet::<T>::block_number();
		if let Some(record) = Jobs::<T>::get(job) {
			let reexecution = record.is_reexecution();
			return Some(JobStatus::Open {
				stage: record.stage(now),
				workers: record.assignees.iter().map(|a| a.worker.clone()).collect(),
				submitter: record.submitter,
				model: record.model,
				verification: record.verification,
				fee: record.fee,
				deadline: record.deadline,
				phase: record.phase,
				reexecution,
			});
		}
		let result = Results::<T>::get(job)?;
		let (output, output_uri) = match result.output {
			Some(Payload::Inline(bytes)) => (Some(bytes.into_inner()), None),
			Some(Payload::Reference { uri, .. }) => (None, Some(uri.into_inner())),
			None => (None, None),
		};
		Some(JobStatus::Settled {
			submitter: result.submitter,
			model: result.model,
			outcome: result.outcome,
			output,
			output_uri,
			mirrors: result.mirrors.into_iter().map(|uri| uri.into_inner()).collect(),
			settled_at: result.settled_at,
		})
	}

	/// The input of open job `job` (for the runtime API).
	pub fn job_input(job: JobId) -> Option<JobInput> {
		let record = Jobs::<T>::get(job)?;
		let (inline, uri) = match Inputs::<T>::get(job)? {
			Payload::Inline(bytes) => (Some(bytes.into_inner()), None),
			Payload::Reference { uri, .. } => (None, Some(uri.into_inner())),
		};
		Some(JobInput {
			model: record.model,
			model_hash: record.model_hash,
			inline,
			uri,
			input_hash: record.input_hash,
		})
	}

	/// The attested receipts of job `job` (for the runtime API).
	pub fn job_receipts(job: JobId) -> Option<JobReceipts<T::AccountId>> {
		if let Some(record) = Jobs::<T>::get(job) {
			return Some(JobReceipts {
				genesis_hash: Self::genesis_hash(),
				job_id: job,
				model_hash: record.model_hash,
				input_hash: record.input_hash,
				receipts: Self::receipts_of(&record),
			});
		}
		let result = Results::<T>::get(job)?;
		Some(JobReceipts {
			genesis_hash: Self::genesis_hash(),
			job_id: job,
			model_hash: result.model_hash,
			input_hash: result.input_hash,
			receipts: result.receipts.into_inner(),
		})
	}

	/// The open jobs `worker` is involved in (for the runtime API).
	pub fn worker_jobs(worker: T::AccountId) -> Vec<WorkerJob<BlockNumberFor<T>>> {
		let now = frame_system::Pallet::<T>::block_number();
		WorkerJobs::<T>::get(&worker)
			.into_iter()
			.filter_map(|job| {
				let record = Jobs::<T>::get(job)?;
				let stage = record.stage(now);
				let assignment = record.assignees.iter().find(|a| a.worker == worker);
				let duty = match (assignment, stage) {
					(Some(a), Stage::Commit) if a.commitment.is_none() => WorkerDuty::Commit,
					(Some(a), Stage::Commit) if a.receipt.is_none() => WorkerDuty::AwaitReveal,
					(Some(a), Stage::Reveal) if a.commitment.is_some() && a.receipt.is_none() => {
						WorkerDuty::Reveal
					},
					_ => WorkerDuty::Done,
				};
				Some(WorkerJob {
					job,
					model: record.model,
					phase: record.phase,
					stage,
					duty,
					reexecution: record.is_reexecution(),
				})
			})
			.collect()
	}
}
