//! Contributions and datasets under curation: the owner check and closing a pending
//! contribution (the calls are in `lib.rs`).

use crate::*;
use deai_primitives::data::DatasetId;
use polkadot_sdk::frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
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

	/// Removes a pending contribution, refunds its deposit and updates the pending
	/// counters (the caller writes `info` back).
	pub(crate) fn close_pending(
		contribution: ContributionId,
		record: &Contribution<T>,
		info: &mut DatasetInfo<T>,
	) -> DispatchResult {
		T::Currency::release(
			&HoldReason::ContributionDeposit.into(),
			&record.contributor,
			record.deposit,
			Precision::BestEffort,
		)?;
		info.pending_contributions = info.pending_contributions.saturating_sub(1);
		PendingByAccount::<T>::mutate_exists(&record.contributor, |pending| {
			*pending = pending.map(|p| p.saturating_sub(1)).filter(|p| *p > 0);
		});
		Contributions::<T>::remove(contribution);
		Ok(())
	}
}
