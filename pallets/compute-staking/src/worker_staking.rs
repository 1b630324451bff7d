//! How compute staking serves the inference pallet: the [`WorkerStaking`] implementation.
//!
//! - **Draws** read only the bounded worker set of the model, keep the members eligible now
//!   (active, online, bonded at least the minimum, not excluded) and draw `count` distinct
//!   ones with probabilities proportional to their bonded stake (own plus delegated): the
//!   `i`-th draw takes `blake2_256(SCALE(seed, i as u32))` as a little-endian `u128` modulo
//!   the remaining total weight, walks the cumulative weights to the drawn worker and removes
//!   it from the candidates. Work: O(set size × count), both bounded.
//! - **Rewards** pay the commission and the worker's stake share to the worker's free balance
//!   and add the delegators' share to their pool's bonded stake, all in one storage layer.
//! - **Slashes** take the worker's own stake first, then the delegators' pro rata between
//!   bonded and unbonding, and move the funds in at most two transfers, all or nothing.

use crate::*;

impl<T: Config> Pallet<T> {
	/// The stake `who` is drawn with, if it is eligible now (active, online, bonded at least
	/// `min_bond`): its own bonded stake plus its delegators' bonded stake.
	pub(crate) fn draw_weight(
		who: &T::AccountId,
		now: BlockNumberFor<T>,
		min_bond: BalanceOf<T>,
	) -> Option<u128> {
		let worker = Workers::<T>::get(who)?;
		let eligible = worker.status == WorkerStatus::Active
			&& worker.is_online(now, T::OfflineAfter::get())
			&& worker.bonded >= min_bond
			&& !worker.bonded.is_zero();
		if !eligible {
			return None;
		}
		let delegated = Pools::<T>::get(who).map(|pool| pool.bonded).unwrap_or_default();
		Some(worker.bonded.saturating_add(delegated).unique_saturated_into())
	}

	/// The members of the worker set of `model` that are eligible now, with their weights.
	pub(crate) fn candidates(
		model: ModelId,
		exclude: &[T::AccountId],
	) -> Vec<(T::AccountId, u128)> {
		let now = frame_system::Pallet::<T>::block_number();
		let min_bond = Parameters::<T>::get().min_worker_bond;
		ModelWorkers::<T>::get(model)
			.unwrap_or_default()
			.into_iter()
			.filter(|who| !exclude.contains(who))
			.filter_map(|who| Self::draw_weight(&who, now, min_bond).map(|weight| (who, weight)))
			.collect()
	}

	/// The `counter`-th random number below `bound` derived from `seed`:
	/// `blake2_256(SCALE(seed, counter))` read as a little-endian `u128`, modulo `bound`.
	pub fn random_below(seed: &[u8; 32], counter: u32, bound: u128) -> u128 {
		let hash = blake2_256(&(seed, counter).encode());
		let mut bytes = [0u8; 16];
		for (to, from) in bytes.iter_mut().zip(hash.iter()) {
			*to = *from;
		}
		u128::from_le_bytes(bytes).checked_rem(bound).unwrap_or(0)
	}

	/// Draws `count` distinct eligible workers of `model`, stake-weighted, from `seed`.
	fn draw(
		model: ModelId,
		count: u32,
		seed: &[u8; 32],
		exclude: &[T::AccountId],
	) -> Result<Vec<T::AccountId>, DispatchError> {
		if count == 0 {
			return Ok(Vec::new());
		}
		let mut candidates = Self::candidates(model, exclude);
		let wanted = usize::try_from(count).unwrap_or(usize::MAX);
		frame_support::ensure!(candidates.len() >= wanted, Error::<T>::NotEnoughWorkers);
		let mut total =
			candidates.iter().fold(0u128, |sum, (_, weight)| sum.saturating_add(*weight));
		let mut chosen = Vec::with_capacity(wanted);
		for counter in 0..count {
			let target = Self::random_below(seed, counter, total);
			let mut reached = 0u128;
			let mut index = candidates.len().saturating_sub(1);
			for (position, (_, weight)) in candidates.iter().enumerate() {
				reached = reached.saturating_add(*weight);
				if target < reached {
					index = position;
					break;
				}
			}
			if index < candidates.len() {
				let (who, weight) = candidates.swap_remove(index);
				total = total.saturating_sub(weight);
				chosen.push(who);
			}
		}
		Ok(chosen)
	}

	/// Moves a slash's funds to `destination`: `from_worker` out of the worker's bond hold
	/// and `from_pool` out of the pot's delegated-stake hold, the larger first (so that a
	/// new destination account is created by the larger amount). All or nothing.
	fn move_slashed(
		worker: &T::AccountId,
		from_worker: BalanceOf<T>,
		from_pool: BalanceOf<T>,
		destination: &T::AccountId,
	) -> Result<(), DispatchError> {
		let pot = Self::pot_account();
		let own = (worker, HoldReason::WorkerBond, from_worker);
		let delegated = (&pot, HoldReason::DelegatedStake, from_pool);
		let pieces = if from_worker >= from_pool { [own, delegated] } else { [delegated, own] };
		frame_support::storage::with_storage_layer(|| {
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

	/// See [`WorkerStaking::slash`].
	fn do_slash(
		who: &T::AccountId,
		fraction: Perbill,
		reason: SlashReason,
		job: JobId,
		beneficiary: Option<&T::AccountId>,
	) -> BalanceOf<T> {
		let Some(mut worker) = Workers::<T>::get(who) else {
			return Zero::zero();
		};
		let mut pool = Pools::<T>::get(who).unwrap_or_default();
		let mut unbonding = WorkerUnbonding::<T>::get(who);
		let own_total = worker.own_total(&unbonding);
		let pool_total = pool.total();
		let due = fraction.mul_floor(own_total.saturating_add(pool_total));
		let from_worker = due.min(own_total);
		let from_pool = due.saturating_sub(from_worker).min(pool_total);
		let from_pool_bonded = mul_div(from_pool, pool.bonded, pool_total, Rounding::Down)
			.unwrap_or_default()
			.min(pool.bonded);
		let from_pool_unbonding = from_pool.saturating_sub(from_pool_bonded).min(pool.unbonding);
		let from_pool = from_pool_bonded.saturating_add(from_pool_unbonding);
		let amount = from_worker.saturating_add(from_pool);

		let fallback = T::SlashDestination::get();
		let pot = Self::pot_account();
		let preferred =
			beneficiary.filter(|b| *b != who && **b != pot).cloned().unwrap_or(fallback.clone());
		let moved = Self::move_slashed(who, from_worker, from_pool, &preferred)
			.map(|()| preferred.clone())
			.or_else(|error| {
				if preferred == fallback {
					Err(error)
				} else {
					Self::move_slashed(who, from_worker, from_pool, &fallback).map(|()| fallback)
				}
			});
		let slashed = match moved {
			Ok(destination) => {
				let _ = worker.take_own(&mut unbonding, from_worker);
				if unbonding.is_empty() {
					WorkerUnbonding::<T>::remove(who);
				} else {
					WorkerUnbonding::<T>::insert(who, unbonding);
				}
				pool.slash_bonded(from_pool_bonded);
				pool.slash_unbonding(from_pool_unbonding);
				// Below the minimum it cannot be drawn anyway: free its slots now.
				let went_idle = worker.status == WorkerStatus::Active
					&& worker.bonded < Parameters::<T>::get().min_worker_bond;
				if went_idle {
					Self::unlist_all(&worker.models, who);
					worker.status = WorkerStatus::Idle;
				}
				Workers::<T>::insert(who, worker);
				Pools::<T>::insert(who, pool);
				Self::deposit_event(Event::Slashed {
					worker: who.clone(),
					job,
					reason,
					fraction,
					amount,
					from_worker,
					from_delegators: from_pool,
					destination,
				});
				if went_idle {
					Self::deposit_event(Event::WentIdle { worker: who.clone() });
				}
				amount
			},
			Err(error) => {
				log::error!(
					target: LOG_TARGET,
					"slash of job {job} could not move its funds: {error:?}"
				);
				Self::deposit_event(Event::SlashNotApplied { worker: who.clone(), job, amount });
				Zero::zero()
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
			reputation.total_slashed = reputation.total_slashed.saturating_add(slashed);
		});
		let at = frame_system::Pallet::<T>::block_number();
		RecentOffences::<T>::mutate(who, |log| {
			let kept = usize::try_from(T::MaxOffencesKept::get()).unwrap_or(usize::MAX);
			if log.len() >= kept && !log.is_empty() {
				log.remove(0);
			}
			let _ = log.try_push(Offence { job, reason, fraction, amount: slashed, at });
		});
		slashed
	}

	/// See [`WorkerStaking::reward`].
	fn do_reward(
		payer: &T::AccountId,
		who: &T::AccountId,
		amount: BalanceOf<T>,
		job: JobId,
	) -> Result<BalanceOf<T>, DispatchError> {
		let worker = Workers::<T>::get(who).ok_or(Error::<T>::NotRegistered)?;
		let mut pool = Pools::<T>::get(who).unwrap_or_default();
		let rate = worker.commission.min(Parameters::<T>::get().max_commission);
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
					&Self::pot_account(),
					to_delegators,
					Precision::Exact,
					Preservation::Expendable,
					Fortitude::Polite,
				)?;
				pool.bonded =
					pool.bonded.checked_add(&to_delegators).ok_or(ArithmeticError::Overflow)?;
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

impl<T: Config> WorkerStaking<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn eligible_count(model: ModelId) -> u32 {
		u32::try_from(Self::candidates(model, &[]).len()).unwrap_or(u32::MAX)
	}

	fn is_eligible(worker: &T::AccountId, model: ModelId) -> bool {
		let serves = Workers::<T>::get(worker).is_some_and(|w| w.models.contains(&model));
		serves
			&& Self::draw_weight(
				worker,
				frame_system::Pallet::<T>::block_number(),
				Parameters::<T>::get().min_worker_bond,
			)
			.is_some()
	}

	fn select_workers(
		model: ModelId,
		count: u32,
		seed: &[u8; 32],
		exclude: &[T::AccountId],
	) -> Result<Vec<T::AccountId>, DispatchError> {
		Self::draw(model, count, seed, exclude)
	}

	fn select_workers_weight(count: u32) -> Weight {
		T::WeightInfo::select_workers(count)
	}

	fn attestation_key(worker: &T::AccountId) -> Option<AttestationKey> {
		Workers::<T>::get(worker).map(|w| w.attestation_key)
	}

	fn reward(
		payer: &T::AccountId,
		worker: &T::AccountId,
		amount: BalanceOf<T>,
		job: JobId,
	) -> Result<BalanceOf<T>, DispatchError> {
		Self::do_reward(payer, worker, amount, job)
	}

	fn reward_weight() -> Weight {
		T::WeightInfo::reward()
	}

	fn slash(
		worker: &T::AccountId,
		fraction: Perbill,
		reason: SlashReason,
		job: JobId,
		beneficiary: Option<&T::AccountId>,
	) -> BalanceOf<T> {
		Self::do_slash(worker, fraction, reason, job, beneficiary)
	}

	fn slash_weight() -> Weight {
		T::WeightInfo::slash()
	}
}
