//! Datasets: registering a dataset, updating its manifest, opening or closing it and removing
//! it, and the owner check these share. A dataset's deposit follows the length of its record
//! (see `deposits.rs`); its reward pool is created and removed with it.

use crate::*;
use deai_primitives::data::DatasetId;
use polkadot_sdk::{
	frame_support::{ensure, pallet_prelude::*, traits::Consideration},
	sp_core::H256,
	sp_runtime::traits::{EnsureAdd, Zero},
};

impl<T: Config> Pallet<T> {
	/// The dataset, if `who` owns it.
	pub(crate) fn owned_dataset(
		dataset: DatasetId,
		who: &T::AccountId,
	) -> Result<DatasetInfo<T>, DispatchError> {
		let info = Datasets::<T>::get(dataset).ok_or(Error::<T>::DatasetNotFound)?;
		ensure!(&info.owner == who, Error::<T>::NotDatasetOwner);
		Ok(info)
	}

	/// The body of [`Pallet::create_dataset`]: registers an open dataset owned by `owner`,
	/// with an empty reward pool, and holds its deposit.
	pub(crate) fn do_create_dataset(
		owner: T::AccountId,
		name: BoundedVec<u8, T::MaxNameLen>,
		content_hash: H256,
		uri: BoundedVec<u8, T::MaxUriLen>,
		license: BoundedVec<u8, T::MaxLicenseLen>,
		schema_hash: H256,
	) -> DispatchResult {
		let footprint = Self::dataset_footprint(name.len(), uri.len(), license.len());
		let dataset = NextDatasetId::<T>::get();
		let next = dataset.ensure_add(1)?;
		let ticket = DatasetDepositOf::<T>::new(&owner, footprint).map_err(Self::named)?;
		let deposit = ticket.amount();
		NextDatasetId::<T>::put(next);
		Datasets::<T>::insert(
			dataset,
			DatasetInfo {
				owner: owner.clone(),
				name,
				content_hash,
				uri,
				license,
				schema_hash,
				status: DatasetStatus::Open,
				deposit: ticket,
				pending_contributions: 0,
				contributors: 0,
			},
		);
		Pools::<T>::insert(dataset, RewardPool::default());
		Self::deposit_event(Event::DatasetCreated { dataset, owner, content_hash, deposit });
		Ok(())
	}

	/// The body of [`Pallet::update_dataset`]: replaces the manifest hash, URI and schema
	/// hash of `who`'s dataset, holding or releasing the difference in deposit.
	pub(crate) fn do_update_dataset(
		who: T::AccountId,
		dataset: DatasetId,
		content_hash: H256,
		uri: BoundedVec<u8, T::MaxUriLen>,
		schema_hash: H256,
	) -> DispatchResult {
		let mut info = Self::owned_dataset(dataset, &who)?;
		let footprint = Self::dataset_footprint(info.name.len(), uri.len(), info.license.len());
		info.deposit = info.deposit.update(&who, footprint).map_err(Self::named)?;
		let deposit = info.deposit.amount();
		info.content_hash = content_hash;
		info.uri = uri;
		info.schema_hash = schema_hash;
		Datasets::<T>::insert(dataset, info);
		Self::deposit_event(Event::DatasetUpdated { dataset, content_hash, schema_hash, deposit });
		Ok(())
	}

	/// The body of [`Pallet::set_dataset_status`]: opens or closes `who`'s dataset to new
	/// contributions.
	pub(crate) fn do_set_dataset_status(
		who: T::AccountId,
		dataset: DatasetId,
		status: DatasetStatus,
	) -> DispatchResult {
		let mut info = Self::owned_dataset(dataset, &who)?;
		info.status = status;
		Datasets::<T>::insert(dataset, info);
		Self::deposit_event(Event::DatasetStatusChanged { dataset, status });
		Ok(())
	}

	/// The body of [`Pallet::remove_dataset`]: removes `who`'s dataset and its pool and
	/// refunds the deposit, once nobody holds shares, nothing waits for curation and the pool
	/// is empty (checked in that order).
	pub(crate) fn do_remove_dataset(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		let info = Self::owned_dataset(dataset, &who)?;
		let pool = Pools::<T>::get(dataset).ok_or(Error::<T>::DatasetNotFound)?;
		ensure!(
			info.contributors == 0 && pool.total_shares == 0,
			Error::<T>::DatasetHasContributors
		);
		ensure!(info.pending_contributions == 0, Error::<T>::DatasetHasPendingContributions);
		ensure!(pool.balance.is_zero(), Error::<T>::DatasetHasFunds);
		let refunded = info.deposit.amount();
		info.deposit.drop(&who)?;
		Datasets::<T>::remove(dataset);
		Pools::<T>::remove(dataset);
		Self::deposit_event(Event::DatasetRemoved { dataset, refunded });
		Ok(())
	}
}
