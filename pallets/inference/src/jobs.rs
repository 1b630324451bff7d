//! A job's money and records outside its rounds: submitting a job (`submit_job`), cancelling
//! it while it is queued (`cancel_job`) and pruning its result record (`prune_result`); the
//! escrow and deposit holds, the queue fee of a job that leaves the queue undrawn, the price
//! quote, the longest a job can live ([`MaxJobLifetime`]), and removing an open job with
//! everything that refers to it. Also what other pallets ask about open jobs
//! ([`ModelUsage`], [`PendingJobs`]).

use crate::*;
use deai_primitives::{
	funds::{hold_unfrozen, HoldError},
	inference::{JobId, Verification},
	model::{ModelId, ModelInspect, ModelUsage},
	staking::PendingJobs,
};
use polkadot_sdk::{
	frame_support::{
		self,
		dispatch::DispatchResultWithPostInfo,
		ensure,
		traits::{fungible::MutateHold, tokens::Precision, Get},
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::{
		traits::{CheckedAdd, EnsureAdd, EnsureMul, Saturating, Zero},
		DispatchResult, SaturatedConversion,
	},
};

/// The most blocks between a job's submission and its settlement, whatever governance sets
/// within its bounds: the longest deadline, then a full challenge window, the wait of the
/// re-execution in the queue (`AssignmentDelay` plus one block per `MaxAssignmentsPerBlock`
/// queued jobs) and its commit and reveal periods. Concluding a passed deadline needs an
/// `advance` call, which may come later. The runtime gives this (plus a margin) to compute
/// staking as the shortest unbonding period, so that nobody escapes a slash.
pub struct MaxJobLifetime<T>(core::marker::PhantomData<T>);
impl<T: Config> Get<BlockNumberFor<T>> for MaxJobLifetime<T> {
	fn get() -> BlockNumberFor<T> {
		let queue_wait = T::MaxQueuedJobs::get()
			.div_ceil(T::MaxAssignmentsPerBlock::get().max(1))
			.saturating_add(1);
		// The first round, the challenge window, the retry window of an undecided
		// re-execution and its last commit and reveal periods; two queue waits (the first
		// draw of the re-execution and its last retry).
		T::MaxJobDuration::get()
			.saturating_add(T::MaxPhasePeriod::get().saturating_mul(4u32.into()))
			.saturating_add(T::AssignmentDelay::get().saturating_mul(2u32.into()))
			.saturating_add(queue_wait.saturating_mul(2).into())
	}
}

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::submit_job`]: checks the request (model, verification, input,
	/// enough workers, fee and deadline, in that order), holds the fee and the deposit from
	/// `submitter` and queues the job.
	pub(crate) fn do_submit_job(
		submitter: T::AccountId,
		model: ModelId,
		input: InputOf<T>,
		verification: Verification,
		max_fee: BalanceOf<T>,
		deadline: BlockNumberFor<T>,
	) -> DispatchResult {
		let info = T::Models::model_info(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(info.is_active(), Error::<T>::ModelNotActive);
		ensure!(verification.is_valid(T::MaxReplicas::get()), Error::<T>::InvalidVerification);
		ensure!(input.is_valid(), Error::<T>::InvalidPayload);
		if let Payload::Inline(bytes) = &input {
			ensure!(
				bytes.len().saturated_into::<u32>() <= info.input_spec.max_len,
				Error::<T>::InputTooLarge
			);
			ensure!(info.input_spec.accepts(bytes), Error::<T>::InputNotAccepted);
		}
		// A single worker's "I could not fetch it" cannot be challenged fairly: the URI's
		// server could serve the worker nothing and the re-executors the bytes.
		ensure!(
			verification != Verification::Optimistic || matches!(input, Payload::Inline(_)),
			Error::<T>::OptimisticNeedsInlineInput
		);
		let replicas = verification.replicas();
		// An optimistic result must be challengeable: the original worker, a challenger
		// and a full re-execution quorum besides them.
		let needed = match verification {
			Verification::Optimistic => T::ChallengeReplicas::get().saturating_add(2),
			Verification::Quorum { .. } => u32::from(replicas),
		};
		ensure!(T::Staking::eligible_count(model) >= needed, Error::<T>::NotEnoughWorkers);
		if verification == Verification::Optimistic {
			let reexecution = info
				.price
				.saturating_mul(BalanceOf::<T>::from(T::ChallengeReplicas::get()))
				.saturating_mul(BalanceOf::<T>::from(2u32));
			ensure!(reexecution <= T::Staking::min_bond(), Error::<T>::OptimisticPriceTooHigh);
		}
		let params = Params::<T>::get();
		let fee = info
			.price
			.ensure_mul(BalanceOf::<T>::from(u32::from(replicas)))?
			.ensure_add(params.protocol_fee)?;
		ensure!(fee <= max_fee, Error::<T>::FeeAboveMax);
		let now = frame_system::Pallet::<T>::block_number();
		let earliest = now.saturating_add(params.min_job_duration(T::AssignmentDelay::get()));
		let latest = now.saturating_add(T::MaxJobDuration::get());
		ensure!(earliest <= deadline && deadline <= latest, Error::<T>::DeadlineOutOfRange);

		let queued = QueuedJobsOf::<T>::get(&submitter);
		ensure!(queued < T::MaxQueuedPerAccount::get(), Error::<T>::TooManyQueuedJobs);
		let job_id = NextJobId::<T>::get();
		let next_id = job_id.ensure_add(1)?;
		AssignmentQueue::<T>::try_append(job_id).map_err(|_| Error::<T>::QueueFull)?;
		QueuedJobsOf::<T>::insert(&submitter, queued.saturating_add(1));
		let deposit = Self::job_deposit(&input);
		Self::hold(&HoldReason::JobEscrow.into(), &submitter, fee)?;
		Self::hold(&HoldReason::JobDeposit.into(), &submitter, deposit)?;

		let job = Job::<T> {
			submitter: submitter.clone(),
			model,
			model_hash: info.artifact_hash,
			input_hash: input.hash(),
			input_by_reference: matches!(input, Payload::Reference { .. }),
			verification,
			price: info.price,
			protocol_fee: params.protocol_fee,
			shares: FeeShares {
				data: params.data_share,
				treasury: params.treasury_share,
				royalty: info.royalty,
			},
			fee,
			deposit,
			submitted_at: now,
			deadline,
			phase: JobPhase::Queued { since: now },
			assignees: Default::default(),
			challenge: None,
		};
		NextJobId::<T>::put(next_id);
		Jobs::<T>::insert(job_id, job);
		Inputs::<T>::insert(job_id, input);
		ModelJobs::<T>::mutate(model, |count| *count = count.saturating_add(1));
		Self::deposit_event(Event::JobSubmitted {
			job: job_id,
			submitter,
			model,
			verification,
			fee,
			deadline,
		});
		Ok(())
	}

	/// The body of [`Pallet::cancel_job`]: releases the fee and the deposit (less the queue
	/// fee) of a job `who` submitted that is still queued, and removes it.
	pub(crate) fn do_cancel_job(who: T::AccountId, job: JobId) -> DispatchResultWithPostInfo {
		let record = Jobs::<T>::get(job).ok_or(Error::<T>::UnknownJob)?;
		ensure!(record.submitter == who, Error::<T>::NotSubmitter);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			!record.is_reexecution() && record.stage(now) == Stage::Queued,
			Error::<T>::CannotCancel
		);
		let fee = T::Currency::release(
			&HoldReason::JobEscrow.into(),
			&who,
			record.fee,
			Precision::Exact,
		)?;
		let mut record = record;
		let queue_fee = Self::charge_queue_fee(&mut record)?;
		let deposit = T::Currency::release(
			&HoldReason::JobDeposit.into(),
			&who,
			record.deposit,
			Precision::Exact,
		)?;
		AssignmentQueue::<T>::mutate(|queue| queue.retain(|queued| *queued != job));
		Self::leave_queue(&record);
		let replicas = record.assignees.len().saturated_into::<u32>();
		Self::remove_open_job(job, &record);
		Self::deposit_event(Event::JobCancelled {
			job,
			refunded: fee.saturating_add(deposit),
			queue_fee,
		});
		Ok(Some(T::WeightInfo::cancel_job(replicas)).into())
	}

	/// The body of [`Pallet::prune_result`]: removes the result record of `job` once its
	/// retention period is over and returns its deposit to the submitter.
	pub(crate) fn do_prune_result(job: JobId) -> DispatchResult {
		let record = Results::<T>::get(job).ok_or(Error::<T>::UnknownResult)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			now >= record.settled_at.saturating_add(T::ResultRetention::get()),
			Error::<T>::ResultRetained
		);
		let deposit = T::Currency::release(
			&HoldReason::JobDeposit.into(),
			&record.submitter,
			record.deposit,
			Precision::Exact,
		)?;
		Results::<T>::remove(job);
		Self::deposit_event(Event::ResultPruned { job, submitter: record.submitter, deposit });
		Ok(())
	}

	/// Holds `amount` from `who` for `reason` with funds no vote lock needs (see
	/// [`deai_primitives::funds`]).
	pub(crate) fn hold(
		reason: &T::RuntimeHoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<(), Error<T>> {
		hold_unfrozen::<T::AccountId, T::Currency>(reason, who, amount).map_err(|error| match error
		{
			HoldError::Insufficient => Error::<T>::InsufficientBalance,
			HoldError::Frozen => Error::<T>::FundsFrozen,
		})
	}

	/// Counts a job out of its submitter's queued jobs (when it is drawn, ends before its
	/// draw or is cancelled); re-executions were never counted.
	pub(crate) fn leave_queue(job: &Job<T>) {
		if !job.is_reexecution() {
			QueuedJobsOf::<T>::mutate_exists(&job.submitter, |count| {
				*count = count.map(|n| n.saturating_sub(1)).filter(|n| *n > 0)
			});
		}
	}

	/// Moves the queue fee ([`Config::QueueFee`], at most the deposit) of a job that leaves
	/// the queue undrawn from its deposit to the treasury, lowering `job.deposit`; returns it.
	pub(crate) fn charge_queue_fee(
		job: &mut Job<T>,
	) -> Result<BalanceOf<T>, polkadot_sdk::sp_runtime::DispatchError> {
		let fee = T::QueueFee::get().min(job.deposit);
		if fee.is_zero() {
			return Ok(fee);
		}
		T::Currency::transfer_on_hold(
			&HoldReason::JobDeposit.into(),
			&job.submitter,
			&T::TreasuryAccount::get(),
			fee,
			frame_support::traits::tokens::Precision::Exact,
			frame_support::traits::tokens::Restriction::Free,
			frame_support::traits::tokens::Fortitude::Force,
		)?;
		job.deposit = job.deposit.saturating_sub(fee);
		Ok(fee)
	}

	/// The storage deposit of a job with `input`: [`Config::JobDepositBase`] plus
	/// [`Config::JobDepositPerByte`] for every byte the input carries on chain.
	pub fn job_deposit(input: &InputOf<T>) -> BalanceOf<T> {
		T::JobDepositPerByte::get()
			.saturating_mul(BalanceOf::<T>::from(input.len()))
			.saturating_add(T::JobDepositBase::get())
	}

	/// The fee of a job on `model` verified as `verification` at the current parameters, or
	/// `None` if the model does not exist (for the runtime API).
	pub fn quote(model: ModelId, verification: Verification) -> Option<BalanceOf<T>> {
		let price = T::Models::price(model)?;
		price
			.saturating_mul(BalanceOf::<T>::from(u32::from(verification.replicas())))
			.checked_add(&Params::<T>::get().protocol_fee)
	}

	/// Forgets a revealed output of open job `job_id` and its mirrors.
	pub(crate) fn forget_output(job_id: JobId, hash: deai_primitives::inference::OutputHash) {
		Outputs::<T>::remove(job_id, hash);
		OutputMirrors::<T>::remove(job_id, hash);
	}

	/// Removes an open job and everything that refers to it (input, revealed outputs,
	/// worker index entries, model counter). Funds are the caller's business.
	pub(crate) fn remove_open_job(job_id: JobId, job: &Job<T>) {
		Inputs::<T>::remove(job_id);
		for assignment in job.assignees.iter() {
			if let Some(hash) = assignment.output_hash() {
				Self::forget_output(job_id, hash);
			}
		}
		if let Some(challenge) = &job.challenge {
			Self::forget_output(job_id, challenge.original.output_hash);
		}
		for account in job.involved() {
			Self::unindex_job(&account, job_id);
		}
		ModelJobs::<T>::mutate_exists(job.model, |count| {
			let left = count.unwrap_or(0).saturating_sub(1);
			*count = if left == 0 { None } else { Some(left) };
		});
		Jobs::<T>::remove(job_id);
	}

	/// Removes `job_id` from the jobs `account` is involved in.
	pub(crate) fn unindex_job(account: &T::AccountId, job_id: JobId) {
		WorkerJobs::<T>::mutate_exists(account, |maybe_jobs| {
			if let Some(jobs) = maybe_jobs {
				jobs.retain(|job| *job != job_id);
				if jobs.is_empty() {
					*maybe_jobs = None;
				}
			}
		});
	}
}

impl<T: Config> ModelUsage for Pallet<T> {
	fn is_model_in_use(model: ModelId) -> bool {
		ModelJobs::<T>::get(model) > 0
	}
}

impl<T: Config> PendingJobs<T::AccountId> for Pallet<T> {
	fn has_pending_jobs(worker: &T::AccountId) -> bool {
		WorkerJobs::<T>::contains_key(worker)
	}
}
