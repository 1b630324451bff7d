//! The treasury: the pallet account that receives fees, slashes and forfeited deposits, and
//! pays grants (the calls `grant`, `claim_grant` and `cancel_grant` are in `lib.rs`).

use crate::*;
use polkadot_sdk::{
	frame_support::traits::{
		fungible::Inspect,
		tokens::{Fortitude, Preservation},
		Get,
	},
	sp_runtime::traits::AccountIdConversion,
};

impl<T: Config> Pallet<T> {
	/// The treasury account: fees, slashes and spam deposits are paid into it, grants out of
	/// it.
	pub fn treasury_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// What the treasury can pay without being reaped.
	pub(crate) fn spendable() -> BalanceOf<T> {
		T::Currency::reducible_balance(
			&Self::treasury_account(),
			Preservation::Preserve,
			Fortitude::Polite,
		)
	}
}
