//! A job's money and records outside its rounds: the escrow and deposit holds, the queue
//! fee of a job that leaves the queue undrawn, the price quote, and removing an open job
//! with everything that refers to it. Also what other pallets ask about open jobs
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
		traits::{fungible::MutateHold, Get},
	},
	sp_runtime::traits::{CheckedAdd, Saturating, Zero},
};

impl<T: Config> Pallet<T> {
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
