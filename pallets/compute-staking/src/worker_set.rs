//! A model's worker set: joining and leaving it (`register_worker`, `set_served_models`,
//! `go_idle`, `resume`, `deregister` and `take_slot` call these), and the stake-weighted draw
//! from it.
//!
//! **Draws** read only the bounded worker set of the model, keep the members eligible now
//! (active, online, bonded at least the minimum, not excluded) and draw `count` distinct
//! ones with probabilities proportional to their bonded stake (own plus delegated): the
//! `i`-th draw takes `blake2_256(SCALE(seed, i as u32))` as a little-endian `u128` modulo
//! the remaining total weight, walks the cumulative weights to the drawn worker and removes
//! it from the candidates. Work: O(set size × count), both bounded.

use crate::*;

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
	pub(crate) fn draw(
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
}
