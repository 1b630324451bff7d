//! Deposits: a model's storage deposit, priced per byte of its encoded record and kept as a
//! [`Consideration`] ticket ([`DepositOf`]) in the record. The ticket holds with
//! [`deai_primitives::funds::hold_unfrozen`], so a vote lock never pays for it, and is
//! re-priced with [`Consideration::update`] when the record changes size.

use crate::*;
use deai_primitives::funds::UnfrozenHold;
use polkadot_sdk::{
	frame_support::traits::{Consideration, Footprint, Get},
	sp_runtime::{
		traits::{Convert, Saturating},
		DispatchError, SaturatedConversion, TokenError,
	},
};

/// The hold reason of a model deposit, in the runtime's terms.
pub struct ModelDepositReason<T>(core::marker::PhantomData<T>);
impl<T: Config> Get<T::RuntimeHoldReason> for ModelDepositReason<T> {
	fn get() -> T::RuntimeHoldReason {
		HoldReason::ModelDeposit.into()
	}
}

/// The price of a model record's footprint: `DepositBase + DepositPerByte * size`.
pub struct ModelDepositPrice<T>(core::marker::PhantomData<T>);
impl<T: Config> Convert<Footprint, BalanceOf<T>> for ModelDepositPrice<T> {
	fn convert(footprint: Footprint) -> BalanceOf<T> {
		Pallet::<T>::deposit_for_bytes(footprint.size.saturated_into())
	}
}

/// A model's deposit: held from its owner, priced by [`ModelDepositPrice`].
pub type DepositOf<T> = UnfrozenHold<
	<T as frame_system::Config>::AccountId,
	<T as Config>::Currency,
	ModelDepositReason<T>,
	ModelDepositPrice<T>,
>;

impl<T: Config> Pallet<T> {
	/// The footprint of `record`: one record of its encoded size.
	fn footprint(record: &Model<T>) -> Footprint {
		Footprint::from_parts(1, record.stored_bytes().saturated_into())
	}

	/// Holds the deposit of a new `record` from its owner.
	pub(crate) fn take_deposit(record: &mut Model<T>) -> Result<(), DispatchError> {
		record.deposit =
			DepositOf::<T>::new(&record.owner, Self::footprint(record)).map_err(Self::named)?;
		Ok(())
	}

	/// Re-prices the deposit of `record` for its current size and rates, holding or releasing
	/// the difference from its owner.
	pub(crate) fn reprice_deposit(record: &mut Model<T>) -> Result<(), DispatchError> {
		let ticket = core::mem::replace(&mut record.deposit, DepositOf::<T>::unpriced());
		record.deposit =
			ticket.update(&record.owner, Self::footprint(record)).map_err(Self::named)?;
		Ok(())
	}

	/// Gives the deposit of `record` back to `owner` (who paid it).
	pub(crate) fn release_deposit(
		owner: &T::AccountId,
		deposit: DepositOf<T>,
	) -> Result<(), DispatchError> {
		deposit.drop(owner)
	}

	/// The pallet's errors for a ticket's refusals: the free balance cannot cover the
	/// deposit, or could only with funds a vote lock needs.
	fn named(error: DispatchError) -> DispatchError {
		match error {
			DispatchError::Token(TokenError::FundsUnavailable) => {
				Error::<T>::InsufficientBalance.into()
			},
			DispatchError::Token(TokenError::Frozen) => Error::<T>::FundsFrozen.into(),
			other => other,
		}
	}

	/// The deposit a record of `bytes` encoded bytes costs:
	/// `DepositBase + DepositPerByte * bytes`.
	pub fn deposit_for_bytes(bytes: u32) -> BalanceOf<T> {
		T::DepositPerByte::get()
			.saturating_mul(BalanceOf::<T>::from(bytes))
			.saturating_add(T::DepositBase::get())
	}

	/// The deposit `record` costs at the current rates.
	pub fn deposit_for(record: &Model<T>) -> BalanceOf<T> {
		Self::deposit_for_bytes(record.stored_bytes())
	}
}
