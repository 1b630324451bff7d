//! A model's worker set: joining and leaving it (`register_worker`, `set_served_models`,
//! `go_idle`, `resume` and `deregister` call these), taking the slot of a weaker member of a
//! full set (`take_slot`), and the stake-weighted draw from it.
//!
//! **Draws** read only the bounded worker set of the model, keep the members eligible now
//! (active, online, bonded at least the minimum, not excluded) and draw `count` distinct
//! ones with probabilities proportional to their bonded stake (own plus delegated): the
//! `i`-th draw takes `blake2_256(SCALE(seed, i as u32))` as a little-endian `u128` modulo
//! the remaining total weight, walks the cumulative weights to the drawn worker and removes
//! it from the candidates. Work: O(set size × count), both bounded.

use crate::*;
use polkadot_sdk::frame_support::pallet_prelude::{ensure, DispatchResult};

impl<T: Config> Pallet<T> {
	/// Checks that `models` are distinct and that those not in `current` are active models.
	pub(crate) fn ensure_valid_models(
		models: &[ModelId],
		current: &[ModelId],
	) -> Result<(), Error<T>> {
		for (index, model) in models.iter().enumerate() {
			if models.iter().take(index).any(|earlier| earlier == model) {
				return Err(Error::<T>::DuplicateModel);
			}
			if !current.contains(model) && !T::Models::is_active(*model) {
				return Err(Error::<T>::ModelNotActive);
			}
		}
		Ok(())
	}

	/// Lists `who` in the worker set of `model`.
	pub(crate) fn list(model: ModelId, who: &T::AccountId) -> Result<(), Error<T>> {
		ModelWorkers::<T>::try_mutate(model, |maybe| {
			let set = maybe.get_or_insert_with(Default::default);
			if !set.contains(who) {
				set.try_push(who.clone()).map_err(|_| Error::<T>::ModelWorkersFull)?;
			}
			Ok(())
		})
	}

	/// Unlists `who` from the worker set of `model`.
	pub(crate) fn unlist(model: ModelId, who: &T::AccountId) {
		ModelWorkers::<T>::mutate_exists(model, |maybe| {
			if let Some(set) = maybe {
				set.retain(|member| member != who);
				if set.is_empty() {
					*maybe = None;
				}
			}
		});
	}

	/// Unlists `who` from the worker sets of all of `models`.
	pub(crate) fn unlist_all(models: &[ModelId], who: &T::AccountId) {
		for model in models {
			Self::unlist(*model, who);
		}
	}

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
		let min_bond = Params::<T>::get().min_worker_bond;
		ModelWorkers::<T>::get(model)
			.unwrap_or_default()
			.into_iter()
			.filter(|who| !exclude.contains(who))
			.filter_map(|who| Self::draw_weight(&who, now, min_bond).map(|weight| (who, weight)))
			.collect()
	}

	/// The `counter`-th random number below `bound` derived from `seed`: see
	/// [`deai_primitives::staking::random_below`], which the draw uses.
	pub fn random_below(seed: &[u8; 32], counter: u32, bound: u128) -> u128 {
		deai_primitives::staking::random_below(seed, counter, bound)
	}

	/// Draws `count` distinct eligible workers of `model`, stake-weighted, from `seed`, with
	/// [`deai_primitives::staking::weighted_draw`] (the mocks of other pallets draw with it too).
	pub(crate) fn draw(
		model: ModelId,
		count: u32,
		seed: &[u8; 32],
		exclude: &[T::AccountId],
	) -> Result<Vec<T::AccountId>, DispatchError> {
		if count == 0 {
			return Ok(Vec::new());
		}
		deai_primitives::staking::weighted_draw(Self::candidates(model, exclude), count, seed)
			.ok_or_else(|| Error::<T>::NotEnoughWorkers.into())
	}

	/// The body of [`Pallet::take_slot`]: swaps `member` out of the full worker set of `model` for
	/// `who`, if `who` can be drawn now and `member` is weaker.
	pub(crate) fn do_take_slot(
		who: T::AccountId,
		model: ModelId,
		member: T::AccountId,
	) -> DispatchResult {
		let mut worker = Workers::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		let now = frame_system::Pallet::<T>::block_number();
		let min_bond = Params::<T>::get().min_worker_bond;
		let strength = Self::draw_weight(&who, now, min_bond).ok_or(Error::<T>::NotEligible)?;
		ensure!(!worker.models.contains(&model), Error::<T>::AlreadyServing);
		ensure!(T::Models::is_active(model), Error::<T>::ModelNotActive);
		let mut set = ModelWorkers::<T>::get(model).unwrap_or_default();
		ensure!(
			set.len().saturated_into::<u32>() >= T::MaxWorkersPerModel::get(),
			Error::<T>::WorkerSetNotFull
		);
		let position =
			set.iter().position(|listed| *listed == member).ok_or(Error::<T>::NotInWorkerSet)?;
		if let Some(member_strength) = Self::draw_weight(&member, now, min_bond) {
			ensure!(member_strength < strength, Error::<T>::MemberNotWeaker);
		}
		worker.models.try_push(model).map_err(|_| Error::<T>::TooManyModels)?;
		set.remove(position);
		set.try_push(who.clone()).map_err(|_| Error::<T>::ModelWorkersFull)?;
		ModelWorkers::<T>::insert(model, set);
		Workers::<T>::mutate(&member, |maybe| {
			if let Some(evicted) = maybe {
				evicted.models.retain(|served| *served != model);
			}
		});
		Workers::<T>::insert(&who, worker);
		Self::deposit_event(Event::SlotTaken { model, worker: who, evicted: member });
		Ok(())
	}
}
