//! Deposits: what a dataset's or a contribution's storage costs, held so that a vote lock
//! is never used for it.

use crate::*;
use deai_primitives::{
	funds::{hold_unfrozen, HoldError},
	Balance,
};
use polkadot_sdk::{
	frame_support::pallet_prelude::*,
	sp_runtime::{SaturatedConversion, TokenError},
};

impl<T: Config> Pallet<T> {
	/// The deposit of a dataset with these field lengths.
	pub fn dataset_deposit(name: usize, uri: usize, license: usize) -> Balance {
		let bytes =
			Self::bytes(name).saturating_add(Self::bytes(uri)).saturating_add(Self::bytes(license));
		T::DatasetDeposit::get().saturating_add(T::DepositPerByte::get().saturating_mul(bytes))
	}

	/// A length in bytes as a balance, to be multiplied by the deposit per byte.
	pub(crate) fn bytes(len: usize) -> Balance {
		len.saturated_into::<Balance>()
	}

	/// Holds a deposit of `amount` from `who` for `reason`, never from funds a vote lock
	/// needs (see [`deai_primitives::funds`]). A balance that cannot cover it fails with
	/// `TokenError::FundsUnavailable`, as a plain hold does. On error the calling
	/// dispatchable must fail, which reverts the hold.
	pub(crate) fn hold_deposit(
		reason: HoldReason,
		who: &T::AccountId,
		amount: Balance,
	) -> Result<(), DispatchError> {
		hold_unfrozen::<T::AccountId, T::Currency>(&reason.into(), who, amount).map_err(|error| {
			match error {
				HoldError::Insufficient => DispatchError::from(TokenError::FundsUnavailable),
				HoldError::Frozen => Error::<T>::FundsFrozen.into(),
			}
		})
	}
}
