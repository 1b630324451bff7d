//! Deposits: what a dataset's or a contribution's storage costs, priced per byte of its
//! variable-length fields and kept as a
//! [`Consideration`](polkadot_sdk::frame_support::traits::Consideration) ticket in the
//! record ([`DatasetDepositOf`], [`ContributionDepositOf`]). The tickets hold with
//! [`deai_primitives::funds::hold_unfrozen`], so a vote lock never pays for them; a
//! dataset's is re-priced with `Consideration::update` when its URI changes.

use crate::*;
use core::marker::PhantomData;
use deai_primitives::{funds::UnfrozenHold, Balance};
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::Footprint},
	sp_runtime::{traits::Convert, TokenError},
};

/// The hold reason of a dataset deposit, in the runtime's terms.
pub struct DatasetDepositReason<T>(PhantomData<T>);
impl<T: Config> Get<T::RuntimeHoldReason> for DatasetDepositReason<T> {
	fn get() -> T::RuntimeHoldReason {
		HoldReason::DatasetDeposit.into()
	}
}

/// The hold reason of a contribution deposit, in the runtime's terms.
pub struct ContributionDepositReason<T>(PhantomData<T>);
impl<T: Config> Get<T::RuntimeHoldReason> for ContributionDepositReason<T> {
	fn get() -> T::RuntimeHoldReason {
		HoldReason::ContributionDeposit.into()
	}
}

/// The price of a dataset of `size` bytes of name, URI and license:
/// `DatasetDeposit + DepositPerByte * size`.
pub struct DatasetDepositPrice<T>(PhantomData<T>);
impl<T: Config> Convert<Footprint, Balance> for DatasetDepositPrice<T> {
	fn convert(footprint: Footprint) -> Balance {
		T::DatasetDeposit::get()
			.saturating_add(T::DepositPerByte::get().saturating_mul(footprint.size.into()))
	}
}

/// The price of a pending contribution with a URI of `size` bytes:
/// `ContributionDeposit + DepositPerByte * size`.
pub struct ContributionDepositPrice<T>(PhantomData<T>);
impl<T: Config> Convert<Footprint, Balance> for ContributionDepositPrice<T> {
	fn convert(footprint: Footprint) -> Balance {
		T::ContributionDeposit::get()
			.saturating_add(T::DepositPerByte::get().saturating_mul(footprint.size.into()))
	}
}

/// A dataset's deposit: held from its owner, priced by [`DatasetDepositPrice`].
pub type DatasetDepositOf<T> = UnfrozenHold<
	<T as frame_system::Config>::AccountId,
	<T as Config>::Currency,
	DatasetDepositReason<T>,
	DatasetDepositPrice<T>,
>;

/// A pending contribution's deposit: held from its contributor, priced by
/// [`ContributionDepositPrice`].
pub type ContributionDepositOf<T> = UnfrozenHold<
	<T as frame_system::Config>::AccountId,
	<T as Config>::Currency,
	ContributionDepositReason<T>,
	ContributionDepositPrice<T>,
>;

impl<T: Config> Pallet<T> {
	/// The footprint of a record whose variable-length fields take `bytes`.
	pub(crate) fn footprint(bytes: usize) -> Footprint {
		Footprint::from_parts(1, bytes)
	}

	/// The footprint of a dataset with these field lengths.
	pub(crate) fn dataset_footprint(name: usize, uri: usize, license: usize) -> Footprint {
		Self::footprint(name.saturating_add(uri).saturating_add(license))
	}

	/// The deposit of a dataset with these field lengths.
	pub fn dataset_deposit(name: usize, uri: usize, license: usize) -> Balance {
		DatasetDepositPrice::<T>::convert(Self::dataset_footprint(name, uri, license))
	}

	/// The deposit of a pending contribution whose URI is `uri` bytes long.
	pub fn contribution_deposit(uri: usize) -> Balance {
		ContributionDepositPrice::<T>::convert(Self::footprint(uri))
	}

	/// The pallet's error for a ticket refused because only funds a vote lock needs could
	/// pay it; a balance that cannot cover it stays `TokenError::FundsUnavailable`, as a
	/// plain hold reports it.
	pub(crate) fn named(error: DispatchError) -> DispatchError {
		match error {
			DispatchError::Token(TokenError::Frozen) => Error::<T>::FundsFrozen.into(),
			other => other,
		}
	}
}
