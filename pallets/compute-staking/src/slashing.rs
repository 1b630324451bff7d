//! Slashes and rewards, as the inference pallet asks for them through [`WorkerStaking`].
//!
//! - **Rewards** pay the commission and the worker's stake share to the worker's free balance
//!   and add the delegators' share to their pool's bonded stake, all in one storage layer.
//! - **Slashes** take a penalty of at most the stake that backed the job (the worker's own
//!   stake first, then the delegators' bonded stake, then their unbonding stake), plus a
//!   payee's cost from the worker's own stake only, and move the funds in at most three
//!   transfers, all or nothing: the payee's part (never more than the worker's own slashed
//!   stake) and the rest, delegators' part included, to the slash destination.

use crate::*;

impl<T: Config> Pallet<T> {
	/// Moves a slash's funds: `to_payee` of the worker's own part to `payee`, the rest of
	/// `from_worker` (out of the worker's bond hold) and all of `from_pool` (out of the pot's
	/// delegated-stake hold) to `destination`, the larger amounts first (so that a new
	/// destination account is created by the larger amount). All or nothing.
	pub(crate) fn move_slashed(
		worker: &T::AccountId,
		from_worker: BalanceOf<T>,
		from_pool: BalanceOf<T>,
		payee: Option<(&T::AccountId, BalanceOf<T>)>,
		destination: &T::AccountId,
	) -> Result<(), DispatchError> {
		let pot = Self::account_id();
		let to_payee = payee.map(|(_, amount)| amount).unwrap_or_default().min(from_worker);
		let own = (worker, HoldReason::WorkerBond, from_worker.saturating_sub(to_payee));
		let delegated = (&pot, HoldReason::DelegatedStake, from_pool);
		let pieces = if own.2 >= from_pool { [own, delegated] } else { [delegated, own] };
		frame_support::storage::with_storage_layer(|| {
			if let Some((payee, _)) = payee {
				if !to_payee.is_zero() {
					T::Currency::transfer_on_hold(
						&HoldReason::WorkerBond.into(),
						worker,
						payee,
						to_payee,
						Precision::Exact,
						Restriction::Free,
						Fortitude::Force,
					)?;
				}
			}
			for (source, reason, amount) in pieces {
				if amount.is_zero() {
					continue;
				}
				T::Currency::transfer_on_hold(
					&reason.into(),
					source,
					destination,
					amount,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Force,
				)?;
			}
			Ok(())
		})
	}

	/// What a slash takes (see [`WorkerStaking::slash`]): the penalty over at most `backing`,
	/// own stake first, the delegators' part from their bonded stake first; on top of the
	/// penalty, the payee's cost from what own stake is left. The payee is owed its cost
	/// first and its share of the own penalty next, out of the worker's own part only.
	/// Pure arithmetic over the records; nothing moves.
	pub(crate) fn slash_plan(
		own_total: BalanceOf<T>,
		pool: &Pool<BalanceOf<T>>,
		fraction: Perbill,
		backing: BalanceOf<T>,
		payee: Option<&SlashPayee<T::AccountId, BalanceOf<T>>>,
	) -> SlashPlan<BalanceOf<T>> {
		let pool_total = pool.total();
		let base = backing.min(own_total.saturating_add(pool_total));
		let due = fraction.mul_floor(base);
		let penalty_own = due.min(own_total);
		let from_pool = due.saturating_sub(penalty_own).min(pool_total);
		let from_pool_bonded = from_pool.min(pool.bonded);
		let from_pool_unbonding = from_pool.saturating_sub(from_pool_bonded).min(pool.unbonding);
		let (cost, share) =
			payee.map(|payee| (payee.cost, payee.share)).unwrap_or((Zero::zero(), Perbill::zero()));
		// Beyond the penalty, the worker loses what covers the cost and it still owns.
		let extra = cost.min(own_total.saturating_sub(penalty_own));
		let from_worker = penalty_own.saturating_add(extra);
		let owed = cost.saturating_add(share.mul_floor(penalty_own));
		SlashPlan {
			from_worker,
			from_pool_bonded,
			from_pool_unbonding,
			to_payee: owed.min(from_worker),
		}
	}

	/// See [`WorkerStaking::slash`].
	pub(crate) fn do_slash(
		who: &T::AccountId,
		fraction: Perbill,
		backing: BalanceOf<T>,
		reason: SlashReason,
		job: JobId,
		payee: Option<SlashPayee<T::AccountId, BalanceOf<T>>>,
	) -> SlashOutcome<BalanceOf<T>> {
		let Some(mut worker) = Workers::<T>::get(who) else {
			return SlashOutcome::default();
		};
		let mut pool = Pools::<T>::get(who).unwrap_or_default();
		let mut unbonding = WorkerUnbonding::<T>::get(who);
		let own_total = worker.own_total(&unbonding);
		let pot = Self::account_id();
		// The worker itself and the pot never receive a slash.
		let payee = payee.filter(|payee| payee.account != *who && payee.account != pot);
		let plan = Self::slash_plan(own_total, &pool, fraction, backing, payee.as_ref());
		let from_pool = plan.from_pool_bonded.saturating_add(plan.from_pool_unbonding);
		let amount = plan.from_worker.saturating_add(from_pool);

		let destination = T::SlashDestination::get();
		let to_payee = payee.as_ref().map(|payee| (&payee.account, plan.to_payee));
		// If the payee cannot receive its part (e.g. below the existential deposit), all of
		// the slash goes to the destination rather than nowhere.
		let moved = Self::move_slashed(who, plan.from_worker, from_pool, to_payee, &destination)
			.map(|()| plan.to_payee)
			.or_else(|_| {
				Self::move_slashed(who, plan.from_worker, from_pool, None, &destination)
					.map(|()| Zero::zero())
			});
		let slashed = match moved {
			Ok(paid) => {
				let _ = worker.take_own(&mut unbonding, plan.from_worker);
				if unbonding.is_empty() {
					WorkerUnbonding::<T>::remove(who);
				} else {
					WorkerUnbonding::<T>::insert(who, unbonding);
				}
				pool.slash_bonded(plan.from_pool_bonded);
				pool.slash_unbonding(plan.from_pool_unbonding);
				// Below the minimum it cannot be drawn anyway: free its slots now.
				let went_idle = worker.status == WorkerStatus::Active
					&& worker.bonded < Params::<T>::get().min_worker_bond;
				if went_idle {
					Self::unlist_all(&worker.models, who);
					worker.status = WorkerStatus::Idle;
				}
				Workers::<T>::insert(who, worker);
				Pools::<T>::insert(who, pool);
				let payee = payee.filter(|_| !paid.is_zero()).map(|payee| payee.account);
				Self::deposit_event(Event::Slashed {
					worker: who.clone(),
					job,
					reason,
					fraction,
					amount,
					from_worker: plan.from_worker,
					from_delegators: from_pool,
					payee,
					to_payee: paid,
				});
				if went_idle {
					Self::deposit_event(Event::WentIdle { worker: who.clone() });
				}
				SlashOutcome {
					amount,
					from_worker: plan.from_worker,
					from_delegators: from_pool,
					to_payee: paid,
				}
			},
			Err(error) => {
				log::error!(
					target: LOG_TARGET,
					"slash of job {job} could not move its funds: {error:?}"
				);
				Self::deposit_event(Event::SlashNotApplied { worker: who.clone(), job, amount });
				SlashOutcome::default()
			},
		};

		Reputations::<T>::mutate(who, |reputation| {
			match reason {
				SlashReason::WrongResult | SlashReason::Timeout => {
					reputation.jobs_failed = reputation.jobs_failed.saturating_add(1)
				},
				SlashReason::LostChallenge => {
					reputation.challenges_lost = reputation.challenges_lost.saturating_add(1)
				},
			}
			reputation.slashes = reputation.slashes.saturating_add(1);
			reputation.total_slashed = reputation.total_slashed.saturating_add(slashed.amount);
		});
		let at = frame_system::Pallet::<T>::block_number();
		RecentOffences::<T>::mutate(who, |log| {
			let kept = usize::try_from(T::MaxOffencesKept::get()).unwrap_or(usize::MAX);
			if log.len() >= kept && !log.is_empty() {
				log.remove(0);
			}
			let _ = log.try_push(Offence { job, reason, fraction, amount: slashed.amount, at });
		});
		slashed
	}

	/// See [`WorkerStaking::reward`].
	pub(crate) fn do_reward(
		payer: &T::AccountId,
		who: &T::AccountId,
		amount: BalanceOf<T>,
		job: JobId,
	) -> Result<BalanceOf<T>, DispatchError> {
		let worker = Workers::<T>::get(who).ok_or(Error::<T>::NotRegistered)?;
		let mut pool = Pools::<T>::get(who).unwrap_or_default();
		let rate = worker.commission.min(Params::<T>::get().max_commission);
		let commission = rate.mul_floor(amount);
		let rest = amount.saturating_sub(commission);
		let stake = worker.bonded.saturating_add(pool.bonded);
		let to_delegators =
			mul_div(rest, pool.bonded, stake, Rounding::Down).unwrap_or_default().min(rest);
		let to_worker = amount.saturating_sub(to_delegators);

		frame_support::storage::with_storage_layer(|| -> Result<(), DispatchError> {
			if !to_worker.is_zero() {
				T::Currency::transfer(payer, who, to_worker, Preservation::Expendable)?;
			}
			if !to_delegators.is_zero() {
				T::Currency::transfer_and_hold(
					&HoldReason::DelegatedStake.into(),
					payer,
					&Self::account_id(),
					to_delegators,
					Precision::Exact,
					Preservation::Expendable,
					Fortitude::Polite,
				)?;
				pool.bonded = pool.bonded.ensure_add(to_delegators)?;
				Pools::<T>::insert(who, pool);
			}
			Ok(())
		})?;
		Reputations::<T>::mutate(who, |reputation| {
			reputation.jobs_completed = reputation.jobs_completed.saturating_add(1);
			reputation.total_rewarded = reputation.total_rewarded.saturating_add(amount);
		});
		Self::deposit_event(Event::Rewarded {
			worker: who.clone(),
			job,
			amount,
			commission,
			to_worker,
			to_delegators,
		});
		Ok(amount)
	}
}
