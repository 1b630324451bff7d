//! How compute staking serves the inference pallet: the [`WorkerStaking`] implementation,
//! over the draw (`worker_set.rs`) and the slashes and rewards (`slashing.rs`).

use crate::*;

impl<T: Config> WorkerStaking<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn eligible_count(model: ModelId) -> u32 {
		Self::candidates(model, &[]).len().saturated_into::<u32>()
	}

	fn is_eligible(worker: &T::AccountId, model: ModelId) -> bool {
		let serves = Workers::<T>::get(worker).is_some_and(|w| w.models.contains(&model));
		serves
			&& Self::draw_weight(
				worker,
				frame_system::Pallet::<T>::block_number(),
				Params::<T>::get().min_worker_bond,
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

	fn backing(worker: &T::AccountId) -> BalanceOf<T> {
		let now = frame_system::Pallet::<T>::block_number();
		let min_bond = Params::<T>::get().min_worker_bond;
		if Self::draw_weight(worker, now, min_bond).is_none() {
			return Zero::zero();
		}
		let delegated = Pools::<T>::get(worker).map(|pool| pool.bonded).unwrap_or_default();
		Workers::<T>::get(worker)
			.map(|record| record.bonded.saturating_add(delegated))
			.unwrap_or_default()
	}

	fn min_bond() -> BalanceOf<T> {
		Params::<T>::get().min_worker_bond
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
		backing: BalanceOf<T>,
		reason: SlashReason,
		job: JobId,
		payee: Option<SlashPayee<T::AccountId, BalanceOf<T>>>,
	) -> SlashOutcome<BalanceOf<T>> {
		Self::do_slash(worker, fraction, backing, reason, job, payee)
	}

	fn slash_weight() -> Weight {
		T::WeightInfo::slash()
	}
}
