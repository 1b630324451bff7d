//! Deposits: a model's storage deposit, per stored byte, held so that a vote lock is never
//! used for it, and repriced (topped up or partly released) when the record changes size.

use crate::*;
use deai_primitives::funds::{hold_unfrozen, HoldError};
use polkadot_sdk::{
	frame_support::traits::{fungible::MutateHold, tokens::Precision, Get},
	sp_runtime::{traits::Saturating, DispatchError},
};

impl<T: Config> Pallet<T> {
	/// Re-prices the deposit of `record` for its current size and rates, holding or releasing
	/// the difference from its owner.
	pub(crate) fn reprice_deposit(record: &mut Model<T>) -> Result<(), DispatchError> {
		let new_deposit = Self::deposit_for(record);
		if new_deposit > record.deposit {
			Self::hold_deposit(&record.owner, new_deposit.saturating_sub(record.deposit))?;
		} else if new_deposit < record.deposit {
			T::Currency::release(
				&HoldReason::ModelDeposit.into(),
				&record.owner,
				record.deposit.saturating_sub(new_deposit),
				Precision::Exact,
			)?;
		}
		record.deposit = new_deposit;
		Ok(())
	}

	/// Holds a model deposit of `amount` from `who`, never from funds a vote lock needs (see
	/// [`deai_primitives::funds`]). On error the calling dispatchable must fail, which reverts
	/// the hold.
	pub(crate) fn hold_deposit(
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<(), DispatchError> {
		hold_unfrozen::<T::AccountId, T::Currency>(&HoldReason::ModelDeposit.into(), who, amount)
			.map_err(|error| match error {
			HoldError::Insufficient => Error::<T>::InsufficientBalance,
			HoldError::Frozen => Error::<T>::FundsFrozen,
		})?;
		Ok(())
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
