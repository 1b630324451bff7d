//! Challenges of optimistic results: opening one (`challenge_result`: the challenger's bond,
//! the re-execution queued in its own queue) and resolving it once the re-execution decides,
//! or letting the original result stand when it never does. Whoever the re-execution proves
//! wrong pays for it (see the pallet docs, "Why honesty is each actor's best strategy").

use crate::*;
use deai_primitives::{inference::OutputHash, staking::SlashPayee};
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchResultWithPostInfo, Pays},
		ensure,
		traits::tokens::Precision,
	},
	sp_runtime::{DispatchError, DispatchResult, SaturatedConversion},
};

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::challenge_result`]: challenges the optimistic result of `job_id`
	/// for `challenger`, holding its bond and queueing a re-execution. Free when it succeeds.
	pub(crate) fn do_challenge_result(
		challenger: T::AccountId,
		job_id: JobId,
	) -> DispatchResultWithPostInfo {
		let now = frame_system::Pallet::<T>::block_number();
		let mut job = Jobs::<T>::get(job_id).ok_or(Error::<T>::UnknownJob)?;
		match job.stage(now) {
			Stage::Challengeable => {},
			Stage::Final => return Err(Error::<T>::ChallengePeriodOver.into()),
			_ => return Err(Error::<T>::NotChallengeable.into()),
		}
		ensure!(job.assignee_index(&challenger).is_none(), Error::<T>::ChallengerIsAssignee);
		ensure!(T::Staking::is_eligible(&challenger, job.model), Error::<T>::ChallengerNotEligible);
		let original = job
			.assignees
			.first()
			.and_then(|assignment| assignment.receipt.clone())
			.ok_or(Error::<T>::NotChallengeable)?;
		let original_backing =
			job.assignees.first().map(|assignment| assignment.backing).unwrap_or_default();
		let bond = job.price.saturating_mul(BalanceOf::<T>::from(T::ChallengeReplicas::get()));
		ChallengeQueue::<T>::try_append(job_id).map_err(|_| Error::<T>::QueueFull)?;
		WorkerJobs::<T>::try_append(&challenger, job_id)
			.map_err(|_| Error::<T>::TooManyOpenJobs)?;
		// The challenger and (if still eligible) the original worker count among the eligible
		// workers, and neither may re-execute.
		ensure!(
			T::Staking::eligible_count(job.model) >= T::ChallengeReplicas::get().saturating_add(2),
			Error::<T>::NotEnoughWorkers
		);
		Self::hold(&HoldReason::ChallengeBond.into(), &challenger, bond)?;
		let challenger_backing = T::Staking::backing(&challenger);
		let retry_until = now.saturating_add(Params::<T>::get().challenge_period);
		job.challenge = Some(Challenge {
			challenger: challenger.clone(),
			bond,
			challenger_backing,
			original,
			original_backing,
			retry_until,
		});
		job.assignees = Default::default();
		job.phase = JobPhase::Queued { since: now };
		Jobs::<T>::insert(job_id, job);
		Self::deposit_event(Event::ResultChallenged { job: job_id, challenger, bond });
		Ok(Pays::No.into())
	}

	/// Resolves a challenge by the verdict of its re-execution (`None`: no majority, or no
	/// workers to run it).
	///
	/// - **Confirmed** (the challenger was wrong): the challenger's bond pays the
	///   re-executors, the challenger is slashed `challenge_slash` and the original worker
	///   receives `challenge_reward` of the challenger's own-stake penalty; the job settles
	///   with the original result.
	/// - **Overturned** (the original worker was wrong): the bond comes back whole; the
	///   original worker is slashed `challenge_slash` and its own stake also pays the
	///   re-executors (`price` each) and the challenger `challenge_reward` of its own-stake
	///   penalty; the job settles with the re-execution's result and the original worker's
	///   slot is refunded to the submitter.
	/// - **Undecided**: queued again for a fresh draw until `retry_until`; after that the
	///   original result stands (paid as if unchallenged) and the bond comes back.
	pub(crate) fn resolve_challenge(
		job_id: JobId,
		mut job: Job<T>,
		challenge: Challenge<T>,
		winner: Option<OutputHash>,
		now: BlockNumberFor<T>,
		cost: &mut SettlementCost,
	) -> DispatchResult {
		let params = Params::<T>::get();
		let reexecutors = Self::winners_of(&job.assignees, winner);
		let original = challenge.original.clone();
		match winner {
			Some(output_hash) if output_hash == original.output_hash => {
				let reexecution_paid =
					Self::pay_reexecution(job_id, &job, &challenge, &reexecutors, cost)?;
				let payee = SlashPayee {
					account: original.worker.clone(),
					cost: BalanceOf::<T>::zero(),
					share: params.challenge_reward,
				};
				let slashed = Self::slash(
					job_id,
					&challenge.challenger,
					params.challenge_slash,
					challenge.challenger_backing,
					SlashReason::LostChallenge,
					Some(payee),
					cost,
				);
				Self::deposit_event(Event::ChallengeResolved {
					job: job_id,
					confirmed: true,
					loser: challenge.challenger,
					slashed: slashed.amount,
					reexecution_paid,
					rewarded: slashed.to_payee,
				});
				Self::complete(job_id, job, output_hash, alloc::vec![original.worker], false, cost)
			},
			Some(output_hash) => {
				Self::release_bond(&challenge)?;
				let pallet = Self::account_id();
				let count = reexecutors.len().saturated_into::<u32>();
				let payee = SlashPayee {
					account: pallet.clone(),
					cost: job.price.saturating_mul(BalanceOf::<T>::from(count)),
					share: params.challenge_reward,
				};
				let slashed = Self::slash(
					job_id,
					&original.worker,
					params.challenge_slash,
					challenge.original_backing,
					SlashReason::LostChallenge,
					Some(payee),
					cost,
				);
				// What the loser's own stake sent to the pallet account: the re-executors
				// first, the challenger the rest.
				let mut left = slashed.to_payee;
				let mut reexecution_paid = BalanceOf::<T>::zero();
				for worker in reexecutors.iter() {
					let paid = Self::reward(&pallet, worker, job.price.min(left), job_id, cost);
					left = left.saturating_sub(paid);
					reexecution_paid = reexecution_paid.saturating_add(paid);
				}
				Self::pay_out(&challenge.challenger, left);
				Self::deposit_event(Event::ChallengeResolved {
					job: job_id,
					confirmed: false,
					loser: original.worker,
					slashed: slashed.amount,
					reexecution_paid,
					rewarded: left,
				});
				Self::complete(job_id, job, output_hash, Vec::new(), true, cost)
			},
			None if now < challenge.retry_until => {
				// Forget this round (its workers leave the job, their outputs go) and queue
				// the re-execution again: it is drawn afresh.
				for assignment in job.assignees.iter() {
					if let Some(hash) = assignment.output_hash() {
						if hash != original.output_hash {
							Self::forget_output(job_id, hash);
						}
					}
					Self::unindex_job(&assignment.worker, job_id);
				}
				if ChallengeQueue::<T>::try_append(job_id).is_err() {
					return Self::let_original_stand(job_id, job, challenge, cost);
				}
				job.assignees = Default::default();
				job.phase = JobPhase::Queued { since: now };
				Jobs::<T>::insert(job_id, job);
				Self::deposit_event(Event::ChallengeRequeued {
					job: job_id,
					retry_until: challenge.retry_until,
				});
				Ok(())
			},
			None => Self::let_original_stand(job_id, job, challenge, cost),
		}
	}

	/// Settles a challenged job whose re-execution never decided: the bond comes back and
	/// the original result is paid as if unchallenged.
	pub(crate) fn let_original_stand(
		job_id: JobId,
		job: Job<T>,
		challenge: Challenge<T>,
		cost: &mut SettlementCost,
	) -> DispatchResult {
		Self::release_bond(&challenge)?;
		let original = challenge.original;
		let workers = alloc::vec![original.worker];
		Self::complete(job_id, job, original.output_hash, workers, false, cost)
	}

	/// Gives the challenger its whole bond back.
	pub(crate) fn release_bond(challenge: &Challenge<T>) -> DispatchResult {
		T::Currency::release(
			&HoldReason::ChallengeBond.into(),
			&challenge.challenger,
			challenge.bond,
			Precision::Exact,
		)
		.map(|_| ())
	}

	/// Pays the re-execution's winning workers `price` each from the bond of a challenger
	/// that lost, and returns the rest of the bond to it. Returns the amount paid.
	pub(crate) fn pay_reexecution(
		job_id: JobId,
		job: &Job<T>,
		challenge: &Challenge<T>,
		winners: &[T::AccountId],
		cost: &mut SettlementCost,
	) -> Result<BalanceOf<T>, DispatchError> {
		let reason = HoldReason::ChallengeBond.into();
		if winners.is_empty() || job.price.is_zero() {
			Self::release_bond(challenge)?;
			return Ok(BalanceOf::<T>::default());
		}
		let pallet = Self::account_id();
		Self::take_held(&reason, &challenge.challenger, challenge.bond)?;
		let mut paid = BalanceOf::<T>::default();
		for worker in winners {
			let amount = job.price.min(challenge.bond.saturating_sub(paid));
			paid = paid.saturating_add(Self::reward(&pallet, worker, amount, job_id, cost));
		}
		Self::pay_out(&challenge.challenger, challenge.bond.saturating_sub(paid));
		Ok(paid)
	}
}
