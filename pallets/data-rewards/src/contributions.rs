//! Contributions and their curation: submitting and withdrawing a contribution, a curator's
//! verdict on it, closing a pending contribution, and the curator set that may give
//! verdicts.
//!
//! A pending contribution holds its contributor's deposit and counts against the pending
//! limits of its account and its dataset; every way out of that state (withdrawal,
//! acceptance, rejection) goes through `close_pending`, which refunds the deposit and lowers
//! both counters. Only acceptance gives shares: `declared weight × quality` (see
//! [`shares_for`]), after settling what the contributor earned on its earlier shares so that
//! new shares never earn past credits.

use crate::*;
use deai_primitives::data::DatasetId;
use polkadot_sdk::{
	frame_support::{ensure, pallet_prelude::*, traits::Consideration},
	sp_core::H256,
	sp_runtime::traits::EnsureAdd,
};

impl<T: Config> Pallet<T> {
	/// Removes a pending contribution, refunds its deposit and updates the pending
	/// counters (the caller writes `info` back).
	pub(crate) fn close_pending(
		contribution: ContributionId,
		record: &Contribution<T>,
		info: &mut DatasetInfo<T>,
	) -> DispatchResult {
		record.deposit.clone().drop(&record.contributor)?;
		info.pending_contributions = info.pending_contributions.saturating_sub(1);
		PendingByAccount::<T>::mutate_exists(&record.contributor, |pending| {
			*pending = pending.map(|p| p.saturating_sub(1)).filter(|p| *p > 0);
		});
		Contributions::<T>::remove(contribution);
		Ok(())
	}

	/// The body of [`Pallet::submit_contribution`]: records `contributor`'s contribution to
	/// an open dataset as pending and holds its deposit. The weight is checked first, then
	/// the dataset, then the dataset's and the account's pending limits.
	pub(crate) fn do_submit_contribution(
		contributor: T::AccountId,
		dataset: DatasetId,
		content_hash: H256,
		uri: BoundedVec<u8, T::MaxUriLen>,
		size: u64,
		weight: u32,
	) -> DispatchResult {
		ensure!(weight > 0 && weight <= T::MaxContributionWeight::get(), Error::<T>::InvalidWeight);
		let mut info = Datasets::<T>::get(dataset).ok_or(Error::<T>::DatasetNotFound)?;
		ensure!(info.status == DatasetStatus::Open, Error::<T>::DatasetClosed);
		ensure!(
			info.pending_contributions < T::MaxPendingPerDataset::get(),
			Error::<T>::TooManyPendingForDataset
		);
		let pending = PendingByAccount::<T>::get(&contributor);
		ensure!(pending < T::MaxPendingPerAccount::get(), Error::<T>::TooManyPendingForAccount);
		let footprint = Self::footprint(uri.len());
		let contribution = NextContributionId::<T>::get();
		let next = contribution.ensure_add(1)?;
		info.pending_contributions = info.pending_contributions.ensure_add(1)?;
		let pending = pending.ensure_add(1)?;

		let ticket =
			ContributionDepositOf::<T>::new(&contributor, footprint).map_err(Self::named)?;
		let deposit = ticket.amount();
		NextContributionId::<T>::put(next);
		Datasets::<T>::insert(dataset, info);
		PendingByAccount::<T>::insert(&contributor, pending);
		Contributions::<T>::insert(
			contribution,
			Contribution {
				dataset,
				contributor: contributor.clone(),
				content_hash,
				uri,
				size,
				weight,
				deposit: ticket,
				submitted_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::ContributionSubmitted {
			contribution,
			dataset,
			contributor,
			content_hash,
			weight,
			deposit,
		});
		Ok(())
	}

	/// The body of [`Pallet::withdraw_contribution`]: closes `who`'s own pending
	/// contribution and refunds its deposit.
	pub(crate) fn do_withdraw_contribution(
		who: T::AccountId,
		contribution: ContributionId,
	) -> DispatchResult {
		let record =
			Contributions::<T>::get(contribution).ok_or(Error::<T>::ContributionNotFound)?;
		ensure!(record.contributor == who, Error::<T>::NotContributor);
		let mut info = Datasets::<T>::get(record.dataset).ok_or(Error::<T>::DatasetNotFound)?;
		Self::close_pending(contribution, &record, &mut info)?;
		Datasets::<T>::insert(record.dataset, info);
		Self::deposit_event(Event::ContributionWithdrawn {
			contribution,
			dataset: record.dataset,
			contributor: who,
		});
		Ok(())
	}

	/// The body of [`Pallet::accept_contribution`]: gives the contributor
	/// `declared weight × quality` shares in the dataset (a new contributor only while the
	/// dataset has room for one), settled first at the pool's accumulator, and closes the
	/// pending contribution.
	pub(crate) fn do_accept_contribution(
		curator: T::AccountId,
		contribution: ContributionId,
		quality: u8,
	) -> DispatchResult {
		ensure!(Self::is_curator(&curator), Error::<T>::NotCurator);
		ensure!(quality > 0 && quality <= MAX_QUALITY, Error::<T>::InvalidQuality);
		let record =
			Contributions::<T>::get(contribution).ok_or(Error::<T>::ContributionNotFound)?;
		ensure!(record.contributor != curator, Error::<T>::CuratorIsContributor);
		let dataset = record.dataset;
		let mut info = Datasets::<T>::get(dataset).ok_or(Error::<T>::DatasetNotFound)?;
		let mut pool = Pools::<T>::get(dataset).ok_or(Error::<T>::DatasetNotFound)?;

		let mut entry = match Contributors::<T>::get(dataset, &record.contributor) {
			Some(entry) => entry,
			None => {
				ensure!(
					info.contributors < T::MaxContributorsPerDataset::get(),
					Error::<T>::TooManyContributors
				);
				info.contributors = info.contributors.ensure_add(1)?;
				ContributorInfo::new(&pool)
			},
		};
		let shares = shares_for(record.weight, quality);
		entry.settle(&pool)?;
		entry.shares = entry.shares.ensure_add(shares)?;
		pool.add_shares(shares)?;

		Self::close_pending(contribution, &record, &mut info)?;
		Datasets::<T>::insert(dataset, info);
		Pools::<T>::insert(dataset, pool);
		Contributors::<T>::insert(dataset, &record.contributor, entry);
		Self::deposit_event(Event::ContributionAccepted {
			contribution,
			dataset,
			contributor: record.contributor,
			curator,
			quality,
			shares,
		});
		Ok(())
	}

	/// The body of [`Pallet::reject_contribution`]: closes a pending contribution that
	/// `curator` did not submit, refunding its deposit, and records the reason in the event.
	pub(crate) fn do_reject_contribution(
		curator: T::AccountId,
		contribution: ContributionId,
		reason: BoundedVec<u8, T::MaxReasonLen>,
	) -> DispatchResult {
		ensure!(Self::is_curator(&curator), Error::<T>::NotCurator);
		let record =
			Contributions::<T>::get(contribution).ok_or(Error::<T>::ContributionNotFound)?;
		ensure!(record.contributor != curator, Error::<T>::CuratorIsContributor);
		let mut info = Datasets::<T>::get(record.dataset).ok_or(Error::<T>::DatasetNotFound)?;
		Self::close_pending(contribution, &record, &mut info)?;
		Datasets::<T>::insert(record.dataset, info);
		Self::deposit_event(Event::ContributionRejected {
			contribution,
			dataset: record.dataset,
			contributor: record.contributor,
			curator,
			reason,
		});
		Ok(())
	}

	/// The body of [`Pallet::add_curator`]: adds `curator` to the bounded curator set.
	pub(crate) fn do_add_curator(curator: T::AccountId) -> DispatchResult {
		Curators::<T>::try_mutate(|curators| -> DispatchResult {
			ensure!(!curators.contains(&curator), Error::<T>::AlreadyCurator);
			curators.try_push(curator.clone()).map_err(|_| Error::<T>::TooManyCurators)?;
			Ok(())
		})?;
		Self::deposit_event(Event::CuratorAdded { curator });
		Ok(())
	}

	/// The body of [`Pallet::remove_curator`]: takes `curator` out of the curator set, so it
	/// can no longer accept or reject contributions.
	pub(crate) fn do_remove_curator(curator: T::AccountId) -> DispatchResult {
		Curators::<T>::try_mutate(|curators| -> DispatchResult {
			let position =
				curators.iter().position(|c| c == &curator).ok_or(Error::<T>::UnknownCurator)?;
			curators.remove(position);
			Ok(())
		})?;
		Self::deposit_event(Event::CuratorRemoved { curator });
		Ok(())
	}
}
