//! The runtime API of the data-rewards pallet, for wallets, dapps and the e2e tests.
//!
//! The runtime implements it with [`Pallet::claimable`](crate::Pallet::claimable) and
//! [`Pallet::contributors_page`](crate::Pallet::contributors_page).

use alloc::vec::Vec;
use codec::Codec;
use deai_primitives::data::DatasetId;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// What data contributors are owed and who holds shares in a dataset.
	pub trait DataRewardsApi<AccountId, Balance>
	where
		AccountId: Codec,
		Balance: Codec,
	{
		/// What `who` may claim from `dataset` now, in whole units (zero if they hold no
		/// shares in it or the dataset does not exist).
		fn claimable(dataset: DatasetId, who: AccountId) -> Balance;

		/// Up to `limit` contributors of `dataset` (at most
		/// [`MAX_CONTRIBUTORS_PAGE`](crate::MAX_CONTRIBUTORS_PAGE) per call) with their
		/// shares, starting after `start_after` (from the first if `None`). Pass the last
		/// account of a page to get the next one; an empty page means the end.
		fn contributors(
			dataset: DatasetId,
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<(AccountId, u128)>;
	}
}

/// The pallet's answers to the runtime API, and the plain reads other code uses.
mod views {
	use crate::*;
	use alloc::vec::Vec;
	use deai_primitives::{data::DatasetId, Balance};
	use polkadot_sdk::{frame_support::pallet_prelude::*, sp_runtime::traits::AccountIdConversion};

	impl<T: Config> Pallet<T> {
		/// The account that holds every dataset's reward funds.
		pub fn account_id() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}

		/// Whether `who` is a curator.
		pub fn is_curator(who: &T::AccountId) -> bool {
			Curators::<T>::get().contains(who)
		}

		/// What `who` may claim from `dataset` now (zero if they hold no shares in it).
		pub fn claimable(dataset: DatasetId, who: &T::AccountId) -> Balance {
			let (Some(pool), Some(entry)) =
				(Pools::<T>::get(dataset), Contributors::<T>::get(dataset, who))
			else {
				return 0;
			};
			entry.pending(&pool).map(|(owed, _)| owed).unwrap_or(0)
		}

		/// Up to `limit` (at most [`MAX_CONTRIBUTORS_PAGE`]) contributors of `dataset` with
		/// their shares, starting after `start_after` (from the beginning if `None`). The
		/// order is that of the storage keys: pass the last account of a page to get the next.
		pub fn contributors_page(
			dataset: DatasetId,
			start_after: Option<T::AccountId>,
			limit: u32,
		) -> Vec<(T::AccountId, u128)> {
			let limit = usize::try_from(limit.min(MAX_CONTRIBUTORS_PAGE)).unwrap_or(0);
			let entries = match start_after {
				Some(after) => Contributors::<T>::iter_prefix_from(
					dataset,
					Contributors::<T>::hashed_key_for(dataset, after),
				),
				None => Contributors::<T>::iter_prefix(dataset),
			};
			entries.take(limit).map(|(who, entry)| (who, entry.shares)).collect()
		}
	}
}
