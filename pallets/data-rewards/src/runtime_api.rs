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
