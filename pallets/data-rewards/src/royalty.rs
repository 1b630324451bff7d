//! Data royalties: how an inference fee's data share reaches the contributors of a model's
//! training datasets ([`DataRoyalty`]): the share is split over the lineage by weight and
//! credited to each dataset's reward pool, whose reward-per-share accumulator pays every
//! contributor in proportion to its shares when it claims ([`Pallet::claim`]). A direct
//! top-up of a pool ([`Pallet::top_up`], a data bounty) is credited the same way.

use crate::*;
use alloc::vec::Vec;
use deai_primitives::{
	data::{DataRoyalty, DatasetId, DatasetInspect},
	Balance,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{fungible::Mutate, tokens::Preservation},
	},
	sp_runtime::{
		traits::{EnsureAdd, Zero},
		Perbill,
	},
};

impl<T: Config> Pallet<T> {
	/// Splits a royalty of `amount` over `lineage` (see [`DataRoyalty`]), returning the new
	/// state of each credited pool and its part, and the total to credit. Changes nothing.
	pub(crate) fn plan_royalty(
		lineage: &[(DatasetId, Perbill)],
		amount: Balance,
	) -> Result<(Vec<(DatasetId, RewardPool, Balance)>, Balance), DispatchError> {
		let total_weight = lineage
			.iter()
			.try_fold(0u64, |sum, (_, weight)| sum.ensure_add(u64::from(weight.deconstruct())))?;
		let full = u64::from(Perbill::one().deconstruct());
		ensure!(total_weight <= full, Error::<T>::LineageOverweight);

		let mut parts: Vec<(DatasetId, RewardPool, Balance)> = Vec::with_capacity(lineage.len());
		let mut credited: Balance = 0;
		let mut all_exist = true;
		for (dataset, weight) in lineage {
			let part = weight.mul_floor(amount);
			if let Some(existing) = parts.iter_mut().find(|(id, _, _)| id == dataset) {
				existing.2 = existing.2.ensure_add(part)?;
			} else if let Some(pool) = Pools::<T>::get(dataset) {
				parts.push((*dataset, pool, part));
			} else {
				all_exist = false;
				continue;
			}
			credited = credited.ensure_add(part)?;
		}
		if all_exist && total_weight == full {
			let leftover = amount.saturating_sub(credited);
			if let Some(first) = parts.first_mut() {
				first.2 = first.2.ensure_add(leftover)?;
				credited = credited.ensure_add(leftover)?;
			}
		}
		parts.retain(|(_, _, part)| !part.is_zero());
		for (_, pool, part) in parts.iter_mut() {
			pool.credit(*part)?;
		}
		Ok((parts, credited))
	}

	/// The body of [`Pallet::claim`]: settles `who` at the dataset's accumulator and pays
	/// them every whole unit they are owed from the pallet account, which is kept alive.
	pub(crate) fn do_claim(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		let mut pool = Pools::<T>::get(dataset).ok_or(Error::<T>::DatasetNotFound)?;
		let mut entry = Contributors::<T>::get(dataset, &who).ok_or(Error::<T>::NothingToClaim)?;
		entry.settle(&pool)?;
		let amount = entry.owed;
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		entry.owed = 0;
		pool.debit(amount)?;
		T::Currency::transfer(&Self::account_id(), &who, amount, Preservation::Preserve)?;
		Pools::<T>::insert(dataset, pool);
		Contributors::<T>::insert(dataset, &who, entry);
		Self::deposit_event(Event::RewardsClaimed { dataset, contributor: who, amount });
		Ok(())
	}

	/// The body of [`Pallet::top_up`]: moves `amount` from `funder` (kept alive) to the
	/// pallet account and credits it to the dataset's pool, as a royalty would be.
	pub(crate) fn do_top_up(
		funder: T::AccountId,
		dataset: DatasetId,
		amount: Balance,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut pool = Pools::<T>::get(dataset).ok_or(Error::<T>::DatasetNotFound)?;
		pool.credit(amount)?;
		T::Currency::transfer(&funder, &Self::account_id(), amount, Preservation::Preserve)?;
		Pools::<T>::insert(dataset, pool);
		Self::deposit_event(Event::PoolToppedUp { dataset, funder, amount });
		Ok(())
	}
}

impl<T: Config> DatasetInspect for Pallet<T> {
	fn dataset_exists(dataset: DatasetId) -> bool {
		Datasets::<T>::contains_key(dataset)
	}
}

impl<T: Config> DataRoyalty<T::AccountId, Balance> for Pallet<T> {
	fn pay_royalty(
		payer: &T::AccountId,
		lineage: &[(DatasetId, Perbill)],
		amount: Balance,
	) -> Result<Balance, DispatchError> {
		let (parts, credited) = Self::plan_royalty(lineage, amount)?;
		if credited.is_zero() {
			return Ok(0);
		}
		T::Currency::transfer(payer, &Self::account_id(), credited, Preservation::Expendable)?;
		for (dataset, pool, part) in parts {
			Pools::<T>::insert(dataset, pool);
			Self::deposit_event(Event::RoyaltyPaid { dataset, payer: payer.clone(), amount: part });
		}
		Ok(credited)
	}

	fn pay_royalty_weight(datasets: u32) -> Weight {
		T::WeightInfo::pay_royalty(datasets)
	}
}
