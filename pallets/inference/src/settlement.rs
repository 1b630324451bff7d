//! Settlement: where the money of a finished job goes, and the record it leaves.
//!
//! A completed job's escrow moves, on hold, to the pallet account (which keeps its
//! existential deposit aside, so payouts never reap it) and is split there:
//!
//! - `work = fee - protocol_fee = price * replicas`;
//! - data: `data_share * work`, credited to the model's training datasets through
//!   [`DataRoyalty::pay_royalty`] (what it does not credit is refunded);
//! - treasury: `treasury_share * work + protocol_fee`;
//! - owner: the model's royalty `* work`, at most what data and treasury leave;
//! - workers: the rest, in `replicas` equal slots; each paid worker gets one slot through
//!   [`WorkerStaking::reward`];
//! - refund: everything else (slots of losers and silent workers, rounding, any payment that
//!   failed) goes back to the submitter.
//!
//! A job whose quorum agreed that its input cannot be answered is settled the same way (the
//! submitter sent it and the workers did their part), recorded as [`JobOutcome::Unanswerable`].
//!
//! A failed job pays every worker that revealed an output one slot (`work / replicas`): the
//! revealed outputs are public, so a round that fails must not hand them to the submitter for
//! free. The rest of the escrow is released to the submitter.
//!
//! ## One pipeline, charged for what it did
//!
//! Everything settlement needs is fixed when the job is submitted (price, fee, shares and
//! royalty in [`Job::shares`], the backing of each assignee when it was drawn), so a round's
//! conclusion reads no live rate. It runs straight through: verdict
//! ([`Pallet::tally`]), slashes of the losers, then one of completion, failure, the
//! challenge window or the challenge's resolution. Each step counts what it does in other
//! pallets in a [`SettlementCost`] (a reward, a slash, the royalty over the lineage it
//! actually paid); the call or hook that concluded the round is charged its own benchmarked
//! weight plus that cost, and the rest of the worst case it declared
//! ([`Pallet::resolution_weight`]) is refunded to the block.

use crate::*;
use deai_primitives::inference::unanswerable_hash;
use polkadot_sdk::{
	frame_support::traits::tokens::{Fortitude, Precision, Preservation, Restriction},
	sp_runtime::{
		traits::{CheckedDiv, Zero},
		DispatchError, DispatchResult, SaturatedConversion,
	},
};

/// What concluding a round did in other pallets, counted as it happened: each reward paid
/// through staking, each slash, and the data royalty with the number of datasets it was
/// paid over. Never more than [`Pallet::resolution_weight`] allows for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SettlementCost {
	/// Rewards paid through [`WorkerStaking::reward`].
	pub rewards: u32,
	/// Slashes made through [`WorkerStaking::slash`].
	pub slashes: u32,
	/// The lineage length a data royalty was paid over, if one was paid.
	pub royalty_datasets: Option<u32>,
}

impl SettlementCost {
	/// The weight of what was counted.
	pub fn weight<T: Config>(&self) -> Weight {
		let royalty =
			self.royalty_datasets.map(T::DataRoyalty::pay_royalty_weight).unwrap_or_default();
		T::Staking::reward_weight()
			.saturating_mul(u64::from(self.rewards))
			.saturating_add(T::Staking::slash_weight().saturating_mul(u64::from(self.slashes)))
			.saturating_add(royalty)
	}
}

impl<T: Config> Pallet<T> {
	/// The escrow account: settled fees pass through it. It holds the existential deposit
	/// from genesis on.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Settles `job_id` as completed with `output_hash`, paying `workers` one replica slot
	/// each, and leaves its result record.
	pub(crate) fn complete(
		job_id: JobId,
		job: Job<T>,
		output_hash: deai_primitives::inference::OutputHash,
		workers: Vec<T::AccountId>,
		overturned: bool,
		cost: &mut SettlementCost,
	) -> DispatchResult {
		let split = Self::split_fee(job_id, &job, &workers, cost)?;
		if output_hash == unanswerable_hash() {
			Self::close(job_id, job, JobOutcome::Unanswerable, None, MirrorsOf::<T>::default());
			Self::deposit_event(Event::JobUnanswerable { job: job_id, workers, split });
			return Ok(());
		}
		let output = Outputs::<T>::get(job_id, output_hash);
		let mirrors = OutputMirrors::<T>::get(job_id, output_hash);
		let outcome = JobOutcome::Completed { output_hash, overturned };
		Self::close(job_id, job, outcome, output, mirrors);
		Self::deposit_event(Event::JobCompleted {
			job: job_id,
			output_hash,
			workers,
			overturned,
			split,
		});
		Ok(())
	}

	/// Settles `job_id` as failed: every worker of the round that revealed an output is paid
	/// one slot (`work / replicas`), the rest of the fee goes back to the submitter.
	pub(crate) fn fail(
		job_id: JobId,
		mut job: Job<T>,
		reason: FailureReason,
		cost: &mut SettlementCost,
	) -> DispatchResult {
		// A job that never left the queue paid for nothing but its queue slot.
		let queue_fee = if matches!(job.phase, JobPhase::Queued { .. }) {
			Self::charge_queue_fee(&mut job)?
		} else {
			BalanceOf::<T>::zero()
		};
		let revealers: Vec<T::AccountId> = job
			.assignees
			.iter()
			.filter(|assignment| assignment.receipt.is_some())
			.map(|assignment| assignment.worker.clone())
			.collect();
		let slots = BalanceOf::<T>::from(u32::from(job.verification.replicas()));
		let slot = job.work_fee().checked_div(&slots).unwrap_or_default();
		let (refunded, paid) = if revealers.is_empty() || slot.is_zero() {
			let refunded = T::Currency::release(
				&HoldReason::JobEscrow.into(),
				&job.submitter,
				job.fee,
				Precision::Exact,
			)?;
			(refunded, BalanceOf::<T>::zero())
		} else {
			let pallet = Self::account_id();
			Self::take_held(&HoldReason::JobEscrow.into(), &job.submitter, job.fee)?;
			let mut paid = BalanceOf::<T>::zero();
			for worker in revealers.iter() {
				paid = paid.saturating_add(Self::reward(&pallet, worker, slot, job_id, cost));
			}
			let refunded = job.fee.saturating_sub(paid);
			Self::pay_out(&job.submitter, refunded);
			(refunded, paid)
		};
		Self::close(job_id, job, JobOutcome::Failed(reason), None, MirrorsOf::<T>::default());
		Self::deposit_event(Event::JobFailed { job: job_id, reason, refunded, paid, queue_fee });
		Ok(())
	}

	/// Replaces the open job by its result record.
	fn close(
		job_id: JobId,
		job: Job<T>,
		outcome: JobOutcome,
		output: Option<OutputOf<T>>,
		mirrors: MirrorsOf<T>,
	) {
		let receipts = BoundedVec::truncate_from(Self::receipts_of(&job));
		Self::remove_open_job(job_id, &job);
		Results::<T>::insert(
			job_id,
			JobResult {
				submitter: job.submitter,
				model: job.model,
				model_hash: job.model_hash,
				input_hash: job.input_hash,
				verification: job.verification,
				outcome,
				output,
				mirrors,
				receipts,
				settled_at: frame_system::Pallet::<T>::block_number(),
				deposit: job.deposit,
			},
		);
	}

	/// Moves the escrow of a completed job to the pallet account and splits it.
	fn split_fee(
		job_id: JobId,
		job: &Job<T>,
		workers: &[T::AccountId],
		cost: &mut SettlementCost,
	) -> Result<FeeSplit<BalanceOf<T>>, DispatchError> {
		let pallet = Self::account_id();
		Self::take_held(&HoldReason::JobEscrow.into(), &job.submitter, job.fee)?;
		let work = job.work_fee();
		let data = job.shares.data.mul_floor(work);
		let treasury = job.shares.treasury.mul_floor(work);
		let after_shares = work.saturating_sub(data).saturating_sub(treasury);
		let owner = job.shares.royalty.mul_floor(work).min(after_shares);
		let slots = BalanceOf::<T>::from(u32::from(job.verification.replicas()));
		let slot = after_shares.saturating_sub(owner).checked_div(&slots).unwrap_or_default();

		let mut split = FeeSplit::<BalanceOf<T>>::default();
		if !slot.is_zero() {
			for worker in workers {
				split.workers =
					split.workers.saturating_add(Self::reward(&pallet, worker, slot, job_id, cost));
			}
		}
		if let Some(owner_account) = T::Models::owner(job.model) {
			if Self::transfer_out(&owner_account, owner) {
				split.owner = owner;
			}
		}
		if !data.is_zero() {
			let lineage = T::Models::training_datasets(job.model);
			cost.royalty_datasets = Some(lineage.len().saturated_into());
			match T::DataRoyalty::pay_royalty(&pallet, &lineage, data) {
				Ok(credited) => split.data = credited.min(data),
				Err(error) => log::warn!(
					target: LOG_TARGET,
					"data royalty of job {job_id} not paid: {error:?}"
				),
			}
		}
		let treasury = treasury.saturating_add(job.protocol_fee);
		if Self::transfer_out(&T::TreasuryAccount::get(), treasury) {
			split.treasury = treasury;
		}
		split.refunded = job
			.fee
			.saturating_sub(split.workers)
			.saturating_sub(split.owner)
			.saturating_sub(split.data)
			.saturating_sub(split.treasury);
		Self::pay_out(&job.submitter, split.refunded);
		Ok(split)
	}

	/// Moves `amount` held from `who` for `reason` to the pallet account. Forced, which is
	/// safe because no freeze needs these funds: they were held with
	/// [`Pallet::hold`](crate::Pallet::hold), which refuses funds a vote lock needs, and
	/// governance freezes only free funds, so no vote can lock them later.
	pub(crate) fn take_held(
		reason: &T::RuntimeHoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::transfer_on_hold(
			reason,
			who,
			&Self::account_id(),
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)?;
		Ok(())
	}

	/// Rewards `worker` with `amount` from the pallet account through staking; returns what
	/// was paid (nothing if staking refused, which leaves the amount for the refund).
	pub(crate) fn reward(
		pallet: &T::AccountId,
		worker: &T::AccountId,
		amount: BalanceOf<T>,
		job_id: JobId,
		cost: &mut SettlementCost,
	) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		cost.rewards = cost.rewards.saturating_add(1);
		match T::Staking::reward(pallet, worker, amount, job_id) {
			Ok(paid) => paid.min(amount),
			Err(error) => {
				log::warn!(
					target: LOG_TARGET,
					"reward of {amount:?} for job {job_id} not paid: {error:?}"
				);
				BalanceOf::<T>::default()
			},
		}
	}

	/// Transfers `amount` from the pallet account to `to`, keeping the pallet account alive;
	/// returns whether it moved (zero moves trivially).
	fn transfer_out(to: &T::AccountId, amount: BalanceOf<T>) -> bool {
		amount.is_zero()
			|| T::Currency::transfer(&Self::account_id(), to, amount, Preservation::Preserve)
				.is_ok()
	}

	/// Pays `amount` from the pallet account to `to`; a failure (which the accounting rules
	/// out) is logged and leaves the amount in the pallet account.
	pub(crate) fn pay_out(to: &T::AccountId, amount: BalanceOf<T>) {
		if !Self::transfer_out(to, amount) {
			log::error!(target: LOG_TARGET, "payout of {amount:?} failed");
		}
	}
}
